// Policy pack config as the Pulumi CLI hands it to the runtime: schema defaults applied, values validated.
import * as fs from "fs";
import type { EnforcementLevel, Policies, PolicyPackConfig } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** The config one policy ends up with: its enforcement level and its properties with defaults filled in. */
export interface ResolvedPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Reads a `--policy-pack-config` JSON file. */
export function loadPolicyConfigFile(file: string): PolicyPackConfig {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
}

/**
 * Resolves the config of every policy like the CLI does before calling `configure`: an entry may be a bare
 * enforcement level or an object with `enforcementLevel` and properties; `all` sets the level of every policy;
 * missing properties take the schema's `default`. Throws listing every problem (unknown policy, bad value).
 */
export function resolvePolicyConfig(policies: Policies, config: PolicyPackConfig, packLevel: EnforcementLevel): Map<string, ResolvedPolicyConfig> {
    const problems: string[] = [];
    const names = new Set(policies.map((p) => p.name));
    for (const key of Object.keys(config)) {
        if (key !== "all" && !names.has(key)) {
            problems.push(`${key}: no such policy in the pack`);
        }
    }
    const levelOf = (entry: unknown): EnforcementLevel | undefined => {
        if (typeof entry === "string") {
            return entry as EnforcementLevel;
        }
        if (entry && typeof entry === "object" && "enforcementLevel" in entry) {
            return (entry as { enforcementLevel?: EnforcementLevel }).enforcementLevel;
        }
        return undefined;
    };
    const allLevel = levelOf(config.all);
    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const entry: unknown = config[policy.name];
        const level = levelOf(entry) ?? allLevel ?? policy.enforcementLevel ?? packLevel;
        if (!LEVELS.includes(level)) {
            problems.push(`${policy.name}.enforcementLevel: ${String(level)} is not one of ${LEVELS.join(", ")}`);
        }
        const given = entry && typeof entry === "object" ? { ...(entry as Record<string, unknown>) } : {};
        delete given.enforcementLevel;
        const properties: Record<string, unknown> = {};
        const schema = policy.configSchema?.properties ?? {};
        for (const [key, prop] of Object.entries(schema)) {
            if (prop.default !== undefined) {
                properties[key] = structuredClone(prop.default);
            }
        }
        for (const [key, value] of Object.entries(given)) {
            const prop = schema[key];
            if (!prop) {
                problems.push(`${policy.name}.${key}: not in the policy's configSchema`);
                continue;
            }
            problems.push(...validateValue(value, prop, `${policy.name}.${key}`));
            properties[key] = value;
        }
        for (const key of policy.configSchema?.required ?? []) {
            if (properties[key] === undefined) {
                problems.push(`${policy.name}.${key}: required`);
            }
        }
        resolved.set(policy.name, { enforcementLevel: level, properties });
    }
    if (problems.length > 0) {
        throw new Error(`invalid policy pack config:\n  - ${problems.join("\n  - ")}`);
    }
    return resolved;
}

/** Validates the JSON-schema subset the pack's schemas use: type, enum, minimum/maximum, pattern, items, minItems. */
export function validateValue(value: unknown, schema: PolicyConfigJSONSchema, at: string): string[] {
    const problems: string[] = [];
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
    const matches = types.length === 0 || types.some((t) => t === actual || (t === "integer" && Number.isInteger(value)) || (t === "number" && actual === "number"));
    if (!matches) {
        return [`${at}: expected ${types.join(" | ")}, got ${actual}`];
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) {
            problems.push(`${at}: ${value} is below the minimum ${schema.minimum}`);
        }
        if (schema.maximum !== undefined && value > schema.maximum) {
            problems.push(`${at}: ${value} is above the maximum ${schema.maximum}`);
        }
    }
    if (typeof value === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
        problems.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            problems.push(`${at}: fewer than ${schema.minItems} items`);
        }
        if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
            const items = schema.items;
            value.forEach((item, i) => problems.push(...validateValue(item, items, `${at}[${i}]`)));
        }
    }
    if (actual === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        const inner = schema.additionalProperties;
        for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
            problems.push(...validateValue(member, inner, `${at}.${key}`));
        }
    }
    return problems;
}
