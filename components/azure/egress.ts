// Egress control: a DNS security policy that logs every lookup and flags unknown domains, and, when egressMode is
// enforce, an Azure Firewall that only lets the allow-listed FQDNs out.
import * as dnsresolver from "@pulumi/azure-native/dnsresolver";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/read";
import { MODEL_PROVIDERS, ModelProvider } from "../../config/providers";
import { identityDomains } from "../../config/identity";
import type { Placement } from "./placement";

/**
 * Domains the platform itself needs besides the AKS FQDN tag: the registries the cluster's add-ons pull from
 * (OpenClaw on ghcr.io, cert-manager on quay.io, Kubernetes images on registry.k8s.io, Envoy on docker.io,
 * Fluent Bit on cr.fluentbit.io) and Let's Encrypt's ACME API.
 */
export const PLATFORM_EGRESS_DOMAINS = [
    "ghcr.io", "pkg-containers.githubusercontent.com",
    "quay.io", "cdn01.quay.io", "cdn02.quay.io", "cdn03.quay.io",
    "registry.k8s.io", "us-docker.pkg.dev", "europe-docker.pkg.dev",
    "registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com",
    "cr.fluentbit.io",
    "acme-v02.api.letsencrypt.org", "acme-staging-v02.api.letsencrypt.org",
] as const;

/**
 * Azure's own domain suffixes (control plane, Entra ID, monitoring, node images, the VNet's internal DNS suffix).
 * The DNS policy allows them so that the unknown-egress alert is not drowned by the platform's own lookups; the
 * firewall covers them with the `AzureKubernetesService` FQDN tag instead.
 */
export const AZURE_PLATFORM_DOMAIN_SUFFIXES = [
    "azure.com", "azure.net", "windows.net", "microsoft.com", "microsoftonline.com", "azmk8s.io", "azurecr.io",
    "azure-automation.net", "cloudapp.net", "ubuntu.com", "azureedge.net", "msftauth.net", "visualstudio.com",
] as const;

/**
 * What the cluster's Defender sensor must reach when egress is enforced: "Required FQDN / application rules" for
 * Microsoft Defender for Containers (learn.microsoft.com/azure/aks/outbound-rules-control-egress:
 * `*.cloud.defender.microsoft.com` "NEW: Required for Microsoft Defender to upload security events", with the two
 * Log Analytics FQDNs). Not behind the AzureKubernetesService FQDN tag.
 */
export const DEFENDER_EGRESS_FQDNS = ["*.cloud.defender.microsoft.com", "*.ods.opinsights.azure.com", "*.oms.opinsights.azure.com"] as const;

/** The FQDNs the stack may reach: the configured model providers' APIs, the configured channels, the IdP, the platform's. */
export function egressAllowList(config: Pick<StackConfig, "modelProviderKeys" | "egressAllowedDomains"> & Partial<Pick<StackConfig, "identity">>): string[] {
    const providers = (Object.keys(config.modelProviderKeys) as ModelProvider[]).flatMap((p) => MODEL_PROVIDERS[p].apiDomains);
    return [...new Set([...providers, ...config.egressAllowedDomains, ...identityDomains(config.identity), ...PLATFORM_EGRESS_DOMAINS])].sort();
}

/**
 * DNS security policy domain lists take fully qualified names with the trailing dot; "." is meant to match every
 * domain. NOT verified against a source (the spec, dnsresolverpolicy.json 2023-07-01-preview, gives no pattern and the
 * overview page does not say): check once with `az dns-resolver domain-list create ... --domains .` (docs/azure.md).
 */
const dnsName = (domain: string) => (domain.endsWith(".") ? domain : `${domain}.`);

