// The cloud-agnostic Kubernetes layer: everything that runs on the cluster, built only from the platform seam.
import * as pulumi from "@pulumi/pulumi";
import { MODEL_PROVIDER_NAMES } from "../../config/providers";
import type { StackConfig } from "../../config/read";
import { planGateways, type GatewayPlan } from "../../config/gateways";
import type { IdentityConfig } from "../../config/schema";
import type { PlatformSeam } from "../seam";
import { CertManager } from "./cert-manager";
import { CHARTS } from "./charts";
import { ExternalSecrets } from "./external-secrets";
import { FluentBit } from "./fluent-bit";
import { IngressController } from "./ingress";
import { HardenedNamespace } from "./namespaces";
import { OpenClawGateway } from "./openclaw";
import type { HttpRedirect } from "./public-endpoint";
import { publicSurfaceChoice } from "./public-routes";
import { ClusterRbac } from "./rbac";
import { Reloader } from "./reloader";
import { SecretIsolation } from "./secret-isolation";
import { createSsoEgressPolicies } from "./sso";

/**
 * How often External Secrets re-reads the vault. Rotation is every 30-90 days (`rotationDays`), so a rotated value
 * reaches the pod within an hour, and Reloader restarts it.
 */
export const SECRET_REFRESH_INTERVAL = "1h";

export interface KubernetesLayerArgs {
    /** The validated stack config. */
    readonly config: StackConfig;
    /** What the cloud platform hands over. */
    readonly platform: PlatformSeam;
}

export class KubernetesLayer extends pulumi.ComponentResource {
    /** Stack outputs this layer contributes. No secrets. */
    readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;

