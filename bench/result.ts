// The line a benchmark child prints its result on; the parent looks for it among whatever else is printed.
export const RESULT_MARK = "BENCH_RESULT ";

/** Prints the result line and exits (the Pulumi runtime may keep handles open); on failure, the error and exit 1. */
export function finish(result: Promise<unknown>): void {
    result.then(
        (value) => {
            process.stdout.write(`${RESULT_MARK}${JSON.stringify(value)}\n`, () => process.exit(0));
        },
        (error: unknown) => {
            console.error(error instanceof Error ? (error.stack ?? error.message) : error);
            process.exit(1);
        },
    );
}
