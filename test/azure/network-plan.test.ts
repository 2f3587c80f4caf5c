// Properties of the Azure VNet plan: subnets inside the VNet and apart, big enough for what Azure requires there,
// and NSG rules that never open SSH or more than the config asks for.
import * as assert from "assert";
import * as fc from "fast-check";
import { contains, formatCidr, mustParseCidr, overlaps, sizeOf } from "../../config/cidr";
import { CLUSTER_ADDRESSING } from "../../config/schema";
import { NetworkPlanInput, NSG_SUBNETS, planNetwork, RulePlan, ruleFields, SUBNET_ROLES } from "../../components/azure/network";

/** Any VNet CIDR the config accepts: private, /16 to /20, clear of the cluster's pod and service ranges. */
const vnetCidr = fc
    .record({ range: fc.constantFrom("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), prefix: fc.integer({ min: 16, max: 20 }), index: fc.nat() })
    .filter(({ range, prefix }) => mustParseCidr(range).prefix <= prefix)
    .map(({ range, prefix, index }) => {
        const parent = mustParseCidr(range);
        const count = 2 ** (prefix - parent.prefix);
        return formatCidr({ base: (parent.base + (index % count) * 2 ** (32 - prefix)) >>> 0, prefix });
    })
    .filter((c) => !overlaps(mustParseCidr(c), mustParseCidr(CLUSTER_ADDRESSING.podCidr)) && !overlaps(mustParseCidr(c), mustParseCidr(CLUSTER_ADDRESSING.serviceCidr)));

const publicCidr = fc.tuple(fc.integer({ min: 11, max: 99 }), fc.nat(255), fc.constantFrom(24, 28, 32)).map(([a, b, p]) => `${a}.${b}.0.0/${p}`.replace(/\.0\.0\/(28|32)$/, ".0.16/$1"));
const peerings = fc.array(
    fc.record({ name: fc.constantFrom("lake", "vectors", "warehouse"), cidrs: fc.constant(["192.168.100.0/24"] as string[]), ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }) }),
    { maxLength: 2 },
);
const input = fc.record({ cidr: vnetCidr, ingress: fc.array(publicCidr, { minLength: 1, maxLength: 3 }), api: fc.array(publicCidr, { maxLength: 2 }), peerings })
    .filter(({ cidr }) => !overlaps(mustParseCidr(cidr), mustParseCidr("192.168.100.0/24")))
    .map(({ cidr, ingress, api, peerings: p }): NetworkPlanInput => ({
        network: { cidr, peerings: p.map((x, i) => ({ ...x, name: `${x.name}${i}`, peerNetworkId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/z" })) },
        ingressAllowedCidrs: ingress,
        apiAuthorizedCidrs: api,
    }));

const portsInclude = (ports: readonly string[], port: number) =>
    ports.some((p) => p === "*" || p === String(port) || (/^\d+-\d+$/.test(p) && Number(p.split("-")[0]) <= port && port <= Number(p.split("-")[1])));
/** Inside the cluster: an address inside the VNet, the pod overlay, or Azure's load balancer probes. */
const internalTo = (vnet: string) => (source: string) =>
    source === "AzureLoadBalancer" || source === CLUSTER_ADDRESSING.podCidr || (source !== "*" && contains(mustParseCidr(vnet), mustParseCidr(source)));

describe("Azure network plan", () => {
    it("puts every subnet inside the VNet and no two subnets overlap", () => {
        fc.assert(fc.property(input, (i) => {
            const subnets = SUBNET_ROLES.map((r) => mustParseCidr(planNetwork(i).subnets[r].cidr));
            return subnets.every((s) => contains(mustParseCidr(i.network.cidr), s)) && subnets.every((a, x) => subnets.every((b, y) => x === y || !overlaps(a, b)));
        }));
    });

    it("sizes the subnets as Azure requires: AzureFirewallSubnet /26, API server at least /28, private endpoints /24", () => {
        fc.assert(fc.property(input, (i) => {
            const s = planNetwork(i).subnets;
            return s.firewall.name === "AzureFirewallSubnet" && mustParseCidr(s.firewall.cidr).prefix === 26
                && mustParseCidr(s.apiServer.cidr).prefix <= 28 && sizeOf(mustParseCidr(s.privateEndpoints.cidr)) === 256
                && sizeOf(mustParseCidr(s.nodes.cidr)) >= 1024;
        }));
    });

    it("routes to the firewall's first usable address (the fourth of its subnet)", () => {
        fc.assert(fc.property(input, (i) => {
            const plan = planNetwork(i);
            const firewall = mustParseCidr(plan.subnets.firewall.cidr);
            return contains(firewall, mustParseCidr(`${plan.firewallPrivateIp}/32`)) && mustParseCidr(`${plan.firewallPrivateIp}/32`).base === firewall.base + 4;
        }));
    });

    it("never allows TCP 22 inbound, not even from inside the VNet (as the AWS platform)", () => {
        fc.assert(fc.property(input, (i) => NSG_SUBNETS.every((subnet) => planNetwork(i).rules[subnet]
            .filter((r) => r.direction === "Inbound" && r.access === "Allow" && (r.protocol === "Tcp" || r.protocol === "*"))
            .every((r) => !portsInclude(r.ports, 22)))));
    });

    it("admits cluster traffic to the nodes only from the node and API server subnets and the pod range", () => {
        fc.assert(fc.property(input, (i) => {
            const plan = planNetwork(i);
            const allowed = [plan.subnets.nodes.cidr, plan.subnets.apiServer.cidr, CLUSTER_ADDRESSING.podCidr];
            return plan.rules.nodes.filter((r) => r.direction === "Inbound" && r.access === "Allow" && !r.toIngressFrontend && r.sources[0] !== "AzureLoadBalancer")
                .every((r) => r.sources.every((s) => allowed.includes(s)) && !r.sources.includes(i.network.cidr) && !r.sources.includes(plan.subnets.privateEndpoints.cidr));
        }));
    });

    it("sends one value in the singular field and never puts '*' or a service tag in a plural field", () => {
        const isRange = (v: string) => /^\d+(\.\d+){3}(\/\d+)?$/.test(v) || /^\d+(-\d+)?$/.test(v);
        fc.assert(fc.property(input, (i) => NSG_SUBNETS.every((subnet) => planNetwork(i).rules[subnet].every((r) => {
            const fields = ruleFields(r);
            const plural = [...(fields.sourceAddressPrefixes ?? []), ...(fields.destinationAddressPrefixes ?? []), ...(fields.destinationPortRanges ?? [])];
            const eachOnce = (one: unknown, many: unknown[] | undefined) => (one === undefined) !== (many === undefined) && (many === undefined || many.length > 1);
            return plural.every(isRange) && eachOnce(fields.sourceAddressPrefix, fields.sourceAddressPrefixes) && eachOnce(fields.destinationPortRange, fields.destinationPortRanges)
                && (r.toIngressFrontend || eachOnce(fields.destinationAddressPrefix, fields.destinationAddressPrefixes));
        }))));
        const deny = planNetwork({ network: { cidr: "10.30.0.0/16", peerings: [] }, ingressAllowedCidrs: ["0.0.0.0/0"], apiAuthorizedCidrs: [] }).rules.nodes.find((r) => r.name === "deny-all-inbound")!;
        assert.deepStrictEqual(ruleFields(deny), { sourceAddressPrefix: "*", destinationAddressPrefix: "*", destinationPortRange: "*" });
    });

    it("refuses a list that mixes a service tag or '*' with addresses, which Azure would reject", () => {
        const mixed: RulePlan = { name: "mixed", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sources: ["AzureLoadBalancer", "10.0.0.0/24"], destinations: ["10.0.0.0/24"], ports: ["443"], toIngressFrontend: false };
        assert.throws(() => ruleFields(mixed), /NSG rule mixed: sources .* \(refused: AzureLoadBalancer\)/);
        assert.throws(() => ruleFields({ ...mixed, sources: ["10.0.0.0/24"], ports: ["*", "443"] }), /NSG rule mixed: ports .* \(refused: \*\)/);
    });

    it("opens nothing from outside the VNet but 443 from ingressAllowedCidrs and apiAuthorizedCidrs", () => {
        fc.assert(fc.property(input, (i) => {
            const internal = internalTo(i.network.cidr);
            const plan = planNetwork(i);
            const external = NSG_SUBNETS.flatMap((s) => plan.rules[s]).filter((r) => r.direction === "Inbound" && r.access === "Allow" && !r.sources.every(internal));
            return external.every((r) => r.ports.length === 1 && r.ports[0] === "443")
                && external.filter((r) => r.toIngressFrontend).every((r) => r.sources === i.ingressAllowedCidrs)
                && external.filter((r) => !r.toIngressFrontend).every((r) => r.sources === i.apiAuthorizedCidrs);
        }));
    });

    it("ends the node and private-endpoint rules with a deny of all inbound traffic", () => {
        fc.assert(fc.property(input, (i) => (["nodes", "privateEndpoints"] as const).every((s) => {
            const inbound = planNetwork(i).rules[s].filter((r) => r.direction === "Inbound").sort((a, b) => a.priority - b.priority);
            const last = inbound[inbound.length - 1];
            return last.access === "Deny" && last.sources[0] === "*" && last.ports[0] === "*";
        })));
    });

    it("lets nodes reach a peer only on its configured ports, and denies the rest of the peer", () => {
        fc.assert(fc.property(input, (i) => {
            const outbound = planNetwork(i).rules.nodes.filter((r) => r.direction === "Outbound");
            return i.network.peerings.every((p) => {
                const allow = outbound.find((r) => r.name === `allow-peer-${p.name}`);
                const deny = outbound.find((r) => r.name === `deny-peer-${p.name}`);
                return allow !== undefined && deny !== undefined && allow.priority < deny.priority
                    && JSON.stringify(allow.ports) === JSON.stringify(p.ports.map(String)) && allow.destinations === p.cidrs && deny.access === "Deny";
            }) && outbound.length === 2 * i.network.peerings.length;
        }));
    });

    it("keeps peered networks away from the API server", () => {
        fc.assert(fc.property(input, (i) => i.network.peerings.every((p) =>
            planNetwork(i).rules.apiServer.some((r) => r.direction === "Inbound" && r.access === "Deny" && r.sources === p.cidrs && r.priority < 65000))));
    });

    it("gives every rule of one NSG a distinct priority", () => {
        fc.assert(fc.property(input, (i) => NSG_SUBNETS.every((s) => {
            const keys = planNetwork(i).rules[s].map((r) => `${r.direction}:${r.priority}`);
            return new Set(keys).size === keys.length;
        })));
    });

    it("with egress enforced, sends 443 to the internal load balancer inside the nodes subnet, not to a public IP", () => {
        fc.assert(fc.property(input, (i) => {
            const plan = planNetwork({ ...i, egressMode: "enforce" });
            const nodes = mustParseCidr(plan.subnets.nodes.cidr);
            const ingress = plan.rules.nodes.filter((r) => r.ports.includes("443") && r.direction === "Inbound");
            return contains(nodes, mustParseCidr(`${plan.ingressPrivateIp}/32`)) && ingress.length === 1 && !ingress[0].toIngressFrontend
                && ingress[0].destinations[0] === `${plan.ingressPrivateIp}/32` && i.ingressAllowedCidrs.every((c) => ingress[0].sources.includes(c))
                && NSG_SUBNETS.every((s) => plan.rules[s].every((r) => !portsInclude(r.ports, 22) || r.access === "Deny" || r.protocol === "Udp" || r.protocol === "Icmp"));
        }));
    });

    it("lays out the example VNet as documented", () => {
        const plan = planNetwork({ network: { cidr: "10.30.0.0/16", peerings: [] }, ingressAllowedCidrs: ["0.0.0.0/0"], apiAuthorizedCidrs: [] });
        assert.deepStrictEqual(SUBNET_ROLES.map((r) => plan.subnets[r].cidr), ["10.30.0.0/18", "10.30.65.64/28", "10.30.64.0/24", "10.30.65.0/26"]);
        assert.strictEqual(plan.firewallPrivateIp, "10.30.65.4");
    });
});
