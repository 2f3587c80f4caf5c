// Benchmark child: the program under the recording mocks in a fresh process (module loading included).
//   child-stack.ts <stack> <repeatRuns> <up|preview> [no-source-maps]
// Imports nothing at the top, so that under ts-node's type-checking mode only what the run loads is checked.
import { finish } from "./result";

export interface StackChildResult {
    readonly stack: string;
    /** From process start to this file's first line: Node, ts-node's register hook, this file. */
    readonly bootMs: number;
    /** First run, modules loaded on the way (the harness, the program, the SDKs). */
    readonly coldMs: number;
    /** Later runs in the same process. */
    readonly warmMs: readonly number[];
    readonly resources: number;
    readonly maxRssKiB: number;
}

async function main(stack: string, repeatRuns: number, preview: boolean, sourceMaps: boolean): Promise<StackChildResult> {
    const bootMs = performance.now();
    if (!sourceMaps) {
        // Attribution only: V8's own stack formatting instead of ts-node's source-mapped one.
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    }
    const start = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading is part of what is timed
    const { runProgram } = require("../test/harness/program") as typeof import("../test/harness/program");
    const first = await runProgram({ stack, preview });
    const coldMs = performance.now() - start;
    const warmMs: number[] = [];
    for (let i = 0; i < repeatRuns; i++) {
        const t = performance.now();
        await runProgram({ stack, preview });
        warmMs.push(performance.now() - t);
    }
    return { stack, bootMs, coldMs, warmMs, resources: first.resources.length, maxRssKiB: process.resourceUsage().maxRSS };
}

if (require.main === module) {
    const [stack, repeat, mode, maps] = process.argv.slice(2);
    finish(main(stack, Number(repeat ?? "0"), mode === "preview", maps !== "no-source-maps"));
}
