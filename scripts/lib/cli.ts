// How every command under scripts/ ends: its exit code, or the error's message alone (no stack trace) and exit 2.

/** Runs a command's `main(argv)` and exits with its code; an error prints its message only and exits 2. */
export function runCommand(main: (argv: string[]) => number | Promise<number>): void {
    const fail = (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(2);
    };
    try {
        Promise.resolve(main(process.argv.slice(2))).then((code) => process.exit(code), fail);
    } catch (error) {
        fail(error);
    }
}
