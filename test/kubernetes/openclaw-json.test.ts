// Properties of the generated openclaw.json that OpenClaw's docs and the checklist state; e2e/ proves the real
// OpenClaw accepts it. No secret value in the file, one exact browser origin, token auth, no outside calls.
import * as assert from "assert";
import fc from "fast-check";
import { formatCidr } from "../../config/cidr";
import { MODEL_PROVIDER_NAMES, MODEL_PROVIDERS, type ModelProvider } from "../../config/providers";
import { AUTH_RATE_LIMIT, OPENCLAW_PORT, renderOpenClawJson, type OpenClawJsonArgs } from "../../components/kubernetes/openclaw-json";
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
const args: fc.Arbitrary<OpenClawJsonArgs> = fc.record({
    hostname,
    trustedProxyCidrs: fc.array(cidr, { minLength: 1, maxLength: 4 }),
    modelProviders: fc.subarray([...MODEL_PROVIDER_NAMES]),
});

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

    it("authenticates with a token read from OPENCLAW_GATEWAY_TOKEN, on a non-loopback bind at port 18789", () => {
        fc.assert(
            fc.property(args, (a) => {
                const { gateway } = renderOpenClawJson(a);
                assert.strictEqual(gateway.mode, "local");
                assert.strictEqual(gateway.auth.mode, "token");
                isEnvRef(gateway.auth.token, RUNTIME_SECRET.gatewayTokenKey);
                assert.notStrictEqual(gateway.bind, "loopback");
                assert.strictEqual(gateway.port, OPENCLAW_PORT);
                assert.strictEqual(OPENCLAW_PORT, 18789);
            }),
        );
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
                assert.deepStrictEqual(config.secrets.providers.default.allowlist, [RUNTIME_SECRET.gatewayTokenKey, ...refs]);
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
                const search = renderOpenClawJson(a).tools?.web.search;
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

    it("logs JSON lines to the console", () => {
        const { logging } = renderOpenClawJson({ hostname: "openclaw.example.com", trustedProxyCidrs: ["10.0.0.0/16"], modelProviders: [] });
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
            const { hostname } = stackConfig(stack);
            assert.deepStrictEqual(deployed.gateway.controlUi.allowedOrigins, [`https://${hostname}`]);
            assert.ok(deployed.gateway.trustedProxies.length > 0);
            const rendered = renderOpenClawJson({ hostname, trustedProxyCidrs: deployed.gateway.trustedProxies, modelProviders: MODEL_PROVIDER_NAMES });
            assert.deepStrictEqual(deployed, JSON.parse(JSON.stringify(rendered)));
        });
    }
});
