// Recognising secret values and secret-named settings, for the "no hard-coded secret" checks (SEC-1).

/** Credential formats with a recognisable shape. Each names what it is, for the violation message. */
export const SECRET_VALUE_PATTERNS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    { what: "an Anthropic API key", pattern: /sk-ant-[A-Za-z0-9_-]{8,}/ },
    { what: "an OpenAI-style API key", pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{16,}/ },
    { what: "an AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/ },
    { what: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
    { what: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
    { what: "a Telegram bot token", pattern: /\b\d{8,10}:[A-Za-z0-9_-]{35}\b/ },
    { what: "a private key", pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
];

/** What kind of credential a string contains, or undefined. */
export function secretValueKind(value: string): string | undefined {
    return SECRET_VALUE_PATTERNS.find((p) => p.pattern.test(value))?.what;
}

/**
 * True for a setting name that holds a secret value (`password`, `apiKey`, `OPENCLAW_GATEWAY_TOKEN`,
 * `clientSecret`), false for names that only point at one (`secretName`, `existingSecret`, `tokenSecretRef`,
 * `passwordFile`).
 */
export function isSecretName(name: string): boolean {
    const flat = name.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
    if (/(name|ref|refs|path|file|dir|key(?:ref|name)|secretname|existingsecret|enabled|enable|mount|automount\w*|ttl|length|type|kind|mode|id)$/.test(flat) && !/(apikey|secretkey|privatekey|accesskey)$/.test(flat)) {
        return false;
    }
    return /(password|passwd|token|apikey|secret|secretkey|accesskey|clientsecret|privatekey|credential|credentials)$/.test(flat);
}

/** A value that only points at a secret held elsewhere: `${VAR}`, `$(VAR)`, an ARN or a Key Vault URI. */
export function isReference(value: string): boolean {
    return /^\$\{[^}]+\}$/.test(value) || /^\$\([A-Z0-9_]+\)$/.test(value) || value.startsWith("arn:") || /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\//.test(value);
}
