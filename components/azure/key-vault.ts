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

/** How Key Vault rotates a key by itself; `expireAfter` and `notifyBeforeExpiry` only where a version may expire. */
export interface KeyRotation {
    readonly rotateAfter: string;
    readonly expireAfter?: string;
    readonly notifyBeforeExpiry?: string;
}

/**
 * The disk key: a new version every 90 days, which the disk encryption set follows by itself
 * (rotationToLatestKeyVersionEnabled), so old versions may expire after a year; operators are notified 30 days before.
 */
export const DISK_KEY_ROTATION: KeyRotation = { rotateAfter: "P90D", expireAfter: "P1Y", notifyBeforeExpiry: "P30D" };

/**
 * The etcd key: a new version every 90 days, but no version ever expires. AKS KMS keeps using the version in its
 * keyId until it is moved on purpose, and "If the key is expired, the KMS plugin will fail to decrypt the existing
 * secrets" (MicrosoftDocs/azure-aks-docs articles/aks/use-kms-etcd-encryption.md). Moving AKS to a new version is
 * a runbook (docs/azure.md, KMS key versions), prompted by the KeyNewVersionCreated alert.
 */
export const ETCD_KEY_ROTATION: KeyRotation = { rotateAfter: "P90D" };

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
    /** The etcd key's name in the vault (what its Key Vault events carry as data.ObjectName). */
    readonly kmsKeyName: string;

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
        const rotatingKey = (role: string, rotation: KeyRotation) => new keyvault.Key(`${name}-${role}-key`, {
            resourceGroupName, vaultName: this.vault.name, keyName: `openclaw-${role}`,
            properties: {
                kty: "RSA", keySize: 2048, // the size AKS KMS supports
                keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                rotationPolicy: {
                    ...(rotation.expireAfter ? { attributes: { expiryTime: rotation.expireAfter } } : {}),
                    lifetimeActions: [
                        { trigger: { timeAfterCreate: rotation.rotateAfter }, action: { type: "rotate" } },
                        ...(rotation.notifyBeforeExpiry ? [{ trigger: { timeBeforeExpiry: rotation.notifyBeforeExpiry }, action: { type: "notify" as const } }] : []),
                    ],
                },
            },
        }, { parent: this });
        this.kmsKey = rotatingKey("etcd", ETCD_KEY_ROTATION);
        this.diskKey = rotatingKey("disk", DISK_KEY_ROTATION);
        this.kmsKeyName = "openclaw-etcd";

        new PrivateEndpoint(`${name}-vault`, {
            resourceGroupName, location, subnetId: args.privateEndpointSubnetId, targetId: this.vault.id, groupId: "vault", dnsZoneIds: [args.privateDnsZoneId],
        }, { parent: this });
        this.registerOutputs({ vaultId: this.vault.id, vaultUri: this.vaultUri });
    }
}
