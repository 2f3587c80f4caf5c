// External Secrets Operator and the ClusterSecretStore built from the platform's vault block and workload identity.
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Release } from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";
import { WORKLOADS, type SecretStoreSeam } from "../seam";
import { chartRelease, CHARTS } from "./charts";
import { HardenedNamespace } from "./namespaces";
import { allowApiServerSpec, allowCredentialEndpointsSpec, allowHttpsEgressSpec, allowWebhookIngressSpec, createNetworkPolicy } from "./network-policies";
import { controllerResources, restrictedContainerSecurity, restrictedPodSecurity } from "./security";
import { identityPodLabels, identityServiceAccount } from "./workload-identity";

/** Namespaces labelled with this may read from the runtime ClusterSecretStore; no other namespace can. */
export const SECRET_STORE_CONSUMER_LABEL = "openclaw.io/runtime-secrets";

/** The ESO webhook serves on this port (chart default `webhook.port`). */
const WEBHOOK_PORT = 10250;

export interface ExternalSecretsArgs {
    /** The vault's provider block and the identity that reads it. */
    readonly seam: SecretStoreSeam;
    /** The platform's private ranges: the API server and its webhook calls come from there. */
    readonly privateCidrs: readonly string[];
}

/** External Secrets Operator, its namespace and policies, and the one ClusterSecretStore OpenClaw reads from. */
export class ExternalSecrets extends pulumi.ComponentResource {
    /** The ClusterSecretStore's name, for ExternalSecrets' `secretStoreRef`. Resolves once the store exists. */
    readonly clusterSecretStoreName: pulumi.Output<string>;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:ExternalSecrets", name, {}, opts);
        const { namespace: ns, serviceAccount } = WORKLOADS.externalSecrets;
        const namespace = new HardenedNamespace(`${name}-namespace`, { name: ns }, { parent: this });
        const controller = { matchLabels: { "app.kubernetes.io/name": "external-secrets" } };
        createNetworkPolicy(`${name}-allow-api-server`, namespace.name, "allow-api-server", allowApiServerSpec(args.privateCidrs), this);
        // The vault's endpoint (a private endpoint inside the network, or the identity provider on the internet).
        createNetworkPolicy(`${name}-allow-https`, namespace.name, "allow-controller-https", allowHttpsEgressSpec([], controller), this);
        createNetworkPolicy(`${name}-allow-webhook`, namespace.name, "allow-webhook-from-api-server", allowWebhookIngressSpec(WEBHOOK_PORT, args.privateCidrs, { matchLabels: { "app.kubernetes.io/name": "external-secrets-webhook" } }), this);
        const endpoints = args.seam.identity.credentialEndpoints ?? [];
        if (endpoints.length > 0) {
            createNetworkPolicy(`${name}-allow-credentials`, namespace.name, "allow-credential-endpoints", allowCredentialEndpointsSpec(endpoints, controller), this);
        }

        const hardened = {
            podSecurityContext: restrictedPodSecurity(),
            securityContext: restrictedContainerSecurity(),
            resources: controllerResources("128Mi"),
        };
        const release = new Release(
            `${name}-chart`,
            chartRelease("externalSecrets", {
                installCRDs: true,
                serviceAccount: identityServiceAccount(serviceAccount, args.seam.identity),
                podLabels: identityPodLabels(args.seam.identity),
                ...hardened,
                resources: controllerResources("256Mi"),
                // Only ExternalSecrets and ClusterSecretStores are used: nothing is ever pushed back to the vault.
                processPushSecret: false,
                processClusterExternalSecret: false,
                webhook: { ...hardened, port: WEBHOOK_PORT },
                certController: hardened,
                serviceMonitor: { enabled: false },
            }),
            { parent: this, dependsOn: [namespace, ...args.seam.identity.dependsOn] },
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
            { parent: this, dependsOn: [release] },
        );
        this.clusterSecretStoreName = store.metadata.name;
        this.registerOutputs({ clusterSecretStoreName: this.clusterSecretStoreName, chartVersion: CHARTS.externalSecrets.version });
    }
}
