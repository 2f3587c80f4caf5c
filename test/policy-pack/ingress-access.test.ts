// Ingress access policies (RBAC-5, RBAC-6, LOG-1, NET-4) on the Kubernetes fixture: single sign-on with default deny,
// the role reconciler called on every signed-on request, identity headers removed before any filter, OpenClaw's
// non-public paths kept off the public routes.
import * as assert from "assert";
import { ROLE_RECONCILER } from "../../components/kubernetes/role-reconciler";
import * as ia from "../../policy-pack/policies/ingress-access";
import { clone, describePolicy, diagnosticsOf, EXCEPTION_RECORD, remove, set, unknown, World } from "./cases";
import { kubernetesWorld } from "./fixtures";

const M = ia.MESSAGES;
const SSO = "openclaw-endpoint-sso-security-policy";
const ROUTE = "openclaw-route-https";
const CTP = "openclaw-client-traffic-policy";
const PROXY = "openclaw-envoy-proxy";

// Envoy Gateway v1.9.0 filter names (api/v1alpha1/envoyproxy_types.go, EnvoyFilter enum).
const EXT_AUTHZ = "envoy.filters.http.ext_authz";
const OAUTH2 = "envoy.filters.http.oauth2";
const JWT_AUTHN = "envoy.filters.http.jwt_authn";
const LUA = "envoy.filters.http.lua";
const RECONCILER_REF = { name: ROLE_RECONCILER.serviceName, port: ROLE_RECONCILER.port };
const secondProxy = (w: World): World => [
    ...w,
    {
        type: "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy",
        name: "other-envoy-proxy",
        inputs: { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy", metadata: { name: "other-proxy", namespace: "envoy-gateway-system" }, spec: {} },
    },
];

describe("ingress access policies (RBAC-5, RBAC-6, LOG-1, NET-4)", () => {
    describePolicy(ia.kubernetesHttprouteEnforceSingleSignOn, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-5: flags a public route without any SecurityPolicy", mutate: (w) => remove(w, SSO), expect: [M.noSingleSignOn("openclaw/openclaw-https")] },
            // authorization_types.go: an unset defaultAction is Allow, so a policy without it admits everyone signed on.
            { name: "RBAC-5: flags single sign-on whose authorization allows by default", mutate: (w) => set(w, SSO, "spec.authorization.defaultAction", undefined), expect: [M.noSingleSignOn("openclaw/openclaw-https")] },
            { name: "RBAC-5: flags a policy that validates no ID token", mutate: (w) => set(w, SSO, "spec.jwt", undefined), expect: [M.noSingleSignOn("openclaw/openclaw-https")] },
            { name: "LOG-1: flags a policy with no login (no verified person per request)", mutate: (w) => set(w, SSO, "spec.oidc", undefined), expect: [M.noSingleSignOn("openclaw/openclaw-https")] },
            { name: "RBAC-5: flags a policy targeting another route", mutate: (w) => set(w, SSO, "spec.targetRefs[0].name", "other"), expect: [M.noSingleSignOn("openclaw/openclaw-https")] },
        ],
        passes: [
            {
                name: "when the shared-token route is named as an exception",
                mutate: (w) => remove(w, SSO),
                config: { "kubernetes-httproute-enforce-single-sign-on": { unauthenticatedRoutes: ["openclaw/openclaw-https"], exception: EXCEPTION_RECORD } },
            },
            { name: "for the redirect-only route on port 80, which forwards nothing", mutate: (w) => set(w, "openclaw-route-redirect", "spec.parentRefs[0].sectionName", "https") },
        ],
        unknown: { name: "the SecurityPolicy's authorization", mutate: (w) => set(w, SSO, "spec.authorization", unknown("object")) },
        // The first violation removes the very SecurityPolicy whose field the unknown replaces.
        unknownHidesViolation: true,
    });

    describe("the role reconciler's ext_authz (RBAC-6)", () => {
        it("names the Service, port and check path the Kubernetes layer gives the reconciler", () => {
            // The pack cannot import components/ (it is installed on its own): its copy must stay the program's.
            assert.deepStrictEqual(ia.ROLE_RECONCILER_BACKEND, { name: ROLE_RECONCILER.serviceName, port: ROLE_RECONCILER.port, checkPath: ROLE_RECONCILER.checkPath });
        });

        // internal/xds/translator/httpfilters.go v1.9.0: newOrderedHTTPFilter gives ext_authz 6, oauth2 9, jwt_authn 10;
        // sortHTTPFilters then applies each filterOrder entry in turn ("after" = after the last filter of that type).
        it("reads Envoy Gateway's default order as ext_authz before oauth2 and jwt_authn", () => {
            assert.deepStrictEqual(ia.authFilterOrder([]), { order: [EXT_AUTHZ, OAUTH2, JWT_AUTHN] });
        });
        it("moves ext_authz after jwt_authn with the one entry the program renders", () => {
            assert.deepStrictEqual(ia.authFilterOrder([{ name: EXT_AUTHZ, after: JWT_AUTHN }]), { order: [OAUTH2, JWT_AUTHN, EXT_AUTHZ] });
        });
        it("applies entries in order, so a later one can undo an earlier one", () => {
            assert.deepStrictEqual(ia.authFilterOrder([{ name: EXT_AUTHZ, after: JWT_AUTHN }, { name: EXT_AUTHZ, before: OAUTH2 }]), { order: [EXT_AUTHZ, OAUTH2, JWT_AUTHN] });
        });
        it("ignores entries that move other filters, which keep the three in their order", () => {
            assert.deepStrictEqual(ia.authFilterOrder([{ name: LUA, before: EXT_AUTHZ }, { name: EXT_AUTHZ, after: JWT_AUTHN }]), { order: [OAUTH2, JWT_AUTHN, EXT_AUTHZ] });
        });

        it("RBAC-6: gives the runtime's advisory, and no violation, when extAuth.failOpen is unknown during preview", async () => {
            const found = await diagnosticsOf(ia.kubernetesSecurityPolicyEnforceRoleReconciler, set(clone(kubernetesWorld()), SSO, "spec.extAuth.failOpen", unknown("boolean")));
            assert.ok(found.some((d) => d.unknownDuringPreview), JSON.stringify(found));
            assert.deepStrictEqual(found.filter((d) => !d.unknownDuringPreview).map((d) => d.detail), []);
        });
        it("RBAC-6: does not call the EnvoyProxy missing while an EnvoyProxy of the stack cannot be read yet", async () => {
            const found = await diagnosticsOf(ia.kubernetesSecurityPolicyEnforceRoleReconciler, set(clone(kubernetesWorld()), PROXY, "metadata", unknown("object")));
            assert.ok(found.some((d) => d.unknownDuringPreview), JSON.stringify(found));
            assert.deepStrictEqual(found.filter((d) => !d.unknownDuringPreview).map((d) => d.detail), []);
        });
    });

    describePolicy(ia.kubernetesSecurityPolicyEnforceRoleReconciler, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-6: flags single sign-on without ext_authz: OpenClaw roles would not follow IdP groups", mutate: (w) => set(w, SSO, "spec.extAuth", undefined), expect: [M.noRoleSync("openclaw/openclaw-sso")] },
            {
                name: "RBAC-6: flags ext_authz over gRPC, which the reconciler does not answer",
                mutate: (w) => set(w, SSO, "spec.extAuth", { grpc: { backendRefs: [RECONCILER_REF] } }),
                expect: [M.noRoleSync("openclaw/openclaw-sso")],
            },
            {
                name: "RBAC-6: flags ext_authz calling another Service",
                mutate: (w) => set(w, SSO, "spec.extAuth.http.backendRefs[0].name", "authz"),
                expect: [M.notReconciler("openclaw/openclaw-sso", 0, JSON.stringify({ name: "authz", port: ROLE_RECONCILER.port }))],
            },
            {
                name: "RBAC-6: flags ext_authz calling the reconciler's Service on another port",
                mutate: (w) => set(w, SSO, "spec.extAuth.http.backendRefs[0].port", 18789),
                expect: [M.notReconciler("openclaw/openclaw-sso", 0, JSON.stringify({ name: ROLE_RECONCILER.serviceName, port: 18789 }))],
            },
            {
                name: "RBAC-6: flags ext_authz calling a Service of that name in another namespace",
                mutate: (w) => set(w, SSO, "spec.extAuth.http.backendRefs[0].namespace", "elsewhere"),
                expect: [M.notReconciler("openclaw/openclaw-sso", 0, JSON.stringify({ ...RECONCILER_REF, namespace: "elsewhere" }))],
            },
            {
                name: "RBAC-6: flags a second ext_authz backend, which would answer a share of the checks",
                mutate: (w) => set(w, SSO, "spec.extAuth.http.backendRefs[1]", { name: "authz", port: 8080 }),
                expect: [M.notReconciler("openclaw/openclaw-sso", 1, JSON.stringify({ name: "authz", port: 8080 }))],
            },
            // ext_auth_types.go FailOpen: true lets traffic through when the service cannot answer or its config is invalid.
            { name: "RBAC-6: flags ext_authz that fails open", mutate: (w) => set(w, SSO, "spec.extAuth.failOpen", true), expect: [M.failOpen("openclaw/openclaw-sso")] },
            { name: "RBAC-6: flags an EnvoyProxy with Envoy Gateway's default filter order", mutate: (w) => set(w, PROXY, "spec.filterOrder", undefined), expect: [M.extAuthzTooEarly("envoy-gateway-system/openclaw-proxy")] },
            {
                name: "RBAC-6: flags ext_authz placed after oauth2 but before jwt_authn",
                mutate: (w) => set(w, PROXY, "spec.filterOrder", [{ name: EXT_AUTHZ, after: OAUTH2 }]),
                expect: [M.extAuthzTooEarly("envoy-gateway-system/openclaw-proxy")],
            },
            {
                name: "RBAC-6: flags a later filterOrder entry that moves jwt_authn after ext_authz again",
                mutate: (w) => set(w, PROXY, "spec.filterOrder[1]", { name: JWT_AUTHN, after: EXT_AUTHZ }),
                expect: [M.extAuthzTooEarly("envoy-gateway-system/openclaw-proxy")],
            },
            {
                name: "RBAC-6: flags ext_authz placed relative to a filter outside sign-on (where it lands depends on the chain)",
                mutate: (w) => set(w, PROXY, "spec.filterOrder", [{ name: EXT_AUTHZ, after: LUA }]),
                expect: [M.filterPlacedByOther("envoy-gateway-system/openclaw-proxy", 0, EXT_AUTHZ, LUA)],
            },
            { name: "RBAC-6: flags any EnvoyProxy of the stack that keeps the default order", mutate: secondProxy, expect: [M.extAuthzTooEarly("envoy-gateway-system/other-proxy")] },
            { name: "RBAC-6: flags single sign-on with no EnvoyProxy in the stack to order ext_authz", mutate: (w) => remove(w, PROXY), expect: [M.noEnvoyProxy("openclaw/openclaw-sso")] },
        ],
        passes: [
            { name: "without single sign-on (no SecurityPolicy with oidc: the shared-token mode)", mutate: (w) => set(w, SSO, "spec.oidc", undefined) },
            { name: "with failOpen unset (its default is false)", mutate: (w) => set(w, SSO, "spec.extAuth.failOpen", undefined) },
            {
                name: "with the backend's kind, group and namespace spelt out",
                mutate: (w) => set(w, SSO, "spec.extAuth.http.backendRefs[0]", { ...RECONCILER_REF, kind: "Service", group: "", namespace: "openclaw" }),
            },
            {
                name: "with the deprecated single backendRef",
                mutate: (w) => set(set(w, SSO, "spec.extAuth.http.backendRefs", undefined), SSO, "spec.extAuth.http.backendRef", RECONCILER_REF),
            },
            {
                name: "with other filters moved around ext_authz",
                mutate: (w) => set(w, PROXY, "spec.filterOrder", [{ name: LUA, before: EXT_AUTHZ }, { name: EXT_AUTHZ, after: JWT_AUTHN }, { name: "envoy.filters.http.ext_proc", after: EXT_AUTHZ }]),
            },
        ],
        unknown: { name: "the EnvoyProxy's filter order", mutate: (w) => set(w, PROXY, "spec.filterOrder", unknown("array")) },
    });

    describePolicy(ia.kubernetesClientTrafficPolicyEnforceIdentityHeaderRemoval, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-5: flags a user header clients could send", mutate: (w) => set(w, CTP, "spec.headers.earlyRequestHeaders.remove", ["x-openclaw-scopes"]), expect: [M.headerNotRemoved("x-openclaw-user")] },
            { name: "RBAC-5: flags a scopes header clients could send", mutate: (w) => set(w, CTP, "spec.headers.earlyRequestHeaders", undefined), expect: [M.headerNotRemoved("x-openclaw-scopes")] },
            {
                name: "RBAC-5: flags a claim header the JWT provider sets but nobody removes",
                mutate: (w) => set(w, SSO, "spec.jwt.providers[0].claimToHeaders[1]", { header: "x-team", claim: "team" }),
                expect: [M.headerNotRemoved("x-team")],
            },
        ],
        passes: [{ name: "with header names in another case", mutate: (w) => set(w, CTP, "spec.headers.earlyRequestHeaders.remove", ["X-OpenClaw-User", "X-OpenClaw-Scopes"]) }],
        unknown: { name: "the removed headers", mutate: (w) => set(w, CTP, "spec.headers.earlyRequestHeaders.remove", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(ia.kubernetesHttprouteDisallowPrivatePaths, {
        world: kubernetesWorld,
        violations: [
            // docs/gateway/tools-invoke-http-api.md: keep /tools/invoke off the public internet.
            { name: "NET-4: flags a public route forwarding every path (/tools/invoke among them)", mutate: (w) => set(w, ROUTE, "spec.rules", [{ backendRefs: [{ name: "openclaw", port: 18789 }] }]), expect: [M.privatePathRouted("openclaw/openclaw-https", "/tools/invoke")] },
            {
                name: "NET-4: flags share links published on a route of their own",
                mutate: (w) => [
                    ...w,
                    {
                        type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
                        name: "openclaw-route-open",
                        inputs: {
                            apiVersion: "gateway.networking.k8s.io/v1",
                            kind: "HTTPRoute",
                            metadata: { name: "openclaw-open", namespace: "openclaw" },
                            spec: { parentRefs: [{ name: "openclaw", sectionName: "https" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: "/share" }, method: "GET" }], backendRefs: [{ name: "openclaw", port: 18789 }] }] },
                        },
                    },
                ],
                expect: [M.privatePathRouted("openclaw/openclaw-open", "/share")],
            },
        ],
        passes: [
            {
                name: "when a published path is named in allowedPublicPaths",
                mutate: (w) => set(w, ROUTE, "spec.rules[0].matches", [{ path: { type: "PathPrefix", value: "/v1" } }, { path: { type: "PathPrefix", value: "/api/v1/admin/rpc" } }, { path: { type: "PathPrefix", value: "/api/channels" } }, { path: { type: "PathPrefix", value: "/hooks" } }, { path: { type: "PathPrefix", value: "/j" } }, { path: { type: "PathPrefix", value: "/share" } }, { path: { type: "PathPrefix", value: "/__openclaw__/worker" } }, { path: { type: "PathPrefix", value: "/__openclaw__/worker-bootstrap" } }]),
                config: { "kubernetes-httproute-disallow-private-paths": { allowedPublicPaths: ["/tools/invoke"], exception: EXCEPTION_RECORD } },
            },
        ],
        unknown: { name: "the route's rules", mutate: (w) => set(w, ROUTE, "spec.rules", unknown("array")) },
        unknownHidesViolation: true,
    });
});