    constructor(name: string, args: KubernetesLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every child inherits the platform's provider for the private cluster.
        super("openclaw:kubernetes:Layer", name, {}, { ...opts, providers: withProvider(opts?.providers, args.platform.cluster.provider) });
        const { config, platform } = args;
        const privateCidrs = platform.cluster.privateCidrs;
        // Nodes, CNI, CoreDNS and the deployer's API access: every Release and Deployment below waits on these itself,
        // since `dependsOn` on a component does not reach the resources inside it.
        const clusterReady = platform.cluster.readyResources;
        const charts = config.charts;

        const ingress = new IngressController(
            `${name}-ingress`,
            { seam: platform.ingress, privateCidrs, chart: charts.envoyGateway, clusterReady, mergeGateways: planGateways(config).length > 1, singleSignOn: config.identity !== undefined },
            { parent: this },
        );
        const certManager = new CertManager(
            `${name}-cert-manager`,
            {
                seam: platform.certManager,
                acmeEnvironment: config.acmeEnvironment,
                acmeEmail: config.acmeEmail,
                privateCidrs,
                chart: charts.certManager,
                clusterReady,
                // The Envoy Gateway chart installs the Gateway API CRDs cert-manager's Gateway API support watches.
                gatewayApiCrds: ingress.release,
            },
            { parent: this },
        );
        const externalSecrets = new ExternalSecrets(`${name}-external-secrets`, { seam: platform.secretStore, privateCidrs, chart: charts.externalSecrets, clusterReady }, { parent: this });
        const reloader = new Reloader(`${name}-reloader`, { privateCidrs, chart: charts.reloader, clusterReady }, { parent: this });
        new FluentBit(`${name}-fluent-bit`, { seam: platform.logShipping, privateCidrs, chart: charts.fluentBit, clusterReady }, { parent: this });
        if (config.identity !== undefined) {
            createSsoEgressPolicies(`${name}-sso-egress`, ingress.proxyNamespaceName, privateCidrs, this);
        }
        // One gateway per entry of `openclaw:gateways` (config/gateways.ts); the first is the stack's own and keeps
        // the logical names of a stack with one gateway, so adding a team replaces nothing that exists.
        const gateways = planGateways(config);
        const modelProviders = MODEL_PROVIDER_NAMES.filter((p) => config.modelProviderKeys[p] !== undefined);
        // Every custom resource below waits on the Release that serves its CRD (custom-resources.ts).
        const crdReleases = { envoyGateway: ingress.release, certManager: certManager.release, externalSecrets: externalSecrets.release };
        const built = gateways.map((plan) => {
            const prefix = plan.primary ? name : `${name}-${plan.name}`;
            const tokenKey = plan.primary ? platform.secretStore.gatewayTokenRemoteKey : platform.secretStore.gatewayTokenRemoteKeys?.[plan.name];
            if (tokenKey === undefined) {
                throw new pulumi.RunError(`the platform stored no gateway token for gateway ${plan.name} of openclaw:gateways`);
            }
            const sandbox = new HardenedNamespace(`${prefix}-sandbox`, { name: plan.sandboxNamespace, labels: { "app.kubernetes.io/part-of": "openclaw" } }, { parent: this });
            const sso = singleSignOn(config, platform, externalSecrets.clusterSecretStoreName, plan);
            const gateway = new OpenClawGateway(
                `${prefix}-gateway`,
                {
                    namespace: plan.namespace,
                    // Single sign-on at the ingress unless the shared-token weakening is chosen (config/schema.ts).
                    authMode: config.identity === undefined ? "token" : "trusted-proxy",
                    hostname: plan.hostname,
                    openclaw: { ...config.openclaw, storageSize: plan.storageSize },
                    modelProviders,
                    secrets: {
                        clusterSecretStoreName: externalSecrets.clusterSecretStoreName,
                        gatewayTokenRemoteKey: tokenKey,
                        modelProviderRemoteKeys: platform.secretStore.modelProviderRemoteKeys,
                        refreshInterval: SECRET_REFRESH_INTERVAL,
                    },
                    storageClassName: platform.cluster.encryptedStorageClassName,
                    trustedProxyCidrs: platform.cluster.podCidrs,
                    privateCidrs,
                    peerings: config.network.peerings,
                    ingress: {
                        gatewayClassName: ingress.gatewayClassName,
                        proxyNamespace: ingress.proxyNamespace,
                        clusterIssuerName: certManager.clusterIssuerName,
                        proxyProtocol: platform.ingress.proxyProtocol,
                        allowLegacyTls12: config.allowLegacyTls12,
                        mergedProxies: gateways.length > 1,
                        httpRedirect: httpRedirect(gateways, plan),
                        singleSignOn: sso,
                        publicSurfaces: publicSurfaceChoice(config),
                    },
                    clusterReady,
                    reloader: reloader.release,
                    crdReleases,
                },
                { parent: this },
            );
            if (gateways.length > 1) {
                // Only with several gateways: a stack with one keeps exactly the resources it had.
                const allowedKeys = [tokenKey, ...modelProviders.map((p) => platform.secretStore.modelProviderRemoteKeys[p]).filter((k): k is pulumi.Input<string> => k !== undefined), ...(sso ? [sso.clientSecretRemoteKey] : [])];
                new SecretIsolation(`${prefix}-vault-keys`, { namespace: gateway.namespace, storeName: externalSecrets.clusterSecretStoreName, allowedKeys }, { parent: this });
            }
            return { plan, gateway, sandbox };
        });

        const [primary, ...teams] = built;
        new ClusterRbac(
            `${name}-rbac`,
            {
                groups: platform.cluster.groups,
                gatewayNamespaces: [primary.plan.namespace],
                sandboxNamespace: primary.plan.sandboxNamespace,
                deploymentName: "openclaw",
                namespaces: built.flatMap((b) => [b.gateway, b.sandbox]),
                teamGateways: teams.map(({ plan }) => {
                    const groups = platform.cluster.gatewayGroups?.[plan.name];
                    if (groups === undefined) {
                        throw new pulumi.RunError(`the platform gave no Kubernetes groups for gateway ${plan.name} of openclaw:gateways`);
                    }
                    return { namespace: plan.namespace, sandboxNamespace: plan.sandboxNamespace, groups };
                }),
            },
            { parent: this },
        );

        // The public record each gateway's hostname needs, one per gateway; the first keeps its logical name.
        // Where clients reach a gateway: the platform's public ingress address if it has one, else the Gateway's own.
        const publicTarget = (gateway: OpenClawGateway): pulumi.Output<string | undefined> => platform.publicDns.publicAddress ?? gateway.address.apply((a) => a?.value);
        const dnsRecords = built.map(({ plan, gateway }) => {
            const target = publicTarget(gateway);
            if (config.manageDnsRecord) {
                const prefix = plan.primary ? name : `${name}-${plan.name}`;
                platform.publicDns.createRecord(`${prefix}-dns-record`, { hostname: plan.hostname, target: target.apply((t) => requireAddress(t, plan)) }, { parent: this });
            }
            return target.apply((value) => ({
                name: plan.hostname,
                type: platform.publicDns.recordType,
                value,
                zone: config.dnsZoneId,
                managedByStack: config.manageDnsRecord,
            }));
        });

        this.outputs = {
            // The public address of the ingress: the platform's own one (a firewall's) where it has one, not an internal LB's.
            loadBalancerAddress: publicTarget(primary.gateway),
            dnsRecords,
            openclawNamespace: primary.gateway.namespace,
            ...(teams.length > 0 ? { gateways: Object.fromEntries(built.map(({ plan, gateway }) => [plan.name, { url: `https://${plan.hostname}`, namespace: gateway.namespace, sandboxNamespace: plan.sandboxNamespace }])) } : {}),
            certificateIssuer: certManager.clusterIssuerName,
            tlsPolicy: config.allowLegacyTls12 ? "TLS 1.2 (ECDHE AEAD) and 1.3: legacy exception on" : "TLS 1.3 only",
            // What a TLS-4 exception names in the pack config (legacyTlsExceptions), one per gateway.
            clientTrafficPolicies: built.map(({ gateway }) => gateway.clientTrafficPolicy),
            chartVersions: Object.fromEntries(Object.entries(CHARTS).map(([key, chart]) => [key, chart.version])),
        };
        this.registerOutputs(this.outputs);
    }
}

