// The cloud-agnostic Kubernetes layer: everything that runs on the cluster, built only from the platform seam.
import * as pulumi from "@pulumi/pulumi";
import { MODEL_PROVIDER_NAMES } from "../../config/providers";
import type { StackConfig } from "../../config/read";
import { APP_NAMESPACES, type PlatformSeam } from "../seam";
import { CertManager } from "./cert-manager";
import { CHARTS } from "./charts";
import { ExternalSecrets } from "./external-secrets";
import { FluentBit } from "./fluent-bit";
import { IngressController } from "./ingress";
import { HardenedNamespace } from "./namespaces";
import { OpenClawGateway } from "./openclaw";
import { publicSurfaceChoice } from "./public-routes";
import { ClusterRbac } from "./rbac";
import { Reloader } from "./reloader";
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

        const ingress = new IngressController(`${name}-ingress`, { seam: platform.ingress, privateCidrs, chart: charts.envoyGateway, clusterReady }, { parent: this });
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
            createSsoEgressPolicies(`${name}-sso-egress`, ingress.proxyNamespace, privateCidrs, this);
        }
        const sandbox = new HardenedNamespace(`${name}-sandbox`, { name: APP_NAMESPACES.sandbox, labels: { "app.kubernetes.io/part-of": "openclaw" } }, { parent: this });

        // Today one gateway, from config; a team that needs isolation gets another instance with its own namespace.
        const modelProviders = MODEL_PROVIDER_NAMES.filter((p) => config.modelProviderKeys[p] !== undefined);
        const gateway = new OpenClawGateway(
            `${name}-gateway`,
            {
                namespace: APP_NAMESPACES.openclaw,
                // Single sign-on at the ingress unless the shared-token weakening is chosen (config/schema.ts).
                authMode: config.identity === undefined ? "token" : "trusted-proxy",
                hostname: config.hostname,
                openclaw: config.openclaw,
                modelProviders,
                secrets: {
                    clusterSecretStoreName: externalSecrets.clusterSecretStoreName,
                    gatewayTokenRemoteKey: platform.secretStore.gatewayTokenRemoteKey,
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
                    singleSignOn: singleSignOn(config, platform, externalSecrets.clusterSecretStoreName),
                    publicSurfaces: publicSurfaceChoice(config),
                },
                clusterReady,
                reloader: reloader.release,
            },
            { parent: this },
        );

        new ClusterRbac(
            `${name}-rbac`,
            {
                groups: platform.cluster.groups,
                gatewayNamespaces: [APP_NAMESPACES.openclaw],
                sandboxNamespace: APP_NAMESPACES.sandbox,
                deploymentName: "openclaw",
                namespaces: [gateway, sandbox],
            },
            { parent: this },
        );

        this.outputs = {
            openclawNamespace: gateway.namespace,
            certificateIssuer: certManager.clusterIssuerName,
            tlsPolicy: config.allowLegacyTls12 ? "TLS 1.2 (ECDHE AEAD) and 1.3: legacy exception on" : "TLS 1.3 only",
            chartVersions: Object.fromEntries(Object.entries(CHARTS).map(([key, chart]) => [key, chart.version])),
        };
        this.registerOutputs(this.outputs);
    }
}

/** Single sign-on's arguments, or undefined under the shared-token weakening. */
function singleSignOn(config: StackConfig, platform: PlatformSeam, clusterSecretStoreName: pulumi.Output<string>) {
    if (config.identity === undefined) {
        return undefined;
    }
    const remoteKey = platform.secretStore.identityClientSecretRemoteKey;
    if (remoteKey === undefined) {
        throw new pulumi.RunError("the platform stored no OIDC client secret although openclaw:identity is set");
    }
    return { identity: config.identity, clusterSecretStoreName, clientSecretRemoteKey: remoteKey, refreshInterval: SECRET_REFRESH_INTERVAL };
}

/** The caller's providers (list or map) plus the cluster's, which wins for the `kubernetes` package. */
function withProvider(providers: pulumi.ComponentResourceOptions["providers"], cluster: pulumi.ProviderResource): pulumi.ComponentResourceOptions["providers"] {
    if (Array.isArray(providers)) {
        // A later provider of the same package replaces an earlier one when the SDK builds its map.
        return [...providers, cluster];
    }
    return { ...providers, kubernetes: cluster };
}
