// The Key Vault (RBAC, purge protection, private only) and the key that encrypts the cluster's etcd through KMS.
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { PrivateEndpoint } from "./private-endpoints";
import type { Placement } from "./placement";

/**
 * How long Key Vault keeps deleted vaults, keys and secrets recoverable; 90 is the maximum ("softDelete data
 * retention days. It accepts >=7 and <=90": keyvault.json 2024-11-01 VaultProperties, in @pulumi/azure-native's types).
 */
export const SOFT_DELETE_DAYS = 90;

/** Both keys are rotated by Key Vault itself every 90 days; operators are notified 30 days before a version expires. */
export const KMS_KEY_ROTATION = { rotateAfter: "P90D", expireAfter: "P1Y", notifyBeforeExpiry: "P30D" } as const;

export interface KeyVaultArgs extends Placement {
    /** The vault's globally unique name (names.ts `keyVaultName`). */
    readonly vaultName: pulumi.Input<string>;
    /** The Entra ID tenant. */
    readonly tenantId: pulumi.Input<string>;
    /** The private-endpoint subnet and the privatelink.vaultcore.azure.net zone. */
    readonly privateEndpointSubnetId: pulumi.Input<string>;
    /** The privatelink.vaultcore.azure.net zone. */
    readonly privateDnsZoneId: pulumi.Input<string>;
}

export class KeyVault extends pulumi.ComponentResource {
    readonly vault: keyvault.Vault;
    /** The key AKS encrypts Kubernetes secrets in etcd with. */
    readonly kmsKey: keyvault.Key;
    /** The key node OS disks and persistent volumes are encrypted with (through a disk encryption set). */
    readonly diskKey: keyvault.Key;
    readonly vaultUri: pulumi.Output<string>;

    constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:KeyVault", name, {}, opts);
        const { resourceGroupName, location } = args;
        this.vault = new keyvault.Vault(`${name}-vault`, {
            resourceGroupName, location, vaultName: args.vaultName,
            properties: {
                tenantId: args.tenantId,
                sku: { family: "A", name: "standard" },
                enableRbacAuthorization: true,
                enablePurgeProtection: true,
                enableSoftDelete: true,
                softDeleteRetentionInDays: SOFT_DELETE_DAYS,
                publicNetworkAccess: "Disabled",
                // Trusted services only: the disk encryption set reads the disk key this way (it cannot use
                // private endpoints); everything else reaches the vault through its private endpoint.
                networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
                enabledForDeployment: false,
                enabledForDiskEncryption: false,
                enabledForTemplateDeployment: false,
            },
        }, { parent: this });
        this.vaultUri = this.vault.properties.apply((p) => p.vaultUri ?? "");

        // Fixed at creation: Keys_CreateIfNotExist never updates an existing key (keyvault keys.json 2024-11-01), so a
        // later change to these properties reaches Azure only through the data plane (docs/azure.md, Key settings).
        const rotatingKey = (role: string) => new keyvault.Key(`${name}-${role}-key`, {
            resourceGroupName, vaultName: this.vault.name, keyName: `openclaw-${role}`,
            properties: {
                kty: "RSA", keySize: 2048, // the size AKS KMS supports
                keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                rotationPolicy: {
                    attributes: { expiryTime: KMS_KEY_ROTATION.expireAfter },
                    lifetimeActions: [
                        { trigger: { timeAfterCreate: KMS_KEY_ROTATION.rotateAfter }, action: { type: "rotate" } },
                        { trigger: { timeBeforeExpiry: KMS_KEY_ROTATION.notifyBeforeExpiry }, action: { type: "notify" } },
                    ],
                },
            },
        }, { parent: this });
        this.kmsKey = rotatingKey("etcd");
        this.diskKey = rotatingKey("disk");

        new PrivateEndpoint(`${name}-vault`, {
            resourceGroupName, location, subnetId: args.privateEndpointSubnetId, targetId: this.vault.id, groupId: "vault", dnsZoneIds: [args.privateDnsZoneId],
        }, { parent: this });
        this.registerOutputs({ vaultId: this.vault.id, vaultUri: this.vaultUri });
    }
}
