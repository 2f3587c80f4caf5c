// One OpenClaw gateway: its namespace, secrets, config, storage, Deployment, policies and public endpoint.
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Deployment } from "@pulumi/kubernetes/apps/v1";
import { ConfigMap, PersistentVolumeClaim, Service, ServiceAccount } from "@pulumi/kubernetes/core/v1";
import type * as inputs from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import { MODEL_PROVIDERS, type ModelProvider } from "../../config/providers";
import type { OpenClawConfig } from "../../config/schema";
import { RUNTIME_SECRET } from "../seam";
import { type CrdReleases, EXTERNAL_SECRET_SYNCED, WAIT_FOR_ANNOTATION } from "./custom-resources";
import { SECRET_STORE_CONSUMER_LABEL } from "./external-secrets";
import { INGRESS_BACKEND_LABEL, OWNING_GATEWAY_LABELS, PROXY_POD_LABELS } from "./ingress";
import { HardenedNamespace } from "./namespaces";
import { allowHttpsEgressSpec, createNetworkPolicy } from "./network-policies";
import { OPENCLAW_PORT, OPENCLAW_PROCESS_ENV, renderOpenClawJson } from "./openclaw-json";
import { type GatewayAddress, PublicEndpoint, type PublicEndpointArgs } from "./public-endpoint";
import { RELOADER_WATCH_LABEL, reloaderAnnotations } from "./reloader";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./security";

/** The image's `node` user. */
const OPENCLAW_UID = 1000;
const HOME = "/home/node";
const CONFIG_DIR = "/etc/openclaw";
const CONFIG_FILE = "openclaw.json";
const CONFIG_MAP_NAME = "openclaw-config";

/**
 * A probe that passes only when `path` answers JSON whose `field` is `true`. OpenClaw answers unknown paths with
 * 200 and the Control UI, so an httpGet probe (status code only) would pass against a broken route; the check runs
 * `node` inside the container against loopback instead.
 */
export function jsonBodyProbe(path: string, field: string, timing: { periodSeconds: number; failureThreshold: number }): inputs.core.v1.Probe {
    const script = `fetch('http://127.0.0.1:${OPENCLAW_PORT}${path}').then((r)=>r.json()).then((b)=>process.exit(b.${field}===true?0:1)).catch(()=>process.exit(1))`;
    return { exec: { command: ["node", "-e", script] }, timeoutSeconds: 5, ...timing };
}

/** How the gateway's ExternalSecret finds its values in the vault. */
export interface GatewaySecretsArgs {
    /** The ClusterSecretStore that reads the vault. */
    readonly clusterSecretStoreName: pulumi.Input<string>;
    readonly gatewayTokenRemoteKey: pulumi.Input<string>;
    readonly modelProviderRemoteKeys: Readonly<Partial<Record<ModelProvider, pulumi.Input<string>>>>;
    /** How often External Secrets re-reads the vault; must be far below the rotation period. */
    readonly refreshInterval: string;
}

