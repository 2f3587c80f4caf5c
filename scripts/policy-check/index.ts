// Offline pre-flight of the policy pack: runs the program for a stack file under the recording mocks, evaluates
// every policy the way the policy runtime does, and reports each violation once with the checklist ids and the
// `openclaw:` key behind it, the exceptions in force, and what the run had to stand in for. No cloud credentials
// needed; not a replacement for `pulumi preview --policy-pack policy-pack` (real provider defaults and values).
//   npm run policy-check -- --help
import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { IDENTITY_CLIENT_SECRET_KEY, MODEL_KEYS, SECRET_KEYS } from "../../config/read";
import { chartOfRelease, tagOnlyImages } from "../../components/kubernetes/charts";
import { CHECKLIST, CHECKLIST_IDS, ChecklistId, policies } from "../../policy-pack/policies";
import { checklistIdsOf, ExceptionInForce, exceptionOf } from "../../policy-pack/policies/lib/meta";
import { resolvePolicyConfig, loadPolicyConfigFile } from "../../policy-pack/testing/config";
import { Diagnostic, evaluatePolicies, EvaluationResult } from "../../policy-pack/testing/evaluate";
import { AnalyzedResource, fromRecordedRun, RecordedRunLike } from "../../policy-pack/testing/resources";
import { FAKE_SECRETS, PROJECT_ROOT, readStackConfig, runProgram, stackFileOf } from "../../test/harness/program";
import { discoverStacks, DEFAULT_POLICY_CONFIG } from "../stacks";
import { configKeyOf } from "./config-keys";
import { formatJson, formatMarkdown, formatText } from "./format";
import { runCommand } from "../lib/cli";

export type RowStatus = "pass" | "pass with exception" | "fail" | "not applicable";

/** One finding, reported once however many checklist ids its policy carries. */
export interface Violation {
    readonly policy: string;
    /** The resource's logical name, or undefined for a stack-wide finding. */
    readonly resource?: string;
    readonly message: string;
    readonly checklist: readonly ChecklistId[];
    /** The `openclaw:` key that decides it, or undefined when a program default does. */
    readonly configKey?: string;
}

/** One checklist line's verdict. */
export interface ChecklistRow {
    readonly id: ChecklistId;
    readonly text: string;
    readonly status: RowStatus;
    /** Policies carrying the id that applied to at least one resource (or the stack). */
    readonly policies: readonly string[];
    readonly violations: readonly Violation[];
    /** Checks the runtime could not run because a value is unknown until the update (preview only). */
    readonly unverified: readonly { readonly policy: string; readonly resource?: string; readonly message: string }[];
    /** Exceptions named in the pack config for policies carrying this id. */
    readonly exceptions: readonly string[];
}

export interface CheckReport {
    readonly stack: string;
    /** The `--policy-pack-config` file used, relative to the project root, or undefined for the pack's defaults. */
    readonly configFile?: string;
    readonly rows: readonly ChecklistRow[];
    /** Every mandatory finding, once. */
    readonly violations: readonly Violation[];
    /** Exceptions the pack config names: in force, expired or incomplete (the last two fail). */
    readonly exceptions: readonly ExceptionInForce[];
    /**
     * What this offline run could not check or had to stand in for, and chart images pinned by tag alone (each naming
     * the config key that pins it by digest); a warning never fails the run.
     */
    readonly warnings: readonly string[];
    readonly result: EvaluationResult;
    /** True with no mandatory violation and no expired or incomplete exception. */
    readonly passed: boolean;
}

const resourceName = (urn?: string) => (urn ? urn.split("::").pop() : undefined);

/**
 * Evaluates the pack on analyzed resources and folds the diagnostics into one row per checklist id. `onlyIds`
 * restricts the evaluation to the policies carrying those ids (the other rows then read "not applicable").
 */
