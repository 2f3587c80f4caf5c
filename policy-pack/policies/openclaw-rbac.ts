// Access control inside OpenClaw (RBAC-1..5 at the application layer), read from the openclaw.json the program puts
// in its ConfigMap: people authenticate through the trusted proxy, roles cap what each may do, agents cannot run
// shell commands, escalate, drive a browser, load unlisted plugins or see other sessions. Every expected value comes
// from OpenClaw 2026.9.6's docs, named beside it; an unset setting is read as OpenClaw's default.
import { exceptionSnippet, resourcePolicy } from "./lib/meta";
import { configMapId, section, validateOpenClawConfig } from "./lib/openclaw-config";
import type { Json } from "./lib/kubernetes";

/** The checklist roles the config must define (docs/checklist.md RBAC-1..4). */
const CHECKLIST_ROLES = ["admin", "operator", "developer", "auditor"] as const;

/**
 * Scopes only the admin role may hold: operator.admin (config, role assignment; satisfies every scope),
 * operator.talk.secrets (Talk config with secrets) and operator.pairing (joining devices and nodes)
 * (docs/gateway/operator-scopes.md "Scope levels").
 */
const ADMIN_ONLY_SCOPES = ["operator.admin", "operator.talk.secrets", "operator.pairing"] as const;

/** Scopes that change anything: everything but operator.read and operator.sessions.read (same doc). */
const READ_ONLY_SCOPES = ["operator.read", "operator.sessions.read"] as const;

/** OpenClaw's plugin id for each model provider id it knows under `models.providers` (docs/providers/*.md). */
const PROVIDER_PLUGIN: Readonly<Record<string, string>> = { anthropic: "anthropic", openai: "openai", google: "google", openrouter: "openrouter" };

/** The tool groups a minimal tool set must deny (docs/gateway/config-tools/tool-policy.md "Tool groups"). */
const DENIED_GROUPS = ["group:runtime", "group:automation", "group:nodes", "group:ui"] as const;

export const MESSAGES = {
    authMode: (where: string, mode: string) =>
        `${where}: gateway.auth.mode is ${mode}, not trusted-proxy: one shared credential instead of a verified person per request (openclaw:allowSharedTokenAuth); ${exceptionSnippet("kubernetes-openclaw-config-enforce-trusted-proxy-auth", "sharedTokenAuthExceptions", [where.split(" ")[1]])}`,
    loopbackTrusted: (where: string) => `${where}: gateway.auth.trustedProxy.allowLoopback is true: any process in the pod can claim to be any user`,
    noUserHeader: (where: string) => `${where}: gateway.auth.trustedProxy.userHeader is not set`,
    noTrustedProxies: (where: string) => `${where}: gateway.trustedProxies is empty or trusts every address`,
    tokenWithProxy: (where: string) => `${where}: a shared gateway.auth.token is configured next to trusted-proxy auth (OpenClaw refuses to start)`,
    noRoles: (where: string) => `${where}: gateway.roles is not set: every verified person gets OpenClaw's full default scopes, including operator.admin`,
    missingRole: (where: string, role: string) => `${where}: gateway.roles defines no ${role} role`,
    defaultGrants: (where: string, role: string) => `${where}: the default role ${role} grants scopes or agents: a person nobody assigned must get nothing`,
    adminOnlyScope: (where: string, role: string, scope: string) => `${where}: role ${role} holds ${scope}, which only the admin role may hold`,
    auditorWrites: (where: string, scope: string) => `${where}: the auditor role holds ${scope}: auditors are read-only`,
    developerAllAgents: (where: string) => `${where}: the developer role may run every agent: developers get the sandbox agents only`,
    execAllowed: (where: string, path: string, mode: string) => `${where}: ${path} is ${mode}: agents can run shell commands without a human (accepted: mode deny, or ask always)`,
    execToolNotDenied: (where: string, group: string) => `${where}: tools.deny does not deny ${group}`,
    codeMode: (where: string) => `${where}: tools.codeMode is not false: Code Mode gives the model a JavaScript exec in a gateway worker, "not a security boundary"`,
    elevated: (where: string, path: string) => `${where}: ${path} is not false: elevated mode runs commands on the gateway host outside the tool policy`,
    browser: (where: string) => `${where}: browser.enabled is not false: agents can drive a browser from inside the pod`,
    noPluginAllowlist: (where: string) => `${where}: plugins.allow is not set: every bundled or installed plugin may load`,
    pluginNotConfigured: (where: string, plugin: string) => `${where}: plugins.allow lists ${plugin}, which is not the plugin of a configured model provider`,
    sessionVisibility: (where: string, value: string) => `${where}: tools.sessions.visibility is ${value}: an agent's session tools reach other people's sessions (accepted: self)`,
    agentToAgent: (where: string) => `${where}: tools.agentToAgent.enabled is not false: agents can message each other's sessions (OpenClaw's default is on)`,
} as const;

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

