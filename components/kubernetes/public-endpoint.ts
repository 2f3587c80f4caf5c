// One gateway's public HTTPS endpoint: certificate, Gateway, HTTPS route, 301 redirect, TLS 1.3 and HSTS policy.
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { type CrdReleases, WAIT_FOR_ANNOTATION } from "./custom-resources";
import { IDENTITY_HEADERS } from "./openclaw-roles";
import { planRoutes, PUBLIC_SURFACE_NAMES, type PublicSurfaceChoice, surfaceMatches } from "./public-routes";
import { SingleSignOn, type SingleSignOnArgs } from "./sso";

/** The longest a stream lives under single sign-on: a typical ID-token lifetime (the IdPs docs/identity.md covers issue one-hour tokens by default). */
export const SIGNED_ON_STREAM_LIFETIME = "1h";

/** HSTS for one year on the host and its subdomains (TLS-3). */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

/**
 * TLS 1.2 suites allowed only under the named legacy exception: ECDHE key exchange with AES-256-GCM or
 * ChaCha20-Poly1305 (AEAD, forward secret). TLS 1.3 suites are fixed by Envoy's TLS library and are all AEAD.
 */
export const LEGACY_TLS12_CIPHERS = [
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
] as const;

/** The downstream TLS settings of a ClientTrafficPolicy: TLS 1.3 only, unless the legacy exception is on. */
export function clientTlsSettings(allowLegacyTls12: boolean): Record<string, unknown> {
    const common = { ecdhCurves: ["X25519", "P-256"], alpnProtocols: ["h2", "http/1.1"] };
    return allowLegacyTls12
        ? { minVersion: "1.2", maxVersion: "1.3", ciphers: [...LEGACY_TLS12_CIPHERS], ...common }
        : { minVersion: "1.3", maxVersion: "1.3", ...common };
}

export interface PublicEndpointArgs {
    /** The gateway's namespace; the Gateway, routes, certificate and policy live there. */
    readonly namespace: pulumi.Input<string>;
    /** The Gateway's name; Envoy Gateway labels the proxy pods serving it with this name. */
    readonly gatewayName: string;
    /** The public FQDN. Both listeners match only this host. */
    readonly hostname: string;
    readonly gatewayClassName: pulumi.Input<string>;
    /** The cert-manager ClusterIssuer that issues and renews the certificate. */
    readonly clusterIssuerName: pulumi.Input<string>;
    /** The Service the HTTPS route forwards to. */
    readonly backend: { readonly serviceName: pulumi.Input<string>; readonly port: number };
    /** TLS-4's named legacy exception: accept TLS 1.2 with ECDHE AEAD suites. Defaults to false (TLS 1.3 only). */
    readonly allowLegacyTls12?: boolean;
    /** The load balancer sends a PROXY protocol header; Envoy then requires one on every connection. */
    readonly proxyProtocol: boolean;
    /**
     * Single sign-on in front of the HTTPS route (`openclaw:identity`). Undefined only under the shared-token
     * weakening (`openclaw:allowSharedTokenAuth`): then OpenClaw's own token is the only gate.
     */
    readonly singleSignOn?: Omit<SingleSignOnArgs, "namespace" | "hostname" | "routeName" | "crdReleases">;
    /** The opt-in public surfaces (`openclaw:allowPublic*`). Defaults to none: only the Control UI and its WebSocket. */
    readonly publicSurfaces?: PublicSurfaceChoice;
    /** The Releases serving the CRDs: every resource here waits on Envoy Gateway's, the certificate on cert-manager's. */
    readonly crdReleases: CrdReleases;
    /** Who answers plain HTTP on port 80 with the 301 (TLS-2): see HttpRedirect. Defaults to `{ mode: "own" }`. */
    readonly httpRedirect?: HttpRedirect;
}

/**
 * The port-80 listener and its 301 redirect (TLS-2).
 * - `own`: the stack's only Gateway has a port-80 listener on its hostname and a redirect route for it.
 * - `shared`: with merged proxies, this Gateway alone listens on port 80, without a hostname, and one redirect route
 *   covers every gateway's hostname. Envoy Gateway rejects a Gateway-wide ClientTrafficPolicy on a plain-HTTP
 *   listener that shares its port with another Gateway's (envoyproxy/gateway internal/gatewayapi/clienttrafficpolicy.go
 *   validatePortOverlapForClientTrafficPolicy, helpers.go listenersWithSameHTTPPort exempts TLS only), which would
 *   leave port 80 without PROXY protocol; one port-80 listener keeps this Gateway's policy the only one there.
 * - `none`: no port-80 listener; the `shared` Gateway redirects this hostname.
 */
export type HttpRedirect = { readonly mode: "own" } | { readonly mode: "shared"; readonly hostnames: readonly string[] } | { readonly mode: "none" };

