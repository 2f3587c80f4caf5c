// The project's stacks, derived from the `Pulumi.<stack>.yaml` files: each with its cloud, region and the policy
// pack config its gate uses. CI builds its matrix from this, so adding a stack is one file (plus, if wanted, one
// `policy-pack/policy-config.<stack>.json`).
//   npm run --silent stacks                  one line per stack: name, cloud, region, policy config
//   npm run --silent stacks -- --json        the same as a JSON array
//   npm run --silent stacks -- --github-matrix >> "$GITHUB_OUTPUT"   matrix={"include":[...]} for a job matrix
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { CLOUDS, Cloud } from "../config/schema";
import { runCommand } from "./lib/cli";

export const ROOT = path.resolve(__dirname, "..");

/** The config key holding each cloud's region; the provider reads it too (aws:region, azure-native:location). */
export const REGION_KEYS: Readonly<Record<Cloud, string>> = { aws: "aws:region", azure: "azure-native:location" };

export const DEFAULT_POLICY_CONFIG = "policy-pack/policy-config.default.json";

/** One stack as CI previews it. */
export interface StackEntry {
    readonly stack: string;
    /** The stack file, relative to the project root. */
    readonly file: string;
    readonly cloud: Cloud;
    readonly region: string;
    /** `policy-pack/policy-config.<stack>.json` when present, else the default config. */
    readonly policyConfig: string;
}

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/;

/** The stack names of the `Pulumi.<stack>.yaml` files in `dir`, sorted. */
export function stackNames(dir: string = ROOT): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => STACK_FILE.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort((a, b) => a.localeCompare(b));
}

/** Every stack file in `dir` with its cloud, region and policy config; throws listing every stack file it cannot read. */
export function discoverStacks(dir: string = ROOT): StackEntry[] {
    const problems: string[] = [];
    const entries: StackEntry[] = [];
    const files = fs.readdirSync(dir).filter((f) => STACK_FILE.test(f));
    for (const file of files.sort((a, b) => (STACK_FILE.exec(a)?.[1] ?? "").localeCompare(STACK_FILE.exec(b)?.[1] ?? ""))) {
        const stack = STACK_FILE.exec(file)?.[1] ?? "";
        let config: Record<string, unknown>;
        try {
            config = ((YAML.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {});
        } catch (err) {
            problems.push(`${file}: not valid YAML (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`);
            continue;
        }
        const cloud = config["openclaw:cloud"];
        if (typeof cloud !== "string" || !(CLOUDS as readonly string[]).includes(cloud)) {
            problems.push(`${file}: openclaw:cloud is ${cloud === undefined ? "unset" : JSON.stringify(cloud)}; accepted: ${CLOUDS.join(" | ")} (pulumi config set openclaw:cloud <cloud> --stack ${stack})`);
            continue;
        }
        const regionKey = REGION_KEYS[cloud as Cloud];
        const region = config[regionKey];
        if (typeof region !== "string" || !/^[a-z0-9-]+$/.test(region)) {
            problems.push(`${file}: ${regionKey} is ${region === undefined ? "unset" : "not a region name"}; accepted: a region such as ${cloud === "aws" ? "eu-central-1" : "westeurope"} (pulumi config set ${regionKey} <region> --stack ${stack})`);
            continue;
        }
        const own = `policy-pack/policy-config.${stack}.json`;
        entries.push({ stack, file, cloud: cloud as Cloud, region, policyConfig: fs.existsSync(path.join(dir, own)) ? own : DEFAULT_POLICY_CONFIG });
    }
    if (problems.length > 0) {
        throw new Error(`stacks: ${problems.length} stack file(s) cannot be previewed:\n  - ${problems.join("\n  - ")}`);
    }
    return entries;
}

export const USAGE = "usage: npm run --silent stacks -- [--json | --github-matrix] [--help]";

/** The CLI; returns the exit code. */
export function main(argv: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t), dir: string = ROOT): number {
    const [format = "text", ...rest] = argv;
    if (format === "--help" || format === "-h") {
        write(`${USAGE}\nLists the Pulumi.<stack>.yaml stacks with cloud, region and policy config (policy-pack/policy-config.<stack>.json, else the default).\n`);
        return 0;
    }
    if (rest.length > 0 || !["text", "--json", "--github-matrix"].includes(format)) {
        throw new Error(`stacks: unknown argument ${[format, ...rest].join(" ")}; ${USAGE}`);
    }
    const stacks = discoverStacks(dir);
    if (format === "--json") {
        write(`${JSON.stringify(stacks, null, 2)}\n`);
    } else if (format === "--github-matrix") {
        write(`matrix=${JSON.stringify({ include: stacks })}\n`);
    } else {
        write(stacks.map((s) => `${s.stack}\t${s.cloud}\t${s.region}\t${s.policyConfig}\n`).join(""));
    }
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
