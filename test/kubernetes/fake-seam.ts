// Fake platform seams, shaped like what the AWS and Azure platforms hand over, for building the layer alone.
import * as eks from "@pulumi/aws/eks";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/read";
import { CLUSTER_ADDRESSING } from "../../config/schema";
import { awsPublicDns } from "../../components/aws/dns-record";
import { azurePublicDns } from "../../components/azure/dns-record";
import { WORKLOADS, type PlatformSeam, type Workload, type WorkloadIdentity } from "../../components/seam";

export const FAKE_PLATFORMS = ["aws-like", "azure-like"] as const;
export type FakePlatform = (typeof FAKE_PLATFORMS)[number];

/** The example stack file each fake platform pairs with. */
export const STACK_OF: Readonly<Record<FakePlatform, string>> = { "aws-like": "dev", "azure-like": "dev-azure" };

/** Kubernetes group names the fake platforms map the cloud identities to. */
export const FAKE_GROUPS = {
    admin: ["openclaw:admins"],
    operator: ["openclaw:operators"],
    developer: ["openclaw:developers"],
    auditor: ["openclaw:auditors"],
} as const;

const FAKE_KUBECONFIG = JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "fake", cluster: { server: "https://fake.cluster.invalid" } }],
    contexts: [{ name: "fake", context: { cluster: "fake", user: "fake" } }],
    "current-context": "fake",
    users: [{ name: "fake", user: {} }],
});

/** Options of a fake seam. */
export interface FakeSeamOptions {
    /** The kubeconfig of the seam's Kubernetes provider. Defaults to one naming an unreachable `.invalid` server. */
    readonly kubeconfig?: pulumi.Input<string>;
}

/** Builds a fake seam; call it inside the program run (it registers a real Kubernetes Provider and identity resources). */
export function fakeSeam(platform: FakePlatform, config: StackConfig, options: FakeSeamOptions = {}): PlatformSeam {
    const kubeconfig = options.kubeconfig ?? FAKE_KUBECONFIG;
    switch (platform) {
        case "aws-like":
            return awsLike(config, kubeconfig);
        case "azure-like":
            return azureLike(config, kubeconfig);
        default:
            throw new Error(`unknown fake platform ${String(platform)}`);
    }
}

function awsLike(config: StackConfig, kubeconfig: pulumi.Input<string>): PlatformSeam {
    const provider = new Provider("fake-eks", { kubeconfig, enableServerSideApply: true });
    const identity = (workload: Workload): WorkloadIdentity => ({
        serviceAccountAnnotations: {},
        podLabels: {},
        dependsOn: [
            new eks.PodIdentityAssociation(`fake-${workload}`, {
                clusterName: "openclaw-eks",
                namespace: WORKLOADS[workload].namespace,
                serviceAccount: WORKLOADS[workload].serviceAccount,
                roleArn: `arn:aws:iam::111122223333:role/openclaw-${workload}`,
            }),
        ],
        credentialEndpoints: [{ cidr: "169.254.170.23/32", port: 80 }],
    });
    return {
        cluster: {
            provider,
            name: pulumi.output("openclaw-eks"),
            encryptedStorageClassName: "gp3-encrypted",
            privateCidrs: [config.network.cidr, CLUSTER_ADDRESSING.serviceCidr],
            podCidrs: ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
            groups: FAKE_GROUPS,
            readyResources: [
                new eks.NodeGroup("fake-nodes", { clusterName: "openclaw-eks", nodeRoleArn: "arn:aws:iam::111122223333:role/openclaw-nodes", subnetIds: ["subnet-0a1"], scalingConfig: { desiredSize: 3, minSize: 2, maxSize: 10 } }),
                new eks.Addon("fake-coredns", { clusterName: "openclaw-eks", addonName: "coredns" }),
            ],
        },
        secretStore: {
            provider: { aws: { service: "SecretsManager", region: "eu-central-1" } },
            identity: identity("externalSecrets"),
            gatewayTokenRemoteKey: "openclaw/gateway-token",
            modelProviderRemoteKeys: { anthropic: "openclaw/anthropic-api-key", openai: "openclaw/openai-api-key" },
            identityClientSecretRemoteKey: "openclaw/oidc-client-secret",
        },
        logShipping: {
            fluentBitOutputs: [
                "[OUTPUT]",
                "    Name cloudwatch_logs",
                "    Match kube.*",
                "    region eu-central-1",
                "    log_group_name /openclaw/containers",
                "    log_stream_prefix node-",
                "    auto_create_group Off",
                "",
            ].join("\n"),
            identity: identity("fluentBit"),
        },
        ingress: {
            loadBalancerAnnotations: {
                "service.beta.kubernetes.io/aws-load-balancer-type": "external",
                "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
                "service.beta.kubernetes.io/aws-load-balancer-subnets": "subnet-0a1,subnet-0b2,subnet-0c3",
                "service.beta.kubernetes.io/aws-load-balancer-security-groups": "sg-0123456789abcdef0",
                "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol": "*",
            },
            proxyProtocol: true,
            externalTrafficPolicy: "Cluster",
        },
        certManager: {
            dns01: { route53: { region: "eu-central-1", hostedZoneID: config.dnsZoneId } },
            identity: identity("certManager"),
        },
        publicDns: awsPublicDns(config.dnsZoneId),
        outputs: {},
    };
}

