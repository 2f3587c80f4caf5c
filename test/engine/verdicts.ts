// Policy-by-policy verdicts of one preview, read two ways: from the real engine's events (`pulumi preview --json
// --policy-pack ...` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true) and from the offline evaluation that
// `npm run policy-check` prints.
import * as fs from "fs";
import type { EvaluationResult } from "../../policy-pack/testing/evaluate";

/** fail: a mandatory violation; warn: advisory diagnostics only; pass: applied without one; n/a: applied to nothing. */
export type Verdict = "fail" | "warn" | "pass" | "n/a";

/** The parts of the engine's events (sdk/go/common/apitype/events.go) this reads. */
interface EngineEvent {
    readonly policyEvent?: { readonly policyName: string; readonly enforcementLevel: string; readonly resourceUrn?: string; readonly message: string };
    readonly policyAnalyzeSummaryEvent?: { readonly passed?: readonly string[]; readonly failed?: readonly string[] };
    readonly policyAnalyzeStackSummaryEvent?: { readonly passed?: readonly string[]; readonly failed?: readonly string[] };
    readonly resourcePreEvent?: { readonly metadata: { readonly urn: string; readonly type: string; readonly op: string } };
}

export interface EngineReport {
    readonly verdicts: ReadonlyMap<string, Verdict>;
    /** Each policy event: policy, level, resource name, message. */
    readonly events: readonly { readonly policy: string; readonly level: string; readonly resource?: string; readonly message: string }[];
    /** Resources the preview would touch (resourcePreEvent), the stack itself included. */
    readonly resources: number;
}

export function readEventLog(file: string): EngineEvent[] {
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as EngineEvent);
}

export function engineReport(file: string, policyNames: readonly string[]): EngineReport {
    const events = readEventLog(file);
    const levels = new Map<string, Set<string>>();
    const passed = new Set<string>();
    const reported: EngineReport["events"][number][] = [];
    const urns = new Set<string>();
    for (const e of events) {
        if (e.policyEvent) {
            const set = levels.get(e.policyEvent.policyName) ?? new Set<string>();
            set.add(e.policyEvent.enforcementLevel);
            levels.set(e.policyEvent.policyName, set);
            reported.push({ policy: e.policyEvent.policyName, level: e.policyEvent.enforcementLevel, resource: e.policyEvent.resourceUrn?.split("::").pop(), message: e.policyEvent.message });
        }
        for (const summary of [e.policyAnalyzeSummaryEvent, e.policyAnalyzeStackSummaryEvent]) {
            summary?.passed?.forEach((p) => passed.add(p));
        }
        if (e.resourcePreEvent) {
            urns.add(e.resourcePreEvent.metadata.urn);
        }
    }
    const verdicts = new Map<string, Verdict>();
    for (const name of policyNames) {
        const l = levels.get(name);
        verdicts.set(name, l?.has("mandatory") || l?.has("remediate") ? "fail" : l !== undefined ? "warn" : passed.has(name) ? "pass" : "n/a");
    }
    return { verdicts, events: reported, resources: urns.size };
}

/**
 * The offline evaluation's verdicts, with "pass" as the engine reports it: a policy passes on a resource when it
 * reported nothing there and no validation of it declared itself not applicable there. (@pulumi/policy's server.js
 * records a NotApplicable for each validation of a multi-validation policy whose type does not match, and the
 * engine counts a policy with any NotApplicable on a resource as not applicable to it; the harness records the
 * same NotApplicable entries.)
 */
export function offlineVerdicts(
    result: EvaluationResult,
    policyNames: readonly string[],
    resourceUrns: readonly string[],
    isStackPolicy: (name: string) => boolean,
): Map<string, Verdict> {
    const notApplicable = new Set(result.notApplicable.map((n) => `${n.policyName}|${n.urn ?? ""}`));
    const reported = new Set(result.diagnostics.map((d) => `${d.policyName}|${d.urn ?? ""}`));
    const verdicts = new Map<string, Verdict>();
    for (const name of policyNames) {
        const mine = result.diagnostics.filter((d) => d.policyName === name);
        const passes = isStackPolicy(name)
            ? (result.applied.get(name) ?? 0) > 0 && !notApplicable.has(`${name}|`) && mine.length === 0
            : resourceUrns.some((urn) => !notApplicable.has(`${name}|${urn}`) && !reported.has(`${name}|${urn}`));
        verdicts.set(name, result.mandatory.some((d) => d.policyName === name) ? "fail" : mine.length > 0 ? "warn" : passes ? "pass" : "n/a");
    }
    return verdicts;
}

/** One line per policy whose verdicts differ, empty when they agree. */
export function differences(engine: ReadonlyMap<string, Verdict>, offline: ReadonlyMap<string, Verdict>): string[] {
    return [...engine.keys()].filter((p) => engine.get(p) !== offline.get(p)).map((p) => `${p}: engine ${engine.get(p)}, policy-check ${offline.get(p)}`);
}

/** Counts of each verdict. */
export function countVerdicts(verdicts: ReadonlyMap<string, Verdict>): Record<Verdict, number> {
    const counts: Record<Verdict, number> = { fail: 0, warn: 0, pass: 0, "n/a": 0 };
    verdicts.forEach((v) => counts[v]++);
    return counts;
}