export const kubernetesOpenclawConfigEnforceTrustedProxyAuth = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-enforce-trusted-proxy-auth",
        description: "OpenClaw authenticates each person through the identity-aware proxy (trusted-proxy auth, no loopback trust, no shared token), unless the ConfigMap is a named shared-token exception.",
        checklist: ["RBAC-5", "RBAC-1", "RBAC-2", "RBAC-3", "RBAC-4"],
        severity: "critical",
        remediationSteps: 'Set openclaw:identity (gateway.auth.mode "trusted-proxy" with a userHeader, trustedProxies of the proxies only, allowLoopback false). To keep the shared token, set openclaw:allowSharedTokenAuth and name the ConfigMap (namespace/name) in sharedTokenAuthExceptions.',
        configSchema: {
            properties: {
                sharedTokenAuthExceptions: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "namespace/name of openclaw.json ConfigMaps accepted with shared-token auth (the named openclaw:allowSharedTokenAuth exception).",
                },
            },
        },
        exceptions: ["sharedTokenAuthExceptions"],
    },
    validateOpenClawConfig((config, where, check, args, report) => {
        const { sharedTokenAuthExceptions } = args.getConfig<{ sharedTokenAuthExceptions: string[] }>();
        const gateway = section(config, "gateway");
        const auth = section(gateway, "auth");
        check(() => {
            // docs/gateway/authentication.md: without a mode OpenClaw uses a token (generated when none is set).
            const mode = String(auth.mode ?? "token");
            if (mode !== "trusted-proxy") {
                if (!sharedTokenAuthExceptions.includes(configMapId(args.props as { metadata?: { namespace?: string; name?: string } }))) {
                    report(MESSAGES.authMode(where, mode));
                }
                return;
            }
            const proxy = section(auth, "trustedProxy");
            if (proxy.allowLoopback === true) {
                report(MESSAGES.loopbackTrusted(where));
            }
            if (typeof proxy.userHeader !== "string" || proxy.userHeader.trim() === "") {
                report(MESSAGES.noUserHeader(where));
            }
            const proxies = list(gateway.trustedProxies);
            if (proxies.length === 0 || proxies.some((cidr) => /\/0$/.test(cidr) || cidr === "::ffff:0:0/96")) {
                report(MESSAGES.noTrustedProxies(where));
            }
            if (auth.token !== undefined) {
                report(MESSAGES.tokenWithProxy(where));
            }
        });
    }),
);

export const kubernetesOpenclawConfigEnforceRoleCeilings = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-enforce-role-ceilings",
        description: "Under trusted-proxy auth, gateway.roles defines the four checklist roles, only admin holds administrative scopes, auditors only read, developers reach only listed agents, and the default role grants nothing.",
        checklist: ["RBAC-1", "RBAC-2", "RBAC-3", "RBAC-4", "RBAC-5"],
        severity: "high",
        remediationSteps: "Render gateway.roles from components/kubernetes/openclaw-roles.ts (admin, operator, developer, auditor, and an empty default role).",
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        const gateway = section(config, "gateway");
        check(() => {
            if (section(gateway, "auth").mode !== "trusted-proxy") {
                // Roles bind verified identities; under a shared credential they do not apply (operator-scopes.md).
                return;
            }
            if (gateway.roles === undefined) {
                report(MESSAGES.noRoles(where));
                return;
            }
            const roles = section(gateway, "roles");
            const definitions = section(roles, "definitions");
            for (const role of CHECKLIST_ROLES) {
                if (definitions[role] === undefined) {
                    report(MESSAGES.missingRole(where, role));
                }
            }
            const defaultRole = String(roles.default);
            const fallback = section(definitions, defaultRole);
            if (list(fallback.scopes).length > 0 || fallback.agents === "*" || list(fallback.agents).length > 0) {
                report(MESSAGES.defaultGrants(where, defaultRole));
            }
            for (const [role, value] of Object.entries(definitions)) {
                const definition = (value ?? {}) as Json;
                for (const scope of list(definition.scopes).filter((s) => role !== "admin" && (ADMIN_ONLY_SCOPES as readonly string[]).includes(s))) {
                    report(MESSAGES.adminOnlyScope(where, role, scope));
                }
                if (role === "auditor") {
                    for (const scope of list(definition.scopes).filter((s) => !(READ_ONLY_SCOPES as readonly string[]).includes(s))) {
                        report(MESSAGES.auditorWrites(where, scope));
                    }
                }
                if (role === "developer" && definition.agents === "*") {
                    report(MESSAGES.developerAllAgents(where));
                }
            }
        });
    }),
);

/** The exec settings of the defaults and of every agent entry, with their paths. */
function execSettings(config: Json): [string, Json][] {
    const entries = Object.entries(section(section(config, "agents"), "entries")).map(([id, entry]) => [`agents.entries.${id}.tools.exec`, section(section(entry as Json, "tools"), "exec")] as [string, Json]);
    return [["tools.exec", section(section(config, "tools"), "exec")], ...entries.filter(([, exec]) => Object.keys(exec).length > 0)];
}

