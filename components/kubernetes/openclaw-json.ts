// Renders openclaw.json, OpenClaw's own configuration, from typed inputs. The ConfigMap uses this one function and
// the end-to-end suite (e2e/) runs its output through the real OpenClaw release: every key exists in its schema.
import { parseCidr } from "../../config/cidr";
import { MODEL_PROVIDER_NAMES, MODEL_PROVIDERS, type ModelProvider } from "../../config/providers";
import { RUNTIME_SECRET } from "../seam";
import { AGENTS, IDENTITY_HEADERS, openClawRoles } from "./openclaw-roles";

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

/**
 * How people authenticate to the gateway, a closed set. `trusted-proxy`: the ingress proxy verifies each person's
 * OIDC login and sends their subject in IDENTITY_HEADERS.user (docs/gateway/trusted-proxy-auth.md); the default.
 * `token`: one shared gateway token, the weakening `openclaw:allowSharedTokenAuth` opts into.
 */
export const GATEWAY_AUTH_MODES = ["trusted-proxy", "token"] as const;
export type GatewayAuthMode = (typeof GATEWAY_AUTH_MODES)[number];

/**
 * The env var carrying the gateway's shared secret in each auth mode (the value is the vault's gateway secret).
 * OpenClaw refuses to start in trusted-proxy mode while OPENCLAW_GATEWAY_TOKEN is set, so there the secret is the
 * break-glass password, which OpenClaw accepts only from callers that bypass the proxy: inside the pod
 * (docs/gateway/trusted-proxy-auth.md "Mixed token configuration").
 */
export function gatewaySecretEnvVar(mode: GatewayAuthMode): string {
    switch (mode) {
        case "trusted-proxy":
            return "OPENCLAW_GATEWAY_PASSWORD";
        case "token":
            return RUNTIME_SECRET.gatewayTokenKey;
    }
}

/**
 * The default model per provider, the one each provider page of OpenClaw 2026.9.6 configures as
 * `agents.defaults.model.primary`: docs/providers/anthropic.md, docs/providers/openai/setup.md,
 * docs/providers/google.md, docs/providers/openrouter.md. The first configured provider in MODEL_PROVIDER_NAMES
 * order gives the gateway's default model, so it never names a provider without a key.
 */
const DEFAULT_MODEL: Readonly<Record<ModelProvider, string>> = {
    anthropic: "anthropic/claude-opus-5",
    openai: "openai/gpt-6-astra",
    gemini: "google/gemini-3.1-pro-preview",
    openrouter: "openrouter/auto",
};

/**
 * Tool groups denied on top of the minimal profile (docs/gateway/config-tools/tool-policy.md "Tool groups"):
 * runtime (exec, process, code_execution), automation (cron, gateway, plugins, openclaw), nodes (nodes, computer)
 * and UI (browser, screen, terminal, canvas, ...). A deny entry wins over any profile or allow list.
 */
export const DENIED_TOOL_GROUPS = ["group:runtime", "group:automation", "group:nodes", "group:ui"] as const;

/**
 * Share of the state volume the session stores may fill before OpenClaw deletes the oldest reset/delete archives
 * and then the oldest historical sessions (`session.maintenance.maxDiskBytes` is a per-agent budget,
 * docs/reference/session-management-compaction/maintenance.md). Half the volume split between the agents leaves
 * the rest for the state database, workspaces and SQLite's WAL, which the budget does not bound.
 */
export const SESSION_DISK_SHARE = 0.5;

/** Days after which archived transcripts are deleted and stale sessions archived (OpenClaw's pruneAfter default). */
export const TRANSCRIPT_RETENTION_DAYS = 30;

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
    /** How people authenticate (GATEWAY_AUTH_MODES). Defaults to `trusted-proxy`; `token` is the shared-token weakening. */
    readonly authMode?: GatewayAuthMode;
    /** Size of the state volume as Kubernetes writes it (`<n>Gi`); bounds the session stores. Defaults to 10Gi. */
    readonly stateVolumeSize?: string;
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
        readonly auth: GatewayAuth;
        readonly roles?: ReturnType<typeof openClawRoles>;
        readonly trustedProxies: readonly string[];
        readonly allowRealIpFallback: false;
        readonly controlUi: { readonly allowedOrigins: readonly string[] };
        readonly terminal: { readonly enabled: false };
        readonly tailscale: { readonly mode: "off" };
        readonly reload: { readonly mode: "off" };
        readonly nodes: {
            readonly pairing: { readonly sshVerify: false };
            readonly pluginTools: { readonly enabled: false };
            readonly allowSkills: false;
        };
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
        readonly audit: { readonly enabled: true; readonly executionIdentity: true };
    };
    readonly secrets: {
        readonly providers: { readonly [ENV_SECRET_PROVIDER]: { readonly source: "env"; readonly allowlist: readonly string[] } };
    };
    readonly models: {
        readonly catalogRefresh: { readonly enabled: false };
        readonly providers: Readonly<Record<string, { readonly apiKey: EnvSecretRef }>>;
    };
    readonly agents: {
        readonly ownership: "explicit";
        readonly defaults: { readonly model?: { readonly primary: string } };
        readonly entries: Readonly<Record<string, { readonly name: string }>>;
    };
    readonly tools: {
        readonly profile: "minimal";
        readonly deny: readonly string[];
        readonly fs: { readonly workspaceOnly: true };
        readonly exec: { readonly mode: "deny" };
        readonly elevated: { readonly enabled: false };
        readonly codeMode: false;
        readonly sessions: { readonly visibility: "self" };
        readonly agentToAgent: { readonly enabled: false };
        readonly web?: { readonly search: WebSearch };
    };
    readonly browser: { readonly enabled: false };
    readonly plugins: { readonly allow: readonly string[]; readonly slots: { readonly memory: "none" } };
    readonly skills: { readonly workshop: { readonly autonomous: { readonly mode: "propose" }; readonly approvalPolicy: "pending" } };
    readonly security: { readonly installPolicy: { readonly enabled: true } };
    readonly session: {
        readonly maintenance: {
            readonly mode: "enforce";
            readonly pruneAfter: string;
            readonly resetArchiveRetention: string;
            readonly maxDiskBytes: string;
        };
    };
};

