// The role reconciler: a sidecar in the OpenClaw pod that the ingress proxy asks about every request that passed
// single sign-on (Envoy ext_authz, HTTP). It verifies the ID token itself (the IdP's signature, issuer, audience,
// lifetime), takes the checklist role from the token's groups with the proxy's own table, answers at once (allow
// for a role, deny for none), and in the background makes the person's OpenClaw profile carry that role with
// `users.setRole`: after their first request, whenever their groups change, and `null` when they leave every group.
// It trusts no header but the token, so nothing that reaches its port can pick a role. It calls the Gateway through
// the OpenClaw CLI on loopback with the in-pod break-glass password, the path docs/openclaw.md documents.
//
// Self-contained (node: modules only; the one import below is a type) and erasable TypeScript, so the image's
// Node 24 runs this file as shipped (Node strips types by default from 23.6; OpenClaw 2026.9.6 needs >=24.16).
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { ChecklistRole } from "../openclaw-roles";

/** What the Kubernetes layer writes to config.json (./index.ts roleReconcilerConfig). */
export interface RoleReconcilerConfig {
    readonly listen: { readonly host: string; readonly port: number };
    /** ext_authz sends every check to this path (SecurityPolicy extAuth.http.pathOverride). */
    readonly checkPath: string;
    readonly healthPath: string;
    /** The ID token's `iss`, exactly. */
    readonly issuer: string;
    /** The client id: the ID token's `aud` must hold it. */
    readonly audience: string;
    readonly jwksUri: string;
    /** The claim whose value the proxy forwards as the user (OpenClaw's profile key). */
    readonly userClaim: string;
    readonly groupsClaim: string;
    /** In precedence order: the first role any of whose groups the person is in. */
    readonly roles: readonly { readonly role: ChecklistRole; readonly groups: readonly string[] }[];
    /** The OpenClaw CLI: program and leading arguments. */
    readonly cli: readonly string[];
}

/** Envoy's jwt_authn default clock skew (60 s, JwtProvider.clock_skew_seconds); the proxy checked the same token. */
const CLOCK_SKEW_SECONDS = 60;

/** Signature algorithms accepted: what Entra ID, Okta, Google and Cognito sign ID tokens with (RS256) and its kin. */
const ALGORITHMS: Readonly<Record<string, { readonly hash: string; readonly kty: "RSA" | "EC"; readonly dsaEncoding?: "ieee-p1363" }>> = {
    RS256: { hash: "sha256", kty: "RSA" },
    RS384: { hash: "sha384", kty: "RSA" },
    RS512: { hash: "sha512", kty: "RSA" },
    // JWS ECDSA signatures are r||s (RFC 7518 section 3.4), not DER.
    ES256: { hash: "sha256", kty: "EC", dsaEncoding: "ieee-p1363" },
    ES384: { hash: "sha384", kty: "EC", dsaEncoding: "ieee-p1363" },
};

export type Verified = { readonly ok: true; readonly user: string; readonly groups: readonly string[] } | { readonly ok: false; readonly reason: string };

/** Finds a signing key by `kid`; may refresh the key set once on a miss (key rotation). */
export type KeyLookup = (kid: string | undefined, kty: "RSA" | "EC") => Promise<crypto.KeyObject | undefined>;

export type Log = (message: string, fields?: Record<string, unknown>) => void;