export const kubernetesOpenclawConfigDisallowExec = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-disallow-exec",
        description: "Agents run no shell command without a human: exec is denied (or always asks), the runtime, automation, nodes and UI tool groups are denied, and Code Mode is off.",
        checklist: ["RBAC-5"],
        severity: "critical",
        remediationSteps: 'Set tools.exec.mode "deny", tools.deny ["group:runtime", "group:automation", "group:nodes", "group:ui"] and tools.codeMode false (docs/tools/exec.md, docs/gateway/config-tools/tool-policy.md, docs/tools/code-mode.md).',
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        const tools = section(config, "tools");
        for (const [path, exec] of execSettings(config)) {
            check(() => {
                // docs/tools/exec.md: "No-approval host exec is the default for gateway and node (mode=full)".
                const mode = String(exec.mode ?? (exec.security === "deny" ? "deny" : "full"));
                if (mode !== "deny" && exec.ask !== "always") {
                    report(MESSAGES.execAllowed(where, path, mode));
                }
            });
        }
        check(() => {
            const denied = list(tools.deny);
            for (const group of DENIED_GROUPS.filter((g) => !denied.includes(g))) {
                report(MESSAGES.execToolNotDenied(where, group));
            }
            // docs/tools/code-mode.md: absent means the "auto" tier, which engages for some models.
            if (tools.codeMode !== false) {
                report(MESSAGES.codeMode(where));
            }
        });
    }),
);

export const kubernetesOpenclawConfigDisallowElevated = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-disallow-elevated",
        description: "Elevated mode, which runs commands on the gateway host past the sandbox, is switched off explicitly, globally and per agent.",
        checklist: ["RBAC-5"],
        severity: "high",
        remediationSteps: "Set tools.elevated.enabled false and leave agents.entries.*.tools.elevated unset or false (docs/tools/elevated.md).",
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        check(() => {
            if (section(section(config, "tools"), "elevated").enabled !== false) {
                report(MESSAGES.elevated(where, "tools.elevated.enabled"));
            }
            for (const [id, entry] of Object.entries(section(section(config, "agents"), "entries"))) {
                if (section(section(entry as Json, "tools"), "elevated").enabled === true) {
                    report(MESSAGES.elevated(where, `agents.entries.${id}.tools.elevated.enabled`));
                }
            }
        });
    }),
);

export const kubernetesOpenclawConfigDisallowBrowser = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-disallow-browser",
        description: "OpenClaw's browser automation is switched off: no agent drives a browser from inside the pod.",
        checklist: ["RBAC-5"],
        severity: "high",
        remediationSteps: "Set browser.enabled false (docs/tools/browser.md).",
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        check(() => {
            if (section(config, "browser").enabled !== false) {
                report(MESSAGES.browser(where));
            }
        });
    }),
);

export const kubernetesOpenclawConfigEnforcePluginAllowlist = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-enforce-plugin-allowlist",
        description: "Only an allow-list of plugins may load, and it lists only the plugins of the configured model providers.",
        checklist: ["RBAC-5"],
        severity: "high",
        remediationSteps: "Set plugins.allow to the provider plugins of models.providers (and plugins.slots.memory none); add nothing else.",
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        check(() => {
            const plugins = section(config, "plugins");
            if (!Array.isArray(plugins.allow)) {
                report(MESSAGES.noPluginAllowlist(where));
                return;
            }
            const configured = Object.keys(section(section(config, "models"), "providers")).map((id) => PROVIDER_PLUGIN[id] ?? id);
            for (const plugin of list(plugins.allow).filter((p) => !configured.includes(p))) {
                report(MESSAGES.pluginNotConfigured(where, plugin));
            }
        });
    }),
);

export const kubernetesOpenclawConfigEnforceSessionIsolation = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-enforce-session-isolation",
        description: "An agent's session tools reach only its own session, and agents cannot message each other.",
        checklist: ["RBAC-3", "RBAC-5"],
        severity: "high",
        remediationSteps: 'Set tools.sessions.visibility "self" and tools.agentToAgent.enabled false (docs/gateway/security/hardened-baseline.md).',
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        const tools = section(config, "tools");
        check(() => {
            // `openclaw config schema`: tools.sessions.visibility defaults to "all", any session on the Gateway.
            const visibility = String(section(tools, "sessions").visibility ?? "all");
            if (visibility !== "self") {
                report(MESSAGES.sessionVisibility(where, visibility));
            }
            if (section(tools, "agentToAgent").enabled !== false) {
                report(MESSAGES.agentToAgent(where));
            }
        });
    }),
);

export const openclawRbacPolicies = [
    kubernetesOpenclawConfigEnforceTrustedProxyAuth,
    kubernetesOpenclawConfigEnforceRoleCeilings,
    kubernetesOpenclawConfigDisallowExec,
    kubernetesOpenclawConfigDisallowElevated,
    kubernetesOpenclawConfigDisallowBrowser,
    kubernetesOpenclawConfigEnforcePluginAllowlist,
    kubernetesOpenclawConfigEnforceSessionIsolation,
];
