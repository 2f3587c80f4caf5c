// The seam between a cloud platform (components/aws, components/azure) and the cloud-agnostic Kubernetes layer.
// A platform returns one PlatformSeam; nothing else about the cloud reaches components/kubernetes.
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { ModelProvider } from "../config/providers";
import type { GroupRole } from "../config/schema";

/**
 * The in-cluster workloads a platform grants cloud permissions to. The names are fixed here because both sides
 * use them: the platform binds a cloud identity to `namespace/serviceAccount`, the Kubernetes layer creates it.
 */
export const WORKLOADS = {
    externalSecrets: { namespace: "external-secrets", serviceAccount: "external-secrets" },
    fluentBit: { namespace: "logging", serviceAccount: "fluent-bit" },
    certManager: { namespace: "cert-manager", serviceAccount: "cert-manager" },
} as const;

export type Workload = keyof typeof WORKLOADS;

/** The namespaces of the application: OpenClaw itself and the developers' sandbox. */
export const APP_NAMESPACES = { openclaw: "openclaw", sandbox: "openclaw-sandbox" } as const;

/** The Secret External Secrets maintains in the OpenClaw namespace, and the keys it holds. */
export const RUNTIME_SECRET = { name: "openclaw-secrets", gatewayTokenKey: "OPENCLAW_GATEWAY_TOKEN" } as const;

/** How one in-cluster workload gets its cloud identity (AWS: EKS Pod Identity; Azure: workload identity). */
export interface WorkloadIdentity {
    /** Annotations on the workload's ServiceAccount (Azure: the managed identity's client id). */
    readonly serviceAccountAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
    /** Labels on the workload's pods (Azure: `azure.workload.identity/use: "true"`). */
    readonly podLabels: Readonly<Record<string, string>>;
    /** Resources that must exist before the workload starts (the Pod Identity association, the federated credential). */
    readonly dependsOn: readonly pulumi.Resource[];
    /**
     * Addresses outside the cluster the workload must reach to obtain its credentials and that the Kubernetes
     * layer's egress policies would otherwise block (AWS: the EKS Pod Identity agent, 169.254.170.23/32 port 80,
     * on link-local). Absent when the token exchange goes to a public HTTPS endpoint (Azure: Entra ID).
     */
    readonly credentialEndpoints?: readonly CredentialEndpoint[];
}

/** One TCP endpoint a workload reaches for its credentials. */
export interface CredentialEndpoint {
    readonly cidr: string;
    readonly port: number;
}

/** Where the runtime secrets live and how External Secrets reads them. */
export interface SecretStoreSeam {
    /** The `spec.provider` block of an External Secrets `ClusterSecretStore` (external-secrets.io/v1). */
    readonly provider: pulumi.Input<Record<string, unknown>>;
    readonly identity: WorkloadIdentity;
    /** The vault's name for the OpenClaw gateway token (of the first gateway, the stack's own). */
    readonly gatewayTokenRemoteKey: pulumi.Input<string>;
    /**
     * The vault's name for the gateway token of every other gateway of `openclaw:gateways`, keyed by gateway name,
     * each its own vault entry with its own rotation. Absent or empty for a stack with one gateway.
     */
    readonly gatewayTokenRemoteKeys?: Readonly<Record<string, pulumi.Input<string>>>;
    /** The vault's name for each configured model provider key; providers that are not configured are absent. */
    readonly modelProviderRemoteKeys: Readonly<Partial<Record<ModelProvider, pulumi.Input<string>>>>;
    /**
     * The vault's name for the OIDC client secret of `openclaw:identity`, which the ingress proxy's single sign-on
     * reads through External Secrets. The platform fills it exactly when identity is configured; absent otherwise.
     */
    readonly identityClientSecretRemoteKey?: pulumi.Input<string>;
}

/** Where Fluent Bit ships container logs. */
export interface LogShippingSeam {
    /**
     * Fluent Bit `[OUTPUT]` sections (classic format) for records tagged `kube.*`, already masked by the
     * Kubernetes layer's filters. Must not contain a credential: the identity below authenticates.
     */
    readonly fluentBitOutputs: pulumi.Input<string>;
    readonly identity: WorkloadIdentity;
}

