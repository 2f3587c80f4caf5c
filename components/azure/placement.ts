// Where every Azure component is placed: documented once, extended by each component's Args.
import type * as pulumi from "@pulumi/pulumi";

export interface Placement {
    /** The stack's resource group; every resource of the platform lives in it. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** The Azure region: the `azure-native:location` provider setting (e.g. westeurope). */
    readonly location: string;
}

