// Access control at the ingress (RBAC-5, RBAC-6, LOG-1, NET-4): every public route behind single sign-on with default
// deny, each person's OpenClaw role synced from their IdP groups by the role reconciler, identity headers clients
// cannot forge, and OpenClaw's non-public paths kept off the public routes. Envoy Gateway fields: envoyproxy/gateway
// v1.9.0 api/v1alpha1/{securitypolicy,oidc,jwt,authorization,ext_auth,envoyproxy,clienttrafficpolicy}_types.go.
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

/**
 * The role reconciler's Service, port and check path, which ext_authz must call: components/kubernetes/
 * role-reconciler/index.ts ROLE_RECONCILER serviceName, port and checkPath. The pack is installed on its own
 * (policy-pack/package.json) and imports nothing from components/, so it states them here and
 * test/policy-pack/ingress-access.test.ts keeps them equal to the program's.
 */
export const ROLE_RECONCILER_BACKEND = { name: "openclaw-role-reconciler", port: 18780, checkPath: "/check" } as const;

/** Envoy HTTP filter names as EnvoyProxy filterOrder takes them (api/v1alpha1/envoyproxy_types.go EnvoyFilter, v1.9.0). */
export const ENVOY_FILTERS = { extAuthz: "envoy.filters.http.ext_authz", oauth2: "envoy.filters.http.oauth2", jwtAuthn: "envoy.filters.http.jwt_authn" } as const;

/** The filterOrder entry that runs ext_authz after sign-on (OAuth2) and ID-token validation (jwt_authn). */
export const EXT_AUTHZ_AFTER_JWT = { name: ENVOY_FILTERS.extAuthz, after: ENVOY_FILTERS.jwtAuthn } as const;

const reconcilerRef = `{ name: "${ROLE_RECONCILER_BACKEND.name}", port: ${ROLE_RECONCILER_BACKEND.port} }`;
const filterOrderFix = `add ${JSON.stringify(EXT_AUTHZ_AFTER_JWT)} to its spec.filterOrder (Envoy Gateway's default order runs ext_authz before oauth2 and jwt_authn: the role reconciler would see requests before sign-on, with no ID token, and deny them all)`;

