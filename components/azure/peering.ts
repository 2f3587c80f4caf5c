// Optional VNet peerings (NET-5): the link itself; which CIDRs and ports are reachable is the nodes NSG's job.
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import type { OpenClawConfig } from "../../config/schema";

export interface VnetPeeringsArgs {
    /** `network.peerings`; none by default. */
    readonly peerings: OpenClawConfig["network"]["peerings"];
    /** The stack's resource group, where the local VNet is. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** The local VNet's name. */
    readonly vnetName: pulumi.Input<string>;
    /** What each peering waits for (the subnets: Azure rejects concurrent writes to one VNet); set on each peering. */
    readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * One peering per configured peer. Forwarded traffic and gateway transit are off, so only the peer VNet itself is
 * reachable, not networks behind it. The peer side must create the reverse peering (it is not in this stack).
 */
export class VnetPeerings extends pulumi.ComponentResource {
    readonly peerings: readonly network.VirtualNetworkPeering[];

    constructor(name: string, args: VnetPeeringsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:VnetPeerings", name, {}, opts);
        this.peerings = args.peerings.map((peering) =>
            new network.VirtualNetworkPeering(`${name}-${peering.name}`, {
                resourceGroupName: args.resourceGroupName, virtualNetworkName: args.vnetName, virtualNetworkPeeringName: peering.name,
                remoteVirtualNetwork: { id: peering.peerNetworkId },
                allowVirtualNetworkAccess: true, allowForwardedTraffic: false, allowGatewayTransit: false, useRemoteGateways: false,
            }, { parent: this, dependsOn: [...args.dependsOn] }),
        );
        this.registerOutputs({});
    }
}
