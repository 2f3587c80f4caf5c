// Properties of the generated openclaw.json that OpenClaw's docs and the checklist state; e2e/ proves the real
// OpenClaw accepts it. No secret value in the file, one exact browser origin, trusted-proxy auth with the four roles
// (token auth only under the weakening), the hardening baseline, no outside calls.
import * as assert from "assert";
import fc from "fast-check";
import { formatCidr } from "../../config/cidr";
import { MODEL_PROVIDER_NAMES, MODEL_PROVIDERS, type ModelProvider } from "../../config/providers";
import { AUTH_RATE_LIMIT, OPENCLAW_PORT, renderOpenClawJson, sessionDiskBudgetMiB, type OpenClawJsonArgs } from "../../components/kubernetes/openclaw-json";
import { RUNTIME_SECRET } from "../../components/seam";
import { deployedOpenClawJson, EXAMPLE_STACKS, stackConfig } from "../../e2e/stacks";
import { FAKE_SECRETS } from "../harness/program";

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const hostname = fc
    .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
    .map(([labels, tld]) => [...labels, tld].join("."));
const cidr = fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 32 }))
    .map(([address, prefix]) => formatCidr({ base: (address & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0, prefix }));
const args: fc.Arbitrary<OpenClawJsonArgs> = fc.record(
    {
        hostname,
        trustedProxyCidrs: fc.array(cidr, { minLength: 1, maxLength: 4 }),
        modelProviders: fc.subarray([...MODEL_PROVIDER_NAMES]),
        authMode: fc.constantFrom("trusted-proxy" as const, "token" as const),
        stateVolumeSize: fc.integer({ min: 1, max: 1000 }).map((gi) => `${gi}Gi`),
    },
    { requiredKeys: ["hostname", "trustedProxyCidrs", "modelProviders"] },
);
const minimal = { hostname: "openclaw.example.com", trustedProxyCidrs: ["10.0.0.0/16"], modelProviders: [] as ModelProvider[] };

/** Every `[path, value]` in a JSON value, depth first. */
function* leaves(value: unknown, path: string[] = []): Generator<[string[], unknown]> {
    if (value !== null && typeof value === "object") {
        for (const [key, child] of Object.entries(value)) {
            yield* leaves(child, [...path, key]);
        }
    } else {
        yield [path, value];
    }
}

const isEnvRef = (value: unknown, id: string) => assert.deepStrictEqual(value, { source: "env", provider: "default", id });

describe("openclaw.json", () => {
    it("contains no secret value: credentials are env SecretRefs and no fake key appears anywhere", () => {
        fc.assert(
            fc.property(args, (a) => {
                const config = renderOpenClawJson(a);
                const text = JSON.stringify(config);
                for (const secret of Object.values(FAKE_SECRETS)) {
                    assert.ok(!text.includes(secret));
                }
                for (const [path] of leaves(config)) {
                    const credential = path.findIndex((key) => /^(token|apiKey|password)$/.test(key));
                    if (credential >= 0) {
                        assert.deepStrictEqual(path.slice(credential + 1).length, 1, path.join("."));
                        assert.ok(["source", "provider", "id"].includes(path[path.length - 1]), `${path.join(".")} is not a SecretRef field`);
                    }
                }
            }),
        );
    });

    it("by default authenticates people through the trusted proxy's user header, loopback never trusted, with the password as the only secret", () => {
        fc.assert(
            fc.property(args, (a) => {
                const { gateway, secrets } = renderOpenClawJson({ ...a, authMode: undefined });
                assert.strictEqual(gateway.mode, "local");
                assert.notStrictEqual(gateway.bind, "loopback");
                assert.strictEqual(gateway.port, OPENCLAW_PORT);
                assert.strictEqual(OPENCLAW_PORT, 18789);
                assert.strictEqual(gateway.auth.mode, "trusted-proxy");
                if (gateway.auth.mode === "trusted-proxy") {
                    // Header name: the contract in components/kubernetes/openclaw-roles.ts; allowLoopback false is the
                    // documented safe default (docs/gateway/trusted-proxy-auth.md "Security checklist").
                    assert.deepStrictEqual(gateway.auth.trustedProxy, { userHeader: "x-openclaw-user", allowLoopback: false });
                    // OpenClaw refuses trusted-proxy with a token configured or in OPENCLAW_GATEWAY_TOKEN ("Mixed token configuration").
                    assert.ok(!("token" in gateway.auth));
                    isEnvRef(gateway.auth.password, "OPENCLAW_GATEWAY_PASSWORD");
                }
                assert.ok(!secrets.providers.default.allowlist.includes(RUNTIME_SECRET.gatewayTokenKey));
            }),
        );
    });

    it("under the shared-token weakening authenticates with a token read from OPENCLAW_GATEWAY_TOKEN and defines no roles", () => {
        const { gateway } = renderOpenClawJson({ ...minimal, authMode: "token" });
        assert.strictEqual(gateway.auth.mode, "token");
        if (gateway.auth.mode === "token") {
            isEnvRef(gateway.auth.token, RUNTIME_SECRET.gatewayTokenKey);
        }
        assert.strictEqual(gateway.roles, undefined);
    });

    it("defines the four checklist roles and a default that grants nothing, under trusted-proxy auth", () => {
        const { roles } = renderOpenClawJson(minimal).gateway;
        assert.ok(roles !== undefined);
        assert.deepStrictEqual(Object.keys(roles.definitions).sort(), ["admin", "auditor", "developer", "operator", roles.default].sort());
        // "an unknown person gets nothing" (issue 14): no scope, no agent, no other person's session.
        assert.deepStrictEqual(roles.definitions[roles.default], { sessions: { others: "none" }, agents: [], scopes: [] });
    });

    it("accepts browsers only from https://<hostname>, exactly", () => {
        fc.assert(
            fc.property(args, (a) => {
                const { gateway } = renderOpenClawJson(a);
                assert.deepStrictEqual(gateway.controlUi.allowedOrigins, [`https://${a.hostname}`]);
                assert.strictEqual(gateway.publicOrigin, `https://${a.hostname}`);
                assert.ok(!JSON.stringify(gateway.controlUi).includes("*"));
            }),
        );
    });

    it("trusts forwarded client addresses from the given proxy CIDRs only, never X-Real-IP", () => {
        fc.assert(
            fc.property(args, (a) => {
                const { gateway } = renderOpenClawJson(a);
                assert.deepStrictEqual(gateway.trustedProxies, a.trustedProxyCidrs);
                assert.strictEqual(gateway.allowRealIpFallback, false);
            }),
        );
    });

    it("refuses no proxy CIDR, a CIDR that trusts every address, and a value that is not a CIDR", () => {
        const base = { hostname: "openclaw.example.com", modelProviders: ["anthropic"] as ModelProvider[] };
        for (const trustedProxyCidrs of [[], ["0.0.0.0/0"], ["10.0.0.1/8"], ["openclaw.example.com"]]) {
            assert.throws(() => renderOpenClawJson({ ...base, trustedProxyCidrs }), /renderOpenClawJson: trustedProxyCidrs/, JSON.stringify(trustedProxyCidrs));
        }
    });

    it("refuses a hostname with a scheme, a port, a path or upper case (the origin must match exactly)", () => {
        for (const bad of ["https://openclaw.example.com", "openclaw.example.com:443", "openclaw.example.com/x", "OpenClaw.example.com", "localhost"]) {
            assert.throws(() => renderOpenClawJson({ hostname: bad, trustedProxyCidrs: ["10.0.0.0/16"], modelProviders: [] }), /renderOpenClawJson: hostname/, bad);
        }
    });

    it("rate-limits failed authentication at least as strictly as OpenClaw's default, loopback included", () => {
        const { rateLimit } = renderOpenClawJson({ hostname: "openclaw.example.com", trustedProxyCidrs: ["10.0.0.0/16"], modelProviders: [] }).gateway.auth;
        assert.deepStrictEqual(rateLimit, AUTH_RATE_LIMIT);
        // OpenClaw's default: 10 failures per 60 s, 5 minute lockout (docs: gateway/security/rate-limiting).
        assert.ok(rateLimit.maxAttempts >= 1 && rateLimit.maxAttempts <= 10);
        assert.ok(rateLimit.maxAttempts / rateLimit.windowMs <= 10 / 60_000);
        assert.ok(rateLimit.lockoutMs >= 5 * 60_000);
        assert.strictEqual(rateLimit.exemptLoopback, false);
    });

    it("reads each configured provider's key from its env var, and only those env vars", () => {
        fc.assert(
            fc.property(args, (a) => {
                const config = renderOpenClawJson(a);
                const configured = MODEL_PROVIDER_NAMES.filter((p) => a.modelProviders.includes(p));
                const refs = Object.values(config.models.providers).map((entry) => entry.apiKey.id);
                assert.deepStrictEqual(refs, configured.map((p) => MODEL_PROVIDERS[p].envVar));
                const secretEnv = (a.authMode ?? "trusted-proxy") === "token" ? RUNTIME_SECRET.gatewayTokenKey : "OPENCLAW_GATEWAY_PASSWORD";
                assert.deepStrictEqual(config.secrets.providers.default.allowlist, [secretEnv, ...refs]);
            }),
        );
    });

    it("turns off the operator terminal, update checks, telemetry, mDNS, catalog refresh and shell env import", () => {
        const config = renderOpenClawJson({ hostname: "openclaw.example.com", trustedProxyCidrs: ["10.0.0.0/16"], modelProviders: ["anthropic"] });
        assert.strictEqual(config.gateway.terminal.enabled, false);
        assert.strictEqual(config.gateway.tailscale.mode, "off");
        assert.deepStrictEqual(config.update, { checkOnStart: false, auto: { enabled: false } });
        assert.strictEqual(config.telemetry.enabled, false);
        assert.strictEqual(config.discovery.mdns.mode, "off");
        assert.strictEqual(config.models.catalogRefresh.enabled, false);
        assert.strictEqual(config.env.shellEnv.enabled, false);
    });

    it("never leaves web search to env auto-detection when a configured key would select a plugin to install", () => {
        fc.assert(
            fc.property(args, (a) => {
                const search = renderOpenClawJson(a).tools.web?.search;
                if (a.modelProviders.includes("gemini")) {
                    // Gemini's search is built into the image (plugin `google`).
                    assert.deepStrictEqual(search, { provider: "gemini" });
                } else if (a.modelProviders.includes("openrouter")) {
                    // OPENROUTER_API_KEY would select Perplexity search, a plugin OpenClaw fetches from npm at start.
                    assert.deepStrictEqual(search, { enabled: false });
                } else {
                    assert.strictEqual(search, undefined);
                }
            }),
        );
    });

    it("applies OpenClaw's hardening baseline to tools: minimal profile, dangerous groups denied, no exec, no elevated, no Code Mode", () => {
        const { tools, browser } = renderOpenClawJson(minimal);
        // docs/gateway/config-tools/tool-policy.md (profiles, groups), docs/tools/exec.md "Modes", docs/tools/elevated.md,
        // docs/tools/code-mode.md (an absent codeMode is "auto"), docs/gateway/security/hardened-baseline.md.
        assert.strictEqual(tools.profile, "minimal");
        for (const group of ["group:runtime", "group:automation", "group:nodes", "group:ui"]) {
            assert.ok(tools.deny.includes(group), group);
        }
        assert.deepStrictEqual(tools.exec, { mode: "deny" });
        assert.deepStrictEqual(tools.elevated, { enabled: false });
        assert.strictEqual(tools.codeMode, false);
        assert.deepStrictEqual(tools.fs, { workspaceOnly: true });
        assert.deepStrictEqual(tools.sessions, { visibility: "self" });
        assert.deepStrictEqual(tools.agentToAgent, { enabled: false });
        assert.deepStrictEqual(browser, { enabled: false });
    });

    it("allows exactly the configured providers' plugins and picks the default model from a configured provider", () => {
        fc.assert(
            fc.property(args, (a) => {
                const config = renderOpenClawJson(a);
                // OpenClaw's plugin ids for the providers (docs/providers/*.md; Gemini is `google`).
                const pluginId: Record<ModelProvider, string> = { anthropic: "anthropic", openai: "openai", gemini: "google", openrouter: "openrouter" };
                const configured = MODEL_PROVIDER_NAMES.filter((p) => a.modelProviders.includes(p));
                assert.deepStrictEqual([...config.plugins.allow].sort(), configured.map((p) => pluginId[p]).sort());
                const primary = config.agents.defaults.model?.primary;
                if (configured.length === 0) {
                    assert.strictEqual(primary, undefined);
                } else {
                    assert.ok(primary !== undefined && config.plugins.allow.includes(primary.split("/")[0]), String(primary));
                }
            }),
        );
    });

    it("keeps skills as proposals, blocks installs, records execution identity, and allows no remote node to pair itself", () => {
        const config = renderOpenClawJson(minimal);
        // docs/tools/skills-config.md "Workshop" (defaults auto/auto) and "Operator Install Policy" (enabled without a command fails closed).
        assert.deepStrictEqual(config.skills.workshop, { autonomous: { mode: "propose" }, approvalPolicy: "pending" });
        assert.deepStrictEqual(config.security.installPolicy, { enabled: true });
        // docs/gateway/audit.md: collection needs both flags; executionIdentity is off by default.
        assert.deepStrictEqual(config.logging.audit, { enabled: true, executionIdentity: true });
        // docs/gateway/config-gateway.md gateway.nodes.*: SSH-verified node auto-approval is on by default.
        assert.strictEqual(config.gateway.nodes.pairing.sshVerify, false);
        assert.strictEqual(config.gateway.nodes.pluginTools.enabled, false);
        assert.strictEqual(config.gateway.nodes.allowSkills, false);
    });

    it("deletes transcripts within the state volume: enforce mode, archive retention, per-agent budgets summing to at most half the volume", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 1000 }), (gi) => {
                const { maintenance } = renderOpenClawJson({ ...minimal, stateVolumeSize: `${gi}Gi` }).session;
                // docs/reference/session-management-compaction/maintenance.md: warn mode deletes nothing, archives are
                // kept forever unless resetArchiveRetention is set, maxDiskBytes is per agent.
                assert.strictEqual(maintenance.mode, "enforce");
                assert.match(maintenance.resetArchiveRetention, /^\d+d$/);
                const agents = Object.keys(renderOpenClawJson(minimal).agents.entries).length;
                const budget = Number(/^(\d+)mb$/.exec(maintenance.maxDiskBytes)?.[1]);
                assert.strictEqual(budget, sessionDiskBudgetMiB(`${gi}Gi`));
                assert.ok(budget * agents <= (gi * 1024) / 2, `${budget} MiB x ${agents} agents in ${gi} GiB`);
            }),
        );
    });

    it("logs JSON lines to the console", () => {
        const { logging } = renderOpenClawJson(minimal);
        assert.strictEqual(logging.consoleStyle, "json");
        assert.ok(["info", "warn"].includes(logging.consoleLevel));
    });

    it("is deterministic: the order of the providers given does not change the file", () => {
        fc.assert(
            fc.property(args, (a) => {
                const reversed = { ...a, modelProviders: [...a.modelProviders].reverse() };
                assert.strictEqual(JSON.stringify(renderOpenClawJson(reversed)), JSON.stringify(renderOpenClawJson(a)));
            }),
        );
    });

    for (const stack of EXAMPLE_STACKS) {
        it(`deploys for the ${stack} example stack exactly what the renderer gives, with its hostname as the only origin`, async () => {
            const deployed = await deployedOpenClawJson(stack);
            const config = stackConfig(stack);
            const { hostname } = config;
            assert.deepStrictEqual(deployed.gateway.controlUi.allowedOrigins, [`https://${hostname}`]);
            assert.ok(deployed.gateway.trustedProxies.length > 0);
            // Both example stacks configure openclaw:identity, so both deploy trusted-proxy auth.
            assert.ok(config.identity !== undefined);
            assert.strictEqual(deployed.gateway.auth.mode, "trusted-proxy");
            const rendered = renderOpenClawJson({
                hostname,
                trustedProxyCidrs: deployed.gateway.trustedProxies,
                modelProviders: MODEL_PROVIDER_NAMES,
                authMode: "trusted-proxy",
                stateVolumeSize: config.openclaw.storageSize,
            });
            assert.deepStrictEqual(deployed, JSON.parse(JSON.stringify(rendered)));
        });
    }
});
