// Reads the `openclaw:` config namespace into one frozen, validated object, or fails listing every problem.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { MODEL_PROVIDERS, MODEL_PROVIDER_NAMES, ModelProvider } from "./providers";
import { configSchema, OpenClawConfig } from "./schema";

export const CONFIG_NAMESPACE = "openclaw";

/** The model provider keys; at least one is required. */
export const MODEL_KEYS: readonly string[] = MODEL_PROVIDER_NAMES.map((p) => MODEL_PROVIDERS[p].configKey);

/** The OIDC client secret of `openclaw:identity`, required exactly when identity is set. */
export const IDENTITY_CLIENT_SECRET_KEY = "identityClientSecret";

/** The secret config keys. Their values are read only as Pulumi secrets and only checked for presence. */
export const SECRET_KEYS: readonly string[] = [...MODEL_KEYS, IDENTITY_CLIENT_SECRET_KEY];

/** The validated config plus the model provider keys, which stay Pulumi secrets. */
export interface StackConfig extends OpenClawConfig {
    /** The providers whose key is set, each as a secret Output; a provider that is not set is absent. */
    readonly modelProviderKeys: Readonly<Partial<Record<ModelProvider, pulumi.Output<string>>>>;
    /** The OIDC client secret as a secret Output; set exactly when `identity` is. */
    readonly identityClientSecret?: pulumi.Output<string>;
}

/** Thrown for invalid config; Pulumi prints a RunError's message without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

/** Pulumi stores every value as a string; structured values (set with --path) and numbers are JSON. */
export function decodeConfigValue(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function describe(input: unknown): string {
    if (input === undefined) {
        return "unset";
    }
    const text = JSON.stringify(input);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(issue: z.core.$ZodIssue): string {
    const key = [CONFIG_NAMESPACE + ":" + String(issue.path[0] ?? ""), ...issue.path.slice(1).map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
        const where = issue.path.length === 0 ? `${CONFIG_NAMESPACE}:` : `${key}.`;
        return `${issue.keys.map((k) => where + k).join(", ")}: unknown key; see the config reference in README.md`;
    }
    const got = issue.input === undefined ? "" : ` (got ${describe(issue.input)})`;
    return `${key}: ${issue.message}${got}`;
}

/**
 * Validates raw `openclaw:` config values (keys without the namespace, values as Pulumi stores them).
 * Secret keys are checked for presence only; their values are never read, so no error can contain one.
 */
export function validateConfig(raw: Readonly<Record<string, string>>): OpenClawConfig {
    const plain: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (!SECRET_KEYS.includes(key)) {
            plain[key] = decodeConfigValue(value);
        }
    }
    const problems: string[] = [];
    const result = configSchema.safeParse(plain, { reportInput: true });
    if (!result.success) {
        problems.push(...result.error.issues.map(formatIssue));
    }
    if (!MODEL_KEYS.some((key) => raw[key] !== undefined)) {
        problems.push(
            `${MODEL_KEYS.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(" | ")}: none is set; accepted: at least one, set with \`pulumi config set --secret\``,
        );
    }
    const secretKey = `${CONFIG_NAMESPACE}:${IDENTITY_CLIENT_SECRET_KEY}`;
    if (plain.identity !== undefined && raw[IDENTITY_CLIENT_SECRET_KEY] === undefined) {
        problems.push(`${secretKey}: is required with ${CONFIG_NAMESPACE}:identity; accepted: the IdP's client secret, set with \`pulumi config set --secret ${secretKey} <value>\``);
    }
    if (plain.identity === undefined && raw[IDENTITY_CLIENT_SECRET_KEY] !== undefined) {
        problems.push(`${secretKey}: is set without ${CONFIG_NAMESPACE}:identity; accepted: unset, or set together with ${CONFIG_NAMESPACE}:identity`);
    }
    if (problems.length > 0 || !result.success) {
        throw new ConfigError(problems);
    }
    return result.data;
}

/** The raw values of this stack's `openclaw:` namespace, keyed without the namespace. */
function rawNamespace(): Record<string, string> {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            raw[key.slice(prefix.length)] = value;
        }
    }
    return raw;
}

/** Reads and validates this stack's config. Call it before registering any resource. */
export function readConfig(): Readonly<StackConfig> {
    const config = validateConfig(rawNamespace());
    const pulumiConfig = new pulumi.Config(CONFIG_NAMESPACE);
    const modelProviderKeys: Partial<Record<ModelProvider, pulumi.Output<string>>> = {};
    for (const provider of MODEL_PROVIDER_NAMES) {
        const secret = pulumiConfig.getSecret(MODEL_PROVIDERS[provider].configKey);
        if (secret !== undefined) {
            modelProviderKeys[provider] = secret;
        }
    }
    const identityClientSecret = config.identity === undefined ? undefined : pulumiConfig.requireSecret(IDENTITY_CLIENT_SECRET_KEY);
    return deepFreeze({ ...config, modelProviderKeys: Object.freeze(modelProviderKeys), identityClientSecret });
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
        for (const child of Object.values(value)) {
            deepFreeze(child);
        }
        Object.freeze(value);
    }
    return value;
}
