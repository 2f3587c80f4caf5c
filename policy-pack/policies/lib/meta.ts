// Policy metadata written once: name, checklist ids, severity and remediation become the fields the runtime reads.
import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidation,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { CHECKLIST, ChecklistId } from "../checklist";
import { markUnpreviewedResources } from "./preview";

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

/** The `default` of every property in a config schema. */
function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
        if (prop.default !== undefined) {
            defaults[key] = prop.default;
        }
    }
    return defaults;
}

/**
 * The CLI fills a policy's config with its schema defaults before it configures the pack, but the runtime's
 * `getConfig()` returns `{}` when nothing was configured (an engine that skips `Configure`): read the defaults
 * under whatever was configured, so a threshold is never undefined. Keeps the runtime's type filter
 * (`__pulumiType`) on the wrapper.
 */
function withDefaults<A extends { getConfig<T extends object>(): T }>(
    schema: PolicyConfigSchema | undefined,
    fn: (args: A, report: ReportViolation) => Promise<void> | void,
): (args: A, report: ReportViolation) => Promise<void> | void {
    const defaults = schemaDefaults(schema);
    if (Object.keys(defaults).length === 0) {
        return fn;
    }
    const wrapped = (args: A, report: ReportViolation) => {
        const configured = args.getConfig<Record<string, unknown>>();
        return fn({ ...args, getConfig: <T extends object>() => ({ ...defaults, ...configured }) as T }, report);
    };
    const pulumiType = (fn as unknown as { __pulumiType?: string }).__pulumiType;
    if (pulumiType) {
        (wrapped as unknown as { __pulumiType: string }).__pulumiType = pulumiType;
    }
    return wrapped;
}

export function resourcePolicy(meta: PolicyMeta, validateResource: ResourceValidation | ResourceValidation[]): ResourceValidationPolicy {
    const wrap = (v: ResourceValidation): ResourceValidation => withDefaults<ResourceValidationArgs>(meta.configSchema, v);
    return { ...common(meta), validateResource: Array.isArray(validateResource) ? validateResource.map(wrap) : wrap(validateResource) };
}

export function stackPolicy(meta: PolicyMeta, validateStack: StackValidation): StackValidationPolicy {
    // Resources the engine could not preview read as unknown (lib/preview.ts markUnpreviewedResources).
    const marked: StackValidation = (args, report) => {
        markUnpreviewedResources(args.resources);
        return validateStack(args, report);
    };
    const pulumiType = (validateStack as unknown as { __pulumiType?: string }).__pulumiType;
    if (pulumiType) {
        (marked as unknown as { __pulumiType: string }).__pulumiType = pulumiType;
    }
    return { ...common(meta), validateStack: withDefaults<StackValidationArgs>(meta.configSchema, marked) };
}

/** The checklist ids a policy carries, read back from its tags. */
export function checklistIdsOf(policy: { tags?: string[] }): ChecklistId[] {
    return (policy.tags ?? []).filter((t): t is ChecklistId => t in CHECKLIST);
}
