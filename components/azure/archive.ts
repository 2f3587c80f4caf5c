// The immutable log archive (LOG-4): a storage account with account-level time-based immutability, reached over a
// private endpoint, fed by diagnostic settings, the workspace's data export and the VNet flow logs.
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { PrivateEndpoint } from "./private-endpoints";
import { RoleAssignments } from "./role-assignments";
import type { Placement } from "./placement";

/**
 * The archive's immutability policy state, set here and nowhere else. "A policy can only be created in a Disabled or
 * Unlocked state ... Only a policy in an Unlocked state can transition to a Locked state which cannot be reverted";
 * Locked "only allows the increase of the immutability retention time" (storage 2024-01-01
 * AccountImmutabilityPolicyProperties.state, in @pulumi/azure-native's types). Lock the archive by changing this to
 * "Locked" and running `pulumi up`, not with the CLI: Pulumi would send "Unlocked" again on the next update and Azure
 * would refuse it. Once locked, `logRetentionDays` can only grow.
 */
export const ARCHIVE_IMMUTABILITY_STATE: "Unlocked" | "Locked" = "Unlocked";

/** Tables the workspace exports to the archive; audit and platform logs reach it through diagnostic settings. */
export const EXPORTED_TABLES = ["ContainerLogV2"] as const;

export interface ArchiveArgs extends Placement {
    /**
     * The resource group of the storage account alone, kept by `pulumi destroy` (see Archive). The private endpoint,
     * the flow log writer and its grant stay in the stack's resource group (`resourceGroupName`).
     */
    readonly accountResourceGroupName: pulumi.Input<string>;
    /** Days every archived blob stays immutable: logRetentionDays. */
    readonly retentionDays: number;
    /** The private-endpoint subnet the endpoint is placed in. */
    readonly privateEndpointSubnetId: pulumi.Input<string>;
    /** The privatelink.blob.core.windows.net zone. */
    readonly blobDnsZoneId: pulumi.Input<string>;
    /** The Log Analytics workspace whose tables are exported to the archive. */
    readonly workspace: operationalinsights.Workspace;
    /** The VNet whose flow logs are archived and analysed. */
    readonly vnetId: pulumi.Input<string>;
    /** The subscription; role definitions are resolved under it. */
    readonly subscriptionId: pulumi.Input<string>;
    /** The account's globally unique name (names.ts `archiveAccountName`). */
    readonly accountName: pulumi.Input<string>;
    /** The flow log's name, unique in the subscription's shared Network Watcher (names.ts `flowLogName`). */
    readonly flowLogName: pulumi.Input<string>;
    /** The regional Network Watcher the flow log attaches to. */
    readonly networkWatcher: { readonly resourceGroupName: string; readonly networkWatcherName: string };
    /** The prerequisites check (the watcher exists): the flow log waits for it. */
    readonly prerequisites: pulumi.Resource;
}

export class Archive extends pulumi.ComponentResource {
    readonly account: storage.StorageAccount;
    readonly flowLog: network.FlowLog;
    /** The flow log writer's grant on the archive. */
    readonly assignments: RoleAssignments;

    constructor(name: string, args: ArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:Archive", name, {}, opts);
        const { resourceGroupName, location } = args;
        // `pulumi destroy` keeps the account and its resource group: an account with version-level immutability
        // "can't be deleted until it's empty", and its blob versions stay until their retention ends, unlocked
        // policy or not (MicrosoftDocs/azure-docs articles/storage/blobs/immutable-version-level-worm-policies.md,
        // Deletion). Deleting the stack's resource group with the account in it would fail the whole destroy.
        const kept = { parent: this, retainOnDelete: true };
        this.account = new storage.StorageAccount(`${name}-account`, {
            resourceGroupName: args.accountResourceGroupName, location,
            accountName: args.accountName,
            kind: "StorageV2", sku: { name: "Standard_ZRS" },
            allowSharedKeyAccess: false,
            defaultToOAuthAuthentication: true,
            allowBlobPublicAccess: false,
            allowCrossTenantReplication: false,
            isLocalUserEnabled: false,
            isSftpEnabled: false,
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            // Platform-managed keys, with a second (infrastructure) layer of encryption.
            encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true, services: { blob: { enabled: true, keyType: "Account" } } },
            // No network is allowed in. Only trusted Azure services (diagnostic settings, workspace data export,
            // flow logs) may write, which Azure only honours when public access is "Enabled" with default Deny;
            // "Disabled" would also shut them out. Readers use the private endpoint.
            publicNetworkAccess: "Enabled",
            networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
            immutableStorageWithVersioning: {
                enabled: true,
                immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: args.retentionDays, state: ARCHIVE_IMMUTABILITY_STATE, allowProtectedAppendWrites: true },
            },
        }, kept);
        new storage.BlobServiceProperties(`${name}-blob-service`, {
            resourceGroupName: args.accountResourceGroupName, accountName: this.account.name, blobServicesName: "default",
            isVersioningEnabled: true,
            deleteRetentionPolicy: { enabled: true, days: 30 },
            containerDeleteRetentionPolicy: { enabled: true, days: 30 },
        }, kept);

        new PrivateEndpoint(`${name}-blob`, {
            resourceGroupName, location, subnetId: args.privateEndpointSubnetId, targetId: this.account.id, groupId: "blob", dnsZoneIds: [args.blobDnsZoneId],
        }, { parent: this });

        new operationalinsights.DataExport(`${name}-export`, {
            resourceGroupName, workspaceName: args.workspace.name, resourceId: this.account.id, tableNames: [...EXPORTED_TABLES], enable: true,
        }, { parent: this });

        // The account takes no shared key, so the flow log writes with its own identity, limited to this account.
        const flowLogWriter = new managedidentity.UserAssignedIdentity(`${name}-flow-log-writer`, { resourceGroupName, location }, { parent: this });
        this.assignments = new RoleAssignments(`${name}-roles`, {
            subscriptionId: args.subscriptionId,
            assignments: [{
                key: "flow-log-writer", who: "VNet flow log writer identity", kind: "ServicePrincipal", principalId: flowLogWriter.principalId,
                role: "Storage Blob Data Contributor", scope: this.account.id, scopeLabel: "log archive account",
            }],
        }, { parent: this });
        this.flowLog = new network.FlowLog(`${name}-vnet-flow-log`, {
            resourceGroupName: args.networkWatcher.resourceGroupName, networkWatcherName: args.networkWatcher.networkWatcherName, location, flowLogName: args.flowLogName,
            identity: { type: "UserAssigned", userAssignedIdentities: [flowLogWriter.id] },
            targetResourceId: args.vnetId, storageId: this.account.id, enabled: true,
            format: { type: "JSON", version: 2 },
            // Blobs are kept by the immutability policy; the flow log's own deletion would fight it.
            retentionPolicy: { enabled: false, days: 0 },
            flowAnalyticsConfiguration: {
                networkWatcherFlowAnalyticsConfiguration: {
                    enabled: true, trafficAnalyticsInterval: 10,
                    workspaceId: args.workspace.customerId, workspaceRegion: location, workspaceResourceId: args.workspace.id,
                },
            },
        }, { parent: this, dependsOn: [this.assignments, args.prerequisites] });
        this.registerOutputs({ accountId: this.account.id, accountName: this.account.name });
    }
}
