// One OpenClaw gateway: its namespace, secrets, config, storage, Deployment, policies and public endpoint.
import { createHash } from "crypto";
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
import { gatewaySecretEnvVar, OPENCLAW_PORT, OPENCLAW_PROCESS_ENV, renderOpenClawJson, type GatewayAuthMode } from "./openclaw-json";
import { type GatewayAddress, PublicEndpoint, type PublicEndpointArgs } from "./public-endpoint";
import { RELOADER_WATCH_LABEL, reloaderAnnotations } from "./reloader";
import { ROLE_RECONCILER, roleReconcilerConfig, roleReconcilerProgram } from "./role-reconciler";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./security";

/** The image's `node` user. */
const OPENCLAW_UID = 1000;
const HOME = "/home/node";
const CONFIG_DIR = "/etc/openclaw";
/** Where the init container finds the ConfigMap's file (root-owned, group-readable through fsGroup). */
const CONFIG_SOURCE_DIR = "/etc/openclaw-source";
const CONFIG_FILE = "openclaw.json";
const CONFIG_MAP_NAME = "openclaw-config";
/** The state volume's mount point and, inside it, OpenClaw's state dir (0700, owned by the node user). */
const STATE_MOUNT = `${HOME}/.openclaw`;
export const STATE_DIR = `${STATE_MOUNT}/state`;

/**
 * Share of the container's memory limit given to V8's old space (`--max-old-space-size`), so Node collects garbage
 * before the kernel kills the pod. 75% is the ratio of OpenClaw's own Fly template (1536 of 2048 MB,
 * docs/install/fly.md); native memory, buffers and the other heap spaces use the rest
 * (docs/gateway/troubleshooting/gateway-service-and-process.md).
 */
export const HEAP_SHARE_OF_MEMORY_LIMIT = 0.75;

const MEMORY_UNIT_MIB: Readonly<Record<string, number>> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/** The V8 old-space cap in MiB for a Kubernetes memory limit such as `4Gi` (the config schema's quantity form). */
export function heapCapMiB(memoryLimit: string): number {
    const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(memoryLimit);
    if (!match) {
        throw new Error(`heapCapMiB: ${JSON.stringify(memoryLimit)} is not a memory quantity such as 4Gi`);
    }
    return Math.floor(Number(match[1]) * MEMORY_UNIT_MIB[match[2]] * HEAP_SHARE_OF_MEMORY_LIMIT);
}

/**
 * The init container's script: copy the mounted config to a file the node user owns with mode 0400, and create the
 * state dir with mode 0700 inside the volume. Kubernetes mounts ConfigMap files root-owned and group-readable, and
 * fsGroup makes the volume root group-writable; OpenClaw's audit warns on both (fs.config.perms_group_readable,
 * fs.state_dir.perms_group_writable, seen with 2026.9.6). Node, not a shell: the image's one certain binary.
 */
export const PREPARE_SCRIPT = [
    "const fs=require('fs');",
    `fs.mkdirSync('${STATE_DIR}',{recursive:true,mode:0o700});fs.chmodSync('${STATE_DIR}',0o700);`,
    `fs.copyFileSync('${CONFIG_SOURCE_DIR}/${CONFIG_FILE}','${CONFIG_DIR}/${CONFIG_FILE}');fs.chmodSync('${CONFIG_DIR}/${CONFIG_FILE}',0o400);`,
].join("");

/**
 * A probe that passes only when `path` answers JSON whose `field` equals `expected`. OpenClaw answers unknown paths
 * with 200 and the Control UI, so an httpGet probe (status code only) would pass against a broken route; the check
 * runs `node` inside the container against loopback instead.
 */
export function jsonBodyProbe(
    path: string,
    field: string,
    expected: true | string,
    timing: { periodSeconds: number; failureThreshold: number },
): inputs.core.v1.Probe {
    const script = `fetch('http://127.0.0.1:${OPENCLAW_PORT}${path}').then((r)=>r.json()).then((b)=>process.exit(b.${field}===${JSON.stringify(expected)}?0:1)).catch(()=>process.exit(1))`;
    return { exec: { command: ["node", "-e", script] }, timeoutSeconds: 5, ...timing };
}

