// Access control at the ingress (RBAC-5, LOG-1, NET-4): every public route behind single sign-on with default deny,
// identity headers clients cannot forge, and OpenClaw's non-public paths kept off the public routes. Envoy Gateway
// fields: envoyproxy/gateway api/v1alpha1/{securitypolicy,oidc,jwt,authorization,clienttrafficpolicy}_types.go.
import type { StackValidationArgs } from "@pulumi/policy";
import { Json, KubeObject, kubeObjects, namespaceOf } from "./lib/kubernetes";
import { exceptionSnippet, stackPolicy } from "./lib/meta";
import { previewSafe } from "./lib/preview";

const GATEWAY_GROUP = "gateway.networking.k8s.io";
const ENVOY_GROUP = "gateway.envoyproxy.io";

/**
 * The headers the program's proxy sends OpenClaw as verified identity (components/kubernetes/openclaw-roles.ts
 * IDENTITY_HEADERS): the user and the scope ceiling. A client must never be able to send them.
 */
export const DEFAULT_IDENTITY_HEADERS = ["x-openclaw-user", "x-openclaw-scopes"] as const;

/**
 * OpenClaw 2026.9.6 paths that must not face the internet (docs/gateway/tools-invoke-http-api.md,
 * openai-http-api.md, security/network-exposure.md, config-hooks.md) and self-authenticating surfaces published only
 * by a named opt-in (nodes/node-host.md join links and workers, web/urls.md share links).
 */
export const NON_PUBLIC_PATHS = ["/tools/invoke", "/v1", "/api/v1/admin/rpc", "/api/channels", "/hooks", "/j", "/share", "/__openclaw__/worker", "/__openclaw__/worker-bootstrap"] as const;

export const MESSAGES = {
    noSingleSignOn: (route: string) =>
        `HTTPRoute ${route} forwards to a backend without a SecurityPolicy that signs people on (oidc), validates the ID token (jwt) and denies by default (authorization.defaultAction Deny with an Allow rule); ${exceptionSnippet("kubernetes-httproute-enforce-single-sign-on", "unauthenticatedRoutes", [route])}`,
    headerNotRemoved: (header: string) => `no ClientTrafficPolicy on the Gateway removes ${header} in headers.earlyRequestHeaders.remove: a client could send it and the JWT provider appends rather than replaces`,
    privatePathRouted: (route: string, path: string) =>
        `HTTPRoute ${route} forwards ${path} to a backend on a public listener; ${exceptionSnippet("kubernetes-httproute-disallow-private-paths", "allowedPublicPaths", [path])}`,
};

const inGroup = (o: KubeObject, group: string, kind: string) => o.kind === kind && o.apiVersion.startsWith(`${group}/`);
const specOf = (o: KubeObject) => (o.object.spec as Json | undefined) ?? {};
const keyOf = (o: KubeObject) => `${namespaceOf(o)}/${String(o.name)}`;

/** Routes attached to an HTTPS listener of a Gateway in the stack (the public ones). */
function publicRoutes(objects: readonly KubeObject[]): KubeObject[] {
    const httpsListeners = new Set(
        objects
            .filter((o) => inGroup(o, GATEWAY_GROUP, "Gateway"))
            .flatMap((g) => ((specOf(g).listeners as Json[] | undefined) ?? []).filter((l) => l.protocol === "HTTPS").map((l) => `${namespaceOf(g)}/${String(g.name)}/${String(l.name)}`)),
    );
    return objects.filter(
        (o) =>
            inGroup(o, GATEWAY_GROUP, "HTTPRoute") &&
            ((specOf(o).parentRefs as Json[] | undefined) ?? []).some((ref) => {
                const ns = String(ref.namespace ?? namespaceOf(o));
                // A parentRef without sectionName attaches to every listener.
                return ref.sectionName === undefined ? [...httpsListeners].some((l) => l.startsWith(`${ns}/${String(ref.name)}/`)) : httpsListeners.has(`${ns}/${String(ref.name)}/${String(ref.sectionName)}`);
            }),
    );
}