export interface OpenClawGatewayArgs {
    /** The gateway's namespace (one operator per gateway: teams that need isolation get a gateway each). */
    readonly namespace: string;
    /** Public FQDN of this gateway. */
    readonly hostname: string;
    /** Image, resources and storage size from config. */
    readonly openclaw: OpenClawConfig["openclaw"];
    /** Model providers whose key is configured; the others get no env var. */
    readonly modelProviders: readonly ModelProvider[];
    readonly secrets: GatewaySecretsArgs;
    /** StorageClass whose volumes the platform encrypts with its key. */
    readonly storageClassName: pulumi.Input<string>;
    /** Pod ranges: the only peers whose X-Forwarded-For OpenClaw trusts (the Envoy proxies are pods). */
    readonly trustedProxyCidrs: readonly string[];
    /** Ranges OpenClaw must not reach on 443 (network, pods, services); link-local is always excluded. */
    readonly privateCidrs: readonly string[];
    /** Peered networks OpenClaw may reach, with their ports (from `network.peerings`). */
    readonly peerings: OpenClawConfig["network"]["peerings"];
    /** The ingress the gateway is published through. */
    readonly ingress: {
        readonly gatewayClassName: pulumi.Input<string>;
        readonly proxyNamespace: string;
        readonly clusterIssuerName: pulumi.Input<string>;
        readonly proxyProtocol: boolean;
        readonly allowLegacyTls12: boolean;
        /**
         * True when the stack has several gateways and Envoy Gateway merges them onto one proxy fleet (EnvoyProxy
         * `mergeGateways`): the proxy pods then carry the GatewayClass label instead of one Gateway's. Defaults to false.
         */
        readonly mergedProxies?: boolean;
        /** Single sign-on and the opt-in public surfaces: see PublicEndpointArgs. */
        readonly singleSignOn?: PublicEndpointArgs["singleSignOn"];
        readonly publicSurfaces?: PublicEndpointArgs["publicSurfaces"];
    };
    /** What must exist before the pod can be scheduled and reach the API (the seam's `readyResources`). */
    readonly clusterReady: readonly pulumi.Resource[];
    /** Reloader's Release: it restarts the Deployment when its Secret or ConfigMap changes. */
    readonly reloader: pulumi.Resource;
    /** The Releases serving the CRDs of the ExternalSecret, the certificate, the Gateway, routes and policies. */
    readonly crdReleases: CrdReleases;
}