/**
 * The managed record's target, or a clear failure. Known only after the Gateway has an address (`pulumi up` waits for
 * it; a preview leaves it unknown and never gets here). It fails rather than skipping the record: registering the
 * record only once the value is known would delete a live managed record whenever a refresh lost the address, and an
 * empty target is rejected by the cloud API with a message that names neither the Gateway nor the cause.
 */
export function requireAddress(address: string | undefined, plan: GatewayPlan): string {
    if (address === undefined || address === "") {
        throw new pulumi.RunError(
            `openclaw:manageDnsRecord: Gateway ${plan.namespace}/openclaw reports no address in status.addresses, so the record for ${plan.hostname} has no target; check the Envoy proxy's LoadBalancer Service, then run pulumi up --refresh`,
        );
    }
    return address;
}

/**
 * Who redirects a gateway's port 80. One gateway: its own listener, as before. Merged proxies: the first Gateway alone
 * listens on port 80, for every gateway's hostname, so its ClientTrafficPolicy is the only one on that shared plain-HTTP
 * listener (Envoy Gateway refuses several: see HttpRedirect in public-endpoint.ts).
 */
export function httpRedirect(gateways: readonly GatewayPlan[], gateway: GatewayPlan): HttpRedirect {
    if (gateways.length === 1) {
        return { mode: "own" };
    }
    return gateway.primary ? { mode: "shared", hostnames: gateways.map((g) => g.hostname) } : { mode: "none" };
}

/**
 * Single sign-on's arguments for one gateway, or undefined under the shared-token weakening: the stack's issuer and
 * client (one registration, every gateway's callback URL on it) with the gateway's own role groups.
 */
function singleSignOn(config: StackConfig, platform: PlatformSeam, clusterSecretStoreName: pulumi.Output<string>, gateway: GatewayPlan) {
    if (config.identity === undefined || gateway.roleGroups === undefined) {
        return undefined;
    }
    const remoteKey = platform.secretStore.identityClientSecretRemoteKey;
    if (remoteKey === undefined) {
        throw new pulumi.RunError("the platform stored no OIDC client secret although openclaw:identity is set");
    }
    const identity = gateway.primary ? config.identity : { ...config.identity, roleGroups: copyRoleGroups(gateway.roleGroups) };
    return { identity, clusterSecretStoreName, clientSecretRemoteKey: remoteKey, refreshInterval: SECRET_REFRESH_INTERVAL };
}

function copyRoleGroups(lists: NonNullable<GatewayPlan["roleGroups"]>): IdentityConfig["roleGroups"] {
    return { admin: [...lists.admin], operator: [...lists.operator], developer: [...lists.developer], auditor: [...lists.auditor] };
}

/** The caller's providers (list or map) plus the cluster's, which wins for the `kubernetes` package. */
function withProvider(providers: pulumi.ComponentResourceOptions["providers"], cluster: pulumi.ProviderResource): pulumi.ComponentResourceOptions["providers"] {
    if (Array.isArray(providers)) {
        // A later provider of the same package replaces an earlier one when the SDK builds its map.
        return [...providers, cluster];
    }
    return { ...providers, kubernetes: cluster };
}