const forwards = (rule: Json) => ((rule.backendRefs as unknown[] | undefined) ?? []).length > 0;

function targets(policy: KubeObject, kind: string, target: KubeObject): boolean {
    if (namespaceOf(policy) !== namespaceOf(target)) {
        return false;
    }
    const spec = specOf(policy);
    const refs = [...((spec.targetRefs as Json[] | undefined) ?? []), ...(spec.targetRef ? [spec.targetRef as Json] : [])];
    return refs.some((ref) => ref.kind === kind && ref.name === target.name);
}

/** A SecurityPolicy that signs on, validates the token and denies whoever no rule admits. */
function signsOnWithDefaultDeny(policy: KubeObject): boolean {
    const spec = specOf(policy);
    const oidc = spec.oidc as Json | undefined;
    const providers = ((spec.jwt as Json | undefined)?.providers as Json[] | undefined) ?? [];
    const authorization = spec.authorization as Json | undefined;
    const rules = (authorization?.rules as Json[] | undefined) ?? [];
    // Unset defaultAction means Allow (authorization_types.go): an unset field is the provider default.
    return oidc !== undefined && providers.length > 0 && authorization?.defaultAction === "Deny" && rules.some((r) => r.action === "Allow");
}

function routesOrNotApplicable(args: StackValidationArgs): { objects: KubeObject[]; routes: KubeObject[] } {
    const objects = kubeObjects(args.resources);
    const routes = publicRoutes(objects);
    if (routes.length === 0) {
        args.notApplicable("no HTTPRoute on an HTTPS listener");
    }
    return { objects, routes };
}

export const kubernetesHttprouteEnforceSingleSignOn = stackPolicy(
    {
        name: "kubernetes-httproute-enforce-single-sign-on",
        description: "Every public route that reaches a backend is behind an OIDC SecurityPolicy with ID-token validation and default-deny authorization, unless named as an exception.",
        checklist: ["RBAC-5", "LOG-1"],
        severity: "critical",
        remediationSteps: "Set openclaw:identity (and leave openclaw:allowSharedTokenAuth false); for a route that must stay open, name it (namespace/name) in unauthenticatedRoutes.",
        configSchema: {
            properties: {
                unauthenticatedRoutes: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "namespace/name of HTTPRoutes allowed without single sign-on (the shared-token mode's route, or the opt-in self-authenticating surfaces).",
                },
            },
        },
        exceptions: ["unauthenticatedRoutes"],
    },
    (args, report) => {
        const { unauthenticatedRoutes } = args.getConfig<{ unauthenticatedRoutes: string[] }>();
        previewSafe((check) => {
            const { objects, routes } = routesOrNotApplicable(args);
            for (const route of routes) {
                check(() => {
                    if (unauthenticatedRoutes.includes(keyOf(route)) || !((specOf(route).rules as Json[] | undefined) ?? []).some(forwards)) {
                        return;
                    }
                    const guarded = objects.some((o) => inGroup(o, ENVOY_GROUP, "SecurityPolicy") && targets(o, "HTTPRoute", route) && signsOnWithDefaultDeny(o));
                    if (!guarded) {
                        report(MESSAGES.noSingleSignOn(keyOf(route)), route.resource.urn);
                    }
                });
            }
        });
    },
);

