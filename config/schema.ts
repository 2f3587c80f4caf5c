// The schema of the `openclaw:` config namespace: every key, its accepted values, its default, in one place.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { CHART_IMAGES, IMAGE_DIGEST, type ChartName } from "./charts";
import { Ipv4Network, isPrivate, mustParseCidr, overlaps, parseCidr } from "./cidr";
import { gatewayProblems, gatewaysSchema, groupValueCount, type GatewayEntry } from "./gateways";
import { identityProviderOf, knownJwksUri } from "./identity";

export const CLOUDS = ["aws", "azure"] as const;
export type Cloud = (typeof CLOUDS)[number];

/**
 * Address ranges inside the cluster, fixed so that they never collide with the network CIDR a user picks
 * (AKS would otherwise default its service range to 10.0.0.0/16, the same as the default network).
 */
export const CLUSTER_ADDRESSING = {
    serviceCidr: "172.20.0.0/16",
    dnsServiceIp: "172.20.0.10",
    /** Pod overlay range where the CNI uses one (Azure CNI overlay); on AWS pods take VPC addresses. */
    podCidr: "100.64.0.0/16",
} as const;

/** CloudWatch Logs accepts only these retention periods; the same set is used on Azure so stacks stay portable. */
export const LOG_RETENTION_DAYS = [90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const EGRESS_MODES = ["alert", "enforce"] as const;
export const ACME_ENVIRONMENTS = ["production", "staging"] as const;

const FQDN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
const AWS_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const AWS_USER_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:user\//;
/** What `aws sts get-caller-identity` prints for a role session: not a role ARN, and never valid in a trust policy condition on aws:PrincipalArn. */
const AWS_SESSION_ARN = /^arn:aws(-[a-z]+)*:sts::\d{12}:assumed-role\//;
/** IAM role names are at most 64 characters: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names */
const AWS_ROLE_NAME_MAX = 64;

/**
 * The most `ingressAllowedCidrs` an AWS stack takes: the public subnets' network ACL holds the VPC rule, two
 * rules (443, 80) per CIDR and the ephemeral-port rule, within the default 20 inbound rules per network ACL
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls): (20 - 2) / 2.
 */
export const AWS_MAX_INGRESS_CIDRS = 9;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGEST_PINNED_IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127})?@sha256:[0-9a-f]{64}$/;
const QUANTITY_CPU = /^(\d+m|\d+(\.\d+)?)$/;
const QUANTITY_MEMORY = /^\d+(Ki|Mi|Gi|Ti)$/;
const AWS_HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const AZURE_DNS_ZONE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w().-]+\/providers\/Microsoft\.Network\/dnszones\/[a-z0-9.-]+$/i;
const AWS_VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const AZURE_VNET_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w().-]+\/providers\/Microsoft\.Network\/virtualNetworks\/[\w.-]+$/i;

const cidr = (accepted: string) =>
    z.string({ error: `must be an IPv4 CIDR; accepted: ${accepted}` }).refine((v) => parseCidr(v) !== undefined, {
        error: `is not an IPv4 CIDR (a.b.c.d/n with no host bits set); accepted: ${accepted}`,
    });

const notWholeInternet = (v: string) => parseCidr(v)?.prefix !== 0;

/** A refinement that only judges values that parse as a CIDR; the parse failure is reported once, by `cidr()`. */
const whenParsed = (check: (network: Ipv4Network) => boolean) => (v: string) => {
    const network = parseCidr(v);
    return network === undefined || check(network);
};

/**
 * Ranges a peering CIDR must stay out of: the network itself and the in-cluster ranges (traffic to them never leaves
 * the cluster, so a route to the peer there would be silently dead), named for the message.
 */
function reservedRanges(networkCidr: string): { readonly name: string; readonly cidr: string }[] {
    const ranges = [
        { name: "the cluster's service range", cidr: CLUSTER_ADDRESSING.serviceCidr },
        { name: "the pod overlay range (Azure CNI overlay)", cidr: CLUSTER_ADDRESSING.podCidr },
        // RFC 3927 link-local: the instance metadata service, EKS Pod Identity agent and Azure's wire server live here.
        { name: "the link-local range (cloud metadata services)", cidr: "169.254.0.0/16" },
    ];
    return parseCidr(networkCidr) ? [{ name: "network.cidr", cidr: networkCidr }, ...ranges] : ranges;
}

