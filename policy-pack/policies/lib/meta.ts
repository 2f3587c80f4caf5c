// Policy metadata written once: name, checklist ids, severity and remediation become the fields the runtime reads.
import type { PolicyConfigSchema, ResourceValidation, ResourceValidationPolicy, Severity, StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { CHECKLIST, ChecklistId } from "../checklist";

export const FRAMEWORK_NAME = "OpenClaw deployment checklist";
export const FRAMEWORK_VERSION = "1";

/** The verbs a policy name may use (STYLE.md #8). */
export const VERBS = ["missing", "disallow", "enable", "configure", "enforce"] as const;
export type Verb = (typeof VERBS)[number];

export const CLOUDS = ["aws", "azure", "kubernetes", "any"] as const;

export interface PolicyMeta {
    /** `<cloud>-<resource>-<verb>-<what>`. */
    readonly name: string;
    readonly description: string;
    /** The checklist lines the policy enforces; the first is its primary line. */
    readonly checklist: readonly [ChecklistId, ...ChecklistId[]];
    readonly severity: Severity;
    readonly remediationSteps: string;
    readonly configSchema?: PolicyConfigSchema;
}

function common(meta: PolicyMeta) {
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: "mandatory" as const,
        severity: meta.severity,
        framework: {
            name: FRAMEWORK_NAME,
            version: FRAMEWORK_VERSION,
            reference: "docs/checklist.md",
            specification: meta.checklist.map((id) => `${id}: ${CHECKLIST[id].text}`).join(" "),
        },
        tags: [...meta.checklist, ...new Set(meta.checklist.map((id) => CHECKLIST[id].section)), meta.name.split("-")[0]],
        remediationSteps: meta.remediationSteps,
        ...(meta.configSchema ? { configSchema: meta.configSchema } : {}),
    };
}

export function resourcePolicy(meta: PolicyMeta, validateResource: ResourceValidation | ResourceValidation[]): ResourceValidationPolicy {
    return { ...common(meta), validateResource };
}

export function stackPolicy(meta: PolicyMeta, validateStack: StackValidation): StackValidationPolicy {
    return { ...common(meta), validateStack };
}

/** The checklist ids a policy carries, read back from its tags. */
export function checklistIdsOf(policy: { tags?: string[] }): ChecklistId[] {
    return (policy.tags ?? []).filter((t): t is ChecklistId => t in CHECKLIST);
}