/** The pod template annotation that carries the hash of the ConfigMaps the pod mounts. */
export const CONFIG_HASH_ANNOTATION = "openclaw.io/config-sha256";

/** SHA-256 over the mounted ConfigMaps' data, keys sorted: equal data, equal hash; any change, a rollout. */
export function configHash(...configMaps: readonly Readonly<Record<string, string>>[]): string {
    const hash = createHash("sha256");
    for (const data of configMaps) {
        for (const key of Object.keys(data).sort()) {
            hash.update(`${key}\0${data[key]}\0`);
        }
        hash.update("\u0001");
    }
    return hash.digest("hex");
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
    /**
     * How people authenticate: `trusted-proxy` (the ingress's single sign-on, set when `openclaw:identity` is) or
     * `token` (the weakening `openclaw:allowSharedTokenAuth`). Decides the env var the vault's gateway secret is
     * exported as (the break-glass password or the shared token). Defaults to `trusted-proxy`.
     */
    readonly authMode?: GatewayAuthMode;
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
        /** Who answers port 80 with the redirect: see PublicEndpointArgs. Defaults to this Gateway alone, on its hostname. */
        readonly httpRedirect?: PublicEndpointArgs["httpRedirect"];
        /**
         * Single sign-on (`openclaw:identity`, with this gateway's role groups): see PublicEndpointArgs. When set, the
         * pod also runs the role reconciler, which ext_authz asks about every signed-on request and which makes each
         * person's OpenClaw role follow their groups (./role-reconciler); this component adds its ConfigMap, sidecar,
         * Service and port. Undefined under the shared-token weakening: none of that is created.
         */
        readonly singleSignOn?: Omit<NonNullable<PublicEndpointArgs["singleSignOn"]>, "roleReconciler">;
        /** The opt-in public surfaces: see PublicEndpointArgs. */
        readonly publicSurfaces?: PublicEndpointArgs["publicSurfaces"];
    };
    /** What must exist before the pod can be scheduled and reach the API (the seam's `readyResources`). */
    readonly clusterReady: readonly pulumi.Resource[];
    /** Reloader's Release: it restarts the Deployment when its Secret changes. */
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
        const authMode = args.authMode ?? "trusted-proxy";
        const gatewaySecretEnv = gatewaySecretEnvVar(authMode);

        const configData = {
            [CONFIG_FILE]: JSON.stringify(
                renderOpenClawJson({
                    hostname: args.hostname,
                    trustedProxyCidrs: args.trustedProxyCidrs,
                    modelProviders: args.modelProviders,
                    authMode,
                    stateVolumeSize: args.openclaw.storageSize,
                }),
                null,
                2,
            ),
        };
        const configMap = new ConfigMap(`${name}-config`, { metadata: { name: CONFIG_MAP_NAME, namespace: ns, labels: appLabels }, data: configData }, { parent: this });
        const sso = args.ingress.singleSignOn;
        // The role reconciler's config (this gateway's issuer, client and role groups) and its program, shipped as is.
        const reconcilerData = sso && {
            [ROLE_RECONCILER.configFile]: JSON.stringify(roleReconcilerConfig(sso.identity), null, 2),
            [ROLE_RECONCILER.programFile]: roleReconcilerProgram(),
        };
        const reconcilerConfigMap =
            reconcilerData &&
            new ConfigMap(`${name}-role-reconciler`, { metadata: { name: ROLE_RECONCILER.configMapName, namespace: ns, labels: appLabels }, data: reconcilerData }, { parent: this });

        const secretData = [
            // The vault's gateway secret: the shared token, or under trusted-proxy auth the in-pod break-glass password.
            { secretKey: gatewaySecretEnv, remoteRef: { key: args.secrets.gatewayTokenRemoteKey } },
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

        const fromSecret = (envName: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: RUNTIME_SECRET.name, key: envName } } });
        const secretEnv = [gatewaySecretEnv, ...args.modelProviders.map((p) => MODEL_PROVIDERS[p].envVar)].map(fromSecret);
        // Where OpenClaw, and the OpenClaw CLI run next to it, find the config and the state.
        const openclawPaths = [
            { name: "HOME", value: HOME },
            { name: "OPENCLAW_CONFIG_PATH", value: `${CONFIG_DIR}/${CONFIG_FILE}` },
            { name: "OPENCLAW_STATE_DIR", value: STATE_DIR },
        ];
        const processEnv = Object.entries(OPENCLAW_PROCESS_ENV).map(([envName, value]) => ({ name: envName, value }));
        const openclawMounts = [
            // The init container's 0400 copy, read-only: OpenClaw's audit flags a config reached
            // through the ConfigMap volume's symlinks or readable by the group. Changes still arrive: the
            // pod template's config hash rolls the pod out and the copy is made again.
            { name: "config", mountPath: CONFIG_DIR, readOnly: true },
            { name: "state", mountPath: STATE_MOUNT },
            { name: "xdg-config", mountPath: `${HOME}/.config/openclaw` },
            { name: "tmp", mountPath: "/tmp" },
        ];
        const reconcilerVolume = "role-reconciler";
        const reconcilerHealthProbe = (periodSeconds: number): inputs.core.v1.Probe => ({
            httpGet: { path: ROLE_RECONCILER.healthPath, port: ROLE_RECONCILER.port },
            timeoutSeconds: 5,
            periodSeconds,
            failureThreshold: 3,
        });
        // The role reconciler (./role-reconciler/program.ts): it calls `users.setRole` through the OpenClaw CLI exactly
        // as `kubectl exec` into the gateway container would, so it has the same paths, process env and volumes (the
        // CLI shares OpenClaw's state dir and its lock files under /tmp), and of the Secret only the break-glass
        // password it authenticates with, never a model key.
        const reconcilerContainer: inputs.core.v1.Container | undefined = reconcilerConfigMap && {
            name: "role-reconciler",
            image: args.openclaw.image,
            imagePullPolicy: "IfNotPresent",
            command: ["node", `${ROLE_RECONCILER.mountPath}/${ROLE_RECONCILER.programFile}`],
            ports: [{ name: "role-reconciler", containerPort: ROLE_RECONCILER.port, protocol: "TCP" }],
            env: [{ name: ROLE_RECONCILER.configEnv, value: `${ROLE_RECONCILER.mountPath}/${ROLE_RECONCILER.configFile}` }, ...openclawPaths, ...processEnv, fromSecret(gatewaySecretEnv)],
            securityContext: restrictedContainerSecurity(OPENCLAW_UID),
            // Measured by npm run test:e2e (OpenClaw 2026.9.6, Node 24): the server peaks at 94 MiB and each CLI call
            // it spawns (one at a time) at 224 MiB; the request covers the server, the limit both with headroom.
            resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "1", memory: "768Mi" } },
            // The program answers 200 on its health path and 404 on any unknown one, so a status-code probe is honest
            // here (unlike OpenClaw's catch-all, see jsonBodyProbe).
            readinessProbe: reconcilerHealthProbe(10),
            livenessProbe: reconcilerHealthProbe(30),
            volumeMounts: [...openclawMounts, { name: reconcilerVolume, mountPath: ROLE_RECONCILER.mountPath, readOnly: true }],
        };
        const deployment = new Deployment(
            `${name}-deployment`,
            {
                // Reloader restarts the pod when External Secrets rewrites the Secret in place (a rotation); config
                // changes roll out through the template's hash.
                metadata: { name: "openclaw", namespace: ns, labels: appLabels, annotations: reloaderAnnotations(RUNTIME_SECRET.name) },
                spec: {
                    replicas: 1,
                    strategy: { type: "Recreate" },
                    selector: { matchLabels: appLabels },
                    template: {
                        // A change of either ConfigMap changes the pod template, so the Deployment rolls out: the
                        // Kubernetes provider replaces a ConfigMap whose data changes (delete, then create: pulumi-kubernetes
                        // provider/pkg/provider/diff.go, unless enableConfigMapMutable), and Reloader acts on updates only.
                        metadata: { labels: appLabels, annotations: { [CONFIG_HASH_ANNOTATION]: configHash(configData, reconcilerData || {}) } },
                        spec: {
                            serviceAccountName: serviceAccount.metadata.name,
                            automountServiceAccountToken: false,
                            enableServiceLinks: false,
                            securityContext: { ...restrictedPodSecurity(OPENCLAW_UID), fsGroupChangePolicy: "OnRootMismatch" },
                            initContainers: [
                                {
                                    name: "prepare",
                                    image: args.openclaw.image,
                                    imagePullPolicy: "IfNotPresent",
                                    command: ["node", "-e", PREPARE_SCRIPT],
                                    securityContext: restrictedContainerSecurity(OPENCLAW_UID),
                                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                                    volumeMounts: [
                                        { name: "config-source", mountPath: CONFIG_SOURCE_DIR, readOnly: true },
                                        { name: "config", mountPath: CONFIG_DIR },
                                        { name: "state", mountPath: STATE_MOUNT },
                                    ],
                                },
                            ],
                            containers: [
                                {
                                    name: "openclaw",
                                    image: args.openclaw.image,
                                    imagePullPolicy: "IfNotPresent",
                                    ports: [{ name: "http", containerPort: OPENCLAW_PORT, protocol: "TCP" }],
                                    env: [
                                        ...openclawPaths,
                                        { name: "NODE_OPTIONS", value: `--max-old-space-size=${heapCapMiB(args.openclaw.resources.limits.memory)}` },
                                        ...processEnv,
                                        ...secretEnv,
                                    ],
                                    securityContext: restrictedContainerSecurity(OPENCLAW_UID),
                                    resources: { requests: { ...args.openclaw.resources.requests }, limits: { ...args.openclaw.resources.limits } },
                                    // docs/install/kubernetes.md: a five-minute startup budget, and for images from 2026.8.1
                                    // on /startupz for startup and traffic admission (a failing channel does not evict the
                                    // gateway); /healthz for liveness. /startupz answers `status: "started"` (docs/gateway/health.md).
                                    startupProbe: jsonBodyProbe("/startupz", "status", "started", { periodSeconds: 5, failureThreshold: 60 }),
                                    livenessProbe: jsonBodyProbe("/healthz", "ok", true, { periodSeconds: 30, failureThreshold: 3 }),
                                    readinessProbe: jsonBodyProbe("/startupz", "status", "started", { periodSeconds: 10, failureThreshold: 3 }),
                                    volumeMounts: openclawMounts,
                                },
                                ...(reconcilerContainer ? [reconcilerContainer] : []),
                            ],
                            volumes: [
                                { name: "config-source", configMap: { name: configMap.metadata.name, defaultMode: 0o440 } },
                                { name: "config", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
                                { name: "state", persistentVolumeClaim: { claimName: volumeClaim.metadata.name } },
                                { name: "xdg-config", emptyDir: { sizeLimit: "64Mi" } },
                                { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
                                ...(reconcilerConfigMap ? [{ name: reconcilerVolume, configMap: { name: reconcilerConfigMap.metadata.name, defaultMode: 0o440 } }] : []),
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
        // What ext_authz's backendRef names (sso.ts roleReconcilerExtAuth), in this namespace.
        const reconcilerService =
            sso &&
            new Service(
                `${name}-role-reconciler-service`,
                {
                    metadata: { name: ROLE_RECONCILER.serviceName, namespace: ns, labels: appLabels },
                    spec: {
                        type: "ClusterIP",
                        selector: appLabels,
                        ports: [{ name: "role-reconciler", port: ROLE_RECONCILER.port, targetPort: ROLE_RECONCILER.port, protocol: "TCP" }],
                    },
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
                    // The proxies reach pods directly (Envoy Gateway routes to the Service's endpoints), on OpenClaw's
                    // port and, under single sign-on, on the role reconciler's, which ext_authz asks.
                    ports: [{ protocol: "TCP", port: OPENCLAW_PORT }, ...(sso ? [{ protocol: "TCP", port: ROLE_RECONCILER.port }] : [])],
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
                singleSignOn: sso && reconcilerService && { ...sso, roleReconciler: { serviceName: reconcilerService.metadata.name, service: reconcilerService } },
                publicSurfaces: args.ingress.publicSurfaces,
                crdReleases: args.crdReleases,
                httpRedirect: args.ingress.httpRedirect,
            },
            { parent: this },
        );
        this.address = endpoint.address;
        // PublicEndpoint names the ClientTrafficPolicy after the Gateway, in the gateway's namespace.
        this.clientTrafficPolicy = pulumi.interpolate`${ns}/${gatewayName}`;
        this.registerOutputs({ namespace: this.namespace });
    }
}
