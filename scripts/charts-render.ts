// Renders every Helm Release of a stack with the values the program computes for it (run under the recording
// mocks, as policy-check does) and checks the rendered objects; one row per chart. Needs the charts on disk.
//   npm run charts:render -- --stack dev --charts-dir vendor/charts [--helm /usr/local/bin/helm] [--json] [--config <pack config>]
// <charts-dir>/<chart name> per chart (helm pull <chart> --version <v> --untar --untardir <charts-dir>); a chart
// set with openclaw:charts.<chart>.path is read from there. Exit code 1 when a chart fails or cannot be rendered.
import * as path from "path";
import { validateConfig } from "../config/read";
import { loadPolicyConfigFile } from "../policy-pack/testing/config";
import type { RecordedRunLike } from "../policy-pack/testing/resources";
import { PROJECT_ROOT, rawNamespaceConfig, runProgram } from "../test/harness/program";
import { formatRows, releasesToRender, renderRelease, type ChartRow } from "./lib/chart-render";
import { helmVersion, resolveHelm } from "./lib/helm-binary";
import { runCommand } from "./lib/cli";

export interface CliArgs {
    readonly stack: string;
    readonly chartsDir?: string;
    readonly helm?: string;
    readonly json: boolean;
    readonly configFile?: string;
}

const USAGE = "usage: --stack <name> [--charts-dir <dir>] [--helm <path>] [--json] [--config <policy pack config>]";

export function parseArgs(argv: readonly string[]): CliArgs {
    let stack: string | undefined;
    let chartsDir: string | undefined;
    let helm: string | undefined;
    let configFile: string | undefined;
    let json = false;
    const value = (i: number, flag: string) => {
        const v = argv[i];
        if (v === undefined || v.startsWith("--")) {
            throw new Error(`charts:render: ${flag} needs a value; ${USAGE}`);
        }
        return v;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--stack") {
            stack = value(++i, arg);
        } else if (arg === "--charts-dir") {
            chartsDir = value(++i, arg);
        } else if (arg === "--helm") {
            helm = value(++i, arg);
        } else if (arg === "--config") {
            configFile = value(++i, arg);
        } else if (arg === "--json") {
            json = true;
        } else {
            throw new Error(`charts:render: unknown argument ${arg}; ${USAGE}`);
        }
    }
    if (stack === undefined || !/^[\w.-]+$/.test(stack)) {
        throw new Error(`charts:render: --stack needs a stack name (Pulumi.<name>.yaml); ${USAGE}`);
    }
    return { stack, chartsDir, helm, json, configFile };
}

export interface RenderStackOptions extends CliArgs {
    /** Runs the program; defaults to the harness's `runProgram` (tests pass their own run). */
    readonly run?: (stack: string) => Promise<RecordedRunLike>;
    /** The directory local chart paths and relative arguments resolve against. Defaults to the project root. */
    readonly projectRoot?: string;
}

/** Renders and checks every Release of the stack. */
export async function renderStack(options: RenderStackOptions): Promise<{ helmVersion: string; rows: ChartRow[] }> {
    const projectRoot = options.projectRoot ?? PROJECT_ROOT;
    const helm = resolveHelm(PROJECT_ROOT, options.helm === undefined ? undefined : path.resolve(projectRoot, options.helm));
    const config = validateConfig(rawNamespaceConfig(options.stack));
    const run = await (options.run ?? ((stack) => runProgram({ stack })))(options.stack);
    const policyConfig = options.configFile ? loadPolicyConfigFile(path.resolve(projectRoot, options.configFile)) : undefined;
    const rows: ChartRow[] = [];
    for (const release of releasesToRender(run)) {
        rows.push(
            await renderRelease(release, {
                helm,
                chartsDir: options.chartsDir === undefined ? undefined : path.resolve(projectRoot, options.chartsDir),
                projectRoot,
                kubeVersion: `${config.cluster.kubernetesVersion}.0`,
                stack: options.stack,
                policyConfig,
            }),
        );
    }
    return { helmVersion: `helm ${helmVersion(helm)}`, rows };
}

/** The CLI: prints the table (or JSON) and returns the exit code: 1 when a chart failed or could not be rendered. */
export async function main(argv: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t), run?: RenderStackOptions["run"]): Promise<number> {
    const args = parseArgs(argv);
    const { helmVersion: version, rows } = await renderStack({ ...args, run });
    write(args.json ? `${JSON.stringify({ stack: args.stack, helm: version, rows }, null, 2)}\n` : `${formatRows(args.stack, version, rows)}\n`);
    return rows.every((r) => r.status === "pass") ? 0 : 1;
}

if (require.main === module) {
    runCommand(main);
}