/** Peer networks are private: RFC 1918, or RFC 6598 shared address space that some VPCs add as a secondary range. */
const SHARED_ADDRESS_SPACE = mustParseCidr("100.64.0.0/10");

/** Why a peering CIDR is refused, or undefined when it is fine. */
function peeringCidrProblem(peer: Ipv4Network, networkCidr: string): string | undefined {
    for (const range of reservedRanges(networkCidr)) {
        if (overlaps(peer, mustParseCidr(range.cidr))) {
            return `overlaps ${range.name} ${range.cidr}; accepted: CIDRs of the peer network only, outside ${reservedRanges(networkCidr).map((r) => r.cidr).join(", ")}`;
        }
    }
    if (!isPrivate(peer) && !(peer.prefix >= SHARED_ADDRESS_SPACE.prefix && overlaps(peer, SHARED_ADDRESS_SPACE))) {
        return "is a public range: a peering reaches a private network; accepted: CIDRs inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10";
    }
    return undefined;
}

const cpu = z.string().regex(QUANTITY_CPU, { error: "is not a CPU quantity; accepted: e.g. 500m or 2" });
const memory = z.string().regex(QUANTITY_MEMORY, { error: "is not a memory quantity; accepted: e.g. 512Mi or 2Gi" });

const peeringSchema = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, { error: "accepted: a lower-case name of 2-31 letters, digits and dashes" }),
    peerNetworkId: z.string({ error: "is required; accepted: the peer VPC id (vpc-...) or VNet resource id" }),
    peerAccountId: z.string().regex(/^\d{12}$/, { error: "accepted: a 12-digit AWS account id" }).optional(),
    peerRegion: z.string().regex(/^[a-z0-9-]+$/, { error: "accepted: a region name such as eu-west-1" }).optional(),
    cidrs: z
        .array(cidr("private IPv4 CIDRs of the peer network"))
        .min(1, { error: "must list at least one CIDR OpenClaw may reach" })
        .refine((list) => list.every(notWholeInternet), { error: "must not contain a /0; accepted: the peer's private CIDRs only" }),
    ports: z
        .array(z.number().int().min(1).max(65535), { error: "accepted: a list of TCP ports 1-65535" })
        .min(1, { error: "must list at least one TCP port" }),
});

const chartDigest = z.string({ error: "accepted: an image digest, sha256:<64 hex digits>" }).regex(IMAGE_DIGEST, {
    error: "is not an image digest; accepted: sha256:<64 lower-case hex digits>, e.g. from `crane digest <image>:<tag>`",
});

/**
 * A chart directory holds Chart.yaml; relative paths resolve against the project directory, where Pulumi runs the
 * program. An empty path is reported once, by its own check.
 */
const isChartDirectory = (dir: string) => dir === "" || fs.existsSync(path.join(path.resolve(dir), "Chart.yaml"));

/** One chart's entry in `openclaw:charts`: where to load it from instead of its repository, and its image digests. */
function chartEntrySchema<C extends ChartName>(chart: C) {
    const digests = {} as Record<(typeof CHART_IMAGES)[C][number], z.ZodOptional<typeof chartDigest>>;
    for (const image of CHART_IMAGES[chart] as readonly (typeof CHART_IMAGES)[C][number][]) {
        digests[image] = chartDigest.optional();
    }
    return z
        .strictObject({
            path: z
                .string({ error: "accepted: a local chart directory" })
                .min(1, { error: "is empty; accepted: a local chart directory, or leave it unset to use the chart repository" })
                .refine(isChartDirectory, { error: "is not a directory holding a Chart.yaml; accepted: a local chart directory (relative to the project directory), e.g. vendor/charts/cert-manager" })
                .optional(),
            digests: z.strictObject(digests, { error: `accepted: { ${CHART_IMAGES[chart].join(", ")} }, each sha256:<digest>` }).prefault(noDigests),
        })
        .prefault({});
}

/** Every digest is optional, so `{}` is a valid input; TypeScript cannot see that through the generic chart name. */
const noDigests = <T>(): T => ({}) as T;

const groupList = z.array(z.string(), { error: "must be a list of group identities" });

/**
 * ID-token claims that carry an e-mail address or a mutable login name. The user id lands in the access log, and
 * Fluent Bit's masking filter rewrites e-mail addresses (components/kubernetes/fluent-bit-mask.ts), so such a
 * claim would vanish from the stored log; a renamed login would also become a different OpenClaw user.
 */