/** The HTTPRouteFilter that answers closed paths with 404 (Envoy Gateway api/v1alpha1/httproutefilter_types.go directResponse). */
export const NOT_PUBLIC_FILTER = "openclaw-not-public";

/** Ready once the Gateway reports the address of its load balancer. */
export const GATEWAY_ADDRESS_ASSIGNED = "jsonpath={.status.addresses[0].value}";

/** A Gateway's address as Gateway API reports it: the load balancer's IP address or its DNS name. */
export interface GatewayAddress {
    readonly type?: "IPAddress" | "Hostname" | string;
    readonly value: string;
}

/** The per-gateway half of the ingress: everything that names the gateway's hostname. */
export class PublicEndpoint extends pulumi.ComponentResource {
    /** The load balancer's address once the Gateway has one; undefined in a preview and under mocks. */
    readonly address: pulumi.Output<GatewayAddress | undefined>;

    constructor(name: string, args: PublicEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:PublicEndpoint", name, {}, opts);
        const tlsSecretName = `${args.gatewayName}-tls`;
        const redirect: HttpRedirect = args.httpRedirect ?? { mode: "own" };
        // Gateway API and Envoy Gateway kinds are served once Envoy Gateway's Release is (CrdReleases).
        const envoyGatewayCrds = args.crdReleases.envoyGateway;
        const certificate = new CustomResource(
            `${name}-certificate`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: { name: args.gatewayName, namespace: args.namespace },
                spec: {
                    secretName: tlsSecretName,
                    dnsNames: [args.hostname],
                    issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: args.clusterIssuerName },
                    // A fresh ECDSA P-256 key at every renewal; renewed 30 days before the 90-day expiry.
                    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                    renewBefore: "720h",
                },
            },
            { parent: this, dependsOn: [args.crdReleases.certManager] },
        );

        const sameNamespace = { namespaces: { from: "Same" } };
        const gateway = new CustomResource(
            `${name}-gateway`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: {
                    name: args.gatewayName,
                    namespace: args.namespace,
                    // `pulumi up` waits until the load balancer has an address, so the stack output names it
                    // (pulumi-kubernetes >= 4.18 await annotation; Envoy Gateway copies the proxy Service's
                    // load-balancer IP or hostname into status.addresses: envoyproxy/gateway
                    // internal/gatewayapi/status/gateway.go UpdateGatewayStatusProgrammedCondition).
                    annotations: { [WAIT_FOR_ANNOTATION]: GATEWAY_ADDRESS_ASSIGNED },
                },
                spec: {
                    gatewayClassName: args.gatewayClassName,
                    listeners: [
                        {
                            name: "https",
                            protocol: "HTTPS",
                            port: 443,
                            hostname: args.hostname,
                            tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: tlsSecretName }] },
                            allowedRoutes: sameNamespace,
                        },
                        ...httpListeners(redirect, args.hostname, sameNamespace),
                    ],
                },
                status: undefined,
            },
            { parent: this, dependsOn: [certificate, envoyGatewayCrds] },
        );
        const gatewayName = gateway.metadata.name;
        // An input the provider fills from the live object, so `status` is an output of the resource.
        const status = (gateway as unknown as { status: pulumi.Output<{ addresses?: GatewayAddress[] } | undefined> }).status;
        this.address = status.apply((s) => s?.addresses?.[0]);
        const plan = planRoutes(args.publicSurfaces ?? Object.fromEntries(PUBLIC_SURFACE_NAMES.map((n) => [n, false])) as unknown as PublicSurfaceChoice);
        const notPublic = new CustomResource(
            `${name}-not-public`,
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "HTTPRouteFilter",
                metadata: { name: NOT_PUBLIC_FILTER, namespace: args.namespace },
                spec: { directResponse: { statusCode: 404, contentType: "text/plain", body: { type: "Inline", inline: "Not Found" } } },
            },
            { parent: this, dependsOn: [envoyGatewayCrds] },
        );
        const backendRef = { name: args.backend.serviceName, port: args.backend.port };
        const routeName = `${args.gatewayName}-https`;

        const route = new CustomResource(
            `${name}-route-https`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name: routeName, namespace: args.namespace },
                spec: {
                    parentRefs: [{ name: gatewayName, sectionName: "https" }],
                    hostnames: [args.hostname],
                    rules: [
                        // Longer prefixes win over "/" (Gateway API HTTPRouteRule precedence), so these never reach OpenClaw.
                        {
                            matches: plan.closedPaths.map((value) => ({ path: { type: "PathPrefix", value } })),
                            filters: [{ type: "ExtensionRef", extensionRef: { group: "gateway.envoyproxy.io", kind: "HTTPRouteFilter", name: NOT_PUBLIC_FILTER } }],
                        },
                        {
                            matches: [{ path: { type: "PathPrefix", value: "/" } }],
                            // Under single sign-on the Authorization header holds the ID token the OAuth2 filter put
                            // there for the JWT provider; the router drops it after every filter has run, so that
                            // credential never reaches OpenClaw (which authenticates by the identity header instead).
                            ...(args.singleSignOn ? { filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { remove: ["Authorization"] } }] } : {}),
                            backendRefs: [backendRef],
                            // The Control UI and clients hold WebSockets open; a request timeout would cut them.
                            timeouts: { request: "0s" },
                        },
                    ],
                },
            },
            { parent: this, dependsOn: [notPublic, envoyGatewayCrds] },
        );
        if (plan.openSurfaces.length > 0) {
            // Self-authenticating surfaces a named key published: their own route, which no SecurityPolicy targets.
            new CustomResource(
                `${name}-route-open`,
                {
                    apiVersion: "gateway.networking.k8s.io/v1",
                    kind: "HTTPRoute",
                    metadata: { name: `${args.gatewayName}-open`, namespace: args.namespace },
                    spec: {
                        parentRefs: [{ name: gatewayName, sectionName: "https" }],
                        hostnames: [args.hostname],
                        rules: plan.openSurfaces.map((surface) => ({ matches: surfaceMatches(surface), backendRefs: [backendRef], timeouts: { request: "0s" } })),
                    },
                },
                { parent: this, dependsOn: [envoyGatewayCrds] },
            );
        }
        if (args.singleSignOn !== undefined) {
            new SingleSignOn(`${name}-sso`, { ...args.singleSignOn, namespace: args.namespace, hostname: args.hostname, routeName: route.metadata.name, crdReleases: args.crdReleases }, { parent: this });
        }
        if (redirect.mode !== "none") {
            new CustomResource(
                `${name}-route-redirect`,
                {
                    apiVersion: "gateway.networking.k8s.io/v1",
                    kind: "HTTPRoute",
                    metadata: { name: `${args.gatewayName}-redirect`, namespace: args.namespace },
                    spec: {
                        parentRefs: [{ name: gatewayName, sectionName: "http" }],
                        hostnames: redirect.mode === "own" ? [args.hostname] : [...redirect.hostnames],
                        // The only route on port 80 (TLS-2). Gateway API's default redirect status is 302.
                        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
                    },
                },
                { parent: this, dependsOn: [envoyGatewayCrds] },
            );
        }

        new CustomResource(
            `${name}-client-traffic-policy`,
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "ClientTrafficPolicy",
                metadata: { name: args.gatewayName, namespace: args.namespace },
                spec: {
                    targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gatewayName }],
                    tls: clientTlsSettings(args.allowLegacyTls12 ?? false),
                    headers: {
                        requestID: "PreserveOrGenerate",
                        // Before any filter, routing or logging: a client never supplies an identity header (the JWT
                        // provider appends rather than replaces, so a client copy would ride along).
                        earlyRequestHeaders: { remove: [...Object.values(IDENTITY_HEADERS)] },
                        withUnderscoresAction: "RejectRequest",
                        // Late response headers reach every response, Envoy's own error pages included.
                        lateResponseHeaders: { set: [{ name: "Strict-Transport-Security", value: HSTS_VALUE }] },
                    },
                    // The cloud load balancer is layer 4 and adds no X-Forwarded-For hop: trust none from clients.
                    clientIPDetection: { xForwardedFor: { numTrustedHops: 0 } },
                    ...(args.proxyProtocol ? { proxyProtocol: {} } : {}),
                    timeout: { http: { requestReceivedTimeout: "30s" } },
                    // Under sign-on every stream, WebSockets included, is reset after an hour (HCM max_stream_duration:
                    // envoyproxy/gateway v1.9.0 connection_types.go ConnectionLimit.MaxStreamDuration, translator
                    // listener.go), so an open Control UI passes the login, the ID token check and the role reconciler
                    // again at least hourly: a person disabled at the IdP keeps no socket longer than that.
                    ...(args.singleSignOn ? { connection: { connectionLimit: { maxStreamDuration: SIGNED_ON_STREAM_LIFETIME } } } : {}),
                },
            },
            { parent: this, dependsOn: [envoyGatewayCrds] },
        );
        this.registerOutputs({});
    }
}

/** The Gateway's port-80 listener, if it has one (HttpRedirect). */
function httpListeners(redirect: HttpRedirect, hostname: string, allowedRoutes: Record<string, unknown>): Record<string, unknown>[] {
    switch (redirect.mode) {
        case "own":
            return [{ name: "http", protocol: "HTTP", port: 80, hostname, allowedRoutes }];
        case "shared":
            // No hostname: it takes every gateway's hostname on port 80; its route says which ones are redirected.
            return [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes }];
        case "none":
            return [];
    }
}
