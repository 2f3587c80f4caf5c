// The dedicated VPC (NET-1): a pure subnet plan, then subnets, NAT, routes, NACLs, the emptied default group and flow logs.
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { formatCidr, mustParseCidr, subnetAt } from "../../config/cidr";
import { AwsContext, arnOf, tagsFor } from "./context";
import { policyDocument, serviceTrust } from "./iam-policy";
import { INGRESS_PORTS } from "./security-groups";

/** The subnet tiers: public holds only the NLB and NAT gateways, private the nodes, isolated the VPC endpoints. */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** One subnet of the plan. */
export interface PlannedSubnet {
    readonly tier: SubnetTier;
    /** Index of the availability zone (0-based) the subnet lives in. */
    readonly zoneIndex: number;
    readonly cidr: string;
}

/**
 * Lays the subnets out inside the VPC CIDR: each private subnet takes a quarter of the VPC (nodes and, with the
 * VPC CNI, every pod take addresses from it), the last quarter is cut into 32nds for the small public and
 * isolated subnets. Works for any /16 to /20 and 1 to 3 zones; the indexes never change for a given input, so a
 * subnet never moves.
 */
export function planSubnets(networkCidr: string, zones: number): PlannedSubnet[] {
    const network = mustParseCidr(networkCidr);
    if (!Number.isInteger(zones) || zones < 1 || zones > 3) {
        throw new RangeError(`zones must be 1 to 3, got ${zones}`);
    }
    const subnets: PlannedSubnet[] = [];
    for (let zone = 0; zone < zones; zone++) {
        subnets.push({ tier: "private", zoneIndex: zone, cidr: formatCidr(subnetAt(network, network.prefix + 2, zone)) });
        subnets.push({ tier: "public", zoneIndex: zone, cidr: formatCidr(subnetAt(network, network.prefix + 5, 24 + zone)) });
        subnets.push({ tier: "isolated", zoneIndex: zone, cidr: formatCidr(subnetAt(network, network.prefix + 5, 28 + zone)) });
    }
    return subnets;
}

/** A TCP destination a peering admits: the CIDRs and ports OpenClaw may reach. */
export interface PeeredDestination {
    readonly cidrs: readonly string[];
    readonly ports: readonly number[];
}

export interface NetworkArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The VPC CIDR (`network.cidr`). */
    readonly cidr: string;
    /** How many availability zones to spread over (`network.zones`, 2 or 3). */
    readonly zones: number;
    /** Clients allowed to reach the load balancer (`ingressAllowedCidrs`); the public NACL admits only these on the listener ports. */
    readonly ingressAllowedCidrs: readonly string[];
    /** Peered destinations the private NACL lets nodes reach (`network.peerings`). None by default. */
    readonly peeredDestinations: readonly PeeredDestination[];
    /** ARN of the encrypted log group VPC flow logs (ALL traffic) go to. */
    readonly flowLogGroupArn: pulumi.Input<string>;
}

/** One NACL entry, as `ec2.NetworkAcl` takes it. */
export interface NaclRule {
    readonly protocol: string;
    readonly ruleNo: number;
    readonly action: "allow";
    readonly cidrBlock: string;
    readonly fromPort: number;
    readonly toPort: number;
}

/** What the NACL plan reads: the VPC, the clients of the load balancer, the peerings. */
export interface NaclPlanInput {
    readonly vpcCidr: string;
    readonly ingressAllowedCidrs: readonly string[];
    readonly peeredDestinations: readonly PeeredDestination[];
}

/**
 * Rules per network ACL and direction an account has by default ("Inbound or outbound rules per network ACL",
 * adjustable to 40): https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
 */
export const NACL_RULES_PER_DIRECTION = 20;

/**
 * The stateless NACLs per tier, as a second fence behind the security groups. Return traffic of outbound
 * connections (through NAT) arrives on ephemeral ports. The private tier also admits 443 from, and answers on
 * ephemeral ports to, the peered networks: a CI runner in a peered VPC reaches the private API endpoint there
 * (the management security group still decides who).
 */
