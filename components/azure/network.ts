// The dedicated VNet: a pure subnet and NSG-rule plan, and the component that builds it (VNet, subnets, NSGs, NAT).
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { formatCidr, mustParseCidr, parseCidr, sizeOf, subnetAt } from "../../config/cidr";
import { CLUSTER_ADDRESSING, OpenClawConfig } from "../../config/schema";
import type { Placement } from "./placement";

/** The subnets of the VNet. `firewall` is only built when egress is enforced (Azure Firewall needs its own subnet). */
export const SUBNET_ROLES = ["nodes", "apiServer", "privateEndpoints", "firewall"] as const;
export type SubnetRole = (typeof SUBNET_ROLES)[number];

/** Subnets that carry an NSG. Azure does not allow an NSG on AzureFirewallSubnet. */
export const NSG_SUBNETS = ["nodes", "apiServer", "privateEndpoints"] as const;
export type NsgSubnet = (typeof NSG_SUBNETS)[number];

export interface SubnetPlan {
    readonly role: SubnetRole;
    /** The subnet's name in Azure; the firewall's is fixed by Azure. */
    readonly name: string;
    readonly cidr: string;
}

/** One NSG rule. `toIngressFrontend` rules target the ingress load balancer's public IP, known only at deploy time. */
export interface RulePlan {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound" | "Outbound";
    readonly access: "Allow" | "Deny";
    readonly protocol: "Tcp" | "Udp" | "Icmp" | "*";
    readonly sources: readonly string[];
    readonly destinations: readonly string[];
    readonly toIngressFrontend: boolean;
    readonly ports: readonly string[];
}

export interface NetworkPlan {
    readonly subnets: Readonly<Record<SubnetRole, SubnetPlan>>;
    /** Azure Firewall always takes the first usable address (the fourth) of AzureFirewallSubnet. */
    readonly firewallPrivateIp: string;
    /**
     * With egressMode enforce, the internal load balancer's address in the nodes subnet that the firewall's DNAT
     * rule forwards 443 to: near the top of the subnet, far from the node addresses AKS hands out from the bottom.
     */
    readonly ingressPrivateIp: string;
    readonly rules: Readonly<Record<NsgSubnet, readonly RulePlan[]>>;
}

export type NetworkPlanInput = Pick<OpenClawConfig, "ingressAllowedCidrs" | "apiAuthorizedCidrs"> & Partial<Pick<OpenClawConfig, "egressMode">> & {
    readonly network: Pick<OpenClawConfig["network"], "cidr" | "peerings">;
};

/**
 * Lays out the VNet: nodes get the first quarter (Azure CNI overlay gives pods addresses outside the VNet, so
 * nodes only need one address each); private endpoints, the firewall and the API server share the second quarter.
 */
export function planNetwork(input: NetworkPlanInput): NetworkPlan {
    const net = mustParseCidr(input.network.cidr);
    const quarter = net.prefix + 2;
    const second = subnetAt(net, quarter, 1);
    const subnets: Record<SubnetRole, SubnetPlan> = {
        nodes: { role: "nodes", name: "nodes", cidr: formatCidr(subnetAt(net, quarter, 0)) },
        privateEndpoints: { role: "privateEndpoints", name: "private-endpoints", cidr: formatCidr(subnetAt(second, 24, 0)) },
        // a /24 holds four /26: index 4 is the /26 right after the private-endpoint /24
        firewall: { role: "firewall", name: "AzureFirewallSubnet", cidr: formatCidr(subnetAt(second, 26, 4)) },
        // a /26 holds four /28: index 20 is the /28 right after the firewall /26
        apiServer: { role: "apiServer", name: "api-server", cidr: formatCidr(subnetAt(second, 28, 20)) },
    };
    const firewallBase = mustParseCidr(subnets.firewall.cidr).base + 4;
    const firewallPrivateIp = formatCidr({ base: firewallBase >>> 0, prefix: 32 }).replace(/\/32$/, "");
    const nodes = mustParseCidr(subnets.nodes.cidr);
    // Azure reserves the last address of a subnet; the tenth from the end is well clear of it and of the nodes.
    const ingressPrivateIp = formatCidr({ base: (nodes.base + sizeOf(nodes) - 10) >>> 0, prefix: 32 }).replace(/\/32$/, "");
    return { subnets, firewallPrivateIp, ingressPrivateIp, rules: planRules(input, subnets, ingressPrivateIp) };
}

