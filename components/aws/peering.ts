// Optional least-privilege VPC peering (NET-5): routes only to the peer CIDRs listed, node egress only to the listed ports, the private API to the peer.
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import type { OpenClawConfig } from "../../config/schema";
import { AwsContext, tagsFor } from "./context";
import type { SecurityGroups } from "./security-groups";

export type PeeringConfig = OpenClawConfig["network"]["peerings"][number];

export interface PeeringsArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The VPC the resources belong to. */
    readonly vpcId: pulumi.Input<string>;
    /** The peerings of `network.peerings`; none by default. */
    readonly peerings: readonly PeeringConfig[];
    /** Route tables of the private subnets, the only ones that get routes to the peers. */
    readonly privateRouteTableIds: pulumi.Input<string>[];
    /** The security groups; node egress rules to each peer CIDR and port are added to them. */
    readonly securityGroups: SecurityGroups;
}

/**
 * One peering connection per configured peer. It is accepted here only when the peer is in the same account
 * and region; otherwise the peer's owner accepts it (the connection stays pending until then).
 */
export class Peerings extends pulumi.ComponentResource {
    readonly connections: readonly ec2.VpcPeeringConnection[];

    constructor(name: string, args: PeeringsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Peerings", name, {}, opts);
        const { context } = args;
        this.connections = args.peerings.map((peering) => {
            const crossRegion = peering.peerRegion !== undefined && peering.peerRegion !== context.region;
            const crossAccount = peering.peerAccountId !== undefined;
            const connection = new ec2.VpcPeeringConnection(`${name}-${peering.name}`, {
                vpcId: args.vpcId,
                peerVpcId: peering.peerNetworkId,
                ...(crossAccount ? { peerOwnerId: peering.peerAccountId } : {}),
                ...(crossRegion ? { peerRegion: peering.peerRegion } : {}),
                autoAccept: !crossRegion && !crossAccount,
                tags: tagsFor(context, `${context.prefix}-peer-${peering.name}`),
            }, { parent: this });
            peering.cidrs.forEach((cidr, cidrIndex) => {
                args.privateRouteTableIds.forEach((routeTableId, zone) => {
                    new ec2.Route(`${name}-${peering.name}-${cidrIndex}-${zone}`, {
                        routeTableId,
                        destinationCidrBlock: cidr,
                        vpcPeeringConnectionId: connection.id,
                    }, { parent: this });
                });
                args.securityGroups.allowApiFrom(`${peering.name}-${cidrIndex}`, cidr, `peer ${peering.name}: ${cidr} to the private Kubernetes API`);
                for (const port of peering.ports) {
                    args.securityGroups.allowNodesTo(`${peering.name}-${cidrIndex}-${port}`, cidr, port, `peer ${peering.name}: ${cidr} port ${port}`);
                }
            });
            return connection;
        });
        this.registerOutputs({});
    }
}
