// Customer-managed encryption of node OS disks and persistent volumes: a disk encryption set on the vault's disk key.
import * as compute from "@pulumi/azure-native/compute";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { AssignmentSpec, RoleAssignments } from "./role-assignments";
import type { Placement } from "./placement";

export interface DiskEncryptionArgs extends Placement {
    /** The subscription; role definitions are resolved under it. */
    readonly subscriptionId: pulumi.Input<string>;
    /** The Key Vault's resource id. */
    readonly vaultId: pulumi.Input<string>;
    /**
     * The disk key's versioned URL. The API requires the version ("Fully versioned Key Url ... Version segment of the
     * Url is required regardless of rotationToLatestKeyVersionEnabled value": compute DiskRP 2024-03-02
     * KeyForDiskEncryptionSet.keyUrl, in @pulumi/azure-native's types); `rotationToLatestKeyVersionEnabled` is what
     * follows the key's automatic rotation.
     */
    readonly keyId: pulumi.Input<string>;
    /** The key's resource id (the role assignment's scope). */
    readonly keyResourceId: pulumi.Input<string>;
}

export class DiskEncryption extends pulumi.ComponentResource {
    readonly encryptionSet: compute.DiskEncryptionSet;
    readonly assignments: RoleAssignments;

    constructor(name: string, args: DiskEncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:DiskEncryption", name, {}, opts);
        const identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, { resourceGroupName: args.resourceGroupName, location: args.location }, { parent: this });
        const grant: AssignmentSpec = {
            key: "disk-encryption-set-key", who: "disk encryption set identity", kind: "ServicePrincipal", principalId: identity.principalId,
            role: "Key Vault Crypto Service Encryption User", scope: args.keyResourceId, scopeLabel: "disk key",
        };
        this.assignments = new RoleAssignments(`${name}-roles`, { subscriptionId: args.subscriptionId, assignments: [grant] }, { parent: this });
        this.encryptionSet = new compute.DiskEncryptionSet(`${name}-set`, {
            resourceGroupName: args.resourceGroupName, location: args.location,
            encryptionType: "EncryptionAtRestWithCustomerKey",
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
            activeKey: { keyUrl: args.keyId, sourceVault: { id: args.vaultId } },
            rotationToLatestKeyVersionEnabled: true,
        }, {
            parent: this, dependsOn: [this.assignments],
            // Azure moves activeKey to each new key version itself; Pulumi must not put the first version back.
            ignoreChanges: ["activeKey.keyUrl"],
        });
        this.registerOutputs({ encryptionSetId: this.encryptionSet.id });
    }
}
