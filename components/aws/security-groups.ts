// Security groups per tier (NET-2, NET-4): ingress (the NLB), nodes, management (the Kubernetes API), endpoints, rotation. No rule admits port 22.
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, tagsFor } from "./context";

/** The security groups the checklist names, plus one for the rotation Lambda. */
export const SECURITY_GROUP_TIERS = {
    ingress: "Inference ingress: the internet-facing NLB; 443 (and 80 for the HTTPS redirect) from ingressAllowedCidrs only",
    nodes: "EKS nodes and, through the VPC CNI, their pods",
    management: "Management: the Kubernetes API endpoint ENIs; 443 from the nodes only",
    endpoints: "Storage and secret services: the interface VPC endpoints; 443 from inside the VPC only",
    rotation: "The secret rotation Lambda: no inbound; 443 to the VPC endpoints only",
} as const;
export type SecurityGroupTier = keyof typeof SECURITY_GROUP_TIERS;

/** Ports the control plane calls on nodes: kubelet and the admission webhooks of the charts the Kubernetes layer installs. */
export const CONTROL_PLANE_TO_NODE_PORTS = [443, 4443, 6443, 8443, 9443, 10250] as const;

/** Listener ports of the NLB: 443, and 80 whose only route is the 301 redirect to HTTPS (TLS-2). */
export const INGRESS_PORTS = [443, 80] as const;

export interface SecurityGroupsArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The VPC the resources belong to. */
    readonly vpcId: pulumi.Input<string>;
    /** The VPC CIDR: endpoints admit 443 from it, nodes reach the VPC resolver in it. */
    readonly vpcCidr: string;
    /** Clients allowed to reach the NLB (`ingressAllowedCidrs`). */
    readonly ingressAllowedCidrs: readonly string[];
}

type Port = { readonly protocol: "tcp" | "udp" | "icmp"; readonly from: number; readonly to: number };
const tcp = (from: number, to = from): Port => ({ protocol: "tcp", from, to });

/** Every TCP port but 22: even node to node, nothing may use SSH; nodes are reached through SSM. */
const ALL_TCP_BUT_SSH: readonly Port[] = [tcp(1, 21), tcp(23, 65535)];

/** The groups and their rules, as separate rule resources (never inline) so a later rule cannot silently replace another. */
export class SecurityGroups extends pulumi.ComponentResource {
    readonly groups: Readonly<Record<SecurityGroupTier, ec2.SecurityGroup>>;
    /**
     * Every rule that admits traffic into or out of each group (either side of the rule). Whatever sends traffic
     * at creation (the rotation Lambda's first rotation, nodes joining) depends on these, not only on the group:
     * a group exists, empty, before its rules do.
     */
    readonly rules: Readonly<Record<SecurityGroupTier, pulumi.Resource[]>>;
    private readonly name: string;
    private readonly tierOf = new Map<ec2.SecurityGroup, SecurityGroupTier>();

    constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:SecurityGroups", name, {}, opts);
        this.name = name;
        const { context } = args;
        const groups = {} as Record<SecurityGroupTier, ec2.SecurityGroup>;
        for (const tier of Object.keys(SECURITY_GROUP_TIERS) as SecurityGroupTier[]) {
            groups[tier] = new ec2.SecurityGroup(`${name}-${tier}`, {
                name: `${context.prefix}-${tier}`,
                description: SECURITY_GROUP_TIERS[tier],
                vpcId: args.vpcId,
                revokeRulesOnDelete: true,
                tags: tagsFor(context, `${context.prefix}-${tier}`),
            }, { parent: this });
        }
        this.groups = groups;
        this.rules = { ingress: [], nodes: [], management: [], endpoints: [], rotation: [] };
        for (const [tier, group] of Object.entries(groups) as [SecurityGroupTier, ec2.SecurityGroup][]) {
            this.tierOf.set(group, tier);
        }
        const g = groups;

        // Ingress tier: clients → NLB on the listener ports; NLB → node/pod target ports.
        for (const cidr of args.ingressAllowedCidrs) {
            for (const port of INGRESS_PORTS) {
                this.ingress(`ingress-from-${cidr.replace(/[./]/g, "-")}-${port}`, g.ingress, tcp(port), { cidr }, `clients (${cidr}) to the load balancer`);
            }
        }
        this.egress("ingress-to-nodes", g.ingress, tcp(1024, 65535), { group: g.nodes }, "load balancer to the proxy pods (IP targets) and health checks");
        this.ingress("nodes-from-ingress", g.nodes, tcp(1024, 65535), { group: g.ingress }, "load balancer to the proxy pods (IP targets) and health checks");