export interface EgressControlArgs extends Placement {
    /** The validated stack config: egressMode, egressAllowedDomains and the configured model providers. */
    readonly config: StackConfig;
    /**
     * Names the cluster itself looks up that are not egress destinations: the DNS zone cert-manager's DNS-01
     * self-check reads `_acme-challenge` TXT records from (through kube-dns, `--dns01-recursive-nameservers-only`),
     * and the public hostname. Allowed in the DNS policy only, so Block (enforce) does not break issuance and Alert
     * does not fire on it.
     */
    readonly dnsLookupDomains: readonly string[];
    /** The VNet the DNS policy is linked to. */
    readonly vnetId: pulumi.Input<string>;
    /** AzureFirewallSubnet; required when egressMode is enforce. */
    readonly firewallSubnetId?: pulumi.Input<string>;
    /** Availability zones of the firewall. */
    readonly zones: readonly string[];
    /**
     * Resources the VNet link and the firewall wait for (the subnets: Azure rejects concurrent writes to one VNet).
     * Applied to those resources themselves; `dependsOn` on this component would not reach them.
     */
    readonly dependsOn: readonly pulumi.Resource[];
    /** With enforce: public ingress through the firewall (the stack's ingress IP, DNAT to the internal load balancer). */
    readonly ingress?: FirewallIngress;
}

/**
 * Public ingress when egress is enforced. A public load balancer behind a 0.0.0.0/0 route to the firewall breaks:
 * "the incoming load balancer traffic is received via its public IP address, but the return path goes through the
 * firewall's private IP address ... it drops the returning packet" (MicrosoftDocs/azure-aks-docs
 * articles/aks/limit-egress-traffic.md, Add a DNAT rule to Azure Firewall). So the firewall takes the ingress IP and
 * DNATs 443 to an internal load balancer; requests and replies both pass the firewall.
 */
export interface FirewallIngress {
    /** The stack's static ingress public IP (its address stays what DNS points at). */
    readonly publicIpId: pulumi.Input<string>;
    readonly publicIpAddress: pulumi.Input<string>;
    /** The internal load balancer's address (NetworkPlan.ingressPrivateIp). */
    readonly privateIp: string;
    /** ingressAllowedCidrs: the only sources the DNAT rule forwards. */
    readonly allowedCidrs: readonly string[];
}

export class EgressControl extends pulumi.ComponentResource {
    readonly dnsPolicy: dnsresolver.DnsResolverPolicy;
    /** Present only when egressMode is enforce. */
    readonly firewall?: network.AzureFirewall;
    readonly allowList: readonly string[];

    constructor(name: string, args: EgressControlArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:EgressControl", name, {}, opts);
        const { config, resourceGroupName, location } = args;
        this.allowList = egressAllowList(config);
        const enforce = config.egressMode === "enforce";

        this.dnsPolicy = new dnsresolver.DnsResolverPolicy(`${name}-dns-policy`, { resourceGroupName, location, dnsResolverPolicyName: "openclaw-egress" }, { parent: this });
        const allowed = new dnsresolver.DnsResolverDomainList(`${name}-dns-allowed`, {
            resourceGroupName, location, dnsResolverDomainListName: "openclaw-allowed",
            domains: [...new Set([...this.allowList, ...args.dnsLookupDomains, ...AZURE_PLATFORM_DOMAIN_SUFFIXES])].map(dnsName),
        }, { parent: this });
        const everything = new dnsresolver.DnsResolverDomainList(`${name}-dns-everything`, { resourceGroupName, location, dnsResolverDomainListName: "openclaw-everything", domains: ["."] }, { parent: this });
        new dnsresolver.DnsSecurityRule(`${name}-dns-allow-known`, {
            resourceGroupName, location, dnsResolverPolicyName: this.dnsPolicy.name, dnsSecurityRuleName: "allow-known", priority: 100,
            action: { actionType: "Allow" }, dnsResolverDomainLists: [{ id: allowed.id }], dnsSecurityRuleState: "Enabled",
        }, { parent: this });
        // Unknown domains: Block when enforcing (the firewall would drop the connection anyway), else Alert.
        new dnsresolver.DnsSecurityRule(`${name}-dns-unknown`, {
            resourceGroupName, location, dnsResolverPolicyName: this.dnsPolicy.name, dnsSecurityRuleName: "unknown", priority: 200,
            action: enforce ? { actionType: "Block", blockResponseCode: "SERVFAIL" } : { actionType: "Alert" },
            dnsResolverDomainLists: [{ id: everything.id }], dnsSecurityRuleState: "Enabled",
        }, { parent: this });
        new dnsresolver.DnsResolverPolicyVirtualNetworkLink(`${name}-dns-policy-link`, {
            resourceGroupName, location, dnsResolverPolicyName: this.dnsPolicy.name, dnsResolverPolicyVirtualNetworkLinkName: "openclaw-vnet", virtualNetwork: { id: args.vnetId },
        }, { parent: this, dependsOn: [...args.dependsOn] });

        if (enforce) {
            if (args.firewallSubnetId === undefined) {
                throw new pulumi.ResourceError("egressMode enforce needs the AzureFirewallSubnet (firewallSubnetId)", this);
            }
            this.firewall = this.buildFirewall(name, args);
        }
        this.registerOutputs({ dnsPolicyId: this.dnsPolicy.id, firewallId: this.firewall?.id });
    }

