// Envoy Gateway: the controller chart, the proxy fleet's EnvoyProxy (load balancer, JSON access log) and the GatewayClass.
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import type { IngressSeam } from "../seam";
import { chartRelease, CHARTS, type ChartSettings } from "./charts";
import { HardenedNamespace } from "./namespaces";
import { ANYWHERE_CIDR, allowApiServerSpec, createNetworkPolicy } from "./network-policies";
import { IDENTITY_HEADERS } from "./openclaw-roles";
import { controllerResources, restrictedContainerSecurity, restrictedPodSecurity } from "./security";

/** Envoy Gateway's images run as this non-root user. */
const ENVOY_UID = 65532;
/** Envoy Gateway maps a listener port below 1024 to port + 10000 inside the pod, so Envoy needs no capability. */
export const PROXY_CONTAINER_PORTS = { http: 10080, https: 10443 } as const;
/**
 * The shutdown-manager sidecar marks the end of a drain by creating /tmp/shutdown-ready, and the Envoy container's
 * preStop polls for that file (envoyproxy/gateway internal/cmd/envoy/shutdown_manager.go ShutdownReadyFile, v1.9.0 and
 * main d32f282942). Its root filesystem is read-only here, so /tmp is a small emptyDir of its own.
 */
export const SHUTDOWN_SCRATCH = { volume: "shutdown-manager-tmp", mountPath: "/tmp", sizeLimit: "1Mi" } as const;
/** The controller serves the proxies' xDS configuration on this port. */
const XDS_PORT = 18000;
/** Labels Envoy Gateway puts on proxy pods and on the controller pod. */
export const PROXY_POD_LABELS = { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" } as const;
export const CONTROLLER_POD_LABELS = { "control-plane": "envoy-gateway" } as const;
/** Namespaces whose Services the proxies may reach carry this label (the OpenClaw gateways' namespaces). */
export const INGRESS_BACKEND_LABEL = "openclaw.io/ingress-backend";
/**
 * Labels Envoy Gateway puts on a proxy pod: the Gateway it serves and that Gateway's namespace, or, when the
 * EnvoyProxy merges gateways, the GatewayClass (envoyproxy/gateway internal/gatewayapi, OwningGatewayNameLabel,
 * OwningGatewayNamespaceLabel, OwningGatewayClassLabel).
 */
export const OWNING_GATEWAY_LABELS = {
    name: "gateway.envoyproxy.io/owning-gateway-name",
    namespace: "gateway.envoyproxy.io/owning-gateway-namespace",
    gatewayClass: "gateway.envoyproxy.io/owning-gatewayclass",
} as const;

/**
 * One JSON access-log line per request (LOG-1, LOG-3): time, client address (after PROXY protocol), method, path
 * without its query string, status, bytes, duration, request id, and the user: the verified immutable id the JWT
 * provider put in the identity header (`-` before sign-on). Clients cannot supply that header (the
 * ClientTrafficPolicy removes it first), and an IdP subject, never an e-mail, survives the Fluent Bit masking.
 * No header that carries a credential or a cookie is logged.
 */
export const ACCESS_LOG_FORMAT: Readonly<Record<string, string>> = {
    start_time: "%START_TIME%",
    request_id: "%REQ(X-REQUEST-ID)%",
    client_ip: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
    tls_client_subject: "%DOWNSTREAM_PEER_SUBJECT%",
    user: `%REQ(${IDENTITY_HEADERS.user.toUpperCase()})%`,
    method: "%REQ(:METHOD)%",
    authority: "%REQ(:AUTHORITY)%",
    path: "%PATH(NQ:ORIG)%",
    protocol: "%PROTOCOL%",
    status: "%RESPONSE_CODE%",
    response_flags: "%RESPONSE_FLAGS%",
    bytes_received: "%BYTES_RECEIVED%",
    bytes_sent: "%BYTES_SENT%",
    duration_ms: "%DURATION%",
    tls_version: "%DOWNSTREAM_TLS_VERSION%",
    tls_cipher: "%DOWNSTREAM_TLS_CIPHER%",
    user_agent: "%REQ(USER-AGENT)%",
    route: "%ROUTE_NAME%",
    upstream_host: "%UPSTREAM_HOST%",
};

/**
 * Where ext_authz (the role reconciler's check) sits in the proxies' HTTP filter chain: after jwt_authn. By default
 * Envoy Gateway orders ext_authz (6) before OAuth2 (9) and jwt_authn (10) (envoyproxy/gateway v1.9.0
 * internal/xds/translator/httpfilters.go newOrderedHTTPFilter), so the check would run before the OAuth2 filter put
 * the ID token in Authorization. A FilterPosition with `after` moves every ext_authz filter behind the last jwt_authn
 * one (sortHTTPFilters), still before RBAC (301), so the reconciler also sees the people the authorization rules deny
 * and removes their role. Filter names: the EnvoyFilter enum of api/v1alpha1/envoyproxy_types.go (v1.9.0).
 */
export const EXT_AUTHZ_AFTER_JWT = { name: "envoy.filters.http.ext_authz", after: "envoy.filters.http.jwt_authn" } as const;

export interface IngressControllerArgs {
    /** Load-balancer annotations and client-address behaviour from the platform. */
    readonly seam: IngressSeam;
    /** The platform's private ranges, where the API server's address lies. */
    readonly privateCidrs: readonly string[];
    /** Proxy replicas; two keep the endpoint up through a node drain. Defaults to 2. */
    readonly proxyReplicas?: number;
    /** Where the chart is loaded from and its image digests (`openclaw:charts.envoyGateway`). */
    readonly chart: ChartSettings<"envoyGateway">;
    /** What must exist before the chart's pods can be scheduled and reach the API (the seam's `readyResources`). */
    readonly clusterReady: readonly pulumi.Resource[];
    /**
     * Serve every Gateway of the class from one proxy fleet and one load balancer (EnvoyProxy `mergeGateways`,
     * envoyproxy/gateway api/v1alpha1/envoyproxy_types.go: listeners must differ in port, protocol or hostname).
     * Set for a stack with several gateways: the platform gives the ingress one address (a platform may name one static public IP),
     * and each gateway's listeners carry its own hostname. Defaults to false (one gateway: nothing changes).
     */
    readonly mergeGateways?: boolean;
    /**
     * Single sign-on runs on these proxies (`openclaw:identity` is set): the EnvoyProxy then orders ext_authz after
     * jwt_authn (EXT_AUTHZ_AFTER_JWT). Defaults to false (the shared-token weakening: no SecurityPolicy, no ext_authz).
     */
    readonly singleSignOn?: boolean;
}

/** Envoy Gateway in `envoy-gateway-system`, one EnvoyProxy template, one GatewayClass every OpenClaw gateway uses. */
export class IngressController extends pulumi.ComponentResource {
    readonly gatewayClassName: pulumi.Output<string>;
    /** The Envoy Gateway Release: it installs the Gateway API and Envoy Gateway CRDs, served once it is ready. */
    readonly release: Release;
    /** The namespace the proxy pods run in (Envoy Gateway deploys proxies next to the controller). */
    readonly proxyNamespace: string = CHARTS.envoyGateway.namespace;
    /** The same namespace as the Namespace resource's output: what goes in the namespace waits on it. */
    readonly proxyNamespaceName: pulumi.Output<string>;

    constructor(name: string, args: IngressControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:IngressController", name, {}, opts);
        const namespace = new HardenedNamespace(`${name}-namespace`, { name: CHARTS.envoyGateway.namespace }, { parent: this });
        this.proxyNamespaceName = namespace.name;
        // The allow policies the Release waits on: pods started under deny-all alone fail their start checks (webhook
        // calls, API access), and the atomic Release rolls back.
        const policies: NetworkPolicy[] = [];
        const notProxies = { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: ["envoy"] }] };
        const proxies = { matchLabels: { ...PROXY_POD_LABELS } };
        policies.push(createNetworkPolicy(`${name}-allow-api-server`, namespace.name, "allow-api-server", allowApiServerSpec(args.privateCidrs, notProxies), this));
        policies.push(createNetworkPolicy(`${name}-allow-xds`, namespace.name, "allow-xds-from-proxies", {
            podSelector: { matchLabels: { ...CONTROLLER_POD_LABELS } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: proxies }], ports: [{ protocol: "TCP", port: XDS_PORT }] }],
        }, this));
        // Who may reach 80/443 is decided at the cloud load balancer and firewall; inside, the proxies take any source.
        policies.push(createNetworkPolicy(`${name}-allow-proxy-listeners`, namespace.name, "allow-proxy-listeners", {
            podSelector: proxies,
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ ipBlock: { cidr: ANYWHERE_CIDR } }], ports: Object.values(PROXY_CONTAINER_PORTS).map((port) => ({ protocol: "TCP", port })) }],
        }, this));
        policies.push(createNetworkPolicy(`${name}-allow-proxy-egress`, namespace.name, "allow-proxy-egress", {
            podSelector: proxies,
            policyTypes: ["Egress"],
            egress: [
                { to: [{ podSelector: { matchLabels: { ...CONTROLLER_POD_LABELS } } }], ports: [{ protocol: "TCP", port: XDS_PORT }] },
                { to: [{ namespaceSelector: { matchLabels: { [INGRESS_BACKEND_LABEL]: "true" } } }] },
            ],
        }, this));

        const release = (this.release = new Release(
            `${name}-chart`,
            chartRelease("envoyGateway", {
                deployment: {
                    envoyGateway: { resources: controllerResources("512Mi"), securityContext: restrictedContainerSecurity(ENVOY_UID) },
                },
                certgen: { job: { resources: controllerResources("128Mi"), securityContext: restrictedContainerSecurity(ENVOY_UID) } },
                // The topology injector is a mutating webhook on pod bindings; zone-aware routing is not needed here.
                topologyInjector: { enabled: false },
            }, args.chart),
            // The namespace and its policies, and a schedulable cluster.
            { parent: this, dependsOn: [namespace, ...policies, ...args.clusterReady] },
        ));

        const proxyContainer = { securityContext: restrictedContainerSecurity(ENVOY_UID), resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } } };
        const envoyProxy = new CustomResource(
            `${name}-envoy-proxy`,
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "EnvoyProxy",
                metadata: { name: "openclaw-proxy", namespace: namespace.name },
                spec: {
                    provider: {
                        type: "Kubernetes",
                        kubernetes: {
                            envoyDeployment: {
                                replicas: args.proxyReplicas ?? 2,
                                pod: {
                                    securityContext: restrictedPodSecurity(ENVOY_UID),
                                    volumes: [{ name: SHUTDOWN_SCRATCH.volume, emptyDir: { sizeLimit: SHUTDOWN_SCRATCH.sizeLimit } }],
                                },
                                container: proxyContainer,
                                // The shutdown-manager sidecar has no field of its own; patch it to the same settings,
                                // plus the writable /tmp its drain needs (containers merge by name, mounts by path).
                                patch: {
                                    type: "StrategicMerge",
                                    value: {
                                        spec: {
                                            template: {
                                                spec: {
                                                    containers: [
                                                        {
                                                            name: "shutdown-manager",
                                                            ...proxyContainer,
                                                            resources: controllerResources("128Mi"),
                                                            volumeMounts: [{ name: SHUTDOWN_SCRATCH.volume, mountPath: SHUTDOWN_SCRATCH.mountPath }],
                                                        },
                                                    ],
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                            envoyService: {
                                type: "LoadBalancer",
                                annotations: { ...args.seam.loadBalancerAnnotations },
                                externalTrafficPolicy: args.seam.externalTrafficPolicy,
                            },
                            envoyPDB: { minAvailable: 1 },
                        },
                    },
                    ...(args.mergeGateways ? { mergeGateways: true } : {}),
                    ...(args.singleSignOn ? { filterOrder: [{ ...EXT_AUTHZ_AFTER_JWT }] } : {}),
                    telemetry: {
                        accessLog: {
                            settings: [{ format: { type: "JSON", json: { ...ACCESS_LOG_FORMAT } }, sinks: [{ type: "File", file: { path: "/dev/stdout" } }] }],
                        },
                    },
                },
            },
            { parent: this, dependsOn: [release] },
        );

        const gatewayClass = new CustomResource(
            `${name}-gateway-class`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "GatewayClass",
                metadata: { name: "openclaw" },
                spec: {
                    controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
                    parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: envoyProxy.metadata.name, namespace: namespace.name },
                },
            },
            // The GatewayClass CRD comes with the Release too (custom-resources.ts).
            { parent: this, dependsOn: [envoyProxy, release] },
        );
        this.gatewayClassName = gatewayClass.metadata.name;
        this.registerOutputs({ gatewayClassName: this.gatewayClassName, chartVersion: CHARTS.envoyGateway.version });
    }
}
