// Offline pre-flight of the policy pack: runs the program for a stack file under the recording mocks, evaluates
// every policy the way the policy runtime does, and prints one row per checklist id. No cloud credentials needed;
// not a replacement for `pulumi preview --policy-pack policy-pack` (real provider defaults and values).
//   npm run policy-check -- --stack dev [--json] [--config policy-pack/policy-config.soc2.json] [--preview]
//   npm run policy-check -- --stack dev --images   (the images the stack deploys, one per line, for CI's digest check)
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { CHECKLIST, CHECKLIST_IDS, ChecklistId, policies } from "../policy-pack/policies";
import { checklistIdsOf } from "../policy-pack/policies/lib/meta";
import { Diagnostic, evaluatePolicies, EvaluationResult } from "../policy-pack/testing/evaluate";
import { loadPolicyConfigFile } from "../policy-pack/testing/config";
import { AnalyzedResource, fromRecordedRun, RecordedRunLike } from "../policy-pack/testing/resources";
import { PROJECT_ROOT, runProgram } from "../test/harness/program";
import { chartOfRelease, tagOnlyImages } from "../components/kubernetes/charts";

export type RowStatus = "pass" | "fail" | "not applicable";

/** One checklist line's verdict. */
export interface ChecklistRow {
    readonly id: ChecklistId;
    readonly text: string;
    readonly status: RowStatus;
    /** Policies carrying the id that applied to at least one resource (or the stack). */
    readonly policies: readonly string[];
    readonly violations: readonly { readonly policy: string; readonly resource?: string; readonly message: string }[];
    /** Checks the runtime could not run because a value is unknown until the update (preview only). */
    readonly unverified: readonly { readonly policy: string; readonly resource?: string; readonly message: string }[];
}