export async function checkResources(
    stack: string,
    resources: readonly AnalyzedResource[],
    config?: PolicyPackConfig,
    onlyIds?: readonly ChecklistId[],
    extra: { readonly warnings?: readonly string[]; readonly configFile?: string } = {},
): Promise<CheckReport> {
    const selected = onlyIds ? policies.filter((p) => checklistIdsOf(p).some((id) => onlyIds.includes(id))) : policies;
    const result = await evaluatePolicies(selected, resources, { config, packEnforcementLevel: "mandatory" });
    const resolved = resolvePolicyConfig(selected, config ?? {}, "mandatory");
    const exceptions = selected
        .map((p) => exceptionOf(p.name, p.configSchema, resolved.get(p.name)?.properties ?? {}))
        .filter((e): e is ExceptionInForce => e !== undefined);
    const seen = new Set<string>();
    const violations: Violation[] = [];
    for (const d of result.mandatory) {
        const key = `${d.policyName}\u0000${d.urn ?? ""}\u0000${d.detail}`;
        if (!seen.has(key)) {
            seen.add(key);
            const policy = selected.find((p) => p.name === d.policyName);
            violations.push({ policy: d.policyName, resource: resourceName(d.urn), message: d.detail, checklist: policy ? checklistIdsOf(policy) : [], configKey: configKeyOf(d.policyName) });
        }
    }
    const rows = CHECKLIST_IDS.map((id): ChecklistRow => {
        const carrying = selected.filter((p) => checklistIdsOf(p).includes(id)).map((p) => p.name);
        const mine = (d: Diagnostic) => carrying.includes(d.policyName);
        const unverified = result.diagnostics.filter((d) => mine(d) && d.unknownDuringPreview).map((d) => ({ policy: d.policyName, resource: resourceName(d.urn), message: d.detail }));
        const applied = carrying.filter((name) => (result.applied.get(name) ?? 0) > 0);
        const rowViolations = violations.filter((v) => carrying.includes(v.policy));
        const rowExceptions = exceptions.filter((e) => carrying.includes(e.policy)).map((e) => e.policy);
        const status: RowStatus =
            rowViolations.length > 0 || exceptions.some((e) => carrying.includes(e.policy) && e.state !== "in force")
                ? "fail"
                : applied.length > 0
                  ? rowExceptions.length > 0
                      ? "pass with exception"
                      : "pass"
                  : "not applicable";
        return { id, text: CHECKLIST[id].text, status, policies: applied, violations: rowViolations, unverified, exceptions: rowExceptions };
    });
    const passed = violations.length === 0 && exceptions.every((e) => e.state === "in force");
    const warnings = [...(extra.warnings ?? []), ...chartImageWarnings(resources)];
    return { stack, configFile: extra.configFile, rows, violations, exceptions, warnings, result, passed };
}

/** A warning per chart-of-record image that a Helm Release leaves pinned by tag alone (CI-1 cannot verify it). */
export function chartImageWarnings(resources: readonly AnalyzedResource[]): string[] {
    return resources
        .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
        .flatMap((r) => {
            const chart = chartOfRelease(r.inputs.name);
            return chart === undefined ? [] : tagOnlyImages(chart, (r.inputs.values ?? {}) as Record<string, unknown>);
        })
        .map((i) => `chart ${i.chart} image ${i.image} (${i.reference}) is pinned by tag alone; set ${i.configKey} to its sha256 digest`);
}

/** The all-zero digest the example stacks ship with: it names no image, so nothing could be verified. */
export const PLACEHOLDER_DIGEST = /@sha256:0{64}$/;

export interface PolicyCheckOptions {
    readonly stack: string;
    /** Runs the program; defaults to the foundation harness's `runProgram` (tests pass a cached run). */
    readonly run?: (stack: string, preview: boolean) => Promise<RecordedRunLike>;
    /** A `--policy-pack-config` file (relative to the project root or absolute); defaults to the stack's own. */
    readonly configFile?: string;
    /** Evaluate as a preview: outputs providers compute are unknown. */
    readonly preview?: boolean;
    /** The directory holding the stack files and `policy-pack/`; defaults to the project root. */
    readonly root?: string;
}

/**
 * The secret keys a stack file sets (as `secure:` values), which the offline run stands in for, plus a stand-in
 * model key when the file sets none and a stand-in client secret when it names an identity provider without one.
 */