export function planNetworkAcls(input: NaclPlanInput): Record<SubnetTier, { ingress: NaclRule[]; egress: NaclRule[] }> {
    const vpc = input.vpcCidr;
    const tcp = (ruleNo: number, cidrBlock: string, fromPort: number, toPort: number): NaclRule => ({ protocol: "tcp", ruleNo, action: "allow", cidrBlock, fromPort, toPort });
    const all = (ruleNo: number, cidrBlock: string): NaclRule => ({ protocol: "-1", ruleNo, action: "allow", cidrBlock, fromPort: 0, toPort: 0 });
    const peerCidrs = [...new Set(input.peeredDestinations.flatMap((d) => d.cidrs))];
    const peerPorts = input.peeredDestinations.flatMap((d) => d.cidrs.flatMap((cidr) => d.ports.map((port) => ({ cidr, port }))));
    return {
        public: {
            ingress: [
                all(100, vpc),
                ...input.ingressAllowedCidrs.flatMap((cidr, i) => INGRESS_PORTS.map((port, j) => tcp(200 + i * INGRESS_PORTS.length + j, cidr, port, port))),
                tcp(900, "0.0.0.0/0", 1024, 65535),
            ],
            egress: [all(100, vpc), tcp(200, "0.0.0.0/0", 443, 443), tcp(900, "0.0.0.0/0", 1024, 65535)],
        },
        private: {
            ingress: [all(100, vpc), ...peerCidrs.map((cidr, i) => tcp(400 + i, cidr, 443, 443)), tcp(900, "0.0.0.0/0", 1024, 65535)],
            egress: [
                all(100, vpc),
                tcp(200, "0.0.0.0/0", 443, 443),
                ...peerPorts.map(({ cidr, port }, i) => tcp(300 + i, cidr, port, port)),
                ...peerCidrs.map((cidr, i) => tcp(600 + i, cidr, 1024, 65535)),
            ],
        },
        isolated: { ingress: [all(100, vpc)], egress: [all(100, vpc)] },
    };
}

/** Problems of a NACL plan against the default quota, one line per tier and direction over it; empty when it fits. */
export function naclQuotaProblems(plan: Record<SubnetTier, { ingress: readonly NaclRule[]; egress: readonly NaclRule[] }>): string[] {
    const problems: string[] = [];
    for (const tier of SUBNET_TIERS) {
        for (const direction of ["ingress", "egress"] as const) {
            const count = plan[tier][direction].length;
            if (count > NACL_RULES_PER_DIRECTION) {
                problems.push(`the ${tier} subnets' network ACL would need ${count} ${direction} rules; AWS allows ${NACL_RULES_PER_DIRECTION} by default`);
            }
        }
    }
    return problems;
}

/** The VPC, its subnets per tier, NAT gateways (one per zone), routes, NACLs and flow logs. */
export class Network extends pulumi.ComponentResource {
    readonly vpc: ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly cidr: string;
    readonly subnetIds: Readonly<Record<SubnetTier, pulumi.Output<string>[]>>;
    /** Route tables of the private subnets (peering routes and the S3 gateway endpoint attach here). */
    readonly privateRouteTableIds: pulumi.Output<string>[];
    readonly flowLog: ec2.FlowLog;
    /**
     * What must exist before traffic flows in each tier: its NACL (until then its subnets sit in the emptied
     * default NACL, which drops everything), route table associations and, for the private tier, the NAT routes.
     */
    readonly ready: Readonly<Record<SubnetTier, readonly pulumi.Resource[]>>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Network", name, {}, opts);
        const { context } = args;
        const plan = planSubnets(args.cidr, args.zones);
        this.cidr = args.cidr;