    private buildFirewall(name: string, args: EgressControlArgs): network.AzureFirewall {
        const { resourceGroupName, location, config } = args;
        const address = new network.PublicIPAddress(`${name}-firewall-ip`, {
            resourceGroupName, location, sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", zones: [...args.zones],
        }, { parent: this });
        const policy = new network.FirewallPolicy(`${name}-firewall-policy`, {
            resourceGroupName, location, sku: { tier: "Standard" }, threatIntelMode: "Deny",
        }, { parent: this });
        const https = [{ protocolType: "Https", port: 443 }];
        const source = [config.network.cidr];
        const ingress = args.ingress;
        const collection = new network.FirewallPolicyRuleCollectionGroup(`${name}-firewall-rules`, {
            resourceGroupName, firewallPolicyName: policy.name, priority: 200,
            ruleCollections: [
                ...(ingress ? [{
                    ruleCollectionType: "FirewallPolicyNatRuleCollection" as const, name: "ingress", priority: 50, action: { type: "DNAT" },
                    rules: [{
                        ruleType: "NatRule" as const, name: "https-to-ingress", ipProtocols: ["TCP"], sourceAddresses: [...ingress.allowedCidrs],
                        destinationAddresses: [ingress.publicIpAddress], destinationPorts: ["443"], translatedAddress: ingress.privateIp, translatedPort: "443",
                    }],
                }] : []),
                {
                    ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "azure-platform", priority: 100, action: { type: "Allow" },
                    rules: [
                        { ruleType: "NetworkRule", name: "azure-monitor-and-entra", ipProtocols: ["TCP"], sourceAddresses: source, destinationAddresses: ["AzureMonitor", "AzureActiveDirectory"], destinationPorts: ["443"] },
                    ],
                },
                {
                    ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "allow-list", priority: 200, action: { type: "Allow" },
                    rules: [
                        { ruleType: "ApplicationRule", name: "aks-required", sourceAddresses: source, fqdnTags: ["AzureKubernetesService"], protocols: [...https, { protocolType: "Http", port: 80 }] },
                        { ruleType: "ApplicationRule", name: "openclaw-allow-list", sourceAddresses: source, targetFqdns: [...this.allowList], protocols: https },
                        { ruleType: "ApplicationRule", name: "defender-for-containers", sourceAddresses: source, targetFqdns: [...DEFENDER_EGRESS_FQDNS], protocols: https },
                    ],
                },
            ],
        }, { parent: this });
        return new network.AzureFirewall(`${name}-firewall`, {
            resourceGroupName, location, zones: [...args.zones],
            sku: { name: "AZFW_VNet", tier: "Standard" },
            firewallPolicy: { id: policy.id },
            ipConfigurations: [
                { name: "egress", subnet: { id: args.firewallSubnetId }, publicIPAddress: { id: address.id } },
                // Further configurations carry a public IP only; the subnet is the first one's.
                ...(ingress ? [{ name: "ingress", publicIPAddress: { id: ingress.publicIpId } }] : []),
            ],
        }, { parent: this, dependsOn: [collection, ...args.dependsOn] });
    }
}
