// Reads the `openclaw:` config namespace into one frozen, validated object, or fails listing every problem.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { secretValueKind } from "../policy-pack/policies/lib/secret-patterns";
import { MODEL_PROVIDERS, MODEL_PROVIDER_NAMES, ModelProvider } from "./providers";
import { configSchema, OpenClawConfig } from "./schema";
import { stackNameProblem } from "./stack-name";

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

/** What validation needs to know besides the values. */
export interface ValidationContext {
    /** Keys (without the namespace) whose value is a Pulumi secret: their values are never shown. */
    readonly secretKeys?: ReadonlySet<string>;
    /** The stack name, checked against the cloud's naming rule when given. */
    readonly stack?: string;
}

/**
 * Credential shapes the SEC-1 patterns do not cover, for config errors only: an Entra ID client secret (3 characters,
 * a digit, `Q~`, then 31-34; the format GitHub secret scanning documents for Azure AD client secrets).
 */
const EXTRA_CREDENTIAL_PATTERNS: readonly RegExp[] = [/[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/];

/**
 * True for a value that must not appear in an error: a known credential shape (each model provider's key format,
 * cloud and chat tokens, private keys), an AWS secret access key, or 32+ characters of base64 with upper case, lower
 * case and digits mixed (a storage account key, a token). Image digests (lower-case hex) and config ids do not match.
 */
export function looksLikeCredential(value: string): boolean {
    if (secretValueKind(value) !== undefined || EXTRA_CREDENTIAL_PATTERNS.some((p) => p.test(value))) {
        return true;
    }
    const mixed = (run: string) => /[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run);
    // An AWS secret access key: exactly 40 characters of base64 with slashes. Otherwise runs without `/`, so paths
    // and resource ids (which mix case and digits across segments) stay readable.
    const awsSecret = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/.exec(value)?.[0];
    return (awsSecret !== undefined && mixed(awsSecret)) || (value.match(/[A-Za-z0-9+=]{32,}/g) ?? []).some(mixed);
}

function containsCredential(input: unknown): boolean {
    if (typeof input === "string") {
        return looksLikeCredential(input);
    }
    if (input !== null && typeof input === "object") {
        return Object.values(input).some(containsCredential);
    }
    return false;
}

function describe(input: unknown): string {
    if (input === undefined) {
        return "unset";
    }
    const text = JSON.stringify(input);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The top-level keys the schema knows. */
const KNOWN_KEYS: readonly string[] = Object.keys(configSchema.shape);

/**
 * A key set without `--path`: Pulumi stores `openclaw:network.zones` as one key named "network.zones". Returns the
 * hint, or undefined when the key does not start with a known structured key.
 */
function pathHint(key: string): string | undefined {
    const match = /^([A-Za-z]+)[.[]/.exec(key);
    if (!match || !KNOWN_KEYS.includes(match[1])) {
        return undefined;
    }
    return (
        `${CONFIG_NAMESPACE}:${key}: unknown key: without --path Pulumi stores "${key}" as one key name; ` +
        `set a member of ${CONFIG_NAMESPACE}:${match[1]} with \`pulumi config rm ${CONFIG_NAMESPACE}:${key}\` then ` +
        `\`pulumi config set --path ${CONFIG_NAMESPACE}:${key} <value>\``
    );
}

function formatIssue(issue: z.core.$ZodIssue, context: ValidationContext): string[] {
    const key = [CONFIG_NAMESPACE + ":" + String(issue.path[0] ?? ""), ...issue.path.slice(1).map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
        const where = issue.path.length === 0 ? `${CONFIG_NAMESPACE}:` : `${key}.`;
        const hinted = issue.path.length === 0 ? issue.keys.map((k) => pathHint(k)).filter((h): h is string => h !== undefined) : [];
        const rest = issue.path.length === 0 ? issue.keys.filter((k) => pathHint(k) === undefined) : issue.keys;
        return [...hinted, ...(rest.length > 0 ? [`${rest.map((k) => where + k).join(", ")}: unknown key; see the config reference in README.md`] : [])];
    }
    // Never show a secret key's value, nor any value shaped like a credential (a key pasted into the wrong setting).
    const secret = context.secretKeys?.has(String(issue.path[0] ?? "")) ?? false;
    const got =
        issue.input === undefined || issue.path.length === 0
            ? ""
            : secret
              ? " (value not shown: the key is a secret)"
              : containsCredential(issue.input)
                ? " (value not shown: it looks like a credential; if it is one, remove it from the stack file and rotate it)"
                : ` (got ${describe(issue.input)})`;
    return [`${key}: ${issue.message}${got}`];
}

/**
 * Validates raw `openclaw:` config values (keys without the namespace, values as Pulumi stores them).
 * Secret keys are checked for presence only; their values are never read, so no error can contain one. Never
 * throws anything but a ConfigError: a malformed input becomes one more line of the list.
 */
export function validateConfig(raw: Readonly<Record<string, string>>, context: ValidationContext = {}): OpenClawConfig {
    const plain: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (!SECRET_KEYS.includes(key)) {
            plain[key] = decodeConfigValue(value);
        }
    }
    const problems: string[] = [];
    let result: ReturnType<typeof configSchema.safeParse>;
    try {
        result = configSchema.safeParse(plain, { reportInput: true });
    } catch (err) {
        // A refinement that met a shape it did not expect: still one line of the list, never a crash.
        const detail = err instanceof Error ? err.message : String(err);
        throw new ConfigError([`${CONFIG_NAMESPACE}: the config could not be validated (${looksLikeCredential(detail) ? "details withheld" : detail}); check each value against the config reference in README.md`]);
    }
    if (!result.success) {
        problems.push(...result.error.issues.flatMap((issue) => formatIssue(issue, context)));
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
    const cloud = typeof plain.cloud === "string" ? plain.cloud : undefined;
    const stackProblem = context.stack !== undefined && cloud !== undefined ? stackNameProblem(context.stack, cloud) : undefined;
    if (stackProblem) {
        problems.push(stackProblem);
    }
    if (problems.length > 0 || !result.success) {
        throw new ConfigError(problems);
    }
    return result.data;
}

/**
 * True when the stack stores the key encrypted (`pulumi config set --secret`). The runtime exports
 * `isConfigSecret` (@pulumi/pulumi runtime/config.js) but its .d.ts omits it, hence the typed lookup.
 */
function isConfigSecret(key: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    // An SDK without it: treat every key as secret rather than risk echoing one.
    return runtime.isConfigSecret ? runtime.isConfigSecret(key) : true;
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
    const raw = rawNamespace();
    const secretKeys = new Set(Object.keys(raw).filter((key) => isConfigSecret(`${CONFIG_NAMESPACE}:${key}`)));
    const config = validateConfig(raw, { secretKeys, stack: pulumi.getStack() });
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