        this.vpc = new ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.cidr,
            enableDnsSupport: true,
            enableDnsHostnames: true,
            tags: tagsFor(context, `${context.prefix}-vpc`),
        }, { parent: this });
        this.vpcId = this.vpc.id;

        // Adopt the default security group and remove every rule, so nothing can use it by accident.
        new ec2.DefaultSecurityGroup(`${name}-default-sg`, {
            vpcId: this.vpc.id,
            ingress: [],
            egress: [],
            tags: tagsFor(context, `${context.prefix}-default-unused`),
        }, { parent: this });

        const zones = getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        const subnets: Record<SubnetTier, ec2.Subnet[]> = { public: [], private: [], isolated: [] };
        for (const planned of plan) {
            subnets[planned.tier].push(new ec2.Subnet(`${name}-${planned.tier}-${planned.zoneIndex}`, {
                vpcId: this.vpc.id,
                cidrBlock: planned.cidr,
                availabilityZone: zones.names[planned.zoneIndex],
                // Neither the NLB nor the NAT gateways need it; nothing in this VPC gets a public address by default.
                mapPublicIpOnLaunch: false,
                tags: {
                    ...tagsFor(context, `${context.prefix}-${planned.tier}-${planned.zoneIndex}`),
                    "openclaw:tier": planned.tier,
                    ...(planned.tier === "public" ? { "kubernetes.io/role/elb": "1" } : {}),
                    ...(planned.tier === "private" ? { "kubernetes.io/role/internal-elb": "1" } : {}),
                },
            }, { parent: this }));
        }
        this.subnetIds = {
            public: subnets.public.map((s) => s.id),
            private: subnets.private.map((s) => s.id),
            isolated: subnets.isolated.map((s) => s.id),
        };

        const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: tagsFor(context, `${context.prefix}-igw`) }, { parent: this });
        const publicRoutes = new ec2.RouteTable(`${name}-public-rt`, { vpcId: this.vpc.id, tags: tagsFor(context, `${context.prefix}-public`) }, { parent: this });
        new ec2.Route(`${name}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, { parent: this });
        subnets.public.forEach((subnet, zone) => {
            new ec2.RouteTableAssociation(`${name}-public-${zone}`, { routeTableId: publicRoutes.id, subnetId: subnet.id }, { parent: this });
        });

        // One NAT gateway per zone: a zone outage does not cut the other zones' egress (cost: see docs/aws.md).
        const privateReady: pulumi.Resource[] = [];
        this.privateRouteTableIds = subnets.private.map((subnet, zone) => {
            const eip = new ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", tags: tagsFor(context, `${context.prefix}-nat-${zone}`) }, { parent: this });
            const nat = new ec2.NatGateway(`${name}-nat-${zone}`, {
                allocationId: eip.id,
                subnetId: subnets.public[zone].id,
                tags: tagsFor(context, `${context.prefix}-nat-${zone}`),
            }, { parent: this, dependsOn: [igw] });
            const table = new ec2.RouteTable(`${name}-private-rt-${zone}`, { vpcId: this.vpc.id, tags: tagsFor(context, `${context.prefix}-private-${zone}`) }, { parent: this });
            const route = new ec2.Route(`${name}-private-default-${zone}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, { parent: this });
            const association = new ec2.RouteTableAssociation(`${name}-private-${zone}`, { routeTableId: table.id, subnetId: subnet.id }, { parent: this });
            privateReady.push(route, association);
            return table.id;
        });

        // Isolated subnets have only the local route: the endpoints there cannot reach the internet.
        const isolatedReady: pulumi.Resource[] = [];
        const isolatedRoutes = new ec2.RouteTable(`${name}-isolated-rt`, { vpcId: this.vpc.id, tags: tagsFor(context, `${context.prefix}-isolated`) }, { parent: this });
        subnets.isolated.forEach((subnet, zone) => {
            isolatedReady.push(new ec2.RouteTableAssociation(`${name}-isolated-${zone}`, { routeTableId: isolatedRoutes.id, subnetId: subnet.id }, { parent: this }));
        });

        const acls = this.createNetworkAcls(name, args, subnets);
        this.ready = { public: [acls.public], private: [acls.private, ...privateReady], isolated: [acls.isolated, ...isolatedReady] };
        this.flowLog = this.createFlowLog(name, args);

        this.registerOutputs({ vpcId: this.vpcId, subnetIds: this.subnetIds });
    }

    /** The NACLs of the plan, one per tier; the default NACL keeps no rule and no subnet. */
    private createNetworkAcls(name: string, args: NetworkArgs, subnets: Record<SubnetTier, ec2.Subnet[]>): Record<SubnetTier, ec2.NetworkAcl> {
        const { context } = args;
        new ec2.DefaultNetworkAcl(`${name}-default-nacl`, {
            defaultNetworkAclId: this.vpc.defaultNetworkAclId,
            ingress: [],
            egress: [],
            tags: tagsFor(context, `${context.prefix}-default-unused`),
        }, { parent: this });
        const rules = planNetworkAcls({ vpcCidr: args.cidr, ingressAllowedCidrs: args.ingressAllowedCidrs, peeredDestinations: args.peeredDestinations });
        const acls = {} as Record<SubnetTier, ec2.NetworkAcl>;
        for (const tier of SUBNET_TIERS) {
            acls[tier] = new ec2.NetworkAcl(`${name}-${tier}-nacl`, {
                vpcId: this.vpc.id,
                subnetIds: subnets[tier].map((s) => s.id),
                ingress: rules[tier].ingress,
                egress: rules[tier].egress,
                tags: tagsFor(context, `${context.prefix}-${tier}`),
            }, { parent: this });
        }
        return acls;
    }

    /** VPC flow logs of ALL traffic to the encrypted log group, through a role only the flow-logs service of this account may assume. */
    private createFlowLog(name: string, args: NetworkArgs): ec2.FlowLog {
        const { context } = args;
        const role = new iam.Role(`${name}-flow-logs`, {
            name: `${context.prefix}-flow-logs`,
            // Flow logs recommend aws:SourceAccount (and aws:SourceArn) in the delivery role's trust:
            // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html#flow-logs-iam-role
            assumeRolePolicy: serviceTrust("vpc-flow-logs.amazonaws.com", { condition: { StringEquals: { "aws:SourceAccount": context.accountId } } }),
            tags: tagsFor(context, `${context.prefix}-flow-logs`),
        }, { parent: this });
        const policy = new iam.RolePolicy(`${name}-flow-logs`, {
            role: role.name,
            policy: policyDocument([
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [args.flowLogGroupArn, pulumi.interpolate`${args.flowLogGroupArn}:*`],
                },
                { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: arnOf(context, "logs", "log-group:*") },
            ]),
        }, { parent: this });
        return new ec2.FlowLog(`${name}-flow-log`, {
            vpcId: this.vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: args.flowLogGroupArn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: tagsFor(context, `${context.prefix}-flow-log`),
        }, { parent: this, dependsOn: [policy] });
    }
}