/** One JSON line per event on stdout; the user is the IdP subject the access log carries too. Never a token. */
export const stdoutLog: Log = (message, fields = {}) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), component: "role-reconciler", msg: message, ...fields })}\n`);
};

const base64urlJson = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

/** The bearer token of an Authorization header value, or undefined. */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
    if (typeof authorization !== "string") {
        return undefined;
    }
    // The auth scheme is case-insensitive (RFC 9110 section 11.1).
    const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization.trim());
    return match?.[1];
}

/** The token's verified user and groups under `config`, or why it is refused. Never returns the token itself. */
export async function verifyIdToken(token: string, config: RoleReconcilerConfig, keys: KeyLookup, nowSeconds: number): Promise<Verified> {
    const parts = token.split(".");
    if (parts.length !== 3) {
        return { ok: false, reason: "not a compact JWS" };
    }
    let header: { alg?: unknown; kid?: unknown; typ?: unknown; crit?: unknown };
    let payload: Record<string, unknown>;
    try {
        header = base64urlJson(parts[0]) as typeof header;
        payload = base64urlJson(parts[1]) as Record<string, unknown>;
    } catch {
        return { ok: false, reason: "header or payload is not base64url JSON" };
    }
    if (typeof payload !== "object" || payload === null) {
        return { ok: false, reason: "payload is not a JSON object" };
    }
    const algorithm = typeof header.alg === "string" && Object.hasOwn(ALGORITHMS, header.alg) ? ALGORITHMS[header.alg] : undefined;
    if (algorithm === undefined) {
        return { ok: false, reason: `algorithm ${String(JSON.stringify(header.alg)).slice(0, 20)} is not accepted` };
    }
    // An ID token is typed JWT or untyped (RFC 7519 section 5.1); an access token is at+jwt (RFC 9068), refused.
    if (header.typ !== undefined && String(header.typ).toLowerCase().replace(/^application\//, "") !== "jwt") {
        return { ok: false, reason: "not an ID token (typ)" };
    }
    // No extension is understood, so a token that names critical ones is refused (RFC 7515 section 4.1.11).
    if (header.crit !== undefined) {
        return { ok: false, reason: "critical header extensions are not understood" };
    }
    const key = await keys(typeof header.kid === "string" ? header.kid : undefined, algorithm.kty);
    if (key === undefined) {
        return { ok: false, reason: "no signing key of the IdP matches the token's kid" };
    }
    const signed = crypto.verify(
        algorithm.hash,
        Buffer.from(`${parts[0]}.${parts[1]}`),
        algorithm.dsaEncoding ? { key, dsaEncoding: algorithm.dsaEncoding } : key,
        Buffer.from(parts[2], "base64url"),
    );
    if (!signed) {
        return { ok: false, reason: "signature does not verify" };
    }
    if (payload.iss !== config.issuer) {
        return { ok: false, reason: "issuer does not match" };
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(config.audience)) {
        return { ok: false, reason: "audience does not hold the client id" };
    }
    // OpenID Connect Core 1.0 section 3.1.3.7, steps 4 and 5: azp names this client when present, and is present
    // when there are several audiences.
    if ((payload.azp !== undefined && payload.azp !== config.audience) || (audiences.length > 1 && payload.azp === undefined)) {
        return { ok: false, reason: "authorized party (azp) is not the client id" };
    }
    if (typeof payload.exp !== "number" || payload.exp + CLOCK_SKEW_SECONDS <= nowSeconds) {
        return { ok: false, reason: "expired or without exp" };
    }
    if (typeof payload.nbf === "number" && payload.nbf - CLOCK_SKEW_SECONDS > nowSeconds) {
        return { ok: false, reason: "not yet valid" };
    }
    const user = payload[config.userClaim];
    // Envoy's claimToHeaders copies string, number and bool claims as text; the proxy forwarded exactly that.
    if (!(typeof user === "string" || typeof user === "number") || String(user) === "") {
        return { ok: false, reason: `no ${config.userClaim} claim` };
    }
    const groups = payload[config.groupsClaim];
    const list = typeof groups === "string" ? [groups] : Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [];
    return { ok: true, user: String(user), groups: list };
}

/** The first role, in precedence order, any of whose groups the person is in; null when none. */
export function roleFor(groups: readonly string[], roles: RoleReconcilerConfig["roles"]): ChecklistRole | null {
    return roles.find((entry) => entry.groups.some((group) => groups.includes(group)))?.role ?? null;
}

/** A JWKS as the IdP serves it (RFC 7517), keys whose `use` is not `enc`. */
export function parseJwks(document: unknown): { readonly kid: string | undefined; readonly kty: string; readonly key: crypto.KeyObject }[] {
    const keys = (document as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) {
        throw new Error("JWKS has no keys array");
    }
    return keys
        .filter((jwk): jwk is crypto.JsonWebKey & { kid?: string; kty: string; use?: string } => typeof jwk === "object" && jwk !== null && (jwk.kty === "RSA" || jwk.kty === "EC") && jwk.use !== "enc")
        .map((jwk) => ({ kid: jwk.kid, kty: jwk.kty, key: crypto.createPublicKey({ key: jwk, format: "jwk" }) }));
}

/**
 * The IdP's keys. A known key is served from memory at once, and a set older than `maxAgeMs` is refreshed in the
 * background, so a check never waits on a slow IdP for a key it has. An unknown kid (key rotation) waits for one
 * fetch. Fetches, failed ones included, start at most every `minRefreshMs`, so a failing IdP is not asked per request.
 */
export function createKeyStore(
    jwksUri: string,
    fetchJson: (uri: string) => Promise<unknown>,
    now: () => number,
    log: Log = stdoutLog,
    minRefreshMs = 30_000,
    maxAgeMs = 3_600_000,
): KeyLookup {
    let keys: ReturnType<typeof parseJwks> = [];
    let fetchedAt = -Infinity;
    let attemptedAt = -Infinity;
    let refreshing: Promise<void> | undefined;
    const refresh = (): Promise<void> => {
        if (refreshing === undefined) {
            attemptedAt = now();
            refreshing = fetchJson(jwksUri)
                .then((document) => {
                    keys = parseJwks(document);
                    fetchedAt = now();
                })
                .catch((error: unknown) => log("jwks fetch failed", { error: String(error).slice(0, 200) }))
                .finally(() => {
                    refreshing = undefined;
                });
        }
        return refreshing;
    };
    const find = (kid: string | undefined, kty: string) => keys.find((k) => k.kty === kty && (kid === undefined || k.kid === kid))?.key;
    const mayFetch = () => now() - attemptedAt > minRefreshMs;
    return async (kid, kty) => {
        const found = find(kid, kty);
        if (found !== undefined) {
            if (now() - fetchedAt > maxAgeMs && mayFetch()) {
                void refresh();
            }
            return found;
        }
        if (refreshing !== undefined || mayFetch()) {
            await refresh();
        }
        return find(kid, kty);
    };
}

/** A Gateway method call; resolves with the method's result. */
export type GatewayCall = (method: string, params: unknown) => Promise<unknown>;

interface Profile {
    readonly id: string;
    readonly emails?: readonly string[];
    readonly role?: string | null;
}

/** OpenClaw matches e-mail identities case-insensitively and others exactly (docs/gateway/operator-scopes.md). */
const sameIdentity = (a: string, b: string) => (a.includes("@") ? a.toLowerCase() === b.toLowerCase() : a === b);

export interface ReconcilerOptions {
    /** Waits between looks for a profile OpenClaw has not created yet (it creates it when the request arrives). */
    readonly retryDelaysMs: readonly number[];
    /** How long an applied role is trusted before the next request checks OpenClaw again (undoes manual edits). */
    readonly recheckAfterMs: number;
    readonly now: () => number;
    readonly log: Log;
}

export const DEFAULT_OPTIONS: ReconcilerOptions = {
    retryDelaysMs: [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000],
    recheckAfterMs: 600_000,
    now: () => Date.now(),
    log: stdoutLog,
};

/**
 * The background half: `observe(user, role)` records what the person's groups grant; a single worker compares it
 * with OpenClaw's profiles (`users.list`, one call per batch) and calls `users.setRole` where they differ, one call at
 * a time. OpenClaw closes that person's Gateway connections on a change, so their client reconnects under the new role.
 */
export function createReconciler(call: GatewayCall, options: ReconcilerOptions = DEFAULT_OPTIONS) {
    const applied = new Map<string, { readonly role: ChecklistRole | null; readonly at: number }>();
    const pending = new Map<string, { role: ChecklistRole | null; attempt: number; notBefore: number }>();
    let worker: Promise<void> | undefined;
    let wake: (() => void) | undefined;

    const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            wake = () => {
                clearTimeout(timer);
                resolve();
            };
        });

    async function work(): Promise<void> {
        // Let the requests of this moment arrive first: one users.list then serves them all.
        await new Promise((resolve) => setImmediate(resolve));
        while (pending.size > 0) {
            const now = options.now();
            const due = [...pending.entries()].filter(([, entry]) => entry.notBefore <= now);
            if (due.length === 0) {
                await sleep(Math.min(...[...pending.values()].map((entry) => entry.notBefore)) - now);
                continue;
            }
            let profiles: readonly Profile[];
            try {
                profiles = ((await call("users.list", {})) as { profiles: Profile[] }).profiles;
            } catch (error) {
                due.forEach(([user, entry]) => retry(user, entry, `users.list failed: ${String(error)}`));
                continue;
            }
            for (const [user, entry] of due) {
                const role = entry.role;
                const profile = profiles.find((p) => (p.emails ?? []).some((email) => sameIdentity(email, user)));
                const current = profile?.role ?? null;
                if (profile === undefined && role !== null) {
                    retry(user, entry, "no profile yet");
                    continue;
                }
                try {
                    if (profile !== undefined && current !== role) {
                        await call("users.setRole", { profileId: profile.id, role });
                        options.log("role set", { user, from: current, to: role });
                    }
                    applied.set(user, { role, at: options.now() });
                    // A newer observation during the call stays pending.
                    if (pending.get(user) === entry && entry.role === role) {
                        pending.delete(user);
                    }
                } catch (error) {
                    retry(user, entry, `users.setRole failed: ${String(error)}`);
                }
            }
        }
    }

    function retry(user: string, entry: { role: ChecklistRole | null; attempt: number; notBefore: number }, why: string): void {
        if (entry.attempt >= options.retryDelaysMs.length) {
            options.log("gave up until the next request", { user, role: entry.role, why });
            pending.delete(user);
            return;
        }
        entry.notBefore = options.now() + options.retryDelaysMs[entry.attempt];
        entry.attempt += 1;
    }

    function observe(user: string, role: ChecklistRole | null): void {
        const done = applied.get(user);
        if (done !== undefined && done.role === role && options.now() - done.at < options.recheckAfterMs) {
            return;
        }
        const waiting = pending.get(user);
        if (waiting !== undefined && waiting.role === role) {
            return;
        }
        pending.set(user, { role, attempt: 0, notBefore: options.now() });
        wake?.();
        worker ??= work().finally(() => {
            worker = undefined;
        });
    }

    return {
        observe,
        /** Resolves when nothing is pending (tests and shutdown). */
        idle: async () => {
            while (worker !== undefined) {
                await worker;
            }
        },
        pendingCount: () => pending.size,
    };
}

/** Calls a Gateway method through the OpenClaw CLI (`gateway call <method> --params <json> --json`). */
export function cliGatewayCall(cli: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): GatewayCall {
    const secret = env.OPENCLAW_GATEWAY_PASSWORD;
    const redact = (text: string) => (secret ? text.split(secret).join("<redacted>") : text).slice(-500);
    return (method, params) =>
        new Promise((resolve, reject) => {
            const child = spawn(cli[0], [...cli.slice(1), "gateway", "call", method, "--params", JSON.stringify(params), "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
            const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
            child.on("error", (error) => {
                clearTimeout(timer);
                reject(new Error(`${method}: ${error.message}`));
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                // OpenClaw may print notices before the JSON document.
                const start = stdout.search(/^[{[]/m);
                // Only stderr is quoted: stdout may hold people's profiles.
                if (code !== 0 || start < 0) {
                    reject(new Error(`${method}: exit ${code}: ${redact(stderr) || "(no stderr)"}`));
                    return;
                }
                try {
                    resolve(JSON.parse(stdout.slice(start)));
                } catch {
                    reject(new Error(`${method}: output is not JSON (${stdout.length} characters)`));
                }
            });
        });
}

/** The ext_authz half: answers each check from the token alone, then hands the role to the reconciler. */
export function createServer(config: RoleReconcilerConfig, keys: KeyLookup, reconciler: Pick<ReturnType<typeof createReconciler>, "observe">, log: Log = stdoutLog): http.Server {
    return http.createServer((request, response) => {
        const path = (request.url ?? "").split("?")[0];
        const answer = (status: number) => {
            response.writeHead(status, { "content-type": "text/plain" });
            response.end();
        };
        if (path === config.healthPath) {
            answer(200);
            return;
        }
        if (path !== config.checkPath && !path.startsWith(`${config.checkPath}/`)) {
            answer(404);
            return;
        }
        // ext_authz sends no body by default; drain whatever comes.
        request.resume();
        const token = bearerToken(request.headers.authorization);
        if (token === undefined) {
            log("denied", { reason: "no bearer ID token" });
            answer(403);
            return;
        }
        verifyIdToken(token, config, keys, Math.floor(Date.now() / 1000))
            .then((verified) => {
                if (!verified.ok) {
                    log("denied", { reason: verified.reason });
                    answer(403);
                    return;
                }
                const role = roleFor(verified.groups, config.roles);
                reconciler.observe(verified.user, role);
                answer(role === null ? 403 : 200);
            })
            .catch((error: unknown) => {
                log("denied", { reason: `verification error: ${String(error)}` });
                answer(403);
            });
    });
}

async function fetchJson(uri: string): Promise<unknown> {
    // Under the SecurityPolicy's 5 s extAuth timeout, so a first fetch answers within Envoy's wait.
    const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) {
        throw new Error(`${uri}: HTTP ${response.status}`);
    }
    return response.json();
}

function main(configPath: string): void {
    const config = JSON.parse(fs.readFileSync(configPath, "utf8")) as RoleReconcilerConfig;
    const keys = createKeyStore(config.jwksUri, fetchJson, () => Date.now());
    const reconciler = createReconciler(cliGatewayCall(config.cli, process.env));
    const server = createServer(config, keys, reconciler);
    server.listen(config.listen.port, config.listen.host, () => stdoutLog("listening", { host: config.listen.host, port: config.listen.port }));
    // Envoy keeps its connections alive: close the idle ones at once, and give in-flight checks five seconds.
    process.on("SIGTERM", () => {
        server.close(() => process.exit(0));
        server.closeIdleConnections();
        setTimeout(() => process.exit(0), 5_000).unref();
    });
}

// Started by the pod (and the e2e suite) with its config path; imported by the unit tests without it.
const configPath = process.env.ROLE_RECONCILER_CONFIG;
if (configPath !== undefined && configPath !== "") {
    main(configPath);
}
