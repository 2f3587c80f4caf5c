// Renders openclaw.json, OpenClaw's own configuration, from typed inputs. The ConfigMap uses this one function and
// the end-to-end suite (e2e/) runs its output through the real OpenClaw release: every key exists in its schema.
import { parseCidr } from "../../config/cidr";
import { MODEL_PROVIDER_NAMES, MODEL_PROVIDERS, type ModelProvider } from "../../config/providers";
import { RUNTIME_SECRET } from "../seam";

/** The port OpenClaw serves HTTP, WebSocket and the Control UI on (one listener). */
export const OPENCLAW_PORT = 18789;

/**
 * Environment the OpenClaw container must run with next to this file. `OPENCLAW_CONFIG_READONLY=1` tells OpenClaw
 * the config is managed outside it: onboarding, doctor repairs, plugin installs and Control UI edits cannot write it,
 * so what runs is what Pulumi rendered (https://docs.openclaw.ai/cli/config#externally-managed-config).
 */
export const OPENCLAW_PROCESS_ENV = { OPENCLAW_CONFIG_READONLY: "1" } as const;

/**
 * Failed-authentication limiter, per client address (resolved through `trustedProxies`) and credential class.
 * Stricter than OpenClaw's default (10 per minute, 5 minute lockout): 5 wrong tokens within 5 minutes lock that
 * address out for 15 minutes with 429. Loopback is not exempt: behind the ingress nothing legitimate guesses tokens
 * from inside the pod, and a `kubectl port-forward` session is rate-limited like any other client.
 */
export const AUTH_RATE_LIMIT = { maxAttempts: 5, windowMs: 5 * 60_000, lockoutMs: 15 * 60_000, exemptLoopback: false } as const;

/**
 * Size at which OpenClaw rotates its JSONL file log (it keeps 5 archives and prunes dated files after 24 hours).
 * The file log backs the Control UI's Logs tab and lives in `/tmp/openclaw`, which is an emptyDir in the pod; the
 * console log (JSON) is what leaves the node. 16 MiB keeps the worst case near 200 MiB instead of OpenClaw's ~1 GiB.
 */
export const FILE_LOG_MAX_BYTES = 16 * 1024 * 1024;

/** OpenClaw's provider id for each model provider this program configures (Gemini is OpenClaw's `google`). */
const OPENCLAW_PROVIDER_ID: Readonly<Record<ModelProvider, string>> = {
    anthropic: "anthropic",
    openai: "openai",
    gemini: "google",
    openrouter: "openrouter",
};

/**
 * The web search OpenClaw uses, chosen here so it never picks one from the environment. OpenClaw auto-detects a
 * search provider from API-key env vars, and a detected provider that ships as a separate plugin is installed from
 * npm or ClawHub when the gateway starts: with OPENROUTER_API_KEY set it fetches `@openclaw/perplexity-plugin`
 * (seen with OpenClaw 2026.9.6). A pinned image must not install code at runtime, and egress would block it anyway
 * (a 60 s stall per start). Gemini's search is built in (plugin `google`), so it is used when Gemini is configured;
 * otherwise, when OpenRouter is, search is turned off; otherwise no env var can select a plugin and nothing is set.
 */
function webSearch(providers: readonly ModelProvider[]): WebSearch | undefined {
    if (providers.includes("gemini")) {
        return { provider: "gemini" };
    }
    if (providers.includes("openrouter")) {
        return { enabled: false };
    }
    return undefined;
}

/** OpenClaw's secret store alias for values read from the process environment. */
const ENV_SECRET_PROVIDER = "default";

const FQDN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface OpenClawJsonArgs {
    /** The public FQDN (no scheme, no port); the Control UI accepts only the origin `https://<hostname>`. */
    readonly hostname: string;
    /**
     * Addresses of the ingress proxies, the only peers whose X-Forwarded-For OpenClaw trusts (client address for
     * rate limits and logs). At least one; never 0.0.0.0/0, which would let any client forge its address.
     * The Kubernetes layer passes the seam's `cluster.podCidrs`: the Envoy proxies are pods.
     */
    readonly trustedProxyCidrs: readonly string[];
    /** The model providers whose API key is configured; each key is read from its env var, never written here. */
    readonly modelProviders: readonly ModelProvider[];
}

/** An OpenClaw SecretRef to an environment variable: the name goes into the file, the value stays in the env. */
export interface EnvSecretRef {
    readonly source: "env";
    readonly provider: typeof ENV_SECRET_PROVIDER;
    readonly id: string;
}

type WebSearch = { readonly provider: "gemini" } | { readonly enabled: false };

