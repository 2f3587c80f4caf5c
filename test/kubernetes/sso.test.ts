// Single sign-on at the ingress on both example stacks: the SecurityPolicy, the header stripping, the access log's
// user field and the closed paths, read off the recorded program run.
import * as assert from "assert";
import { IDENTITY_HEADERS } from "../../components/kubernetes/openclaw-roles";
import { planRoutes } from "../../components/kubernetes/public-routes";
import { EXAMPLE_STACKS, exampleRun } from "../harness/examples";
import { stackValues, type RecordedResource } from "../harness/program";

type Json = Record<string, unknown>;
const o = (v: unknown) => (v ?? {}) as Json;
const specOf = (r: RecordedResource) => o(r.inputs.spec);
const ofKind = (resources: readonly RecordedResource[], kind: string) => resources.filter((r) => r.inputs.kind === kind);

for (const stack of EXAMPLE_STACKS) {
    describe(`single sign-on at the ingress (${stack})`, () => {
        let resources: readonly RecordedResource[];
        const identity = o(stackValues(stack).identity);
        before(async () => {
            resources = (await exampleRun(stack)).resources;
        });

        it("puts an OIDC, JWT and default-deny SecurityPolicy on the Control UI route", () => {
            const [policy] = ofKind(resources, "SecurityPolicy");
            const spec = specOf(policy);
            assert.deepStrictEqual(spec.targetRefs, [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "openclaw-https" }]);
            assert.strictEqual(o(o(spec.oidc).provider).issuer, identity.issuer);
            assert.strictEqual(o(spec.oidc).clientID, identity.clientId);
            assert.deepStrictEqual(o(spec.oidc).forwardIDToken, { header: "Authorization" });
            const [provider] = o(spec.jwt).providers as Json[];
            assert.deepStrictEqual(provider.audiences, [identity.clientId]);
            assert.deepStrictEqual(provider.claimToHeaders, [{ header: IDENTITY_HEADERS.user, claim: identity.userClaim }]);
            const authorization = o(spec.authorization);
            assert.strictEqual(authorization.defaultAction, "Deny");
            const groups = Object.values(o(identity.roleGroups)).flat();
            const [rule] = authorization.rules as Json[];
            const [claim] = o(o(rule.principal).jwt).claims as Json[];
            assert.deepStrictEqual([...(claim.values as string[])].sort(), [...(groups as string[])].sort());
        });

        it("sets the scope ceiling with a Lua filter on the same route", () => {
            const [extension] = ofKind(resources, "EnvoyExtensionPolicy");
            assert.deepStrictEqual(specOf(extension).targetRefs, [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "openclaw-https" }]);
            const [filter] = specOf(extension).lua as Json[];
            assert.strictEqual(filter.type, "Inline");
            assert.match(String(filter.inline), /function envoy_on_request/);
        });

                it("reads the client secret through External Secrets, never from a literal", () => {
            const secret = ofKind(resources, "ExternalSecret").find((r) => o(specOf(r).target).name === "openclaw-oidc-client");
            assert.ok(secret);
            assert.ok(!JSON.stringify(ofKind(resources, "SecurityPolicy")).includes("FAKE-OIDC"));
        });

        it("strips every identity header clients could send before any filter", () => {
            const [ctp] = ofKind(resources, "ClientTrafficPolicy");
            const removed = o(o(specOf(ctp).headers).earlyRequestHeaders).remove as string[];
            for (const header of Object.values(IDENTITY_HEADERS)) {
                assert.ok(removed.includes(header), header);
            }
        });

        it("logs the verified user on every access-log line", () => {
            const [proxy] = ofKind(resources, "EnvoyProxy");
            const settings = o(o(specOf(proxy).telemetry).accessLog).settings as Json[];
            assert.ok(settings.every((s) => Object.values(o(o(s.format).json)).includes("%REQ(X-OPENCLAW-USER)%")));
        });

        it("drops the ID token (Authorization) before the request reaches OpenClaw", () => {
            const route = ofKind(resources, "HTTPRoute").find((r) => o(r.inputs.metadata).name === "openclaw-https") as RecordedResource;
            const controlUi = (specOf(route).rules as Json[]).find((rule) => (rule.matches as Json[]).some((m) => o(m.path).value === "/"));
            assert.deepStrictEqual(controlUi?.filters, [{ type: "RequestHeaderModifier", requestHeaderModifier: { remove: ["Authorization"] } }]);
        });

                it("answers /tools/invoke, node joining, share links, workers and the HTTP APIs with 404 by default", () => {
            const route = ofKind(resources, "HTTPRoute").find((r) => o(r.inputs.metadata).name === "openclaw-https");
            const closed = ((specOf(route as RecordedResource).rules as Json[])[0].matches as Json[]).map((m) => o(m.path).value);
            // Paths from OpenClaw 2026.9.6 docs: tools-invoke-http-api.md, nodes/node-host.md, web/urls.md, openai-http-api.md.
            for (const path of ["/tools/invoke", "/j", "/share", "/__openclaw__/worker", "/v1"]) {
                assert.ok(closed.includes(path), path);
            }
            assert.ok(!ofKind(resources, "HTTPRoute").some((r) => o(r.inputs.metadata).name === "openclaw-open"));
        });

        it("uses an immutable id claim, never an e-mail (Okta: sub, 20 characters; Entra ID: oid, a GUID; both pass the masking)", () => {
            assert.match(String(identity.userClaim), /^(sub|oid)$/);
        });
    });
}

describe("public route plan", () => {
    it("opens a self-authenticating surface on its own route and a signed-on one on the Control UI route", () => {
        const plan = planRoutes({ toolsInvoke: true, nodeJoin: true, shareLinks: false, workers: false });
        assert.ok(!plan.closedPaths.includes("/tools/invoke") && !plan.closedPaths.includes("/j"));
        assert.ok(plan.closedPaths.includes("/share"));
        assert.deepStrictEqual(plan.openSurfaces, ["nodeJoin"]);
    });
});