/** How the cloud load balancer in front of the ingress proxy is declared and what it does to client addresses. */
export interface IngressSeam {
    /** Annotations on the Envoy proxy's `LoadBalancer` Service (AWS NLB scheme, subnets, security groups; Azure LB). */
    readonly loadBalancerAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
    /** True when the load balancer prepends a PROXY protocol v2 header, so Envoy must expect it. */
    readonly proxyProtocol: boolean;
    /** `externalTrafficPolicy` of the Service: `Local` keeps the client address where the cloud allows. */
    readonly externalTrafficPolicy: "Local" | "Cluster";
}

/**
 * The record that sends a gateway's hostname to its load balancer. The Kubernetes layer reports it as a stack output
 * (`dnsRecords`) and, with `openclaw:manageDnsRecord`, asks the platform to create it.
 */
export interface PublicDnsSeam {
    /** CNAME where the load balancer has a DNS name (AWS NLB), A where it has an IP address (Azure Load Balancer). */
    readonly recordType: "CNAME" | "A";
    /**
     * The address clients reach every gateway at when it is not the one the Gateway reports: Azure with
     * `egressMode: enforce` puts the proxies behind an internal load balancer and publishes them through the
     * firewall's public IP (DNAT). Undefined: the Gateway's own load-balancer address is public. The records and the
     * `loadBalancerAddress` and `dnsRecords` outputs use it. Platform fills.
     */
    readonly publicAddress?: pulumi.Output<string | undefined>;
    /** Creates the record for `hostname` (not the zone apex) pointing at `target`, in the stack's zone. Platform fills. */
    readonly createRecord: (name: string, args: { readonly hostname: string; readonly target: pulumi.Input<string> }, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;
}

/** How cert-manager proves control of the DNS zone (ACME DNS-01). */
export interface CertManagerSeam {
    /** The `dns01` block of an ACME solver in a cert-manager `ClusterIssuer`. */
    readonly dns01: pulumi.Input<Record<string, unknown>>;
    readonly identity: WorkloadIdentity;
}

/** The cluster itself, as the Kubernetes layer needs it. */
export interface ClusterSeam {
    /** A Kubernetes provider for the private cluster; every Kubernetes resource is created with it. */
    readonly provider: Provider;
    readonly name: pulumi.Output<string>;
    /** A StorageClass the platform created whose volumes are encrypted with the platform's key. */
    readonly encryptedStorageClassName: pulumi.Input<string>;
    /**
     * Ranges pods must not reach unless a policy allows it: the VPC/VNet, the pod and service ranges.
     * Link-local (169.254.0.0/16, instance metadata) is always excluded by the Kubernetes layer.
     */
    readonly privateCidrs: readonly string[];
    /**
     * Ranges pod IPs are allocated from (AWS VPC CNI: the node subnets; Azure CNI overlay: the pod CIDR). The
     * ingress proxies run as pods, so OpenClaw trusts X-Forwarded-For only from these ranges.
     */
    readonly podCidrs: readonly string[];
    /** Kubernetes group names that carry each role; the Kubernetes layer binds RBAC to these groups only. */
    readonly groups: Readonly<Record<GroupRole, readonly pulumi.Input<string>[]>>;
    /**
     * Kubernetes group names per role of every other gateway of `openclaw:gateways`, keyed by gateway name: the
     * Kubernetes layer binds them only in that gateway's namespaces, and the platform grants them cloud access to
     * those namespaces only. Absent or empty for a stack with one gateway.
     */
    readonly gatewayGroups?: Readonly<Record<string, Readonly<Record<GroupRole, readonly pulumi.Input<string>[]>>>>;
    /**
     * Resources that must exist before anything can be scheduled or reach the API: the nodes, the CNI, CoreDNS,
     * and the deployer's own access to the API (access entry, propagated Azure RBAC grant). Every Kubernetes layer
     * resource that does work in the cluster (each Helm Release, each Deployment) depends on these directly,
     * because `dependsOn` on a component does not reach its children.
     */
    readonly readyResources: readonly pulumi.Resource[];
}

/** Everything a cloud platform hands to the Kubernetes layer. */
export interface PlatformSeam {
    readonly cluster: ClusterSeam;
    readonly secretStore: SecretStoreSeam;
    readonly logShipping: LogShippingSeam;
    readonly ingress: IngressSeam;
    readonly certManager: CertManagerSeam;
    /** The public DNS record of a gateway's hostname in the zone `openclaw:dnsZoneId` names. */
    readonly publicDns: PublicDnsSeam;
    /** Stack outputs the platform contributes (for example the cloud role-binding report). No secrets. */
    readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;
}
