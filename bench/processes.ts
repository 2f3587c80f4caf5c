// Runs benchmark children and shell commands one at a time (never in parallel on 2 cores), timing them from outside.
import { spawn } from "child_process";
import * as path from "path";
import { RESULT_MARK } from "./result";

export const ROOT = path.resolve(__dirname, "..");

export interface ChildRun<T> {
    readonly result: T;
    /** From spawn to exit, measured by the parent: what a user waits for. */
    readonly wallMs: number;
}

export interface CommandRun {
    readonly wallMs: number;
    readonly exitCode: number;
    /** The last lines of output, kept to explain a failure. */
    readonly tail: string;
}

function run(command: string, args: readonly string[]): Promise<{ wallMs: number; exitCode: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ wallMs: performance.now() - start, exitCode: code ?? 1, stdout, stderr }));
    });
}

/** How the child loads TypeScript. */
export type Loader = "transpile-only" | "type-check";

/**
 * Runs a child script in a fresh Node process through ts-node: transpile-only as `npm run bench` and mocha load
 * TS, or type-checking against tsconfig.json as `pulumi preview` does by default (ts-node's default, unless
 * PULUMI_NODEJS_TRANSPILE_ONLY or the tsconfig's noCheck says otherwise).
 */
export async function runChild<T>(script: string, args: readonly string[], loader: Loader = "transpile-only"): Promise<ChildRun<T>> {
    const hook = loader === "transpile-only" ? "ts-node/register/transpile-only" : "ts-node/register";
    // --expose-gc lets the policy child start each timed evaluation from a collected heap (bench/policy.ts).
    const out = await run(process.execPath, ["--expose-gc", "-r", hook, path.join(__dirname, script), ...args]);
    const line = out.stdout.split("\n").find((l) => l.startsWith(RESULT_MARK));
    if (out.exitCode !== 0 || !line) {
        throw new Error(`bench: ${script} ${args.join(" ")} failed (exit ${out.exitCode}):\n${out.stderr.trim().split("\n").slice(-20).join("\n")}`);
    }
    return { result: JSON.parse(line.slice(RESULT_MARK.length)) as T, wallMs: out.wallMs };
}

/** Runs a command from the project root and reports its wall time and exit code (a failure is a figure, not an error). */
export async function runCommand(command: string, args: readonly string[]): Promise<CommandRun> {
    const out = await run(command, args);
    const lines = `${out.stdout}\n${out.stderr}`.trim().split("\n");
    // Mocha's summary ("12 passing", "1 failing") and the first failure say more than the last lines.
    const summary = lines.findIndex((l) => /^\s*\d+ failing/.test(l));
    const tail = (summary >= 0 ? lines.slice(summary, summary + 12) : lines.slice(-8)).join("\n");
    return { wallMs: out.wallMs, exitCode: out.exitCode, tail };
}
