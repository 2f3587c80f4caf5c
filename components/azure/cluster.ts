// The private AKS cluster (Entra ID + Azure RBAC only, workload identity, Cilium, KMS, Defender), the Kubernetes
// provider that reaches it as the deployer through kubelogin, and the encrypted StorageClass.
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import { Provider } from "@pulumi/kubernetes/provider";
import * as storagev1 from "@pulumi/kubernetes/storage/v1";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_ADDRESSING, OpenClawConfig } from "../../config/schema";
import { ClusterReadiness } from "./cluster-ready";
import { PropagationDelay } from "./propagation-delay";
import { AssignmentSpec, RoleAssignments } from "./role-assignments";
import type { Placement } from "./placement";

/**
 * The Entra ID application every AKS cluster with managed Entra integration accepts tokens for, "Azure Kubernetes
 * Service AAD Server" (azure.github.io/kubelogin/concepts/aks.html; the same id in kubelogin's `--server-id` examples).
 */
export const AKS_ENTRA_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** The StorageClass OpenClaw's state volume uses. */
export const ENCRYPTED_STORAGE_CLASS = "managed-csi-cmk";

/** The cluster's name in its (per-stack) resource group; AKS also builds its FQDN prefix from dnsPrefix. */
export const CLUSTER_NAME = "openclaw";

/**
 * How long the first `up` waits between the control-plane identity's grants (and the disk encryption set's) and the
 * cluster. AKS cannot check a private vault's permissions up front ("AKS can't validate the permissions of the
 * identity": MicrosoftDocs/azure-aks-docs articles/aks/use-kms-etcd-encryption.md) and uses them minutes into
 * provisioning; five minutes plus that provisioning time covers the up to ~10 minutes Azure RBAC takes.
 */
export const CONTROL_PLANE_GRANT_PROPAGATION_SECONDS = 300;

/** VM size of the nodes when `cluster.nodeSize` is not set: 4 vCPU / 16 GiB, Gen2 (Trusted Launch). */
export const DEFAULT_NODE_SIZE = "Standard_D4ds_v5";

export interface ClusterArgs extends Placement {
    /** The validated stack config: cluster size and version, zones, groups, egressMode, apiAuthorizedCidrs. */
    readonly config: OpenClawConfig;
    /** The subscription; role definitions are resolved under it. */
    readonly subscriptionId: pulumi.Input<string>;
    /** The Entra ID tenant. */
    readonly tenantId: pulumi.Input<string>;
    /** The resource group AKS creates for the nodes (names.ts `nodeResourceGroupName`). */
    readonly nodeResourceGroup: pulumi.Input<string>;
    /** The object id of whoever runs `pulumi up`; it gets cluster admin so the program can create Kubernetes resources. */
    readonly deployerObjectId: pulumi.Input<string>;
    /** The VNet (the control plane manages its subnets and load balancer rules). */
    readonly vnetId: pulumi.Input<string>;
    /** The subnet of the node pool. */
    readonly nodesSubnetId: pulumi.Input<string>;
    /** The subnet delegated to the API server (API server VNet integration). */
    readonly apiServerSubnetId: pulumi.Input<string>;
    /** The ingress public IP the load balancer uses (the control plane attaches it). */
    readonly ingressAddressId: pulumi.Input<string>;
    /** The Key Vault's resource id. */
    readonly vaultId: pulumi.Input<string>;
    /** The KMS key, versioned (AKS KMS requires a key version). */
    readonly kmsKeyVersionedId: pulumi.Input<string>;
    /** The KMS key's resource id (the scope of the control plane's Crypto User grant). */
    readonly kmsKeyResourceId: pulumi.Input<string>;
    /** The disk encryption set for OS disks and persistent volumes. */
    readonly diskEncryptionSetId: pulumi.Input<string>;
    /** The Log Analytics workspace's resource id. */
    readonly workspaceId: pulumi.Input<string>;
    /** The Container Insights data collection rule. */
    readonly containerInsightsRuleId: pulumi.Input<string>;
    /** The data collection endpoint behind the private link scope. */
    readonly dataCollectionEndpointId: pulumi.Input<string>;
    /** Resources the cluster must wait for (subnets with their NAT gateway or route table, the egress firewall). */
    readonly dependsOn: readonly pulumi.Resource[];
    /** Other grants the cluster relies on (the disk encryption set's on the disk key); their propagation is awaited. */
    readonly grants: readonly pulumi.Resource[];
}