/**
 * Every TCP port but SSH. The AWS platform excludes TCP 22 even between nodes; this does the same, so nothing in
 * the VNet (a compromised pod included) can reach a node's SSH daemon. Ranges as NSG rules write them.
 */
export const TCP_PORTS_EXCEPT_SSH = ["1-21", "23-65535"] as const;

function planRules(input: NetworkPlanInput, subnets: Record<SubnetRole, SubnetPlan>, ingressPrivateIp: string): Record<NsgSubnet, RulePlan[]> {
    const vnet = input.network.cidr;
    const rule = (r: Omit<RulePlan, "toIngressFrontend"> & { toIngressFrontend?: boolean }): RulePlan => ({ toIngressFrontend: false, ...r });
    const denyAllInbound = rule({ name: "deny-all-inbound", priority: 4096, direction: "Inbound", access: "Deny", protocol: "*", sources: ["*"], destinations: ["*"], ports: ["*"] });
    // What talks to nodes and pods inside the cluster: other nodes, the API server (kubelet, webhooks) and pods
    // (Azure CNI overlay routes pod traffic with pod addresses). Not the private endpoints, not peers, not the rest
    // of the VNet.
    const clusterSources = [subnets.nodes.cidr, subnets.apiServer.cidr, CLUSTER_ADDRESSING.podCidr];
    const clusterDestinations = [subnets.nodes.cidr, CLUSTER_ADDRESSING.podCidr];

    // Public ingress: to the public load balancer's IP; with egress enforced, to the internal load balancer behind
    // the firewall's DNAT rule instead (the firewall's own addresses, or the client's, arrive as the source).
    const ingress = input.egressMode === "enforce"
        ? rule({ name: "allow-https-to-ingress", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: [...new Set([...input.ingressAllowedCidrs, subnets.firewall.cidr])], destinations: [`${ingressPrivateIp}/32`], ports: ["443"] })
        : rule({ name: "allow-https-to-ingress", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: input.ingressAllowedCidrs, destinations: [], toIngressFrontend: true, ports: ["443"] });
    const nodes: RulePlan[] = [
        ingress,
        rule({ name: "allow-load-balancer-probes", priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: ["AzureLoadBalancer"], destinations: [subnets.nodes.cidr], ports: [...TCP_PORTS_EXCEPT_SSH] }),
        rule({ name: "allow-cluster-tcp", priority: 120, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: clusterSources, destinations: clusterDestinations, ports: [...TCP_PORTS_EXCEPT_SSH] }),
        rule({ name: "allow-cluster-udp", priority: 121, direction: "Inbound", access: "Allow", protocol: "Udp", sources: clusterSources, destinations: clusterDestinations, ports: ["*"] }),
        rule({ name: "allow-cluster-icmp", priority: 122, direction: "Inbound", access: "Allow", protocol: "Icmp", sources: clusterSources, destinations: clusterDestinations, ports: ["*"] }),
        denyAllInbound,
    ];
    input.network.peerings.forEach((peering, i) => {
        nodes.push(rule({ name: `allow-peer-${peering.name}`, priority: 100 + i, direction: "Outbound", access: "Allow", protocol: "Tcp", sources: [subnets.nodes.cidr], destinations: peering.cidrs, ports: peering.ports.map(String) }));
        nodes.push(rule({ name: `deny-peer-${peering.name}`, priority: 3000 + i, direction: "Outbound", access: "Deny", protocol: "*", sources: ["*"], destinations: peering.cidrs, ports: ["*"] }));
    });

    const privateEndpoints: RulePlan[] = [
        rule({ name: "allow-https-from-vnet", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: [vnet], destinations: [subnets.privateEndpoints.cidr], ports: ["443"] }),
        denyAllInbound,
    ];

    const apiServer: RulePlan[] = [
        rule({ name: "allow-api-from-vnet", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: [vnet], destinations: [subnets.apiServer.cidr], ports: ["443"] }),
        rule({ name: "allow-load-balancer-probes", priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: ["AzureLoadBalancer"], destinations: [subnets.apiServer.cidr], ports: [...TCP_PORTS_EXCEPT_SSH] }),
    ];
    if (input.apiAuthorizedCidrs.length > 0) {
        apiServer.push(rule({ name: "allow-api-from-authorized-cidrs", priority: 120, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: input.apiAuthorizedCidrs, destinations: [subnets.apiServer.cidr], ports: ["443"] }));
    }
    // A peered data service has no business with the Kubernetes API (Azure's default rules would let it in).
    input.network.peerings.forEach((peering, i) => {
        apiServer.push(rule({ name: `deny-peer-${peering.name}`, priority: 3000 + i, direction: "Inbound", access: "Deny", protocol: "*", sources: peering.cidrs, destinations: ["*"], ports: ["*"] }));
    });
    // No explicit deny-all here: the API server's managed load balancer reaches this subnet on paths AKS owns;
    // Azure's default DenyAllInBound (65500) still drops everything from the internet not allowed above.
    return { nodes, privateEndpoints, apiServer };
}

