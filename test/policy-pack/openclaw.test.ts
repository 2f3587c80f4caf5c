// The application layer's policies (RBAC-1..5, SEC-1, LOG-1) on a ConfigMap holding the openclaw.json the program
// renders, one changed setting per case. The compliant fixture is the renderer's own output; the expected values
// the policies hold it to come from OpenClaw's docs, named in policy-pack/policies/openclaw-*.ts.
import { renderOpenClawJson } from "../../components/kubernetes/openclaw-json";
import * as ocLog from "../../policy-pack/policies/openclaw-logging";
import * as ocRbac from "../../policy-pack/policies/openclaw-rbac";
import * as ocSec from "../../policy-pack/policies/openclaw-secrets";
import type { FixtureResource } from "../../policy-pack/testing/resources";
import { describePolicy, EXCEPTION_RECORD, set, unknown, type World } from "./cases";

const R = ocRbac.MESSAGES;
const WHERE = "ConfigMap openclaw/openclaw-config openclaw.json";
type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a fixture edited field by field

function configWorld(config: object): World {
    const configMap: FixtureResource = {
        type: "kubernetes:core/v1:ConfigMap",
        name: "openclaw-config",
        inputs: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "openclaw-config", namespace: "openclaw" }, data: { "openclaw.json": JSON.stringify(config, null, 2) } },
    };
    return [configMap];
}

const rendered = () => renderOpenClawJson({ hostname: "openclaw.example.com", trustedProxyCidrs: ["10.244.0.0/16"], modelProviders: ["anthropic", "openai"] });
const world = () => configWorld(rendered());

/** A mutation of the parsed file: `edit((c) => { c.tools.exec.mode = "full"; })`. */
function edit(change: (config: Config) => void): (w: World) => World {
    return (w) => {
        const configMap = w[0];
        const data = configMap.inputs?.data as Record<string, string>;
        const config = JSON.parse(data["openclaw.json"]) as Config;
        change(config);
        return set(w, "openclaw-config", "data", { "openclaw.json": JSON.stringify(config) });
    };
}

const unknownFile = { name: "the openclaw.json text", mutate: (w: World) => set(w, "openclaw-config", "data", { "openclaw.json": unknown("string") }) };