export class Cluster extends pulumi.ComponentResource {
    readonly cluster: containerservice.ManagedCluster;
    readonly provider: Provider;
    readonly issuerUrl: pulumi.Output<string>;
    readonly storageClassName: pulumi.Output<string>;
    /** The control-plane identity's grants and the deployer's cluster admin grant. */
    readonly assignments: readonly RoleAssignments[];
    readonly apiServerIsPrivate: boolean;
    /**
     * What Kubernetes work must wait for: the cluster (its system node pool), the deployer's cluster-admin grant and
     * the readiness wait (grant propagated, a node Ready, CoreDNS running). The seam hands these on.
     */
    readonly readyResources: readonly pulumi.Resource[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:Cluster", name, {}, opts);
        const { config, resourceGroupName, location } = args;
        this.apiServerIsPrivate = config.apiAuthorizedCidrs.length === 0;
        const zones = ["1", "2", "3"].slice(0, config.network.zones);

        // A user-assigned control-plane identity, so its permissions exist before the cluster does (private KMS
        // and a bring-your-own VNet require that).
        const controlPlane = new managedidentity.UserAssignedIdentity(`${name}-control-plane`, { resourceGroupName, location }, { parent: this });
        const infra = (key: string, role: AssignmentSpec["role"], scope: pulumi.Input<string>, scopeLabel: string): AssignmentSpec => ({
            key, who: "AKS control-plane identity", kind: "ServicePrincipal", principalId: controlPlane.principalId, role, scope, scopeLabel,
        });
        const controlPlaneRoles = new RoleAssignments(`${name}-control-plane-roles`, {
            subscriptionId: args.subscriptionId,
            assignments: [
                infra("vnet", "Network Contributor", args.vnetId, "vnet"),
                infra("ingress-ip", "Network Contributor", args.ingressAddressId, "ingress public ip"),
                infra("kms-key", "Key Vault Crypto User", args.kmsKeyResourceId, "etcd key"),
                // Private KMS: AKS creates its own private endpoint to the vault.
                infra("kms-vault", "Key Vault Contributor", args.vaultId, "key vault (management plane)"),
                infra("disk-encryption-set", "Reader", args.diskEncryptionSetId, "disk encryption set"),
            ],
        }, { parent: this });

        // The grants must be in effect when AKS uses them (KMS, subnet join, disk key): wait once, on the first up.
        const propagation = new PropagationDelay(`${name}-grant-propagation`, {
            seconds: CONTROL_PLANE_GRANT_PROPAGATION_SECONDS, reason: "control-plane and disk encryption set role assignments",
        }, { parent: this, dependsOn: [controlPlaneRoles, ...args.grants] });
        this.cluster = new containerservice.ManagedCluster(`${name}-aks`, {
            resourceGroupName, location, resourceName: CLUSTER_NAME, nodeResourceGroup: args.nodeResourceGroup,
            kubernetesVersion: config.cluster.kubernetesVersion,
            dnsPrefix: "openclaw",
            sku: { name: "Base", tier: "Standard" },
            identity: { type: "UserAssigned", userAssignedIdentities: [controlPlane.id] },
            enableRBAC: true,
            disableLocalAccounts: true,
            aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [...config.groups.admin], tenantID: args.tenantId },
            apiServerAccessProfile: {
                enableVnetIntegration: true,
                subnetId: args.apiServerSubnetId,
                enablePrivateCluster: this.apiServerIsPrivate,
                enablePrivateClusterPublicFQDN: false,
                authorizedIPRanges: this.apiServerIsPrivate ? undefined : [...config.apiAuthorizedCidrs],
                disableRunCommand: true,
            },
            diskEncryptionSetID: args.diskEncryptionSetId,
            agentPoolProfiles: [{
                name: "system", mode: "System", type: "VirtualMachineScaleSets",
                count: config.cluster.nodeCount, vmSize: config.cluster.nodeSize ?? DEFAULT_NODE_SIZE,
                availabilityZones: zones, vnetSubnetID: args.nodesSubnetId,
                osType: "Linux", osSKU: "AzureLinux", enableNodePublicIP: false,
                // Host encryption covers temp disks and caches too (needs the EncryptionAtHost feature on the subscription).
                enableEncryptionAtHost: true,
                securityProfile: { sshAccess: "Disabled", enableSecureBoot: true, enableVTPM: true },
                upgradeSettings: { maxSurge: "33%" },
            }],
            networkProfile: {
                networkPlugin: "azure", networkPluginMode: "overlay", networkDataplane: "cilium", networkPolicy: "cilium",
                podCidr: CLUSTER_ADDRESSING.podCidr, serviceCidr: CLUSTER_ADDRESSING.serviceCidr, dnsServiceIP: CLUSTER_ADDRESSING.dnsServiceIp,
                loadBalancerSku: "standard",
                outboundType: config.egressMode === "enforce" ? "userDefinedRouting" : "userAssignedNATGateway",
            },
            oidcIssuerProfile: { enabled: true },
            securityProfile: {
                workloadIdentity: { enabled: true },
                azureKeyVaultKms: { enabled: true, keyId: args.kmsKeyVersionedId, keyVaultNetworkAccess: "Private", keyVaultResourceId: args.vaultId },
                defender: { logAnalyticsWorkspaceResourceId: args.workspaceId, securityMonitoring: { enabled: true } },
                imageCleaner: { enabled: true, intervalHours: 168 },
            },
            addonProfiles: {
                omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: args.workspaceId, useAADAuth: "true" } },
            },
            autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
            storageProfile: { diskCSIDriver: { enabled: true }, fileCSIDriver: { enabled: false }, blobCSIDriver: { enabled: false }, snapshotController: { enabled: true } },
        }, {
            parent: this, dependsOn: [controlPlaneRoles, propagation, ...args.dependsOn],
            // Moving KMS to a new key version is a runbook with a re-encryption (docs/azure.md, KMS key versions); a
            // refreshed key version must not reach AKS as a side effect of an unrelated up.
            ignoreChanges: ["securityProfile.azureKeyVaultKms.keyId"],
        });
        this.issuerUrl = this.cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");

        // Container Insights through the private link scope: the rule and the configuration endpoint.
        new monitor.DataCollectionRuleAssociation(`${name}-container-insights`, {
            resourceUri: this.cluster.id, associationName: "ContainerInsightsExtension", dataCollectionRuleId: args.containerInsightsRuleId,
        }, { parent: this });
        new monitor.DataCollectionRuleAssociation(`${name}-container-insights-endpoint`, {
            resourceUri: this.cluster.id, associationName: "configurationAccessEndpoint", dataCollectionEndpointId: args.dataCollectionEndpointId,
        }, { parent: this });

        // The deployer is not a person's group: it is whoever runs `pulumi up` (in CI, the pipeline's service
        // principal). The Kubernetes provider acts as it, so it needs cluster admin before any Kubernetes resource.
        const deployerRoles = new RoleAssignments(`${name}-deployer-roles`, {
            subscriptionId: args.subscriptionId,
            assignments: [{
                key: "deployer-cluster-admin", who: "deployer (the identity running pulumi up)", kind: "Deployer",
                principalId: args.deployerObjectId, role: "Azure Kubernetes Service RBAC Cluster Admin", scope: this.cluster.id, scopeLabel: "cluster",
            }],
        }, { parent: this });
        this.assignments = [controlPlaneRoles, deployerRoles];

        const credentials = containerservice.listManagedClusterUserCredentialsOutput({ resourceGroupName, resourceName: this.cluster.name }, { parent: this });
        const caData = credentials.apply((c) => certificateAuthorityOf(Buffer.from(c.kubeconfigs?.[0]?.value ?? "", "base64").toString("utf8")));
        const host = this.apiServerIsPrivate ? this.cluster.privateFQDN : this.cluster.fqdn;
        const server = pulumi.interpolate`https://${host}:443`;
        // The first up: wait until the deployer's grant has propagated and the cluster can run pods. The Kubernetes
        // provider is not relied on to retry a 403: everything that uses it waits for this instead.
        const readiness = new ClusterReadiness(`${name}-ready`, { server, caData, serverId: AKS_ENTRA_SERVER_APP_ID }, { parent: this, dependsOn: [this.cluster, ...deployerRoles.resources] });
        this.readyResources = [this.cluster, ...deployerRoles.resources, readiness];
        this.provider = new Provider(`${name}-k8s`, {
            kubeconfig: pulumi.all([server, caData]).apply(([url, ca]) => entraKubeconfig(url, ca)),
            enableServerSideApply: true,
            deleteUnreachable: false,
        }, { parent: this, dependsOn: [...this.readyResources] });

        const storageClass = new storagev1.StorageClass(`${name}-encrypted-storage`, {
            metadata: { name: ENCRYPTED_STORAGE_CLASS },
            provisioner: "disk.csi.azure.com",
            parameters: { skuName: "Premium_ZRS", diskEncryptionSetID: args.diskEncryptionSetId, cachingMode: "ReadOnly" },
            reclaimPolicy: "Retain",
            allowVolumeExpansion: true,
            volumeBindingMode: "WaitForFirstConsumer",
        }, { parent: this, provider: this.provider });
        this.storageClassName = storageClass.metadata.name;
        this.registerOutputs({ clusterName: this.cluster.name });
    }
}

/** The cluster CA from the kubeconfig AKS returns (the user credential: with Entra ID it holds no secret). */
export function certificateAuthorityOf(kubeconfig: string): string {
    const match = /certificate-authority-data:\s*(\S+)/.exec(kubeconfig);
    if (!match) {
        throw new Error("the AKS user kubeconfig has no certificate-authority-data");
    }
    return match[1];
}

/**
 * A kubeconfig that authenticates with an Entra ID token from kubelogin (`--login azurecli`: the identity of
 * `az login`, in CI the federated service principal). Local accounts are disabled, so there is no admin
 * certificate to fall back to.
 */
export function entraKubeconfig(server: string, caData: string): string {
    return JSON.stringify({
        apiVersion: "v1", kind: "Config",
        clusters: [{ name: "openclaw", cluster: { server, "certificate-authority-data": caData } }],
        users: [{
            name: "entra",
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1", command: "kubelogin",
                    args: ["get-token", "--login", "azurecli", "--server-id", AKS_ENTRA_SERVER_APP_ID],
                    interactiveMode: "Never", provideClusterInfo: false,
                },
            },
        }],
        contexts: [{ name: "openclaw", context: { cluster: "openclaw", user: "entra" } }],
        "current-context": "openclaw",
    });
}