export interface CheckReport {
    readonly stack: string;
    readonly rows: readonly ChecklistRow[];
    readonly result: EvaluationResult;
    /** True when no mandatory violation was found: `pulumi preview --policy-pack` would not be blocked by this pack. */
    readonly passed: boolean;
    /** Chart images pinned by tag alone, each naming the config key that pins it by digest. Not a failure. */
    readonly warnings: readonly string[];
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

const resourceName = (urn?: string) => (urn ? urn.split("::").pop() : undefined);
const brief = (d: Diagnostic) => ({ policy: d.policyName, resource: resourceName(d.urn), message: d.detail });

/**
 * Evaluates the pack on analyzed resources and folds the diagnostics into one row per checklist id. `onlyIds`
 * restricts the evaluation to the policies carrying those ids (the other rows then read "not applicable").
 */
export async function checkResources(stack: string, resources: readonly AnalyzedResource[], config?: PolicyPackConfig, onlyIds?: readonly ChecklistId[]): Promise<CheckReport> {
    const selected = onlyIds ? policies.filter((p) => checklistIdsOf(p).some((id) => onlyIds.includes(id))) : policies;
    const result = await evaluatePolicies(selected, resources, { config, packEnforcementLevel: "mandatory" });
    const rows = CHECKLIST_IDS.map((id): ChecklistRow => {
        const carrying = selected.filter((p) => checklistIdsOf(p).includes(id)).map((p) => p.name);
        const mine = (d: Diagnostic) => carrying.includes(d.policyName);
        const violations = result.mandatory.filter(mine).map(brief);
        const unverified = result.diagnostics.filter((d) => mine(d) && d.unknownDuringPreview).map(brief);
        const applied = carrying.filter((name) => (result.applied.get(name) ?? 0) > 0);
        const status: RowStatus = violations.length > 0 ? "fail" : applied.length > 0 ? "pass" : "not applicable";
        return { id, text: CHECKLIST[id].text, status, policies: applied, violations, unverified };
    });
    return { stack, rows, result, passed: result.mandatory.length === 0, warnings: chartImageWarnings(resources) };
}

export interface PolicyCheckOptions {
    readonly stack: string;
    /** Runs the program; defaults to the foundation harness's `runProgram` (tests pass a cached run). */
    readonly run?: (stack: string, preview: boolean) => Promise<RecordedRunLike>;
    /** A `--policy-pack-config` file (relative to the project root or absolute). */
    readonly configFile?: string;
    /** Evaluate as a preview: outputs providers compute are unknown. */
    readonly preview?: boolean;
}

/** Runs the program for the stack file under the recording mocks (with the harness's fake secrets) and checks it. */
export async function policyCheck(options: PolicyCheckOptions): Promise<CheckReport> {
    const config = options.configFile ? loadPolicyConfigFile(path.resolve(PROJECT_ROOT, options.configFile)) : undefined;
    const run = await (options.run ?? ((stack, preview) => runProgram({ stack, preview })))(options.stack, options.preview ?? false);
    return checkResources(options.stack, fromRecordedRun(run, { preview: options.preview }), config);
}

/** The human-readable table: one row per checklist id, then the violations. */
export function formatReport(report: CheckReport): string {
    const lines = [`policy-check: stack ${report.stack} (offline pre-flight under mocks; run \`pulumi preview --policy-pack policy-pack\` for the real thing)`, ""];
    for (const row of report.rows) {
        const mark = row.status === "pass" ? "pass" : row.status === "fail" ? "FAIL" : "n/a ";
        const extra = row.unverified.length > 0 ? ` (${row.unverified.length} check(s) unverifiable until the update)` : "";
        lines.push(`${mark}  ${row.id.padEnd(7)} ${row.text}${extra}`);
        for (const v of row.violations) {
            lines.push(`        ${v.policy} on ${v.resource ?? "the stack"}: ${v.message}`);
        }
    }
    if (report.warnings.length > 0) {
        lines.push("", ...report.warnings.map((w) => `warn  ${w}`));
    }
    lines.push("", report.passed ? "No mandatory violation." : `${report.result.mandatory.length} mandatory violation(s): a preview with the pack would fail.`);
    return lines.join("\n");
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

export interface CliArgs {
    readonly stack: string;
    readonly json: boolean;
    readonly configFile?: string;
    readonly preview: boolean;
    /** Print the images the stack deploys, one per line, instead of checking. */
    readonly images: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs {
    let stack = "dev";
    let json = false;
    let preview = false;
    let configFile: string | undefined;
    let images = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--images") {
            images = true;
        } else if (arg === "--stack") {
            stack = argv[++i] ?? "";
        } else if (arg === "--json") {
            json = true;
        } else if (arg === "--preview") {
            preview = true;
        } else if (arg === "--config") {
            configFile = argv[++i];
        } else {
            throw new Error(`policy-check: unknown argument ${arg}; usage: --stack <name> [--json] [--config <file>] [--preview] [--images]`);
        }
    }
    if (!/^[\w.-]+$/.test(stack)) {
        throw new Error("policy-check: --stack needs a stack name (Pulumi.<name>.yaml)");
    }
    return { stack, json, configFile, preview, images };
}

/** The CLI: prints the table (or JSON) and returns the exit code: 1 on a mandatory violation. */
export async function main(
    argv: readonly string[],
    write: (text: string) => void = (t) => process.stdout.write(t),
    run?: PolicyCheckOptions["run"],
): Promise<number> {
    const args = parseArgs(argv);
    if (args.images) {
        const recorded = await (run ?? ((stack, preview) => runProgram({ stack, preview })))(args.stack, false);
        write(listImages(fromRecordedRun(recorded)).map((image) => `${image}\n`).join(""));
        return 0;
    }
    const report = await policyCheck({ ...args, run });
    if (args.json) {
        write(`${JSON.stringify({ stack: report.stack, passed: report.passed, rows: report.rows, warnings: report.warnings }, null, 2)}\n`);
    } else {
        write(`${formatReport(report)}\n`);
    }
    return report.passed ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(2);
        },
    );
}