export const REFUSED_USER_CLAIMS = ["email", "upn", "preferred_username", "unique_name", "name"] as const;

/** An OIDC claim name: Okta and Entra use plain names, Cognito prefixes its own (`cognito:groups`). */
const CLAIM_NAME = /^[A-Za-z_][\w:.-]{0,63}$/;

/** An IdP group value as it appears in the groups claim: printable, no comma (header lists are comma-joined). */
const GROUP_VALUE = /^[^\s,"\p{Cc}][^,"\p{Cc}]{0,254}(?<!\s)$/u;

/** At most this many group values in all: Envoy Gateway's JWT claim rule takes at most 128 values (api/v1alpha1/authorization_types.go, JWTClaim.Values MaxItems). */
export const MAX_ROLE_GROUP_VALUES = 128;

const claimName = (fallback: string) =>
    z.string().regex(CLAIM_NAME, { error: "is not a claim name; accepted: letters, digits, _ : . - (e.g. groups, cognito:groups)" }).default(fallback);

const idpGroupList = z
    .array(z.string().regex(GROUP_VALUE, { error: "is not a group value; accepted: the value the IdP puts in the groups claim (no comma, quote or control character)" }), {
        error: "must be a list of the IdP's group values",
    });

/** An https URL with a host and no query, fragment or credentials: the `iss` the IdP puts in its ID tokens. */
function isIssuerUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return url.protocol === "https:" && url.hostname !== "" && url.search === "" && url.hash === "" && url.username === "" && url.password === "" && value === value.trim();
    } catch {
        return false;
    }
}

const identitySchema = z.strictObject(
    {
        issuer: z
            .string({ error: "is required; accepted: the https URL of the OIDC issuer, exactly as in its ID tokens' iss claim" })
            .refine(isIssuerUrl, { error: "is not an https issuer URL; accepted: https://<host>[/path] without query, fragment or credentials" }),
        clientId: z
            .string({ error: "is required; accepted: the client (application) id registered at the IdP" })
            .regex(/^[\x21-\x7e]{1,255}$/, { error: "accepted: the client id registered at the IdP (printable, no spaces)" }),
        groupsClaim: claimName("groups"),
        userClaim: claimName("sub").refine((claim) => !claim.includes(":"), { error: "accepted: a claim name without ':' (it names the claim in the access log's metadata path)" }).refine((claim) => !(REFUSED_USER_CLAIMS as readonly string[]).includes(claim), {
            error: `is an e-mail or mutable name claim, which the log masking rewrites; accepted: an immutable id claim such as sub (Entra ID: sub or oid), never ${REFUSED_USER_CLAIMS.join(", ")}`,
        }),
        jwksUri: z
            .string()
            .refine(isIssuerUrl, { error: "is not an https URL; accepted: the jwks_uri of the issuer's discovery document" })
            .optional(),
        roleGroups: z.strictObject(
            {
                admin: idpGroupList.min(1, { error: "must list at least one group: without one nobody can administer OpenClaw" }),
                operator: idpGroupList.default([]),
                developer: idpGroupList.default([]),
                auditor: idpGroupList.default([]),
            },
            { error: "is required; accepted: { admin: [...], operator: [...], developer: [...], auditor: [...] } of IdP group values" },
        ),
    },
    { error: "accepted: { issuer, clientId, groupsClaim?, userClaim?, jwksUri?, roleGroups: { admin, operator?, developer?, auditor? } }" },
);

/** How identifiers are spelt on each cloud. */
interface CloudRules {
    readonly group: RegExp;
    readonly groupHelp: string;
    /** Identities that look valid but are refused, with the reason. */
    readonly refusedGroup?: { readonly pattern: RegExp; readonly message: string };
    readonly zone: RegExp;
    readonly zoneHelp: string;
    readonly peer: RegExp;
    readonly peerHelp: string;
}

