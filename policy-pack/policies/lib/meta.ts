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
    /**
     * Config properties (arrays) that name an exception to the policy: an item not in the schema default weakens
     * it. While one does, the policy's config must carry an `exception` record (reason, owner, expiry); without a
     * complete, unexpired record the exception is not applied and the weakened resources fail as without it.
     */
    readonly exceptions?: readonly string[];
}

/** The record that accompanies an exception in a policy's config, for review: why, who answers for it, until when. */
export interface ExceptionRecord {
    readonly reason?: unknown;
    readonly owner?: unknown;
    /** `YYYY-MM-DD` (UTC); from the next day on, the exception is expired. */
    readonly expires?: unknown;
}

export type ExceptionState = "in force" | "expired" | "incomplete";

/** An exception named in one policy's config. */
export interface ExceptionInForce {
    readonly policy: string;
    /** The weakening properties and the items they add beyond the defaults. */
    readonly weakens: Readonly<Record<string, readonly unknown[]>>;
    readonly record: ExceptionRecord;
    readonly state: ExceptionState;
}

export const EXCEPTION_PROPERTY = "exception";

const EXCEPTION_SCHEMA = {
    type: "object" as const,
    description: "Required while an exception is named: { reason, owner, expires: YYYY-MM-DD }. Expired or incomplete, the exception is not applied.",
    properties: {
        reason: { type: "string" as const },
        owner: { type: "string" as const },
        expires: { type: "string" as const, pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
    },
};

/** The `exceptions` properties of every policy built by resourcePolicy/stackPolicy, by policy name. */
const EXCEPTION_PROPERTIES = new Map<string, readonly string[]>();

/** The properties of a policy's config that name exceptions (empty for a policy without any). */
export function exceptionPropertiesOf(policyName: string): readonly string[] {
    return EXCEPTION_PROPERTIES.get(policyName) ?? [];
}

/** Today as `YYYY-MM-DD` in UTC. */
function today(): string {
    return new Date().toISOString().slice(0, 10);
}

/**
 * The exception a policy's resolved config names, or undefined when it names none: which items each weakening
 * property adds beyond its default, its record, and whether it is in force, expired or incomplete.
 */
export function exceptionOf(policyName: string, schema: PolicyConfigSchema | undefined, config: Readonly<Record<string, unknown>>): ExceptionInForce | undefined {
    const weakens: Record<string, unknown[]> = {};
    for (const property of exceptionPropertiesOf(policyName)) {
        const fallback = (schema?.properties[property]?.default as unknown[] | undefined) ?? [];
        const value = config[property];
        const added = Array.isArray(value) ? value.filter((item) => !fallback.some((d) => JSON.stringify(d) === JSON.stringify(item))) : [];
        if (added.length > 0) {
            weakens[property] = added;
        }
    }
    if (Object.keys(weakens).length === 0) {
        return undefined;
    }
    const record = (config[EXCEPTION_PROPERTY] as ExceptionRecord | undefined) ?? {};
    const complete =
        typeof record.reason === "string" && record.reason.trim() !== "" &&
        typeof record.owner === "string" && record.owner.trim() !== "" &&
        typeof record.expires === "string" && /^\d{4}-\d{2}-\d{2}$/.test(record.expires);
    const state: ExceptionState = !complete ? "incomplete" : String(record.expires) < today() ? "expired" : "in force";
    return { policy: policyName, weakens, record, state };
}

/** Why an exception named in the config is not applied, appended to each violation it would have excused. */
export function exceptionNotApplied(exception: ExceptionInForce): string {
    return exception.state === "expired"
        ? ` [the exception in ${exception.policy}'s config expired on ${String(exception.record.expires)} (owner ${String(exception.record.owner)}): renew "exception.expires" or remove the weakening]`
        : ` [the exception in ${exception.policy}'s config is not applied: it needs "exception": { "reason", "owner", "expires": "YYYY-MM-DD" }]`;
}

/**
 * A policy-config snippet naming an exception, to paste into a `--policy-pack-config` file: the policy, the
 * property and the items, with the record a reviewer needs.
 */
export function exceptionSnippet(policyName: string, property: string, items: readonly unknown[]): string {
    const record = { reason: "<why>", owner: "<team or person>", expires: "<YYYY-MM-DD>" };
    return `to accept it, add to your policy config: ${JSON.stringify({ [policyName]: { [property]: items, [EXCEPTION_PROPERTY]: record } })}`;
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
        ...(schemaOf(meta) ? { configSchema: schemaOf(meta) } : {}),
    };
}

