// Config that weakens or widens the defaults, and the switch of the AWS example stack to Azure.
import * as assert from "assert";
import { planNetwork } from "../../components/azure/network";
import { FAKE_IDENTITY_CLIENT_SECRET, FAKE_SECRETS, unwrap } from "../harness/program";

const unwrapAll = async (record: Readonly<Record<string, unknown>>) =>
    Object.fromEntries(await Promise.all(Object.entries(record).map(async ([k, v]) => [k, (await unwrap(v)).value])));
import { AzureRun, get, runAzure } from "./run";

const AZURE_VALUES = {
    cloud: "azure",
    dnsZoneId: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com",
    groups: { admin: ["11111111-1111-1111-1111-111111111111"], auditor: ["44444444-4444-4444-4444-444444444444"] },
};

describe("Azure platform with weakened or widened config", function () {
    // One run with every weakening or widening knob at once (they are independent): the AWS example stack file
    // switched to Azure with Azure values and nothing else changed, egress enforced, two model providers, the API
    // open to two CIDRs, a peering, the longest rotation and retention, and no alert e-mail.
    describe("Pulumi.dev.yaml switched to cloud azure, with every weakening knob set", function () {
        let run: AzureRun;
        const peer = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/data/providers/Microsoft.Network/virtualNetworks/lake";
        before(async function () {
            run = await runAzure({
                stack: "dev",
                config: {
                    ...AZURE_VALUES,
                    egressMode: "enforce",
                    apiAuthorizedCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
                    network: { cidr: "10.20.0.0/16", zones: 3, peerings: [{ name: "lake", peerNetworkId: peer, cidrs: ["10.40.1.0/24"], ports: [5432] }] },
                    rotationDays: 90,
                    logRetentionDays: 2557,
                    alertEmail: undefined,
                },
                providerConfig: { "azure-native:location": "westeurope" },
                secrets: { anthropicApiKey: FAKE_SECRETS.anthropicApiKey, openaiApiKey: FAKE_SECRETS.openaiApiKey, identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET },
            });
        });

        it("builds the Azure platform and nothing of AWS", function () {
            assert.strictEqual(run.ofType("azure-native:containerservice:ManagedCluster").length, 1);
            assert.ok(!run.resources.some((r) => r.type.startsWith("aws:")));
        });

        it("egressMode enforce: deploys Azure Firewall with an FQDN allow-list of the model providers, the channels and the platform", function () {
            assert.strictEqual(run.ofType("azure-native:network:AzureFirewall").length, 1);
            const all = get(run.one("azure-native:network:FirewallPolicyRuleCollectionGroup"), "ruleCollections") as { ruleCollectionType: string; action: { type: string }; rules: { name: string; targetFqdns?: string[]; fqdnTags?: string[] }[] }[];
            // Outbound: allow collections only (the DNAT collection is the ingress path, tested below).
            const collections = all.filter((c) => c.ruleCollectionType === "FirewallPolicyFilterRuleCollection");
            assert.ok(collections.every((c) => c.action.type === "Allow"));
            const allowList = collections.flatMap((c) => c.rules).find((r) => r.name === "openclaw-allow-list")?.targetFqdns ?? [];
            for (const domain of ["api.anthropic.com", "api.openai.com", "api.telegram.org", "ghcr.io", "acme-v02.api.letsencrypt.org"]) {
                assert.ok(allowList.includes(domain), domain);
            }
            assert.ok(!allowList.some((d) => d.includes("*") && !d.startsWith("*.")), "no bare wildcard");
            assert.deepStrictEqual(collections.flatMap((c) => c.rules).find((r) => r.name === "aks-required")?.fqdnTags, ["AzureKubernetesService"]);
            // Defender for Containers' sensor uploads to *.cloud.defender.microsoft.com (learn.microsoft.com/azure/aks/
            // outbound-rules-control-egress, "Microsoft Defender for Containers"), which the FQDN tag does not cover.
            assert.ok(collections.flatMap((c) => c.rules).some((r) => (r.targetFqdns ?? []).includes("*.cloud.defender.microsoft.com")));
        });

        it("egressMode enforce: keeps public ingress working through the firewall (DNAT of the ingress IP to an internal load balancer)", async function () {
            // MicrosoftDocs/azure-aks-docs articles/aks/limit-egress-traffic.md: with a UDR to the firewall, a public load
            // balancer's replies take the firewall path and are dropped; ingress must come through a firewall DNAT rule.
            const ingressIp = run.ofType("azure-native:network:PublicIPAddress").find((p) => p.name.endsWith("ingress-ip"))!;
            const firewall = run.one("azure-native:network:AzureFirewall");
            const configs = get(firewall, "ipConfigurations") as { publicIPAddress: { id: string } }[];
            assert.ok(configs.some((c) => c.publicIPAddress.id === `${ingressIp.name}-id`), "the firewall carries the ingress IP");
            const privateIp = planNetwork({ network: { cidr: "10.20.0.0/16", peerings: [] }, ingressAllowedCidrs: ["0.0.0.0/0"], apiAuthorizedCidrs: [], egressMode: "enforce" }).ingressPrivateIp;
            const nat = (get(run.one("azure-native:network:FirewallPolicyRuleCollectionGroup"), "ruleCollections") as { ruleCollectionType: string; action: { type: string }; rules: Record<string, unknown>[] }[])
                .find((c) => c.ruleCollectionType === "FirewallPolicyNatRuleCollection");
            assert.strictEqual(nat?.action.type, "DNAT");
            assert.deepStrictEqual(nat?.rules.map((r) => [r.destinationAddresses, r.destinationPorts, r.translatedAddress, r.translatedPort, r.sourceAddresses]),
                [[[ingressIp.state.ipAddress], ["443"], privateIp, "443", ["0.0.0.0/0"]]]);
            // The Service becomes an internal load balancer at that address; the nodes admit 443 to it.
            const annotations = await unwrapAll(run.seam.ingress.loadBalancerAnnotations);
            assert.deepStrictEqual(annotations, { "service.beta.kubernetes.io/azure-load-balancer-internal": "true", "service.beta.kubernetes.io/azure-load-balancer-ipv4": privateIp });
            const nodesNsg = run.ofType("azure-native:network:NetworkSecurityGroup").find((n) => n.name.includes("nodes-nsg"))!;
            const https = (nodesNsg.inputs.securityRules as { name: string; destinationAddressPrefix?: string }[]).find((r) => r.name === "allow-https-to-ingress");
            assert.strictEqual(https?.destinationAddressPrefix, `${privateIp}/32`);
        });

        it("egressMode enforce: routes the nodes' internet traffic through the firewall, which leaves through the NAT gateway", function () {
            const subnets = run.ofType("azure-native:network:Subnet");
            const nodes = subnets.find((s) => s.inputs.subnetName === "nodes");
            const firewall = subnets.find((s) => s.inputs.subnetName === "AzureFirewallSubnet");
            assert.ok(get(nodes!, "routeTable", "id") && !get(nodes!, "natGateway"));
            assert.ok(get(firewall!, "natGateway", "id"));
            const routes = get(run.one("azure-native:network:RouteTable"), "routes") as { addressPrefix: string; nextHopType: string; nextHopIpAddress: string }[];
            assert.deepStrictEqual(routes.map((r) => [r.addressPrefix, r.nextHopType, r.nextHopIpAddress]), [["0.0.0.0/0", "VirtualAppliance", planNetwork({ network: { cidr: "10.20.0.0/16", peerings: [] }, ingressAllowedCidrs: ["0.0.0.0/0"], apiAuthorizedCidrs: [] }).firewallPrivateIp]]);
            assert.strictEqual(get(run.one("azure-native:containerservice:ManagedCluster"), "networkProfile", "outboundType"), "userDefinedRouting");
        });

        it("egressMode enforce: blocks unknown domains at DNS too and logs the firewall", function () {
            const unknown = run.ofType("azure-native:dnsresolver:DnsSecurityRule").find((r) => r.name.endsWith("dns-unknown"));
            assert.strictEqual(get(unknown!, "action", "actionType"), "Block");
            const firewallId = `${run.one("azure-native:network:AzureFirewall").name}-id`;
            assert.ok(run.ofType("azure-native:monitor:DiagnosticSetting").some((d) => d.inputs.resourceUri === firewallId));
        });

        it("egressMode enforce: creates the cluster only after the firewall", function () {
            const cluster = run.one("azure-native:containerservice:ManagedCluster");
            assert.ok(cluster.dependencies.includes(run.one("azure-native:network:AzureFirewall").urn));
        });

        it("apiAuthorizedCidrs set: the API is public for exactly those CIDRs", function () {
            const api = get(run.one("azure-native:containerservice:ManagedCluster"), "apiServerAccessProfile") as Record<string, unknown>;
            assert.strictEqual(api.enablePrivateCluster, false);
            assert.deepStrictEqual(api.authorizedIPRanges, ["203.0.113.0/24", "198.51.100.7/32"]);
            assert.strictEqual(api.enableVnetIntegration, true);
        });

        it("apiAuthorizedCidrs set: the API server subnet opens 443 to those CIDRs only", function () {
            const nsg = run.ofType("azure-native:network:NetworkSecurityGroup").find((n) => n.name.includes("apiServer"));
            // Two sources: the plural field; one port: the singular field (how the Network API takes them).
            const rule = (nsg?.inputs.securityRules as { name: string; sourceAddressPrefixes: string[]; destinationPortRange: string }[]).find((r) => r.name === "allow-api-from-authorized-cidrs");
            assert.deepStrictEqual([rule?.sourceAddressPrefixes, rule?.destinationPortRange], [["203.0.113.0/24", "198.51.100.7/32"], "443"]);
        });

        it("peering: peers with the VNet without forwarded traffic or gateway transit", function () {
            const peering = run.one("azure-native:network:VirtualNetworkPeering");
            assert.deepStrictEqual(get(peering, "remoteVirtualNetwork"), { id: peer });
            assert.strictEqual(peering.inputs.allowForwardedTraffic, false);
            assert.strictEqual(peering.inputs.allowGatewayTransit, false);
        });

        it("peering: nodes reach only the peer's CIDRs on its ports", function () {
            const nodes = run.ofType("azure-native:network:NetworkSecurityGroup").find((n) => n.name.includes("nodes"));
            const outbound = (nodes?.inputs.securityRules as { direction: string; access: string; destinationAddressPrefix: string; destinationPortRange: string }[]).filter((r) => r.direction === "Outbound");
            assert.deepStrictEqual(outbound.map((r) => [r.access, r.destinationAddressPrefix, r.destinationPortRange]), [["Allow", "10.40.1.0/24", "5432"], ["Deny", "10.40.1.0/24", "*"]]);
        });

        it("rotationDays 90: every secret expires within 90 days", function () {
            const now = Date.now() / 1000;
            for (const s of run.ofType("azure-native:keyvault:Secret")) {
                const expires = Number(get(s, "properties", "attributes", "expires"));
                assert.ok(expires > now + 89 * 86400 && expires <= now + 90 * 86400 + 60, s.name);
            }
        });

        it("rotationDays 90: provider keys also get a reminder 30 days before they expire, the gateway token does not", function () {
            const reminder = run.ofType("azure-native:eventgrid:SystemTopicEventSubscription").find((s) => s.name.endsWith("provider-key-near-expiry"));
            assert.deepStrictEqual(get(reminder!, "filter", "includedEventTypes"), ["Microsoft.KeyVault.SecretNearExpiry"]);
            // In the CloudEvents schema (the only one the alert destination takes) the filter key is an event data field:
            // Key Vault's data.ObjectName (event-schema-key-vault.md); subject is not a CloudEvents filter key (event-filtering.md).
            assert.deepStrictEqual(get(reminder!, "filter", "advancedFilters"), [{ operatorType: "StringIn", key: "data.ObjectName", values: ["openclaw-anthropic-api-key", "openclaw-openai-api-key"] }]);
            assert.strictEqual(reminder?.inputs.eventDeliverySchema, "CloudEventSchemaV1_0");
        });

        it("logRetentionDays 2557: 730 days in the workspace, the full period in the immutable archive", function () {
            assert.strictEqual(run.one("azure-native:operationalinsights:Workspace").inputs.retentionInDays, 730);
            assert.strictEqual(get(run.one("azure-native:storage:StorageAccount"), "immutableStorageWithVersioning", "immutabilityPolicy", "immutabilityPeriodSinceCreationInDays"), 2557);
        });

        it("no alertEmail: the action group still exists, with no receiver", function () {
            assert.deepStrictEqual(run.one("azure-native:monitor:ActionGroup").inputs.emailReceivers, []);
        });
    });

    describe("Pulumi.dev.yaml switched to cloud azure without a region", function () {
        it("asks for azure-native:location when it is missing, before creating any Azure resource", async function () {
            await assert.rejects(runAzure({ stack: "dev", config: AZURE_VALUES }), /azure-native:location: is required/);
        });
    });
});