/** The address and port fields of one NSG rule, as the Network API takes them. */
export interface RuleFields {
    readonly sourceAddressPrefix?: string;
    readonly sourceAddressPrefixes?: string[];
    readonly destinationAddressPrefix?: string;
    readonly destinationAddressPrefixes?: string[];
    readonly destinationPortRange?: string;
    readonly destinationPortRanges?: string[];
}

const isAddressRange = (value: string) => parseCidr(value.includes("/") ? value : `${value}/32`) !== undefined;
const isPortRange = (value: string) => /^\d{1,5}(-\d{1,5})?$/.test(value);

/**
 * Maps a planned rule onto the singular or the plural fields. The plural fields ("augmented security rules") take
 * several IP addresses, CIDRs or port ranges only; `*` and service tags such as `AzureLoadBalancer` go in the
 * singular field, or Azure answers `SecurityRuleParameterContainsUnsupportedValue` (source: MicrosoftDocs/azure-docs
 * articles/virtual-network/network-security-groups-overview.md, "Augmented security rules": multiple addresses and
 * ranges, not multiple service tags). One value always takes the singular field; a list that mixes a tag or `*` with
 * other values cannot be expressed and is refused here, at plan time.
 */
export function ruleFields(rule: RulePlan): RuleFields {
    const pick = (values: readonly string[], what: string, plural: (v: string) => boolean): { one?: string; many?: string[] } => {
        if (values.length === 1) {
            return { one: values[0] };
        }
        const refused = values.filter((v) => !plural(v));
        if (values.length === 0 || refused.length > 0) {
            throw new Error(`NSG rule ${rule.name}: ${what} ${JSON.stringify(values)} cannot be sent to Azure; a list takes addresses, CIDRs or port ranges only (refused: ${refused.join(", ") || "empty list"})`);
        }
        return { many: [...values] };
    };
    const source = pick(rule.sources, "sources", isAddressRange);
    const destination = rule.toIngressFrontend ? {} : pick(rule.destinations, "destinations", isAddressRange);
    const ports = pick(rule.ports, "ports", isPortRange);
    return {
        ...(source.one !== undefined ? { sourceAddressPrefix: source.one } : { sourceAddressPrefixes: source.many }),
        ...(destination.one !== undefined ? { destinationAddressPrefix: destination.one } : destination.many ? { destinationAddressPrefixes: destination.many } : {}),
        ...(ports.one !== undefined ? { destinationPortRange: ports.one } : { destinationPortRanges: ports.many }),
    };
}

export interface NetworkArgs extends Placement {
    /** The validated stack config: network.cidr, peerings, ingressAllowedCidrs, apiAuthorizedCidrs, egressMode. */
    readonly config: OpenClawConfig;
}

/**
 * VNet, subnets with `defaultOutboundAccess: false`, one NSG per subnet, the NAT gateway for egress, and the
 * static public IP of the ingress load balancer (the only address 443 is open to).
 */
export class Network extends pulumi.ComponentResource {
    readonly plan: NetworkPlan;
    readonly vnet: network.VirtualNetwork;
    readonly subnetIds: Readonly<Partial<Record<SubnetRole, pulumi.Output<string>>>>;
    /**
     * Every subnet, in creation order. Whatever else writes to the VNet (peerings, the DNS policy link, the
     * firewall) waits for all of them: Azure rejects concurrent writes to one VNet.
     */
    readonly subnets: readonly network.Subnet[];
    readonly securityGroups: Readonly<Record<NsgSubnet, network.NetworkSecurityGroup>>;
    readonly natGateway: network.NatGateway;
    /** The ingress load balancer's frontend; AKS attaches it to the Envoy Service through annotations. */
    readonly ingressIp: network.PublicIPAddress;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:Network", name, {}, opts);
        const { config, resourceGroupName, location } = args;
        this.plan = planNetwork(config);
        const enforce = config.egressMode === "enforce";
        const zones = ["1", "2", "3"].slice(0, config.network.zones);

