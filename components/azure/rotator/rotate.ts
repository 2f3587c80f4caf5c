// Rotates the OpenClaw gateway token in Key Vault: runs daily as a CronJob with workload identity, writes a new
// version with a new expiry when the current one is within a few days of expiring. No dependencies: Node 22's
// fetch, the federated token file and the Key Vault REST API. Node runs this file directly (type stripping), so it
// uses only erasable TypeScript syntax and imports nothing but Node built-ins.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";

/** The log tag every line carries; alert rules search for it. */
export const LOG_TAG = "openclaw-rotator";

export interface SecretVersion {
    readonly version: string;
    readonly expiresOn?: Date;
}

/** What the rotator needs from Key Vault; tests inject a fake. */
export interface SecretClient {
    /** The current version's attributes, or undefined when the secret does not exist. */
    getCurrent(name: string): Promise<SecretVersion | undefined>;
    /** Writes a new version (Key Vault keeps the old ones: rollback is "enable the previous version"). */
    setNew(name: string, value: string, attributes: { readonly expiresOn: Date; readonly contentType: string }): Promise<SecretVersion>;
}

export interface RotationOptions {
    readonly secretName: string;
    /** Lifetime of a new version, in days (openclaw:rotationDays). */
    readonly rotationDays: number;
    /** Rotate when the current version expires within this many days. */
    readonly rotateWithinDays: number;
    readonly contentType: string;
    readonly now: Date;
    /** Produces the new token. */
    readonly generate: () => string;
}

export type RotationResult =
    | { readonly outcome: "rotated"; readonly version: string; readonly expiresOn: string }
    | { readonly outcome: "skipped"; readonly expiresOn: string };

const DAY_MS = 86_400_000;

/** Rotates when the current version has no expiry, or expires within `rotateWithinDays`. */
export async function rotateIfDue(client: SecretClient, options: RotationOptions): Promise<RotationResult> {
    const current = await client.getCurrent(options.secretName);
    const expiresOn = current?.expiresOn;
    if (expiresOn !== undefined && expiresOn.getTime() - options.now.getTime() > options.rotateWithinDays * DAY_MS) {
        return { outcome: "skipped", expiresOn: expiresOn.toISOString() };
    }
    const next = new Date(options.now.getTime() + options.rotationDays * DAY_MS);
    const written = await client.setNew(options.secretName, options.generate(), { expiresOn: next, contentType: options.contentType });
    return { outcome: "rotated", version: written.version, expiresOn: next.toISOString() };
}

/** A 48-character URL-safe token from 36 random bytes. */
export function generateToken(): string {
    return randomBytes(36).toString("base64url");
}

type Fetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;

export interface WorkloadIdentityEnv {
    readonly AZURE_CLIENT_ID?: string;
    readonly AZURE_TENANT_ID?: string;
    readonly AZURE_FEDERATED_TOKEN_FILE?: string;
    readonly AZURE_AUTHORITY_HOST?: string;
}

/** Exchanges the pod's projected ServiceAccount token for an Entra ID token for Key Vault (workload identity). */
export async function workloadIdentityToken(env: WorkloadIdentityEnv, fetchFn: Fetch): Promise<string> {
    const { AZURE_CLIENT_ID: clientId, AZURE_TENANT_ID: tenantId, AZURE_FEDERATED_TOKEN_FILE: tokenFile } = env;
    if (!clientId || !tenantId || !tokenFile) {
        throw new Error("workload identity is not configured (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE)");
    }
    const assertion = (await readFile(tokenFile, "utf8")).trim();
    const authority = (env.AZURE_AUTHORITY_HOST ?? "https://login.microsoftonline.com/").replace(/\/?$/, "/");
    const body = new URLSearchParams({
        client_id: clientId,
        scope: "https://vault.azure.net/.default",
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
    });
    const response = await fetchFn(`${authority}${tenantId}/oauth2/v2.0/token`, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString(),
    });
    if (!response.ok) {
        throw new Error(`token exchange failed with HTTP ${response.status}`);
    }
    const token = (await response.json()) as { access_token?: string };
    if (!token.access_token) {
        throw new Error("token exchange returned no access_token");
    }
    return token.access_token;
}

