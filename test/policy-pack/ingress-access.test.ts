// Ingress access policies (RBAC-5, LOG-1, NET-4) on the Kubernetes fixture: single sign-on with default deny,
// identity headers removed before any filter, OpenClaw's non-public paths kept off the public routes.
import * as ia from "../../policy-pack/policies/ingress-access";
import { describePolicy, EXCEPTION_RECORD, remove, set, unknown } from "./cases";
import { kubernetesWorld } from "./fixtures";

const M = ia.MESSAGES;
const SSO = "openclaw-endpoint-sso-security-policy";
const ROUTE = "openclaw-route-https";
const CTP = "openclaw-client-traffic-policy";

describe("ingress access policies (RBAC-5, LOG-1, NET-4)", () => {
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