        this.ingressIp = new network.PublicIPAddress(`${name}-ingress-ip`, {
            resourceGroupName, location, sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", zones,
        }, { parent: this });
        const ingressAddress = this.ingressIp.ipAddress.apply((ip) => ip ?? "");
        // A NAT gateway is regional (no zone) here, so its address is too.
        const natAddress = new network.PublicIPAddress(`${name}-nat-ip`, {
            resourceGroupName, location, sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static",
        }, { parent: this });
        this.natGateway = new network.NatGateway(`${name}-nat`, {
            resourceGroupName, location, sku: { name: "Standard" }, publicIpAddresses: [{ id: natAddress.id }], idleTimeoutInMinutes: 4,
        }, { parent: this });

        // With enforcement every node packet to the internet goes through the firewall, which then uses the NAT gateway.
        const nodesRoute = enforce
            ? new network.RouteTable(`${name}-nodes-routes`, {
                  resourceGroupName, location, disableBgpRoutePropagation: true,
                  routes: [{ name: "internet-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: this.plan.firewallPrivateIp }],
              }, { parent: this })
            : undefined;

        // Subnets are separate resources below; the VNet must not try to own (or remove) them.
        this.vnet = new network.VirtualNetwork(`${name}-vnet`, {
            resourceGroupName, location, addressSpace: { addressPrefixes: [config.network.cidr] },
        }, { parent: this, ignoreChanges: ["subnets"] });

        const nsg = (role: NsgSubnet) =>
            new network.NetworkSecurityGroup(`${name}-${role}-nsg`, {
                resourceGroupName, location,
                securityRules: this.plan.rules[role].map((r) => ({
                    name: r.name, priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol, sourcePortRange: "*",
                    ...ruleFields(r),
                    // The ingress rule's one destination is the load balancer's public IP, known at deploy time.
                    ...(r.toIngressFrontend ? { destinationAddressPrefix: ingressAddress } : {}),
                })),
            }, { parent: this });
        this.securityGroups = { nodes: nsg("nodes"), apiServer: nsg("apiServer"), privateEndpoints: nsg("privateEndpoints") };

        const subnetIds: Partial<Record<SubnetRole, pulumi.Output<string>>> = {};
        const subnets: network.Subnet[] = [];
        // Subnets are created one after another: Azure rejects concurrent writes to one VNet.
        let previous: pulumi.Resource | undefined;
        const subnet = (role: SubnetRole, extra: Partial<network.SubnetArgs>) => {
            const plan = this.plan.subnets[role];
            const created = new network.Subnet(`${name}-${role}`, {
                resourceGroupName, virtualNetworkName: this.vnet.name, subnetName: plan.name, addressPrefix: plan.cidr,
                defaultOutboundAccess: false, ...extra,
            }, { parent: this, dependsOn: previous ? [previous] : [] });
            previous = created;
            subnets.push(created);
            subnetIds[role] = created.id;
        };
        subnet("nodes", {
            networkSecurityGroup: { id: this.securityGroups.nodes.id },
            ...(enforce && nodesRoute ? { routeTable: { id: nodesRoute.id } } : { natGateway: { id: this.natGateway.id } }),
        });
        subnet("apiServer", {
            networkSecurityGroup: { id: this.securityGroups.apiServer.id },
            delegations: [{ name: "aks-api-server", serviceName: "Microsoft.ContainerService/managedClusters" }],
        });
        // NSG rules apply to private endpoints only when the subnet's network policies are on.
        subnet("privateEndpoints", { networkSecurityGroup: { id: this.securityGroups.privateEndpoints.id }, privateEndpointNetworkPolicies: "Enabled" });
        if (enforce) {
            subnet("firewall", { natGateway: { id: this.natGateway.id } });
        }
        this.subnetIds = subnetIds;
        this.subnets = subnets;
        this.registerOutputs({ vnetId: this.vnet.id });
    }
}