export const MESSAGES = {
    noSingleSignOn: (route: string) =>
        `HTTPRoute ${route} forwards to a backend without a SecurityPolicy that signs people on (oidc), validates the ID token (jwt) and denies by default (authorization.defaultAction Deny with an Allow rule); ${exceptionSnippet("kubernetes-httproute-enforce-single-sign-on", "unauthenticatedRoutes", [route])}`,
    headerNotRemoved: (header: string) => `no ClientTrafficPolicy on the Gateway removes ${header} in headers.earlyRequestHeaders.remove: a client could send it and the JWT provider appends rather than replaces`,
    privatePathRouted: (route: string, path: string) =>
        `HTTPRoute ${route} forwards ${path} to a backend on a public listener; ${exceptionSnippet("kubernetes-httproute-disallow-private-paths", "allowedPublicPaths", [path])}`,
    noRoleSync: (policy: string) =>
        `SecurityPolicy ${policy} signs people on (oidc) but has no extAuth.http calling the role reconciler: OpenClaw roles would not follow IdP groups; set spec.extAuth.http.backendRefs [${reconcilerRef}] (pathOverride "${ROLE_RECONCILER_BACKEND.checkPath}", failOpen false)`,
    notReconciler: (policy: string, index: number, ref: string) =>
        `SecurityPolicy ${policy} extAuth.http.backendRefs[${index}] is ${ref}, not the role reconciler's Service ${reconcilerRef} in the SecurityPolicy's namespace: checks it answers would not sync roles`,
    failOpen: (policy: string) =>
        `SecurityPolicy ${policy} sets extAuth.failOpen true: while the role reconciler is unreachable, or its ext_authz config is invalid, requests pass with no role sync (ext_auth_types.go FailOpen); set it false or leave it unset`,
    noEnvoyProxy: (policy: string) => `SecurityPolicy ${policy} signs people on but the stack has no EnvoyProxy to order ext_authz after sign-on: create one (GatewayClass parametersRef) and ${filterOrderFix}`,
    extAuthzTooEarly: (proxy: string) => `EnvoyProxy ${proxy} does not run ${ENVOY_FILTERS.extAuthz} after ${ENVOY_FILTERS.oauth2} and ${ENVOY_FILTERS.jwtAuthn}: ${filterOrderFix}`,
    filterPlacedByOther: (proxy: string, index: number, name: string, anchor: string) =>
        `EnvoyProxy ${proxy} spec.filterOrder[${index}] moves ${name} relative to ${anchor}: where that leaves ext_authz depends on which filters the chain holds; order ${ENVOY_FILTERS.extAuthz}, ${ENVOY_FILTERS.oauth2} and ${ENVOY_FILTERS.jwtAuthn} only relative to each other, ending with ${JSON.stringify(EXT_AUTHZ_AFTER_JWT)}`,
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

/** The ext_authz backends of a SecurityPolicy: backendRefs and the deprecated backendRef (shared_types.go BackendCluster). */
const extAuthBackends = (http: Json) => [...((http.backendRefs as Json[] | undefined) ?? []), ...(http.backendRef ? [http.backendRef as Json] : [])];

/** Whether a backend reference names the role reconciler's Service in the SecurityPolicy's namespace. */
function isRoleReconciler(policy: KubeObject, ref: Json): boolean {
    // Unset kind, group and namespace mean a core Service in the policy's namespace (gateway-api BackendObjectReference).
    return (
        ref.name === ROLE_RECONCILER_BACKEND.name &&
        Number(ref.port) === ROLE_RECONCILER_BACKEND.port &&
        (ref.kind ?? "Service") === "Service" &&
        (ref.group ?? "") === "" &&
        (ref.namespace ?? namespaceOf(policy)) === namespaceOf(policy)
    );
}

/**
 * Where the ext_authz, oauth2 and jwt_authn filters end up once an EnvoyProxy's filterOrder is applied, or the
 * entry that places one of them relative to another filter. Envoy Gateway sorts by a default order (ext_authz 6,
 * oauth2 9, jwt_authn 10) and then applies each entry in turn, moving every filter of the entry's type before the
 * first or after the last filter of the anchor type, and skipping an entry whose filters are absent
 * (internal/xds/translator/httpfilters.go newOrderedHTTPFilter and sortHTTPFilters, v1.9.0). Moving another filter
 * keeps these three in their order, so only entries that move one of them count; one relative to a filter outside
 * the three lands where the chain's other filters put it, which the stack does not say.
 */
export function authFilterOrder(filterOrder: readonly Json[]): { order: string[] } | { placedByOther: { index: number; name: string; anchor: string } } {
    const three: readonly string[] = [ENVOY_FILTERS.extAuthz, ENVOY_FILTERS.oauth2, ENVOY_FILTERS.jwtAuthn];
    const order = [...three];
    for (const [index, entry] of filterOrder.entries()) {
        const name = String(entry.name);
        const anchor = String(entry.before ?? entry.after);
        if (!three.includes(name) || name === anchor) {
            continue;
        }
        if (!three.includes(anchor)) {
            return { placedByOther: { index, name, anchor } };
        }
        order.splice(order.indexOf(name), 1);
        order.splice(order.indexOf(anchor) + (entry.before !== undefined ? 0 : 1), 0, name);
    }
    return { order };
}

export const kubernetesSecurityPolicyEnforceRoleReconciler = stackPolicy(
    {
        name: "kubernetes-security-policy-enforce-role-reconciler",
        description:
            "Under single sign-on, every request is checked by the role reconciler (ext_authz, fail closed, after the OAuth2 and JWT filters), so each person's OpenClaw role follows their IdP groups with no manual step.",
        checklist: ["RBAC-6", "RBAC-1", "RBAC-2", "RBAC-3", "RBAC-4", "RBAC-5"],
        severity: "high",
        remediationSteps:
            `Give each SecurityPolicy with oidc spec.extAuth { http: { backendRefs: [${reconcilerRef}], pathOverride: "${ROLE_RECONCILER_BACKEND.checkPath}" }, failOpen: false }, and each EnvoyProxy spec.filterOrder [${JSON.stringify(EXT_AUTHZ_AFTER_JWT)}] (the role reconciler: components/kubernetes/role-reconciler).`,
    },
    (args, report) => {
        previewSafe((check) => {
            // As routesOrNotApplicable: a stack whose objects cannot be read yet gives the runtime's advisory.
            const objects = kubeObjects(args.resources);
            const signOn = objects.filter((o) => inGroup(o, ENVOY_GROUP, "SecurityPolicy") && specOf(o).oidc !== undefined);
            if (signOn.length === 0) {
                args.notApplicable("no SecurityPolicy signs people on (oidc)");
            }
            for (const policy of signOn) {
                check(() => {
                    const extAuth = specOf(policy).extAuth as Json | undefined;
                    const http = extAuth?.http as Json | undefined;
                    const backends = http === undefined ? [] : extAuthBackends(http);
                    if (backends.length === 0) {
                        report(MESSAGES.noRoleSync(keyOf(policy)), policy.resource.urn);
                    }
                    backends.forEach((ref, index) => {
                        // Several backends share the checks between them: each one must be the reconciler.
                        if (!isRoleReconciler(policy, ref)) {
                            report(MESSAGES.notReconciler(keyOf(policy), index, JSON.stringify(ref)), policy.resource.urn);
                        }
                    });
                    // Unset failOpen is false (ext_auth_types.go, +kubebuilder:default=false).
                    if (extAuth?.failOpen === true) {
                        report(MESSAGES.failOpen(keyOf(policy)), policy.resource.urn);
                    }
                });
            }
            const proxies = objects.filter((o) => inGroup(o, ENVOY_GROUP, "EnvoyProxy"));
            if (proxies.length === 0) {
                // Without an EnvoyProxy, Envoy Gateway's default order applies: ext_authz first.
                report(MESSAGES.noEnvoyProxy(keyOf(signOn[0])), signOn[0].resource.urn);
            }
            for (const proxy of proxies) {
                check(() => {
                    const placed = authFilterOrder((specOf(proxy).filterOrder as Json[] | undefined) ?? []);
                    if ("placedByOther" in placed) {
                        const { index, name, anchor } = placed.placedByOther;
                        report(MESSAGES.filterPlacedByOther(keyOf(proxy), index, name, anchor), proxy.resource.urn);
                        return;
                    }
                    const at = (filter: string) => placed.order.indexOf(filter);
                    if (at(ENVOY_FILTERS.extAuthz) < at(ENVOY_FILTERS.oauth2) || at(ENVOY_FILTERS.extAuthz) < at(ENVOY_FILTERS.jwtAuthn)) {
                        report(MESSAGES.extAuthzTooEarly(keyOf(proxy)), proxy.resource.urn);
                    }
                });
            }
        });
    },
);

export const ingressAccessPolicies = [kubernetesHttprouteEnforceSingleSignOn, kubernetesSecurityPolicyEnforceRoleReconciler, kubernetesClientTrafficPolicyEnforceIdentityHeaderRemoval, kubernetesHttprouteDisallowPrivatePaths];
