// The whole program on each example stack, run once per test process and shared: a run costs seconds, and many
// suites (program, Kubernetes layer, policy pack, openclaw.json) read the same recorded resources.
import { MODEL_PROVIDER_NAMES, MODEL_PROVIDERS } from "../../config/providers";
import { FAKE_IDENTITY_CLIENT_SECRET, FAKE_SECRETS, ProgramRun, runProgram } from "./program";

export const EXAMPLE_STACKS = ["dev", "dev-azure"] as const;
export type ExampleStack = (typeof EXAMPLE_STACKS)[number];

/**
 * A recognisable fake key for every model provider, so every provider's path through the program is exercised,
 * and the OIDC client secret both example stacks' `openclaw:identity` requires.
 */
export const EXAMPLE_SECRETS: Readonly<Record<string, string>> = {
    ...Object.fromEntries(MODEL_PROVIDER_NAMES.map((p) => [MODEL_PROVIDERS[p].configKey, FAKE_SECRETS[MODEL_PROVIDERS[p].configKey] ?? `${FAKE_SECRETS.anthropicApiKey}-${p}`])),
    identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET,
};

/** A recorded run plus everything the program wrote to stdout and stderr meanwhile. */
export interface ExampleRun extends ProgramRun {
    readonly log: string;
}

const runs = new Map<string, Promise<ExampleRun>>();

/** The example stack's whole program with every provider configured, as `pulumi up` (or `preview`) runs it. */
export function exampleRun(stack: ExampleStack, options: { readonly preview?: boolean } = {}): Promise<ExampleRun> {
    const key = `${stack}:${options.preview ?? false}`;
    let run = runs.get(key);
    if (run === undefined) {
        run = runCapturingLogs(stack, options.preview ?? false);
        runs.set(key, run);
    }
    return run;
}

async function runCapturingLogs(stack: ExampleStack, preview: boolean): Promise<ExampleRun> {
    const chunks: string[] = [];
    const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    const capture = (chunk: unknown) => {
        chunks.push(String(chunk));
        return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
        const run = await runProgram({ stack, preview, secrets: EXAMPLE_SECRETS });
        return { ...run, log: chunks.join("") };
    } finally {
        process.stdout.write = original.out;
        process.stderr.write = original.err;
    }
}