        // Nodes among themselves: pod-to-pod traffic crosses nodes on any port (NetworkPolicy narrows it, NET-3).
        for (const port of [...ALL_TCP_BUT_SSH, { protocol: "udp", from: 1, to: 65535 } as Port, { protocol: "icmp", from: -1, to: -1 } as Port]) {
            this.ingress(`nodes-from-nodes-${port.protocol}-${port.from}`, g.nodes, port, { group: g.nodes }, "node and pod traffic between nodes");
            this.egress(`nodes-to-nodes-${port.protocol}-${port.from}`, g.nodes, port, { group: g.nodes }, "node and pod traffic between nodes");
        }

        // Management tier: nodes → API server; API server → kubelet and webhooks.
        this.ingress("management-from-nodes", g.management, tcp(443), { group: g.nodes }, "nodes and pods to the Kubernetes API");
        this.egress("nodes-to-management", g.nodes, tcp(443), { group: g.management }, "nodes and pods to the Kubernetes API");
        for (const port of CONTROL_PLANE_TO_NODE_PORTS) {
            this.ingress(`nodes-from-management-${port}`, g.nodes, tcp(port), { group: g.management }, "control plane to kubelet and admission webhooks");
            this.egress(`management-to-nodes-${port}`, g.management, tcp(port), { group: g.nodes }, "control plane to kubelet and admission webhooks");
        }

        // Nodes out: the VPC resolver, the endpoints, and HTTPS to the internet through NAT (DNS Firewall screens names).
        this.egress("nodes-to-resolver-udp", g.nodes, { protocol: "udp", from: 53, to: 53 }, { cidr: args.vpcCidr }, "the VPC DNS resolver");
        this.egress("nodes-to-resolver-tcp", g.nodes, tcp(53), { cidr: args.vpcCidr }, "the VPC DNS resolver");
        this.egress("nodes-to-endpoints", g.nodes, tcp(443), { group: g.endpoints }, "AWS services through the VPC endpoints");
        this.egress("nodes-to-internet-https", g.nodes, tcp(443), { cidr: "0.0.0.0/0" }, "model provider APIs, channels, registries, ACME over HTTPS via NAT");

        // Endpoints tier: 443 from inside the VPC only, nothing out.
        this.ingress("endpoints-from-vpc", g.endpoints, tcp(443), { cidr: args.vpcCidr }, "AWS API calls from inside the VPC");

        // Rotation Lambda: Secrets Manager through the endpoints only.
        this.egress("rotation-to-endpoints", g.rotation, tcp(443), { group: g.endpoints }, "Secrets Manager through its VPC endpoint");

        this.registerOutputs({});
    }

    /**
     * Admits a peered network to the private Kubernetes API (443 on the management group): the peering's CIDRs are
     * the networks the private endpoint is "within the VPC or a connected network" for, so a CI runner there can run
     * the first `pulumi up` (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html). The API still
     * requires an IAM identity with an access entry.
     */
    allowApiFrom(key: string, cidr: string, description: string): void {
        this.ingress(`management-from-peer-${key}`, this.groups.management, tcp(443), { cidr }, description);
    }

    /** Adds an egress rule to a peered destination (NET-5): one port, one CIDR. */
    allowNodesTo(key: string, cidr: string, port: number, description: string): void {
        this.egress(`nodes-to-peer-${key}`, this.groups.nodes, tcp(port), { cidr }, description);
    }

    /** Files a rule under the group it belongs to and the group it references. */
    private record(rule: pulumi.Resource, group: ec2.SecurityGroup, other?: ec2.SecurityGroup): void {
        for (const g of new Set([group, ...(other ? [other] : [])])) {
            const tier = this.tierOf.get(g);
            if (tier !== undefined) {
                (this.rules[tier] as pulumi.Resource[]).push(rule);
            }
        }
    }

    private ingress(key: string, group: ec2.SecurityGroup, port: Port, source: { cidr: string } | { group: ec2.SecurityGroup }, description: string): void {
        const rule = new vpc.SecurityGroupIngressRule(`${this.name}-${key}`, {
            securityGroupId: group.id,
            ipProtocol: port.protocol,
            fromPort: port.from,
            toPort: port.to,
            ...("cidr" in source ? { cidrIpv4: source.cidr } : { referencedSecurityGroupId: source.group.id }),
            description,
        }, { parent: this });
        this.record(rule, group, "group" in source ? source.group : undefined);
    }

    private egress(key: string, group: ec2.SecurityGroup, port: Port, destination: { cidr: string } | { group: ec2.SecurityGroup }, description: string): void {
        const rule = new vpc.SecurityGroupEgressRule(`${this.name}-${key}`, {
            securityGroupId: group.id,
            ipProtocol: port.protocol,
            fromPort: port.from,
            toPort: port.to,
            ...("cidr" in destination ? { cidrIpv4: destination.cidr } : { referencedSecurityGroupId: destination.group.id }),
            description,
        }, { parent: this });
        this.record(rule, group, "group" in destination ? destination.group : undefined);
    }
}