export const configSchema = z
    .strictObject({
        cloud: z.enum(CLOUDS, { error: `is required; accepted: ${CLOUDS.join(" | ")}` }),
        hostname: z
            .string({ error: "is required; accepted: the public FQDN the ingress serves, e.g. openclaw.example.com" })
            .regex(FQDN, { error: "is not a lower-case fully qualified domain name; accepted: e.g. openclaw.example.com" }),
        acmeEmail: z.email({ error: "is required; accepted: the e-mail address Let's Encrypt sends expiry notices to" }),
        acmeEnvironment: z.enum(ACME_ENVIRONMENTS, { error: `accepted: ${ACME_ENVIRONMENTS.join(" | ")}` }).default("production"),
        dnsZoneId: z.string({
            error: "is required; accepted: the Route 53 hosted zone id (AWS) or the Azure DNS zone resource id that holds hostname",
        }),
        network: z
            .strictObject({
                cidr: cidr("a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) with prefix /16 to /20")
                    .refine(whenParsed(isPrivate), { error: "is not inside an RFC 1918 private range; accepted: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16" })
                    .refine(whenParsed((n) => n.prefix >= 16 && n.prefix <= 20), { error: "has the wrong size; accepted: a prefix from /16 to /20" })
                    .refine(whenParsed((n) => !overlaps(n, mustParseCidr(CLUSTER_ADDRESSING.serviceCidr)) && !overlaps(n, mustParseCidr(CLUSTER_ADDRESSING.podCidr))), {
                        error: `overlaps the cluster's service (${CLUSTER_ADDRESSING.serviceCidr}) or pod (${CLUSTER_ADDRESSING.podCidr}) range; accepted: a range outside both`,
                    })
                    .default("10.0.0.0/16"),
                zones: z
                    .number({ error: "accepted: 2 or 3" })
                    .int({ error: "accepted: 2 or 3" })
                    .min(2, { error: "accepted: 2 or 3 (one zone is not highly available)" })
                    .max(3, { error: "accepted: 2 or 3" })
                    .default(3),
                peerings: z.array(peeringSchema, { error: "must be a list of peerings" }).default([]),
            }, { error: "accepted: { cidr?, zones?, peerings? } (set members with `pulumi config set --path openclaw:network.<member> <value>`)" })
            .prefault({}),
        egressMode: z.enum(EGRESS_MODES, { error: `accepted: ${EGRESS_MODES.join(" | ")}` }).default("alert"),
        egressAllowedDomains: z
            .array(z.string().regex(FQDN, { error: "is not a domain name; accepted: e.g. api.telegram.org" }), { error: "must be a list of domain names" })
            .default([]),
        apiAuthorizedCidrs: z
            .array(cidr("public IPv4 CIDRs of your operators' networks, never 0.0.0.0/0"), { error: "must be a list of CIDRs" })
            .refine((list) => list.every(notWholeInternet), {
                error: "must not contain 0.0.0.0/0: the Kubernetes API would be open to the internet; accepted: the CIDRs of your operators' networks, or [] for private only",
            })
            .default([]),
        ingressAllowedCidrs: z
            .array(cidr("IPv4 CIDRs allowed to reach port 443, 0.0.0.0/0 for a public web app"), { error: "must be a list of CIDRs" })
            .min(1, { error: "must list at least one CIDR; accepted: e.g. [0.0.0.0/0]" })
            .default(["0.0.0.0/0"]),
        groups: z.strictObject(
            {
                admin: groupList.min(1, { error: "must list at least one group: without one nobody can administer the cluster" }),
                operator: groupList.default([]),
                developer: groupList.default([]),
                auditor: groupList.default([]),
            },
            { error: "is required; accepted: { admin: [...], operator: [...], developer: [...], auditor: [...] }" },
        ),
        rotationDays: z.number({ error: "accepted: a whole number of days from 30 to 90" }).int({ error: "accepted: a whole number of days from 30 to 90" }).min(30, { error: "is too short; accepted: 30 to 90 days" }).max(90, { error: "is too long; accepted: 30 to 90 days" }).default(30),
        logRetentionDays: z
            .number({ error: `accepted: one of ${LOG_RETENTION_DAYS.join(", ")}` })
            .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
                error: `accepted: one of ${LOG_RETENTION_DAYS.join(", ")} (at least 90; 365 for SOC 2)`,
            })
            .default(365),
        alertEmail: z.email({ error: "is not an e-mail address; accepted: the address that receives security alerts" }).optional(),
        allowLegacyTls12: z.boolean({ error: "accepted: true | false" }).default(false),
        manageDnsRecord: z.boolean({ error: "accepted: true (create the hostname's record in dnsZoneId) | false (the dnsRecords output says what to create)" }).default(false),
        identity: identitySchema.optional(),
        allowSharedTokenAuth: z.boolean({ error: "accepted: true | false" }).default(false),
        allowPublicToolsInvoke: z.boolean({ error: "accepted: true | false" }).default(false),
        allowPublicNodeJoin: z.boolean({ error: "accepted: true | false" }).default(false),
        allowPublicShareLinks: z.boolean({ error: "accepted: true | false" }).default(false),
        allowPublicWorkerEndpoints: z.boolean({ error: "accepted: true | false" }).default(false),
        gateways: gatewaysSchema.optional(),
        cluster: z
            .strictObject({
                // Default: a minor in standard support on both clouds at this release (EKS 1.35: released 2026-01-28,
                // standard support to 2027-03-27, docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html and
                // its release calendar; 1.34's ends 2026-12-02, after which EKS upgrades the cluster itself and the next
                // `up` asks for a downgrade. AKS supports each minor for 12 months, MicrosoftDocs/azure-aks-docs
                // supported-kubernetes-versions.md). Bump it with each release of this program.
                kubernetesVersion: z.string().regex(/^1\.(3[2-9]|[4-9]\d)$/, { error: "accepted: a minor version such as 1.35 (1.32 or newer)" }).default("1.35"),
                nodeCount: z.number().int().min(2, { error: "accepted: 2 to 10 nodes" }).max(10, { error: "accepted: 2 to 10 nodes" }).default(3),
                nodeSize: z.string().regex(/^[\w.-]+$/, { error: "accepted: an instance type (AWS, e.g. m7i.large) or VM size (Azure, e.g. Standard_D4ds_v5)" }).optional(),
            }, { error: "accepted: { kubernetesVersion?, nodeCount?, nodeSize? } (set members with `pulumi config set --path openclaw:cluster.<member> <value>`)" })
            .prefault({}),
        charts: z
            .strictObject({
                envoyGateway: chartEntrySchema("envoyGateway"),
                certManager: chartEntrySchema("certManager"),
                externalSecrets: chartEntrySchema("externalSecrets"),
                reloader: chartEntrySchema("reloader"),
                fluentBit: chartEntrySchema("fluentBit"),
            })
            .prefault({}),
        openclaw: z.strictObject(
            {
                image: z
                    .string({ error: "is required; accepted: ghcr.io/openclaw/openclaw:<version>@sha256:<digest>" })
                    .regex(DIGEST_PINNED_IMAGE, { error: "is not pinned by digest; accepted: <registry>/<repo>[:<tag>]@sha256:<64 hex digits>" }),
                resources: z
                    .strictObject({
                        requests: z.strictObject({ cpu: cpu.default("500m"), memory: memory.default("1Gi") }).prefault({}),
                        limits: z.strictObject({ cpu: cpu.default("2"), memory: memory.default("4Gi") }).prefault({}),
                    })
                    .prefault({}),
                storageSize: z.string().regex(/^\d+Gi$/, { error: "accepted: a size in Gi, e.g. 10Gi" }).default("10Gi"),
            },
            { error: "is required; accepted: { image: <digest-pinned image>, resources?, storageSize? }" },
        ),
    })
    .superRefine((value, ctx) => {
        const cloudRules: Record<Cloud, CloudRules> = {
            aws: {
                group: AWS_ROLE_ARN,
                refusedGroup: { pattern: AWS_USER_ARN, message: "is an IAM user; accepted: IAM role ARNs only (people assume roles through SSO; RBAC-6)" },
                groupHelp: "an IAM role ARN (arn:aws:iam::<account>:role/...) that people assume through SSO",
                zone: AWS_HOSTED_ZONE_ID,
                zoneHelp: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
                peer: AWS_VPC_ID,
                peerHelp: "a VPC id such as vpc-0123456789abcdef0",
            },
            azure: {
                group: GUID,
                groupHelp: "an Entra ID group object id (a GUID)",
                zone: AZURE_DNS_ZONE_ID,
                zoneHelp: "an Azure DNS zone resource id (/subscriptions/.../providers/Microsoft.Network/dnszones/<zone>)",
                peer: AZURE_VNET_ID,
                peerHelp: "a VNet resource id (/subscriptions/.../providers/Microsoft.Network/virtualNetworks/<name>)",
            },
        };
        const rules = cloudRules[value.cloud];
        if (value.cloud === "aws" && value.ingressAllowedCidrs.length > AWS_MAX_INGRESS_CIDRS) {
            ctx.addIssue({
                code: "custom",
                path: ["ingressAllowedCidrs"],
                input: `${value.ingressAllowedCidrs.length} CIDRs`,
                message: `lists ${value.ingressAllowedCidrs.length} CIDRs; accepted: at most ${AWS_MAX_INGRESS_CIDRS} on aws (each takes two rules of the public network ACL, whose default quota is 20 inbound rules), e.g. summarise them into fewer prefixes`,
            });
        }
        const checkGroups = (groups: Readonly<Record<GroupRole, readonly string[]>>, at: (string | number)[]) => {
            for (const role of ["admin", "operator", "developer", "auditor"] as const) {
                groups[role].forEach((identity, index) => {
                    const path = [...at, role, index];
                    if (value.cloud === "aws" && AWS_SESSION_ARN.test(identity)) {
                        ctx.addIssue({ code: "custom", path, input: identity, message: "is a role session (sts ... assumed-role), not a role; accepted: the role's ARN, arn:aws:iam::<account>:role/<path><name> (aws iam get-role --role-name <name>)" });
                    } else if (value.cloud === "aws" && rules.group.test(identity) && (identity.split("/").pop() ?? "").length > AWS_ROLE_NAME_MAX) {
                        ctx.addIssue({ code: "custom", path, input: identity, message: `has a role name longer than IAM's ${AWS_ROLE_NAME_MAX} characters; accepted: an existing IAM role ARN` });
                    } else if (rules.refusedGroup?.pattern.test(identity)) {
                        ctx.addIssue({ code: "custom", path, input: identity, message: rules.refusedGroup.message });
                    } else if (!rules.group.test(identity)) {
                        ctx.addIssue({ code: "custom", path, input: identity, message: `is not a group identity for ${value.cloud}; accepted: ${rules.groupHelp}` });
                    }
                });
            }
        };
        checkGroups(value.groups, ["groups"]);
        value.gateways?.forEach((gateway, index) => {
            if (gateway.groups !== undefined) {
                checkGroups(gateway.groups, ["gateways", index, "groups"]);
            }
        });
        checkIdentity(value, ctx);
        checkGateways(value, ctx);
        if (!rules.zone.test(value.dnsZoneId)) {
            ctx.addIssue({ code: "custom", path: ["dnsZoneId"], input: value.dnsZoneId, message: `is not valid for ${value.cloud}; accepted: ${rules.zoneHelp}` });
        }
        value.network.peerings.forEach((peering, index) => {
            if (!rules.peer.test(peering.peerNetworkId)) {
                ctx.addIssue({ code: "custom", path: ["network", "peerings", index, "peerNetworkId"], input: peering.peerNetworkId, message: `is not valid for ${value.cloud}; accepted: ${rules.peerHelp}` });
            }
            peering.cidrs.forEach((peerCidr, cidrIndex) => {
                const parsed = parseCidr(peerCidr);
                if (parsed === undefined || parsed.prefix === 0) {
                    return; // reported once by the cidr() and /0 checks
                }
                const path = ["network", "peerings", index, "cidrs", cidrIndex];
                const problem = peeringCidrProblem(parsed, value.network.cidr);
                if (problem) {
                    ctx.addIssue({ code: "custom", path, input: peerCidr, message: problem });
                }
            });
        });
    });