/** The config schema, with the `exception` record added to a policy that takes exceptions. */
function schemaOf(meta: PolicyMeta): PolicyConfigSchema | undefined {
    if (!meta.configSchema || !meta.exceptions || meta.exceptions.length === 0) {
        return meta.configSchema;
    }
    return { ...meta.configSchema, properties: { ...meta.configSchema.properties, [EXCEPTION_PROPERTY]: EXCEPTION_SCHEMA } };
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
    meta: PolicyMeta,
    fn: (args: A, report: ReportViolation) => Promise<void> | void,
): (args: A, report: ReportViolation) => Promise<void> | void {
    const schema = meta.configSchema;
    const defaults = schemaDefaults(schema);
    if (Object.keys(defaults).length === 0) {
        return fn;
    }
    const wrapped = (args: A, report: ReportViolation) => {
        const config = { ...defaults, ...args.getConfig<Record<string, unknown>>() };
        const exception = exceptionOf(meta.name, schema, config);
        if (exception === undefined || exception.state === "in force") {
            return fn({ ...args, getConfig: <T extends object>() => config as T }, report);
        }
        // Expired or without its record: evaluate as if the exception were not named, and say why on each finding.
        const withoutException = { ...config, ...Object.fromEntries(Object.keys(exception.weakens).map((p) => [p, defaults[p]])) };
        const suffix = exceptionNotApplied(exception);
        const annotated: ReportViolation = (message, urn) => report(`${message}${suffix}`, urn);
        return fn({ ...args, getConfig: <T extends object>() => withoutException as T }, annotated);
    };
    const pulumiType = (fn as unknown as { __pulumiType?: string }).__pulumiType;
    if (pulumiType) {
        (wrapped as unknown as { __pulumiType: string }).__pulumiType = pulumiType;
    }
    return wrapped;
}

function register(meta: PolicyMeta): void {
    if (meta.exceptions && meta.exceptions.length > 0) {
        EXCEPTION_PROPERTIES.set(meta.name, meta.exceptions);
    }
}

export function resourcePolicy(meta: PolicyMeta, validateResource: ResourceValidation | ResourceValidation[]): ResourceValidationPolicy {
    register(meta);
    const wrap = (v: ResourceValidation): ResourceValidation => withDefaults<ResourceValidationArgs>(meta, v);
    return { ...common(meta), validateResource: Array.isArray(validateResource) ? validateResource.map(wrap) : wrap(validateResource) };
}

export function stackPolicy(meta: PolicyMeta, validateStack: StackValidation): StackValidationPolicy {
    register(meta);
    // Resources the engine could not preview read as unknown (lib/preview.ts markUnpreviewedResources).
    const marked: StackValidation = (args, report) => {
        markUnpreviewedResources(args.resources);
        return validateStack(args, report);
    };
    const pulumiType = (validateStack as unknown as { __pulumiType?: string }).__pulumiType;
    if (pulumiType) {
        (marked as unknown as { __pulumiType: string }).__pulumiType = pulumiType;
    }
    return { ...common(meta), validateStack: withDefaults<StackValidationArgs>(meta, marked) };
}

/** The checklist ids a policy carries, read back from its tags. */
export function checklistIdsOf(policy: { tags?: string[] }): ChecklistId[] {
    return (policy.tags ?? []).filter((t): t is ChecklistId => t in CHECKLIST);
}