/** `gateway.auth` in each mode (docs/gateway/trusted-proxy-auth.md, docs/gateway/authentication.md). */
export type GatewayAuth =
    | {
          readonly mode: "trusted-proxy";
          readonly password: EnvSecretRef;
          readonly trustedProxy: { readonly userHeader: typeof IDENTITY_HEADERS.user; readonly allowLoopback: false };
          readonly rateLimit: typeof AUTH_RATE_LIMIT;
      }
    | { readonly mode: "token"; readonly token: EnvSecretRef; readonly rateLimit: typeof AUTH_RATE_LIMIT };

const envRef = (id: string): EnvSecretRef => ({ source: "env", provider: ENV_SECRET_PROVIDER, id });

const GI = /^([1-9]\d{0,5})Gi$/;

function checkArgs(args: OpenClawJsonArgs): void {
    if (args.stateVolumeSize !== undefined && !GI.test(args.stateVolumeSize)) {
        throw new Error(`renderOpenClawJson: stateVolumeSize ${JSON.stringify(args.stateVolumeSize)} is not a size in Gi such as 10Gi`);
    }
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
function gatewayAuth(mode: GatewayAuthMode): GatewayAuth {
    switch (mode) {
        case "trusted-proxy":
            // The proxy is the only path in (NetworkPolicy admits only the Envoy pods); loopback callers carry no
            // identity header trust (allowLoopback false) and can only use the password: the in-pod break-glass.
            return {
                mode: "trusted-proxy",
                password: envRef(gatewaySecretEnvVar(mode)),
                trustedProxy: { userHeader: IDENTITY_HEADERS.user, allowLoopback: false },
                rateLimit: AUTH_RATE_LIMIT,
            };
        case "token":
            return { mode: "token", token: envRef(gatewaySecretEnvVar(mode)), rateLimit: AUTH_RATE_LIMIT };
    }
}

/** The per-agent session disk budget in MiB: SESSION_DISK_SHARE of the volume, split between the agents. */
export function sessionDiskBudgetMiB(stateVolumeSize: string): number {
    const gi = Number(GI.exec(stateVolumeSize)?.[1]);
    return Math.floor((gi * 1024 * SESSION_DISK_SHARE) / Object.keys(AGENTS).length);
}

/**
 * Plugins allowed to load: the provider plugin of each configured model provider and nothing else
 * (`plugins.allow`: "only listed plugins are eligible to load", `openclaw config schema`). Gemini's built-in web
 * search belongs to the `google` plugin, which is the Gemini provider's plugin.
 */
function allowedPlugins(providers: readonly ModelProvider[]): string[] {
    return providers.map((p) => OPENCLAW_PROVIDER_ID[p]);
}

export function renderOpenClawJson(args: OpenClawJsonArgs): OpenClawJson {
    checkArgs(args);
    const origin = `https://${args.hostname}`;
    const providers = MODEL_PROVIDER_NAMES.filter((p) => args.modelProviders.includes(p));
    const search = webSearch(providers);
    const authMode = args.authMode ?? "trusted-proxy";
    const secretEnvVar = gatewaySecretEnvVar(authMode);
    const retention = `${TRANSCRIPT_RETENTION_DAYS}d`;
    return {
        gateway: {
            // Run the gateway here (not a client of a remote one), listening on all pod interfaces so the Service
            // reaches it; a non-loopback bind is only accepted with auth.
            mode: "local",
            bind: "lan",
            port: OPENCLAW_PORT,
            publicOrigin: origin,
            auth: gatewayAuth(authMode),
            // The four checklist roles and an empty default for anyone unassigned (docs/gateway/operator-scopes.md
            // "Named operator roles"); roles bind verified identities, so they exist only with trusted-proxy auth.
            ...(authMode === "trusted-proxy" ? { roles: openClawRoles() } : {}),
            trustedProxies: [...args.trustedProxyCidrs],
            allowRealIpFallback: false,
            controlUi: { allowedOrigins: [origin] },
            // The operator terminal is a host shell with the gateway's environment (and so its secrets).
            terminal: { enabled: false },
            tailscale: { mode: "off" },
            // The file is immutable in the pod; a change is a new ConfigMap and a restart, never a live reload.
            reload: { mode: "off" },
            // No remote nodes: no SSH-verified auto-approval of a node's pairing, and nodes may not publish tools or
            // skills (docs/gateway/config-gateway.md, gateway.nodes.*). autoApproveLocal stays at its default (on):
            // it approves only loopback callers holding the password, which is how the in-pod break-glass CLI pairs.
            nodes: { pairing: { sshVerify: false }, pluginTools: { enabled: false }, allowSkills: false },
        },
        // The image is pinned by digest; updates come from a reviewed `pulumi up`, not from the gateway.
        update: { checkOnStart: false, auto: { enabled: false } },
        telemetry: { enabled: false },
        // mDNS advertises the gateway on the local link: nothing in a cluster should discover it that way.
        discovery: { mdns: { mode: "off" } },
        // Secrets come from the pod environment only, never from a login shell profile.
        env: { shellEnv: { enabled: false } },
        // One JSON object per line on stdout, for Fluent Bit.
        // The audit ledger with execution identity: who (the verified profile) ran which agent run and tool action
        // (docs/gateway/audit.md "Run identity inspection"; executionIdentity is off by default).
        logging: {
            level: "info",
            consoleLevel: "info",
            consoleStyle: "json",
            maxFileBytes: FILE_LOG_MAX_BYTES,
            audit: { enabled: true, executionIdentity: true },
        },
        // Env SecretRefs may name only these variables, so a config edit cannot read other env values.
        secrets: {
            providers: {
                [ENV_SECRET_PROVIDER]: {
                    source: "env",
                    allowlist: [secretEnvVar, ...providers.map((p) => MODEL_PROVIDERS[p].envVar)],
                },
            },
        },
        models: {
            // The hosted catalog refresh is outbound traffic to a host egress does not allow.
            catalogRefresh: { enabled: false },
            providers: Object.fromEntries(providers.map((p) => [OPENCLAW_PROVIDER_ID[p], { apiKey: envRef(MODEL_PROVIDERS[p].envVar) }])),
        },
        // Production agent and the developers' sandbox agent; explicit ownership is required for more than one
        // agent (docs/gateway/config-agents.md). The default model comes from a provider whose key is configured.
        agents: {
            ownership: "explicit",
            defaults: providers.length === 0 ? {} : { model: { primary: DEFAULT_MODEL[providers[0]] } },
            entries: { [AGENTS.production]: { name: "Production" }, [AGENTS.sandbox]: { name: "Sandbox" } },
        },
        tools: {
            // The smallest tool set (session_status, gateway update) and the dangerous groups denied on top
            // (docs/gateway/config-tools/tool-policy.md, docs/gateway/security/hardened-baseline.md).
            profile: "minimal",
            deny: [...DENIED_TOOL_GROUPS],
            // File tools stay inside the agent workspace if a tool set ever includes them (docs/tools/apply-patch.md,
            // tools.fs.workspaceOnly); exec is denied outright (docs/tools/exec.md "Modes"); elevated is off
            // (docs/tools/elevated.md).
            fs: { workspaceOnly: true },
            exec: { mode: "deny" },
            elevated: { enabled: false },
            // Code Mode replaces the tool list with a JavaScript `exec` running in a Node worker of the gateway, "not a
            // security boundary" (docs/tools/code-mode.md); absent, it engages for some models. Off.
            codeMode: false,
            // Session tools see only the calling session, and agents cannot message each other
            // (docs/gateway/security/hardened-baseline.md; tools.sessions.visibility, tools.agentToAgent).
            sessions: { visibility: "self" },
            agentToAgent: { enabled: false },
            ...(search === undefined ? {} : { web: { search } }),
        },
        // No browser automation in the pod (docs/tools/browser.md, browser.enabled).
        browser: { enabled: false },
        // The memory slot loads `memory-core` whatever the allow list says (seen with 2026.9.6); "none" disables memory
        // plugins (plugins.slots.memory, `openclaw config schema`), so only the allowed plugins load.
        plugins: { allow: allowedPlugins(providers), slots: { memory: "none" } },
        // Learned skills are proposals an operator approves, never applied by the agent; and an install policy that
        // is enabled without a policy command makes every skill and plugin install fail closed
        // (docs/tools/skills-config.md "Workshop" and "Operator Install Policy").
        skills: { workshop: { autonomous: { mode: "propose" }, approvalPolicy: "pending" } },
        security: { installPolicy: { enabled: true } },
        // Retention that deletes: archived transcripts older than the retention, and once the per-agent budget is
        // reached the oldest archives, then the oldest historical sessions (enforce mode;
        // docs/reference/session-management-compaction/maintenance.md).
        session: {
            maintenance: {
                mode: "enforce",
                pruneAfter: retention,
                resetArchiveRetention: retention,
                maxDiskBytes: `${sessionDiskBudgetMiB(args.stateVolumeSize ?? "10Gi")}mb`,
            },
        },
    };
}