/** Identity is required unless the shared-token weakening is chosen, and the two exclude each other. */
function checkIdentity(value: { identity?: z.output<typeof identitySchema>; allowSharedTokenAuth: boolean }, ctx: z.RefinementCtx): void {
    if (value.identity === undefined) {
        if (!value.allowSharedTokenAuth) {
            ctx.addIssue({
                code: "custom",
                path: ["identity"],
                // An explicit undefined: otherwise zod reports the whole config as the value.
                input: undefined,
                message: "is required; accepted: { issuer, clientId, roleGroups: { admin: [...] }, ... } (see docs/identity.md), or openclaw:allowSharedTokenAuth true, which weakens RBAC-5",
            });
        }
        return;
    }
    if (value.allowSharedTokenAuth) {
        ctx.addIssue({
            code: "custom",
            path: ["allowSharedTokenAuth"],
            input: true,
            message: "must be false when openclaw:identity is set; accepted: false (OpenClaw refuses a shared token together with trusted-proxy auth)",
        });
    }
    const { identity } = value;
    const kind = identityProviderOf(identity.issuer);
    if (!isIssuerUrl(identity.issuer)) {
        // Reported once by the issuer's own check; nothing else about the IdP can be judged.
        return;
    }
    if (kind === "generic" && identity.jwksUri === undefined) {
        ctx.addIssue({ code: "custom", path: ["identity", "jwksUri"], input: undefined, message: "is required for this issuer; accepted: the jwks_uri of <issuer>/.well-known/openid-configuration (derived only for Entra ID, Okta, Google and Cognito issuers)" });
    }
    if (identity.jwksUri !== undefined && knownJwksUri(identity.issuer) !== undefined && identity.jwksUri !== knownJwksUri(identity.issuer)) {
        ctx.addIssue({ code: "custom", path: ["identity", "jwksUri"], input: identity.jwksUri, message: `does not match the issuer's; accepted: unset or ${String(knownJwksUri(identity.issuer))}` });
    }
    const total = Object.values(identity.roleGroups).reduce((n, list) => n + list.length, 0);
    if (total > MAX_ROLE_GROUP_VALUES) {
        ctx.addIssue({ code: "custom", path: ["identity", "roleGroups"], input: undefined, message: `lists ${total} group values; accepted: at most ${MAX_ROLE_GROUP_VALUES} in all` });
    }
    if (kind === "entra" && identity.userClaim !== "oid") {
        // Entra's sub is a 43-character pairwise base64url string, which the Fluent Bit masking rewrites as a token;
        // oid is the account's immutable GUID (learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference).
        ctx.addIssue({ code: "custom", path: ["identity", "userClaim"], input: identity.userClaim, message: "must be oid for Entra ID; accepted: oid (sub is a 43-character pairwise string the log masking rewrites as a token)" });
    }
    if (kind === "entra") {
        for (const role of ["admin", "operator", "developer", "auditor"] as const) {
            identity.roleGroups[role].forEach((group, index) => {
                if (!GUID.test(group)) {
                    ctx.addIssue({ code: "custom", path: ["identity", "roleGroups", role, index], input: group, message: "is not an Entra ID group object id; accepted: a GUID (Entra ID puts object ids in the groups claim)" });
                }
            });
        }
    }
}