/** The subset of OpenClaw's config schema this program writes (schema: `openclaw config schema`). */
export type OpenClawJson = {
    readonly gateway: {
        readonly mode: "local";
        readonly bind: "lan";
        readonly port: number;
        readonly publicOrigin: string;
        readonly auth: {
            readonly mode: "token";
            readonly token: EnvSecretRef;
            readonly rateLimit: typeof AUTH_RATE_LIMIT;
        };
        readonly trustedProxies: readonly string[];
        readonly allowRealIpFallback: false;
        readonly controlUi: { readonly allowedOrigins: readonly string[] };
        readonly terminal: { readonly enabled: false };
        readonly tailscale: { readonly mode: "off" };
        readonly reload: { readonly mode: "off" };
    };
    readonly update: { readonly checkOnStart: false; readonly auto: { readonly enabled: false } };
    readonly telemetry: { readonly enabled: false };
    readonly discovery: { readonly mdns: { readonly mode: "off" } };
    readonly env: { readonly shellEnv: { readonly enabled: false } };
    readonly logging: {
        readonly level: "info";
        readonly consoleLevel: "info";
        readonly consoleStyle: "json";
        readonly maxFileBytes: number;
    };
    readonly secrets: {
        readonly providers: { readonly [ENV_SECRET_PROVIDER]: { readonly source: "env"; readonly allowlist: readonly string[] } };
    };
    readonly models: {
        readonly catalogRefresh: { readonly enabled: false };
        readonly providers: Readonly<Record<string, { readonly apiKey: EnvSecretRef }>>;
    };
    readonly tools?: { readonly web: { readonly search: WebSearch } };
};

const envRef = (id: string): EnvSecretRef => ({ source: "env", provider: ENV_SECRET_PROVIDER, id });

function checkArgs(args: OpenClawJsonArgs): void {
    if (!FQDN.test(args.hostname)) {
        throw new Error(`renderOpenClawJson: hostname ${JSON.stringify(args.hostname)} is not a lower-case FQDN without scheme or port`);
    }
    if (args.trustedProxyCidrs.length === 0) {
        throw new Error("renderOpenClawJson: trustedProxyCidrs is empty; accepted: the ingress proxies' pod CIDRs");
    }
    for (const cidr of args.trustedProxyCidrs) {
        const network = parseCidr(cidr);
        if (network === undefined) {
            throw new Error(`renderOpenClawJson: trustedProxyCidrs entry ${JSON.stringify(cidr)} is not an IPv4 CIDR`);
        }
        if (network.prefix === 0) {
            throw new Error(`renderOpenClawJson: trustedProxyCidrs entry ${cidr} trusts every address; accepted: the ingress proxies' pod CIDRs`);
        }
    }
}

/**
 * The content of openclaw.json as a plain object (serialise with JSON.stringify). Contains no secret: the gateway
 * token and provider keys are SecretRefs to env vars the pod gets from the `openclaw-secrets` Secret. Deterministic:
 * the same args give the same object, so the ConfigMap changes only when an input does.
 */
export function renderOpenClawJson(args: OpenClawJsonArgs): OpenClawJson {
    checkArgs(args);
    const origin = `https://${args.hostname}`;
    const providers = MODEL_PROVIDER_NAMES.filter((p) => args.modelProviders.includes(p));
    const search = webSearch(providers);
    return {
        gateway: {
            // Run the gateway here (not a client of a remote one), listening on all pod interfaces so the Service
            // reaches it; a non-loopback bind is only accepted with auth, which is a token from the env.
            mode: "local",
            bind: "lan",
            port: OPENCLAW_PORT,
            publicOrigin: origin,
            auth: {
                mode: "token",
                token: envRef(RUNTIME_SECRET.gatewayTokenKey),
                rateLimit: AUTH_RATE_LIMIT,
            },
            trustedProxies: [...args.trustedProxyCidrs],
            allowRealIpFallback: false,
            controlUi: { allowedOrigins: [origin] },
            // The operator terminal is a host shell with the gateway's environment (and so its secrets).
            terminal: { enabled: false },
            tailscale: { mode: "off" },
            // The file is immutable in the pod; a change is a new ConfigMap and a restart, never a live reload.
            reload: { mode: "off" },
        },
        // The image is pinned by digest; updates come from a reviewed `pulumi up`, not from the gateway.
        update: { checkOnStart: false, auto: { enabled: false } },
        telemetry: { enabled: false },
        // mDNS advertises the gateway on the local link: nothing in a cluster should discover it that way.
        discovery: { mdns: { mode: "off" } },
        // Secrets come from the pod environment only, never from a login shell profile.
        env: { shellEnv: { enabled: false } },
        // One JSON object per line on stdout, for Fluent Bit.
        logging: { level: "info", consoleLevel: "info", consoleStyle: "json", maxFileBytes: FILE_LOG_MAX_BYTES },
        // Env SecretRefs may name only these variables, so a config edit cannot read other env values.
        secrets: {
            providers: {
                [ENV_SECRET_PROVIDER]: {
                    source: "env",
                    allowlist: [RUNTIME_SECRET.gatewayTokenKey, ...providers.map((p) => MODEL_PROVIDERS[p].envVar)],
                },
            },
        },
        models: {
            // The hosted catalog refresh is outbound traffic to a host egress does not allow.
            catalogRefresh: { enabled: false },
            providers: Object.fromEntries(providers.map((p) => [OPENCLAW_PROVIDER_ID[p], { apiKey: envRef(MODEL_PROVIDERS[p].envVar) }])),
        },
        ...(search === undefined ? {} : { tools: { web: { search } } }),
    };
}
