// Workload identity: a user-assigned managed identity per in-cluster workload, trusted only for that workload's
// ServiceAccount token from this cluster's OIDC issuer.
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadIdentity } from "../seam";
import type { Placement } from "./placement";

/** The audience AKS workload identity tokens are issued for. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";

export interface WorkloadIdentityBindingArgs extends Placement {
    /** The cluster's OIDC issuer URL. */
    readonly issuerUrl: pulumi.Input<string>;
    /** The Entra ID tenant. */
    readonly tenantId: pulumi.Input<string>;
    /** The ServiceAccount the identity is federated with; no other subject can use it. */
    readonly namespace: string;
    /** The ServiceAccount's name in that namespace. */
    readonly serviceAccount: string;
}

export class WorkloadIdentityBinding extends pulumi.ComponentResource {
    readonly identity: managedidentity.UserAssignedIdentity;
    readonly credential: managedidentity.FederatedIdentityCredential;
    readonly principalId: pulumi.Output<string>;
    readonly clientId: pulumi.Output<string>;

    constructor(name: string, args: WorkloadIdentityBindingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:WorkloadIdentityBinding", name, {}, opts);
        this.identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, {
            resourceGroupName: args.resourceGroupName, location: args.location,
        }, { parent: this });
        this.credential = new managedidentity.FederatedIdentityCredential(`${name}-federation`, {
            resourceGroupName: args.resourceGroupName, resourceName: this.identity.name,
            // One credential per identity: named for the ServiceAccount it trusts.
            federatedIdentityCredentialResourceName: `${args.namespace}-${args.serviceAccount}`,
            issuer: args.issuerUrl, audiences: [WORKLOAD_IDENTITY_AUDIENCE],
            subject: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`,
        }, { parent: this });
        this.principalId = this.identity.principalId;
        this.clientId = this.identity.clientId;
        this.registerOutputs({ clientId: this.clientId, principalId: this.principalId });
    }

    /** The seam's view: the ServiceAccount annotation and pod label the AKS webhook acts on. */
    seam(tenantId: pulumi.Input<string>, dependsOn: readonly pulumi.Resource[]): WorkloadIdentity {
        return {
            serviceAccountAnnotations: { "azure.workload.identity/client-id": this.clientId, "azure.workload.identity/tenant-id": tenantId },
            podLabels: { "azure.workload.identity/use": "true" },
            dependsOn: [this.credential, ...dependsOn],
        };
    }
}