const API_VERSION = "7.5";

/** Key Vault's REST API through `fetch`; the bearer token comes from `getToken`. */
export function keyVaultRestClient(vaultUrl: string, getToken: () => Promise<string>, fetchFn: Fetch): SecretClient {
    const base = vaultUrl.replace(/\/$/, "");
    const call = async (method: string, path: string, body?: unknown) => {
        const token = await getToken();
        return fetchFn(`${base}${path}?api-version=${API_VERSION}`, {
            method,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    };
    const versionOf = (id: string) => id.split("/").pop() ?? "";
    return {
        async getCurrent(name) {
            const response = await call("GET", `/secrets/${encodeURIComponent(name)}`);
            if (response.status === 404) {
                return undefined;
            }
            if (!response.ok) {
                throw new Error(`reading ${name} failed with HTTP ${response.status}`);
            }
            // The response carries the value too; only the id and attributes are read from it.
            const secret = (await response.json()) as { id: string; attributes?: { exp?: number } };
            const exp = secret.attributes?.exp;
            return { version: versionOf(secret.id), expiresOn: exp === undefined ? undefined : new Date(exp * 1000) };
        },
        async setNew(name, value, attributes) {
            const response = await call("PUT", `/secrets/${encodeURIComponent(name)}`, {
                value, contentType: attributes.contentType, attributes: { enabled: true, exp: Math.floor(attributes.expiresOn.getTime() / 1000) },
            });
            if (!response.ok) {
                throw new Error(`writing ${name} failed with HTTP ${response.status}`);
            }
            const secret = (await response.json()) as { id: string };
            return { version: versionOf(secret.id), expiresOn: attributes.expiresOn };
        },
    };
}

export interface RotatorEnv extends WorkloadIdentityEnv {
    readonly VAULT_URL?: string;
    readonly SECRET_NAME?: string;
    readonly ROTATION_DAYS?: string;
    readonly ROTATE_WITHIN_DAYS?: string;
    readonly CONTENT_TYPE?: string;
}

/** One JSON line per run on stdout; never the token. Returns the process exit code. */
export async function main(env: RotatorEnv, fetchFn: Fetch = fetch as unknown as Fetch, write: (line: string) => void = (l) => process.stdout.write(l)): Promise<number> {
    const log = (fields: Record<string, unknown>) => write(`${JSON.stringify({ logger: LOG_TAG, time: new Date().toISOString(), ...fields })}\n`);
    const secretName = env.SECRET_NAME ?? "";
    try {
        const rotationDays = Number(env.ROTATION_DAYS);
        const rotateWithinDays = Number(env.ROTATE_WITHIN_DAYS ?? "3");
        if (!env.VAULT_URL || !secretName || !Number.isInteger(rotationDays) || rotationDays < 1) {
            throw new Error("VAULT_URL, SECRET_NAME and ROTATION_DAYS must be set");
        }
        let token: Promise<string> | undefined;
        const client = keyVaultRestClient(env.VAULT_URL, () => (token ??= workloadIdentityToken(env, fetchFn)), fetchFn);
        const result = await rotateIfDue(client, {
            secretName, rotationDays, rotateWithinDays, contentType: env.CONTENT_TYPE ?? "text/plain", now: new Date(), generate: generateToken,
        });
        log({ event: "gateway-token-rotation", secret: secretName, ...result });
        return 0;
    } catch (error) {
        log({ event: "gateway-token-rotation", secret: secretName, outcome: "failed", error: error instanceof Error ? error.message : String(error) });
        return 1;
    }
}

if (process.argv[1]?.endsWith("rotate.ts")) {
    void main(process.env).then((code) => {
        process.exitCode = code;
    });
}