function secretsOf(stack: string, root: string): { secrets: Record<string, string>; warnings: string[] } {
    const flat = readStackConfig(stack, stackFileOf(stack, root));
    const standInFor = (key: string) => FAKE_SECRETS[key] ?? `${FAKE_SECRETS.anthropicApiKey}-${key}`;
    const secrets = Object.fromEntries(SECRET_KEYS.filter((key) => flat[`openclaw:${key}`] !== undefined).map((key) => [key, standInFor(key)]));
    const warnings: string[] = [];
    if (!MODEL_KEYS.some((key) => key in secrets)) {
        secrets.anthropicApiKey = FAKE_SECRETS.anthropicApiKey;
        warnings.push(
            `Pulumi.${stack}.yaml sets no model provider key: this check ran with a stand-in openclaw:anthropicApiKey, and \`pulumi up\` will refuse the stack until one is set: pulumi config set --secret openclaw:anthropicApiKey <key> --stack ${stack}`,
        );
    }
    if (flat["openclaw:identity"] !== undefined && !(IDENTITY_CLIENT_SECRET_KEY in secrets)) {
        secrets[IDENTITY_CLIENT_SECRET_KEY] = standInFor(IDENTITY_CLIENT_SECRET_KEY);
        warnings.push(
            `Pulumi.${stack}.yaml names openclaw:identity without openclaw:${IDENTITY_CLIENT_SECRET_KEY}: this check ran with a stand-in; set it with pulumi config set --secret openclaw:${IDENTITY_CLIENT_SECRET_KEY} <value> --stack ${stack}`,
        );
    }
    return { secrets, warnings };
}

/** The config file a stack's gate uses when none is given: its own `policy-config.<stack>.json`, else the default. */
export function defaultConfigFile(stack: string, root: string = PROJECT_ROOT): string {
    try {
        return discoverStacks(root).find((s) => s.stack === stack)?.policyConfig ?? DEFAULT_POLICY_CONFIG;
    } catch {
        return DEFAULT_POLICY_CONFIG;
    }
}

