// External Secrets Operator and the ClusterSecretStore built from the platform's vault block and workload identity.
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import { WORKLOADS, type SecretStoreSeam } from "../seam";
import { chartRelease, CHARTS, type ChartSettings } from "./charts";
import { HardenedNamespace } from "./namespaces";
import { allowApiServerSpec, allowCredentialEndpointsSpec, allowHttpsEgressSpec, allowWebhookIngressSpec, createNetworkPolicy } from "./network-policies";
import { controllerResources, restrictedContainerSecurity, restrictedPodSecurity } from "./security";
import { identityPodLabels, identityServiceAccount } from "./workload-identity";

/** Namespaces labelled with this may read from the runtime ClusterSecretStore; no other namespace can. */
export const SECRET_STORE_CONSUMER_LABEL = "openclaw.io/runtime-secrets";

/** The ESO webhook serves on this port (chart default `webhook.port`). */
const WEBHOOK_PORT = 10250;

/**
 * Which resources the operator reconciles. Only ExternalSecrets reading the one ClusterSecretStore are used, so
 * nothing is pushed back to the vault and no namespaced SecretStore is served: a SecretStore that names no
 * credentials would be read with the controller's own cloud identity. The chart at helm-chart-2.6.0 installs the
 * SecretStore CRD whatever `crds.createSecretStore` says (hack/helm.generate.sh gates only Cluster* and PushSecret
 * CRDs on their create flag), so the guard is the controller's: with the SecretStore reconciler off no SecretStore
 * ever becomes Ready, and the flood gate makes ExternalSecrets refuse a store that is not Ready
 * (pkg/controllers/secretstore/client_manager.go `assertStoreIsUsable`, cmd/controller/root.go `--enable-flood-gate`,
 * default true, set here so a changed default cannot lift the guard). Reference: the project's guide
 * docs/guides/security-best-practices.md, "Selectively Disable Reconciliation of Resources".
 * The chart refuses processPushSecret: false while processClusterPushSecret is true
 * (deploy/charts/external-secrets/templates/_helpers.tpl `external-secrets.reconciler-sanity-test`).
 */
export const EXTERNAL_SECRETS_RECONCILERS = {
    processPushSecret: false,
    processClusterPushSecret: false,
    processClusterExternalSecret: false,
    processSecretStore: false,
    crds: {
        createPushSecret: false,
        createClusterPushSecret: false,
        createClusterExternalSecret: false,
        // The chart renders its CRDs as templates (hack/helm.generate.sh adds crds.annotations to each): without this,
        // replacing or uninstalling the Release deletes the ExternalSecret CRD and with it every ExternalSecret and
        // the Secrets they own. Helm keeps a resource with this annotation (helm.sh/docs/howto/charts_tips_and_tricks).
        annotations: { "helm.sh/resource-policy": "keep" },
    },
    extraArgs: { "enable-flood-gate": "true" },
} as const;

export interface ExternalSecretsArgs {
    /** The vault's provider block and the identity that reads it. */
    readonly seam: SecretStoreSeam;
    /** The platform's private ranges: the API server and its webhook calls come from there. */
    readonly privateCidrs: readonly string[];
    /** Where the chart is loaded from and its image digests (`openclaw:charts.externalSecrets`). */
    readonly chart: ChartSettings<"externalSecrets">;
    /** What must exist before the chart's pods can be scheduled and reach the API (the seam's `readyResources`). */
    readonly clusterReady: readonly pulumi.Resource[];
}

/** External Secrets Operator, its namespace and policies, and the one ClusterSecretStore OpenClaw reads from. */
export class ExternalSecrets extends pulumi.ComponentResource {
    /** The operator's Release; resources that need its CRDs or its running controller depend on it. */
    readonly release: Release;
    /** The ClusterSecretStore's name, for ExternalSecrets' `secretStoreRef`. Resolves once the store exists. */
    readonly clusterSecretStoreName: pulumi.Output<string>;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:ExternalSecrets", name, {}, opts);
        const { namespace: ns, serviceAccount } = WORKLOADS.externalSecrets;
        const namespace = new HardenedNamespace(`${name}-namespace`, { name: ns }, { parent: this });
        // The allow policies the Release waits on: pods started under deny-all alone fail their start checks (webhook
        // calls, API access), and the atomic Release rolls back.
        const policies: NetworkPolicy[] = [];
        const controller = { matchLabels: { "app.kubernetes.io/name": "external-secrets" } };
        policies.push(createNetworkPolicy(`${name}-allow-api-server`, namespace.name, "allow-api-server", allowApiServerSpec(args.privateCidrs), this));
        // The vault's endpoint (a private endpoint inside the network, or the identity provider on the internet).
        policies.push(createNetworkPolicy(`${name}-allow-https`, namespace.name, "allow-controller-https", allowHttpsEgressSpec([], controller), this));
        policies.push(createNetworkPolicy(`${name}-allow-webhook`, namespace.name, "allow-webhook-from-api-server", allowWebhookIngressSpec(WEBHOOK_PORT, args.privateCidrs, { matchLabels: { "app.kubernetes.io/name": "external-secrets-webhook" } }), this));
        const endpoints = args.seam.identity.credentialEndpoints ?? [];
        if (endpoints.length > 0) {
            policies.push(createNetworkPolicy(`${name}-allow-credentials`, namespace.name, "allow-credential-endpoints", allowCredentialEndpointsSpec(endpoints, controller), this));
        }

        const hardened = {
            podSecurityContext: restrictedPodSecurity(),
            securityContext: restrictedContainerSecurity(),
            resources: controllerResources("128Mi"),
        };
        this.release = new Release(
            `${name}-chart`,
            chartRelease("externalSecrets", {
                installCRDs: true,
                serviceAccount: identityServiceAccount(serviceAccount, args.seam.identity),
                podLabels: identityPodLabels(args.seam.identity),
                ...hardened,
                resources: controllerResources("256Mi"),
                ...EXTERNAL_SECRETS_RECONCILERS,
                webhook: { ...hardened, port: WEBHOOK_PORT },
                certController: hardened,
                serviceMonitor: { enabled: false },
            }, args.chart),
            // The namespace and its policies, the identity the controller reads the vault with, a schedulable cluster.
            { parent: this, dependsOn: [namespace, ...policies, ...args.seam.identity.dependsOn, ...args.clusterReady] },
        );

        const store = new CustomResource(
            `${name}-cluster-secret-store`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ClusterSecretStore",
                metadata: { name: "runtime-secrets" },
                spec: {
                    provider: args.seam.provider,
                    conditions: [{ namespaceSelector: { matchLabels: { [SECRET_STORE_CONSUMER_LABEL]: "true" } } }],
                },
            },
            // The ClusterSecretStore CRD and the webhook that validates it are installed by the chart.
            { parent: this, dependsOn: [this.release] },
        );
        this.clusterSecretStoreName = store.metadata.name;
        this.registerOutputs({ clusterSecretStoreName: this.clusterSecretStoreName, chartVersion: CHARTS.externalSecrets.version });
    }
}
