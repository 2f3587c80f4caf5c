// Command-line options of `npm run bench`: which sections, how many runs, which sizes.

export const SECTIONS = ["stack", "policy", "awsguard", "reconciler", "test", "engine"] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
    readonly sections: readonly Section[];
    /** Example stacks (Pulumi.<name>.yaml) to evaluate and replicate. */
    readonly stacks: readonly string[];
    /** Fresh processes per stack for the stack evaluation. */
    readonly runs: number;
    /** Further in-process runs in each of those processes (the warm figure). */
    readonly warmRuns: number;
    /** Fresh processes per stack loading TS as `pulumi preview` does by default (ts-node type-checking). */
    readonly typecheckRuns: number;
    /** Fresh processes per stack with V8's stack formatting instead of the source-mapped one (attribution). */
    readonly noSourceMapRuns: number;
    /** Evaluations per synthetic size (median reported). */
    readonly policyRuns: number;
    readonly sizes: readonly number[];
    /** Run the program and evaluate as `pulumi preview` (computed outputs unknown) instead of `pulumi up`. */
    readonly preview: boolean;
    readonly json: boolean;
    /** Also write the JSON report to this file (tables still printed). */
    readonly jsonOut?: string;
}

export const USAGE = `npm run bench -- [options]
  --only <list>        sections, comma-separated: ${SECTIONS.join(",")} (default: all)
  --stacks <list>      example stacks (default: dev,dev-azure)
  --runs <n>           fresh processes per stack for the stack evaluation (default: 3)
  --warm <n>           in-process repeat runs in each of them (default: 1)
  --typecheck-runs <n> processes per stack with ts-node type-checking, pulumi's default loader (default: 1; 0 skips)
  --nomap-runs <n>     processes per stack without source-mapped stack traces, for attribution (default: 1; 0 skips)
  --policy-runs <n>    evaluations per synthetic size (default: 3)
  --sizes <list>       synthetic stack sizes (default: 1000,10000)
  --preview            evaluate as pulumi preview (computed outputs unknown); default: as pulumi up
  --json               print JSON instead of tables
  --json-out <file>    print tables and write the JSON report to <file>
Quick run: npm run bench -- --only stack,policy --runs 1 --typecheck-runs 0 --nomap-runs 0 --policy-runs 1 --sizes 500,2000`;

function positiveInt(flag: string, value: string | undefined, min = 1): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
        throw new Error(`bench: ${flag} needs an integer of at least ${min}, got ${value ?? "nothing"}`);
    }
    return n;
}

function list(flag: string, value: string | undefined): string[] {
    const items = (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    if (items.length === 0) {
        throw new Error(`bench: ${flag} needs a comma-separated list`);
    }
    return items;
}

/** Parses argv; throws with the usage on anything unknown. Returns undefined for --help. */
export function parseOptions(argv: readonly string[]): BenchOptions | undefined {
    let sections: Section[] = [...SECTIONS];
    let stacks = ["dev", "dev-azure"];
    let runs = 3;
    let warmRuns = 1;
    let typecheckRuns = 1;
    let noSourceMapRuns = 1;
    let policyRuns = 3;
    let sizes = [1000, 10000];
    let preview = false;
    let json = false;
    let jsonOut: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        switch (flag) {
            case "--only":
                sections = list(flag, argv[++i]).map((s) => {
                    if (!(SECTIONS as readonly string[]).includes(s)) {
                        throw new Error(`bench: unknown section ${s}; accepted: ${SECTIONS.join(", ")}`);
                    }
                    return s as Section;
                });
                break;
            case "--stacks":
                stacks = list(flag, argv[++i]);
                for (const s of stacks) {
                    if (!/^[\w.-]+$/.test(s)) {
                        throw new Error(`bench: --stacks: ${s} is not a stack name`);
                    }
                }
                break;
            case "--runs":
                runs = positiveInt(flag, argv[++i]);
                break;
            case "--warm":
                warmRuns = positiveInt(flag, argv[++i], 0);
                break;
            case "--typecheck-runs":
                typecheckRuns = positiveInt(flag, argv[++i], 0);
                break;
            case "--nomap-runs":
                noSourceMapRuns = positiveInt(flag, argv[++i], 0);
                break;
            case "--policy-runs":
                policyRuns = positiveInt(flag, argv[++i]);
                break;
            case "--sizes":
                sizes = list(flag, argv[++i]).map((s) => positiveInt("--sizes", s, 2));
                break;
            case "--preview":
                preview = true;
                break;
            case "--json":
                json = true;
                break;
            case "--json-out":
                jsonOut = argv[++i];
                if (!jsonOut) {
                    throw new Error("bench: --json-out needs a file name");
                }
                break;
            case "--help":
            case "-h":
                return undefined;
            default:
                throw new Error(`bench: unknown argument ${flag}\n${USAGE}`);
        }
    }
    return { sections, stacks, runs, warmRuns, typecheckRuns, noSourceMapRuns, policyRuns, sizes: [...new Set(sizes)].sort((a, b) => a - b), preview, json, jsonOut };
}