/** Reads a policy config file, or fails naming the file and the ones present. */
function loadConfig(file: string, root: string): PolicyPackConfig {
    const full = path.resolve(root, file);
    if (!fs.existsSync(full)) {
        const dir = path.join(root, "policy-pack");
        const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^policy-config\..+\.json$/.test(f)).map((f) => `policy-pack/${f}`) : [];
        throw new Error(`policy-check: no policy config file ${file}; present: ${present.join(", ") || "none"}`);
    }
    try {
        return loadPolicyConfigFile(full);
    } catch (err) {
        throw new Error(`policy-check: ${file} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
}

/** Runs the program for the stack file under the recording mocks (with stand-in secrets) and checks it. */
export async function policyCheck(options: PolicyCheckOptions): Promise<CheckReport> {
    const root = options.root ?? PROJECT_ROOT;
    const configFile = options.configFile ?? defaultConfigFile(options.stack, root);
    const config = loadConfig(configFile, root);
    const { secrets, warnings } = secretsOf(options.stack, root);
    const run = await (options.run ?? ((stack, preview) => runProgram({ stack, preview, secrets, stackDir: root })))(options.stack, options.preview ?? false);
    const resources = fromRecordedRun(run, { preview: options.preview });
    for (const image of listImages(resources).filter((i) => PLACEHOLDER_DIGEST.test(i))) {
        warnings.push(`${image} carries the all-zero placeholder digest: it names no image, so CI's digest and signature checks will fail; set openclaw:openclaw.image to the release's digest`);
    }
    return checkResources(options.stack, resources, config, undefined, { warnings, configFile });
}

/**
 * Every container image the stack names: workload containers and images in chart values (`repository` with
 * `tag`/`digest`, or an `image` string). Images a chart uses by default without naming them in values are not
 * visible here; the chart version pins them.
 */
export function listImages(resources: readonly AnalyzedResource[]): string[] {
    const images = new Set<string>();
    const visit = (value: unknown, key: string) => {
        if (Array.isArray(value)) {
            value.forEach((v) => visit(v, key));
        } else if (value && typeof value === "object") {
            const node = value as Record<string, unknown>;
            if (typeof node.repository === "string" && (node.tag !== undefined || node.digest !== undefined)) {
                const registry = typeof node.registry === "string" ? `${node.registry}/` : "";
                const digest = typeof node.digest === "string" && node.digest !== "" ? `@${node.digest}` : "";
                images.add(`${registry}${node.repository}${node.tag !== undefined && node.tag !== "" ? `:${String(node.tag)}` : ""}${digest}`);
            }
            for (const [k, v] of Object.entries(node)) {
                visit(v, k);
            }
        } else if (key === "image" && typeof value === "string" && value.includes("/")) {
            images.add(value);
        }
    };
    for (const r of resources) {
        if (r.type.startsWith("kubernetes:")) {
            visit(r.inputs, "");
        }
    }
    return [...images].sort();
}

export const FORMATS = ["text", "json", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export interface CliArgs {
    readonly stack: string;
    readonly format: Format;
    readonly configFile?: string;
    readonly preview: boolean;
    /** Print the images the stack deploys, one per line, instead of checking. */
    readonly images: boolean;
    readonly help: boolean;
}

export const USAGE = `usage: npm run policy-check -- --stack <name> [--config <file>] [--format text|json|markdown] [--preview] [--images]
  --stack <name>     the stack file Pulumi.<name>.yaml (default: dev)
  --config <file>    a --policy-pack-config file (default: policy-pack/policy-config.<name>.json if present, else ${DEFAULT_POLICY_CONFIG})
  --format <format>  text (default), json, or markdown (tables for a pull-request comment); --json is --format json
  --preview          evaluate as pulumi preview: values providers compute are unknown
  --images           print the images the stack deploys, one per line (CI's digest check), and check nothing
  --help             this text
Exit: 0 no mandatory violation, 1 a violation or an expired/incomplete exception, 2 a usage or input error.`;

/** Parses argv; throws with the usage on anything it cannot use. */
export function parseArgs(argv: readonly string[]): CliArgs {
    let stack = "dev";
    let format: Format = "text";
    let preview = false;
    let configFile: string | undefined;
    let images = false;
    let help = false;
    const valueOf = (flag: string, i: number, what: string): string => {
        const value = argv[i];
        if (value === undefined || value.startsWith("--") || value === "") {
            throw new Error(`policy-check: ${flag} needs ${what}\n${USAGE}`);
        }
        return value;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--images") {
            images = true;
        } else if (arg === "--help" || arg === "-h") {
            help = true;
        } else if (arg === "--stack") {
            stack = valueOf(arg, ++i, "a stack name (Pulumi.<name>.yaml)");
        } else if (arg === "--json") {
            format = "json";
        } else if (arg === "--format") {
            const value = valueOf(arg, ++i, `one of ${FORMATS.join(", ")}`);
            if (!(FORMATS as readonly string[]).includes(value)) {
                throw new Error(`policy-check: --format ${value}: accepted: ${FORMATS.join(", ")}\n${USAGE}`);
            }
            format = value as Format;
        } else if (arg === "--preview") {
            preview = true;
        } else if (arg === "--config") {
            configFile = valueOf(arg, ++i, "a policy config file, e.g. policy-pack/policy-config.soc2.json");
        } else {
            throw new Error(`policy-check: unknown argument ${arg}\n${USAGE}`);
        }
    }
    if (!/^[\w.-]+$/.test(stack)) {
        throw new Error(`policy-check: --stack ${stack}: not a stack name (Pulumi.<name>.yaml)`);
    }
    return { stack, format, configFile, preview, images, help };
}

/** The CLI: prints the report and returns the exit code: 1 on a mandatory violation or a lapsed exception. */
export async function main(
    argv: readonly string[],
    write: (text: string) => void = (t) => process.stdout.write(t),
    run?: PolicyCheckOptions["run"],
    root: string = PROJECT_ROOT,
): Promise<number> {
    const args = parseArgs(argv);
    if (args.help) {
        write(`${USAGE}\n`);
        return 0;
    }
    if (args.images) {
        const recorded = await (run ?? ((stack, preview) => runProgram({ stack, preview, stackDir: root })))(args.stack, false);
        write(listImages(fromRecordedRun(recorded)).map((image) => `${image}\n`).join(""));
        return 0;
    }
    const report = await policyCheck({ ...args, run, root });
    const format = { text: formatText, json: formatJson, markdown: formatMarkdown }[args.format];
    write(`${format(report)}\n`);
    return report.passed ? 0 : 1;
}

if (require.main === module) {
    runCommand(main);
}
