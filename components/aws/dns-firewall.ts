// Egress control by name (NET-3/LOG-6 "unknown destinations"): Route 53 Resolver DNS Firewall with an allow-list, and resolver query logs.
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { MODEL_PROVIDERS, ModelProvider } from "../../config/providers";
import type { OpenClawConfig } from "../../config/schema";
import { AwsContext, tagsFor } from "./context";

/**
 * Names the platform itself resolves: AWS APIs and endpoints, EC2 internal names, reverse lookups, the image
 * registries the Kubernetes layer's charts pull from, and Let's Encrypt. Add others with `egressAllowedDomains`.
 */
export const PLATFORM_DOMAINS: readonly string[] = [
    "amazonaws.com", "*.amazonaws.com", "*.api.aws", "*.internal", "*.in-addr.arpa",
    "ghcr.io", "*.ghcr.io", "pkg-containers.githubusercontent.com",
    "quay.io", "*.quay.io", "registry.k8s.io", "*.pkg.dev",
    "docker.io", "*.docker.io", "production.cloudflare.docker.com", "cr.fluentbit.io",
    "public.ecr.aws", "acme-v02.api.letsencrypt.org", "acme-staging-v02.api.letsencrypt.org",
];

/** How the allow rule treats CNAME/DNAME/ALIAS chains that start at an allowed name (see the rule below). */
export const ALLOW_LIST_REDIRECTION = "TRUST_REDIRECTION_DOMAIN";

/** What the catch-all rule does with a name outside the allow-list. */
export function catchAllAction(mode: OpenClawConfig["egressMode"]): "ALERT" | "BLOCK" {
    switch (mode) {
        case "alert":
            return "ALERT";
        case "enforce":
            return "BLOCK";
        default:
            return assertNever(mode);
    }
}

/** The allow-list: model provider APIs of the configured providers, the configured channel domains, the platform's own. */
export function allowedDomains(providers: readonly ModelProvider[], extra: readonly string[]): string[] {
    const names = [...providers.flatMap((p) => MODEL_PROVIDERS[p].apiDomains), ...extra, ...PLATFORM_DOMAINS];
    return [...new Set(names)].sort();
}

export interface DnsFirewallArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The VPC the resources belong to. */
    readonly vpcId: pulumi.Input<string>;
    /** `egressMode`: `alert` (default) logs unknown names, `enforce` answers NXDOMAIN. */
    readonly mode: OpenClawConfig["egressMode"];
    /** Providers whose keys are configured; their API domains are allowed. */
    readonly modelProviders: readonly ModelProvider[];
    /** `egressAllowedDomains`: channel APIs and other destinations OpenClaw may reach. */
    readonly extraDomains: readonly string[];
    /** ARN of the log group for resolver query logs (where ALERT and BLOCK actions show up). */
    readonly queryLogGroupArn: pulumi.Input<string>;
}

/** The firewall rule group (allow-list first, catch-all second), its VPC association, fail-closed config, and query logging. */
export class DnsFirewall extends pulumi.ComponentResource {
    readonly catchAllRule: route53.ResolverFirewallRule;
    /** The VPC association, whose mutation protection must be turned off before `pulumi destroy` (docs/aws.md, "Teardown"). */
    readonly association: route53.ResolverFirewallRuleGroupAssociation;

    constructor(name: string, args: DnsFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:DnsFirewall", name, {}, opts);
        const { context } = args;
        const allowList = new route53.ResolverFirewallDomainList(`${name}-allowed`, {
            name: `${context.prefix}-allowed`,
            domains: allowedDomains(args.modelProviders, args.extraDomains),
            tags: tagsFor(context, `${context.prefix}-allowed`),
        }, { parent: this });
        const everything = new route53.ResolverFirewallDomainList(`${name}-everything`, {
            name: `${context.prefix}-everything`,
            domains: ["*"],
            tags: tagsFor(context, `${context.prefix}-everything`),
        }, { parent: this });
        const group = new route53.ResolverFirewallRuleGroup(`${name}-rules`, {
            name: `${context.prefix}-egress`,
            tags: tagsFor(context, `${context.prefix}-egress`),
        }, { parent: this });
        const allowRule = new route53.ResolverFirewallRule(`${name}-allow`, {
            name: "allow-listed",
            firewallRuleGroupId: group.id,
            firewallDomainListId: allowList.id,
            priority: 100,
            action: "ALLOW",
            // Model APIs and registries answer with CNAMEs into CDNs (not on the list). The default,
            // INSPECT_REDIRECTION_DOMAIN, inspects every domain of the chain ("must be added to the domain list"), so the
            // CDN target hits the catch-all: ALERT fires on every call, BLOCK breaks it. TRUST_REDIRECTION_DOMAIN "inspects
            // only the first domain in the redirection chain".
            // https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateFirewallRule.html
            firewallDomainRedirectionAction: ALLOW_LIST_REDIRECTION,
        }, { parent: this });
        const action = catchAllAction(args.mode);
        this.catchAllRule = new route53.ResolverFirewallRule(`${name}-catch-all`, {
            name: "everything-else",
            firewallRuleGroupId: group.id,
            firewallDomainListId: everything.id,
            priority: 200,
            action,
            ...(action === "BLOCK" ? { blockResponse: "NXDOMAIN" } : {}),
        }, { parent: this });
        this.association = new route53.ResolverFirewallRuleGroupAssociation(`${name}-association`, {
            name: `${context.prefix}-egress`,
            firewallRuleGroupId: group.id,
            vpcId: args.vpcId,
            priority: 101,
            // Nobody can disassociate the firewall from the VPC, this program included: the provider's delete does not
            // lift it (terraform-provider-aws turns it off only in its test sweeper), so `pulumi destroy` or a change of
            // this association needs it DISABLED first; docs/operations.md, "Teardown", has the command.
            mutationProtection: "ENABLED",
            tags: tagsFor(context, `${context.prefix}-egress`),
        // Associated only once both rules exist: a group holding only the catch-all would BLOCK every name (enforce).
        }, { parent: this, dependsOn: [allowRule, this.catchAllRule] });
        // If the firewall cannot answer, refuse the query rather than let it through.
        new route53.ResolverFirewallConfig(`${name}-config`, { resourceId: args.vpcId, firewallFailOpen: "DISABLED" }, { parent: this });

        const queryLog = new route53.ResolverQueryLogConfig(`${name}-query-log`, {
            name: `${context.prefix}-dns-queries`,
            destinationArn: args.queryLogGroupArn,
            tags: tagsFor(context, `${context.prefix}-dns-queries`),
        }, { parent: this });
        new route53.ResolverQueryLogConfigAssociation(`${name}-query-log`, { resolverQueryLogConfigId: queryLog.id, resourceId: args.vpcId }, { parent: this });
        this.registerOutputs({});
    }
}

function assertNever(value: never): never {
    throw new Error(`unhandled egress mode: ${String(value)}`);
}