export const kubernetesClientTrafficPolicyEnforceIdentityHeaderRemoval = stackPolicy(
    {
        name: "kubernetes-client-traffic-policy-enforce-identity-header-removal",
        description: "When a SecurityPolicy turns claims into headers, the Gateway's ClientTrafficPolicy removes those headers and the identity headers from every client request first.",
        checklist: ["RBAC-5"],
        severity: "critical",
        remediationSteps: "Add every claimToHeaders header and the identity headers to the ClientTrafficPolicy's spec.headers.earlyRequestHeaders.remove.",
        configSchema: {
            properties: {
                identityHeaders: { type: "array", items: { type: "string" }, default: [...DEFAULT_IDENTITY_HEADERS], description: "Headers the backend trusts as identity set by the proxy." },
            },
        },
    },
    (args, report) => {
        const { identityHeaders } = args.getConfig<{ identityHeaders: string[] }>();
        previewSafe((check) => {
            check(() => {
                const objects = kubeObjects(args.resources);
                const securityPolicies = objects.filter((o) => inGroup(o, ENVOY_GROUP, "SecurityPolicy"));
                const claimHeaders = securityPolicies.flatMap((p) => (((specOf(p).jwt as Json | undefined)?.providers as Json[] | undefined) ?? []).flatMap((pr) => ((pr.claimToHeaders as Json[] | undefined) ?? []).map((c) => String(c.header))));
                if (securityPolicies.length === 0 && claimHeaders.length === 0) {
                    args.notApplicable("no SecurityPolicy sets identity headers");
                }
                const removed = new Set(
                    objects
                        .filter((o) => inGroup(o, ENVOY_GROUP, "ClientTrafficPolicy"))
                        .flatMap((p) => (((((specOf(p).headers as Json | undefined)?.earlyRequestHeaders as Json | undefined)?.remove as string[] | undefined) ?? []).map((h) => h.toLowerCase()))),
                );
                for (const header of [...new Set([...claimHeaders, ...identityHeaders].map((h) => h.toLowerCase()))]) {
                    if (!removed.has(header)) {
                        report(MESSAGES.headerNotRemoved(header));
                    }
                }
            });
        });
    },
);

/** Whether a PathPrefix value covers a path, element-wise as Gateway API matches it. */
const covers = (prefix: string, path: string) => prefix === "/" || path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);

export const kubernetesHttprouteDisallowPrivatePaths = stackPolicy(
    {
        name: "kubernetes-httproute-disallow-private-paths",
        description: "No public route forwards OpenClaw's non-public paths (/tools/invoke, the HTTP APIs, hooks, node joining, share links, workers) unless the path is named as allowed.",
        checklist: ["NET-4"],
        severity: "high",
        remediationSteps: "Leave the openclaw:allowPublic* keys false, so those paths answer 404 at the proxy; a path published on purpose goes in allowedPublicPaths.",
        configSchema: {
            properties: {
                allowedPublicPaths: { type: "array", items: { type: "string" }, default: [], description: "Paths of NON_PUBLIC_PATHS deliberately published (the opt-in surfaces)." },
            },
        },
        exceptions: ["allowedPublicPaths"],
    },
    (args, report) => {
        const { allowedPublicPaths } = args.getConfig<{ allowedPublicPaths: string[] }>();
        previewSafe((check) => {
            const { routes } = routesOrNotApplicable(args);
            check(() => {
                for (const path of NON_PUBLIC_PATHS.filter((p) => !allowedPublicPaths.includes(p))) {
                    // The rule with the longest covering prefix across the public routes decides (Gateway API precedence).
                    let best: { length: number; forwards: boolean; route: KubeObject } | undefined;
                    for (const route of routes) {
                        for (const rule of (specOf(route).rules as Json[] | undefined) ?? []) {
                            const matches = (rule.matches as Json[] | undefined) ?? [{ path: { type: "PathPrefix", value: "/" } }];
                            for (const match of matches) {
                                const m = (match.path as Json | undefined) ?? { type: "PathPrefix", value: "/" };
                                const value = String(m.value ?? "/");
                                const hit = m.type === "Exact" ? value === path : m.type === "RegularExpression" ? true : covers(value, path);
                                if (hit && (best === undefined || value.length > best.length || (value.length === best.length && forwards(rule)))) {
                                    best = { length: value.length, forwards: forwards(rule), route };
                                }
                            }
                        }
                    }
                    if (best?.forwards) {
                        report(MESSAGES.privatePathRouted(keyOf(best.route), path), best.route.resource.urn);
                    }
                }
            });
        });
    },
);

export const ingressAccessPolicies = [kubernetesHttprouteEnforceSingleSignOn, kubernetesClientTrafficPolicyEnforceIdentityHeaderRemoval, kubernetesHttprouteDisallowPrivatePaths];