/** The checks across `gateways`, and each gateway's IdP groups held to the same rules as `identity.roleGroups`. */
function checkGateways(value: { gateways?: GatewayEntry[]; hostname: string; identity?: z.output<typeof identitySchema>; openclaw: { storageSize: string } }, ctx: z.RefinementCtx): void {
    for (const problem of gatewayProblems(value)) {
        ctx.addIssue({ code: "custom", path: ["gateways", ...problem.path], input: problem.input, message: problem.message });
    }
    const entra = value.identity !== undefined && identityProviderOf(value.identity.issuer) === "entra";
    value.gateways?.forEach((gateway, index) => {
        if (gateway.roleGroups === undefined || index === 0) {
            return;
        }
        const total = groupValueCount(gateway.roleGroups);
        if (total > MAX_ROLE_GROUP_VALUES) {
            ctx.addIssue({ code: "custom", path: ["gateways", index, "roleGroups"], input: undefined, message: `lists ${total} group values; accepted: at most ${MAX_ROLE_GROUP_VALUES} in all` });
        }
        if (entra) {
            for (const role of ["admin", "operator", "developer", "auditor"] as const) {
                gateway.roleGroups[role].forEach((group, i) => {
                    if (!GUID.test(group)) {
                        ctx.addIssue({ code: "custom", path: ["gateways", index, "roleGroups", role, i], input: group, message: "is not an Entra ID group object id; accepted: a GUID (Entra ID puts object ids in the groups claim)" });
                    }
                });
            }
        }
    });
}

/** The validated, defaulted configuration every component reads. */
export type OpenClawConfig = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type GroupRole = keyof OpenClawConfig["groups"];
export const GROUP_ROLES: readonly GroupRole[] = ["admin", "operator", "developer", "auditor"];
/** The single sign-on settings (`openclaw:identity`); undefined only when `allowSharedTokenAuth` is on. */
export type IdentityConfig = z.output<typeof identitySchema>;