/** One OpenClaw gateway, single instance by design (state lock, one WhatsApp session): 1 replica, Recreate, RWO. */
export class OpenClawGateway extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    /** The address of this gateway's load balancer, for the DNS record of its hostname. */
    readonly address: pulumi.Output<GatewayAddress | undefined>;
    /** `namespace/name` of this gateway's ClientTrafficPolicy: what the pack's `legacyTlsExceptions` names. */
    readonly clientTrafficPolicy: pulumi.Output<string>;

    constructor(name: string, args: OpenClawGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:OpenClawGateway", name, {}, opts);
        const appLabels = { "app.kubernetes.io/name": "openclaw", "app.kubernetes.io/instance": args.namespace };
        const namespace = new HardenedNamespace(
            `${name}-namespace`,
            {
                name: args.namespace,
                labels: { "app.kubernetes.io/part-of": "openclaw", [SECRET_STORE_CONSUMER_LABEL]: "true", [RELOADER_WATCH_LABEL]: "true", [INGRESS_BACKEND_LABEL]: "true" },
            },
            { parent: this },
        );
        this.namespace = namespace.name;
        const ns = namespace.name;

        const configMap = new ConfigMap(
            `${name}-config`,
            {
                metadata: { name: CONFIG_MAP_NAME, namespace: ns, labels: appLabels },
                data: {
                    [CONFIG_FILE]: JSON.stringify(
                        renderOpenClawJson({ hostname: args.hostname, trustedProxyCidrs: args.trustedProxyCidrs, modelProviders: args.modelProviders }),
                        null,
                        2,
                    ),
                },
            },
            { parent: this },
        );

        const secretData = [
            { secretKey: RUNTIME_SECRET.gatewayTokenKey, remoteRef: { key: args.secrets.gatewayTokenRemoteKey } },
            ...args.modelProviders.map((provider) => {
                const remoteKey = args.secrets.modelProviderRemoteKeys[provider];
                if (remoteKey === undefined) {
                    throw new pulumi.ResourceError(`model provider ${provider} is configured but the platform gave no vault key for it`, this);
                }
                return { secretKey: MODEL_PROVIDERS[provider].envVar, remoteRef: { key: remoteKey } };
            }),
        ];
        const externalSecret = new CustomResource(
            `${name}-external-secret`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                // `pulumi up` waits until the Secret is written, so the Deployment below starts with it.
                metadata: { name: RUNTIME_SECRET.name, namespace: ns, labels: appLabels, annotations: { [WAIT_FOR_ANNOTATION]: EXTERNAL_SECRET_SYNCED } },
                spec: {
                    refreshInterval: args.secrets.refreshInterval,
                    secretStoreRef: { kind: "ClusterSecretStore", name: args.secrets.clusterSecretStoreName },
                    target: { name: RUNTIME_SECRET.name, creationPolicy: "Owner", deletionPolicy: "Retain" },
                    data: secretData,
                },
            },
            { parent: this, dependsOn: [args.crdReleases.externalSecrets] },
        );

        const volumeClaim = new PersistentVolumeClaim(
            `${name}-state`,
            {
                metadata: {
                    name: "openclaw-state",
                    namespace: ns,
                    labels: appLabels,
                    // The StorageClass binds on first consumer: the claim stays Pending until the pod exists.
                    annotations: { "pulumi.com/skipAwait": "true" },
                },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: args.storageClassName,
                    resources: { requests: { storage: args.openclaw.storageSize } },
                },
            },
            { parent: this },
        );

        const serviceAccount = new ServiceAccount(
            `${name}-service-account`,
            { metadata: { name: "openclaw", namespace: ns, labels: appLabels }, automountServiceAccountToken: false },
            { parent: this },
        );

        const secretEnv = [RUNTIME_SECRET.gatewayTokenKey, ...args.modelProviders.map((p) => MODEL_PROVIDERS[p].envVar)].map((envName) => ({
            name: envName,
            valueFrom: { secretKeyRef: { name: RUNTIME_SECRET.name, key: envName } },
        }));
        const deployment = new Deployment(
            `${name}-deployment`,
            {
                metadata: { name: "openclaw", namespace: ns, labels: appLabels, annotations: reloaderAnnotations(RUNTIME_SECRET.name, CONFIG_MAP_NAME) },
                spec: {
                    replicas: 1,
                    strategy: { type: "Recreate" },
                    selector: { matchLabels: appLabels },
                    template: {
                        metadata: { labels: appLabels },
                        spec: {
                            serviceAccountName: serviceAccount.metadata.name,
                            automountServiceAccountToken: false,
                            enableServiceLinks: false,
                            securityContext: { ...restrictedPodSecurity(OPENCLAW_UID), fsGroupChangePolicy: "OnRootMismatch" },
                            containers: [
                                {
                                    name: "openclaw",
                                    image: args.openclaw.image,
                                    imagePullPolicy: "IfNotPresent",
                                    ports: [{ name: "http", containerPort: OPENCLAW_PORT, protocol: "TCP" }],
                                    env: [
                                        { name: "HOME", value: HOME },
                                        { name: "OPENCLAW_CONFIG_PATH", value: `${CONFIG_DIR}/${CONFIG_FILE}` },
                                        { name: "OPENCLAW_STATE_DIR", value: `${HOME}/.openclaw` },
                                        ...Object.entries(OPENCLAW_PROCESS_ENV).map(([envName, value]) => ({ name: envName, value })),
                                        ...secretEnv,
                                    ],
                                    securityContext: restrictedContainerSecurity(OPENCLAW_UID),
                                    resources: { requests: { ...args.openclaw.resources.requests }, limits: { ...args.openclaw.resources.limits } },
                                    startupProbe: jsonBodyProbe("/healthz", "ok", { periodSeconds: 5, failureThreshold: 36 }),
                                    livenessProbe: jsonBodyProbe("/healthz", "ok", { periodSeconds: 30, failureThreshold: 3 }),
                                    readinessProbe: jsonBodyProbe("/readyz", "ready", { periodSeconds: 10, failureThreshold: 3 }),
                                    volumeMounts: [
                                        // A file, not the ConfigMap directory: OpenClaw's audit flags a config reached through the
                                        // volume's symlinks. Changes still arrive, as Reloader restarts the pod on a ConfigMap change.
                                        { name: "config", mountPath: `${CONFIG_DIR}/${CONFIG_FILE}`, subPath: CONFIG_FILE, readOnly: true },
                                        { name: "state", mountPath: `${HOME}/.openclaw` },
                                        { name: "xdg-config", mountPath: `${HOME}/.config/openclaw` },
                                        { name: "tmp", mountPath: "/tmp" },
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "config", configMap: { name: configMap.metadata.name, defaultMode: 0o440 } },
                                { name: "state", persistentVolumeClaim: { claimName: volumeClaim.metadata.name } },
                                { name: "xdg-config", emptyDir: { sizeLimit: "64Mi" } },
                                { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
                            ],
                        },
                    },
                },
            },
            // The Secret must exist before the pod starts, or the container fails on the missing key; the pod needs a
            // schedulable cluster; Reloader must be watching before the pod reads the Secret, or a rotation in between
            // leaves the pod on the old value (Reloader acts on changes it sees, not on state at its start).
            { parent: this, dependsOn: [externalSecret, ...args.clusterReady, args.reloader] },
        );

        const service = new Service(
            `${name}-service`,
            {
                metadata: { name: "openclaw", namespace: ns, labels: appLabels },
                spec: { type: "ClusterIP", selector: appLabels, ports: [{ name: "http", port: OPENCLAW_PORT, targetPort: OPENCLAW_PORT, protocol: "TCP" }] },
            },
            { parent: this, dependsOn: [deployment] },
        );

        const gatewayName = "openclaw";
        const podSelector = { matchLabels: appLabels };
        createNetworkPolicy(`${name}-allow-from-proxies`, ns, "allow-ingress-from-envoy", {
            podSelector,
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.ingress.proxyNamespace } },
                            podSelector: {
                                matchLabels: args.ingress.mergedProxies
                                    ? { ...PROXY_POD_LABELS, [OWNING_GATEWAY_LABELS.gatewayClass]: args.ingress.gatewayClassName }
                                    : { ...PROXY_POD_LABELS, [OWNING_GATEWAY_LABELS.name]: gatewayName, [OWNING_GATEWAY_LABELS.namespace]: ns },
                            },
                        },
                    ],
                    ports: [{ protocol: "TCP", port: OPENCLAW_PORT }],
                },
            ],
        }, this);
        createNetworkPolicy(`${name}-allow-https`, ns, "allow-https-to-internet", allowHttpsEgressSpec(args.privateCidrs, podSelector), this);
        args.peerings.forEach((peering) => {
            createNetworkPolicy(`${name}-allow-peering-${peering.name}`, ns, `allow-peering-${peering.name}`, {
                podSelector,
                policyTypes: ["Egress"],
                egress: [{ to: peering.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: peering.ports.map((port) => ({ protocol: "TCP", port })) }],
            }, this);
        });

        const endpoint = new PublicEndpoint(
            `${name}-endpoint`,
            {
                namespace: ns,
                gatewayName,
                hostname: args.hostname,
                gatewayClassName: args.ingress.gatewayClassName,
                clusterIssuerName: args.ingress.clusterIssuerName,
                backend: { serviceName: service.metadata.name, port: OPENCLAW_PORT },
                allowLegacyTls12: args.ingress.allowLegacyTls12,
                proxyProtocol: args.ingress.proxyProtocol,
                singleSignOn: args.ingress.singleSignOn,
                publicSurfaces: args.ingress.publicSurfaces,
                crdReleases: args.crdReleases,
            },
            { parent: this },
        );
        this.address = endpoint.address;
        // PublicEndpoint names the ClientTrafficPolicy after the Gateway, in the gateway's namespace.
        this.clientTrafficPolicy = pulumi.interpolate`${ns}/${gatewayName}`;
        this.registerOutputs({ namespace: this.namespace });
    }
}