function azureLike(config: StackConfig, kubeconfig: pulumi.Input<string>): PlatformSeam {
    const provider = new Provider("fake-aks", { kubeconfig, enableServerSideApply: true });
    const identity = (workload: Workload): WorkloadIdentity & { clientId: pulumi.Output<string> } => {
        const managed = new managedidentity.UserAssignedIdentity(`fake-${workload}`, { resourceGroupName: "rg-openclaw" });
        const federated = new managedidentity.FederatedIdentityCredential(`fake-${workload}`, {
            resourceGroupName: "rg-openclaw",
            resourceName: managed.name,
            issuer: "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/",
            subject: `system:serviceaccount:${WORKLOADS[workload].namespace}:${WORKLOADS[workload].serviceAccount}`,
            audiences: ["api://AzureADTokenExchange"],
        });
        return {
            serviceAccountAnnotations: { "azure.workload.identity/client-id": managed.clientId },
            podLabels: { "azure.workload.identity/use": "true" },
            dependsOn: [federated],
            clientId: managed.clientId,
        };
    };
    const certManager = identity("certManager");
    const zone = config.dnsZoneId.split("/");
    return {
        cluster: {
            provider,
            name: pulumi.output("openclaw-aks"),
            encryptedStorageClassName: "managed-csi-cmk",
            privateCidrs: [config.network.cidr, CLUSTER_ADDRESSING.podCidr, CLUSTER_ADDRESSING.serviceCidr],
            podCidrs: [CLUSTER_ADDRESSING.podCidr],
            groups: FAKE_GROUPS,
            readyResources: [new containerservice.ManagedCluster("fake-aks-cluster", { resourceGroupName: "rg-openclaw" })],
        },
        secretStore: {
            provider: {
                azurekv: {
                    authType: "WorkloadIdentity",
                    vaultUrl: "https://kv-openclaw-dev.vault.azure.net/",
                    serviceAccountRef: { name: WORKLOADS.externalSecrets.serviceAccount, namespace: WORKLOADS.externalSecrets.namespace },
                },
            },
            identity: identity("externalSecrets"),
            gatewayTokenRemoteKey: "openclaw-gateway-token",
            modelProviderRemoteKeys: { anthropic: "anthropic-api-key", openai: "openai-api-key" },
            identityClientSecretRemoteKey: "openclaw-oidc-client-secret",
        },
        logShipping: {
            fluentBitOutputs: [
                "[OUTPUT]",
                "    Name azure_logs_ingestion",
                "    Match kube.*",
                "    auth_type workload_identity",
                "    dce_url https://dce-openclaw.westeurope-1.ingest.monitor.azure.com",
                "    dcr_id dcr-00000000000000000000000000000000",
                "    table_name OpenClawContainers_CL",
                "",
            ].join("\n"),
            identity: identity("fluentBit"),
        },
        ingress: {
            loadBalancerAnnotations: {
                "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/ready",
                "service.beta.kubernetes.io/azure-pip-name": "pip-openclaw-ingress",
            },
            proxyProtocol: false,
            externalTrafficPolicy: "Local",
        },
        certManager: {
            dns01: {
                azureDNS: {
                    subscriptionID: zone[2],
                    resourceGroupName: zone[4],
                    hostedZoneName: zone[zone.length - 1],
                    environment: "AzurePublicCloud",
                    managedIdentity: { clientID: certManager.clientId },
                },
            },
            identity: certManager,
        },
        publicDns: azurePublicDns(config.dnsZoneId),
        outputs: {},
    };
}