describe("OpenClaw application-layer policies (RBAC-1..5, SEC-1, LOG-1)", () => {
    describePolicy(ocRbac.kubernetesOpenclawConfigEnforceTrustedProxyAuth, {
        world,
        violations: [
            { name: "RBAC-5: flags shared-token auth that no exception names", mutate: () => configWorld(renderOpenClawJson({ hostname: "openclaw.example.com", trustedProxyCidrs: ["10.244.0.0/16"], modelProviders: [], authMode: "token" })), expect: [R.authMode(WHERE, "token")] },
            { name: "RBAC-5: flags a file without an auth mode (OpenClaw then uses a token)", mutate: edit((c) => delete c.gateway.auth.mode), expect: [R.authMode(WHERE, "token")] },
            { name: "RBAC-5: flags trusted-proxy auth that trusts loopback", mutate: edit((c) => (c.gateway.auth.trustedProxy.allowLoopback = true)), expect: [R.loopbackTrusted(WHERE)] },
            { name: "RBAC-5: flags trusted-proxy auth without a user header", mutate: edit((c) => delete c.gateway.auth.trustedProxy.userHeader), expect: [R.noUserHeader(WHERE)] },
            { name: "RBAC-5: flags trusted proxies that include every address", mutate: edit((c) => (c.gateway.trustedProxies = ["0.0.0.0/0"])), expect: [R.noTrustedProxies(WHERE)] },
            { name: "RBAC-5: flags a shared token next to trusted-proxy auth", mutate: edit((c) => (c.gateway.auth.token = { source: "env", provider: "default", id: "OPENCLAW_GATEWAY_TOKEN" })), expect: [R.tokenWithProxy(WHERE)] },
        ],
        passes: [
            {
                name: "shared-token auth on a ConfigMap named in sharedTokenAuthExceptions",
                mutate: () => configWorld(renderOpenClawJson({ hostname: "openclaw.example.com", trustedProxyCidrs: ["10.244.0.0/16"], modelProviders: [], authMode: "token" })),
                config: { "kubernetes-openclaw-config-enforce-trusted-proxy-auth": { sharedTokenAuthExceptions: ["openclaw/openclaw-config"], exception: EXCEPTION_RECORD } },
            },
        ],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocRbac.kubernetesOpenclawConfigEnforceRoleCeilings, {
        world,
        violations: [
            { name: "RBAC-1: flags trusted-proxy auth without gateway.roles", mutate: edit((c) => delete c.gateway.roles), expect: [R.noRoles(WHERE)] },
            { name: "RBAC-4: flags a config without an auditor role", mutate: edit((c) => delete c.gateway.roles.definitions.auditor), expect: [R.missingRole(WHERE, "auditor")] },
            { name: "RBAC-5: flags a default role that grants scopes", mutate: edit((c) => (c.gateway.roles.definitions[c.gateway.roles.default].scopes = ["operator.read"])), expect: [R.defaultGrants(WHERE, "unassigned")] },
            { name: "RBAC-2: flags an operator role holding operator.admin", mutate: edit((c) => c.gateway.roles.definitions.operator.scopes.push("operator.admin")), expect: [R.adminOnlyScope(WHERE, "operator", "operator.admin")] },
            { name: "RBAC-4: flags an auditor role that can write", mutate: edit((c) => c.gateway.roles.definitions.auditor.scopes.push("operator.write")), expect: [R.auditorWrites(WHERE, "operator.write")] },
            { name: "RBAC-3: flags a developer role that may run every agent", mutate: edit((c) => (c.gateway.roles.definitions.developer.agents = "*")), expect: [R.developerAllAgents(WHERE)] },
        ],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocRbac.kubernetesOpenclawConfigDisallowExec, {
        world,
        violations: [
            { name: "RBAC-5: flags a config without an exec mode (OpenClaw's default runs every command)", mutate: edit((c) => delete c.tools.exec), expect: [R.execAllowed(WHERE, "tools.exec", "full")] },
            { name: "RBAC-5: flags an agent that re-enables exec", mutate: edit((c) => (c.agents.entries.sandbox.tools = { exec: { mode: "auto" } })), expect: [R.execAllowed(WHERE, "agents.entries.sandbox.tools.exec", "auto")] },
            { name: "RBAC-5: flags a tool policy that no longer denies the runtime group", mutate: edit((c) => (c.tools.deny = c.tools.deny.filter((g: string) => g !== "group:runtime"))), expect: [R.execToolNotDenied(WHERE, "group:runtime")] },
            { name: "RBAC-5: flags Code Mode left to its default", mutate: edit((c) => delete c.tools.codeMode), expect: [R.codeMode(WHERE)] },
        ],
        passes: [{ name: "exec that always asks a human", mutate: edit((c) => (c.tools.exec = { mode: "allowlist", ask: "always" })) }],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocRbac.kubernetesOpenclawConfigDisallowElevated, {
        world,
        violations: [
            { name: "RBAC-5: flags elevated mode not switched off", mutate: edit((c) => delete c.tools.elevated), expect: [R.elevated(WHERE, "tools.elevated.enabled")] },
            { name: "RBAC-5: flags an agent that enables elevated mode", mutate: edit((c) => (c.agents.entries.main.tools = { elevated: { enabled: true } })), expect: [R.elevated(WHERE, "agents.entries.main.tools.elevated.enabled")] },
        ],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocRbac.kubernetesOpenclawConfigDisallowBrowser, {
        world,
        violations: [{ name: "RBAC-5: flags the browser left to its default", mutate: edit((c) => delete c.browser), expect: [R.browser(WHERE)] }],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocRbac.kubernetesOpenclawConfigEnforcePluginAllowlist, {
        world,
        violations: [
            { name: "RBAC-5: flags a config without a plugin allow-list", mutate: edit((c) => delete c.plugins.allow), expect: [R.noPluginAllowlist(WHERE)] },
            { name: "RBAC-5: flags an allowed plugin no configured provider needs (admin HTTP RPC)", mutate: edit((c) => c.plugins.allow.push("admin-http-rpc")), expect: [R.pluginNotConfigured(WHERE, "admin-http-rpc")] },
        ],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocRbac.kubernetesOpenclawConfigEnforceSessionIsolation, {
        world,
        violations: [
            { name: "RBAC-3: flags session tools that reach every session (OpenClaw's default)", mutate: edit((c) => delete c.tools.sessions), expect: [R.sessionVisibility(WHERE, "all")] },
            { name: "RBAC-5: flags agent-to-agent messaging left on", mutate: edit((c) => delete c.tools.agentToAgent), expect: [R.agentToAgent(WHERE)] },
        ],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocSec.kubernetesOpenclawConfigEnforceSecretRefs, {
        world,
        violations: [
            { name: "SEC-1: flags a literal provider key in openclaw.json", mutate: edit((c) => (c.models.providers.anthropic.apiKey = "not-a-real-key")), expect: [ocSec.MESSAGES.literalCredential(WHERE, "models.providers.anthropic.apiKey")] },
            { name: "SEC-1: flags a literal gateway password", mutate: edit((c) => (c.gateway.auth.password = "hunter2-hunter2")), expect: [ocSec.MESSAGES.literalCredential(WHERE, "gateway.auth.password")] },
        ],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });

    describePolicy(ocLog.kubernetesOpenclawConfigEnableAuditIdentity, {
        world,
        violations: [
            { name: "LOG-1: flags an audit ledger without execution identity (OpenClaw's default)", mutate: edit((c) => delete c.logging.audit), expect: [ocLog.MESSAGES.noExecutionIdentity(WHERE)] },
            { name: "LOG-1: flags the audit ledger switched off", mutate: edit((c) => (c.logging.audit.enabled = false)), expect: [ocLog.MESSAGES.auditOff(WHERE)] },
        ],
        unknown: unknownFile,
        unknownHidesViolation: true,
    });
});
