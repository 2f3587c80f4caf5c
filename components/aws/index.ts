// The AWS platform: composes network, keys, secrets, the private EKS cluster, logging and IAM into the PlatformSeam.
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as pulumi from "@pulumi/pulumi";
import { mustParseCidr, formatCidr } from "../../config/cidr";
import type { ModelProvider } from "../../config/providers";
import { ConfigError, StackConfig } from "../../config/read";
import { planGateways } from "../../config/gateways";
import { CLUSTER_ADDRESSING, GROUP_ROLES, GroupRole } from "../../config/schema";
import type { PlatformSeam } from "../seam";
import { Access, KUBERNETES_GROUPS, RoleBinding } from "./access";
import { Addons, ENCRYPTED_STORAGE_CLASS } from "./addons";
import { Alarms, alertTopicName } from "./alarms";
import { Archive, trailName } from "./archive";
import { Cluster } from "./cluster";
import { AwsContext, arnOf } from "./context";
import { identityDomains } from "../../config/identity";
import { DnsFirewall } from "./dns-firewall";
import { awsPublicDns } from "./dns-record";
import { Endpoints } from "./endpoints";
import { Keys } from "./keys";
import { LoadBalancerController } from "./load-balancer";
import { LOG_GROUPS, Logging } from "./logging";
import { AwsProviderConfig, awsProviderConfig, TokenCommand, tokenCommand } from "./kubeconfig";
import { Network, naclQuotaProblems, planNetworkAcls, planSubnets } from "./network";
import { NodeGroup } from "./node-group";
import { Peerings } from "./peering";
import { RotationAudit } from "./rotation-audit";
import { Secrets } from "./secrets";
import { TeamAccess } from "./team-access";
import { SecurityGroups } from "./security-groups";
import { WorkloadIdentities } from "./workloads";

/** Longest `<name>-<stack>` prefix that keeps every physical name within its service's limit. */
export const MAX_PREFIX_LENGTH = 23;
const PHYSICAL_PREFIX = new RegExp(`^[a-z][a-z0-9-]{0,${MAX_PREFIX_LENGTH - 1}}$`);

export interface AwsPlatformArgs {
    /** The validated stack config (`readConfig()`); every knob of the platform comes from it. */
    readonly config: StackConfig;
}

/**
 * Everything about the stack's config that only the AWS platform can judge, checked before any resource: the
 * region, whether the cluster token can be signed by the provider's identity, and the NACL rule quota that
 * `network.peerings` and `ingressAllowedCidrs` fill. Every problem at once, each naming its key.
 */
export function awsConfigProblems(config: StackConfig, clusterName: string, region: string | undefined, provider: AwsProviderConfig): { problems: string[]; token?: TokenCommand } {
    const problems: string[] = [];
    if (region === undefined) {
        problems.push("aws:region: is required for the aws platform; accepted: a region such as eu-central-1 (pulumi config set aws:region <region>)");
    }
    const token = tokenCommand(clusterName, region ?? "", provider);
    problems.push(...token.problems);
    const nacl = naclQuotaProblems(planNetworkAcls({
        vpcCidr: config.network.cidr,
        ingressAllowedCidrs: config.ingressAllowedCidrs,
        peeredDestinations: config.network.peerings,
    }));
    problems.push(...nacl.map((p) => `openclaw:network.peerings / openclaw:ingressAllowedCidrs: ${p}; accepted: fewer peering CIDRs and ports (each peering CIDR takes 2 rules plus 1 per port) or fewer client CIDRs`));
    return { problems, token: problems.length === 0 ? token.command : undefined };
}

/** The whole AWS side of OpenClaw, returning what the Kubernetes layer needs as `seam`. */
export class AwsPlatform extends pulumi.ComponentResource {
    readonly seam: PlatformSeam;

    constructor(name: string, args: AwsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Platform", name, {}, opts);
        const { config } = args;
        const child = { parent: this };
        const prefix = `${name}-${pulumi.getStack()}`;
        if (!PHYSICAL_PREFIX.test(prefix)) {
            // The archive bucket name (prefix + account + region) is the tightest limit: S3 allows 63 lower-case characters.
            throw new pulumi.ResourceError(
                `stack name: "${prefix}" (platform name + stack) must be lower-case letters, digits and dashes, at most ${MAX_PREFIX_LENGTH} characters; it names the cluster, roles, log groups and the archive bucket`,
                this,
            );
        }
        const clusterName = prefix;
        const region = new pulumi.Config("aws").get("region");
        const checked = awsConfigProblems(config, clusterName, region, awsProviderConfig());
        if (region === undefined || checked.token === undefined) {
            throw new ConfigError(checked.problems);
        }
        const tokenCommand = checked.token;
        const context: AwsContext = {
            prefix,
            region,
            accountId: getCallerIdentityOutput({}, child).accountId,
            partition: getPartitionOutput({}, child).partition,
            tags: { "openclaw:stack": prefix, "openclaw:managed-by": "pulumi" },
        };
        const modelProviders = Object.keys(config.modelProviderKeys) as ModelProvider[];

        const { keys } = new Keys(`${name}-keys`, {
            context,
            trailArn: arnOf(context, "cloudtrail", `trail/${trailName(prefix)}`),
            alertTopicArn: arnOf(context, "sns", alertTopicName(prefix)),
        }, child);
        const logging = new Logging(`${name}-logs`, { context, clusterName, retentionDays: config.logRetentionDays, kmsKeyArn: keys.logs.arn }, child);

        const network = new Network(`${name}-network`, {
            context,
            cidr: config.network.cidr,
            zones: config.network.zones,
            ingressAllowedCidrs: config.ingressAllowedCidrs,
            peeredDestinations: config.network.peerings.map((p) => ({ cidrs: p.cidrs, ports: p.ports })),
            flowLogGroupArn: logging.groups.flowLogs.arn,
        }, child);
        const securityGroups = new SecurityGroups(`${name}-sg`, {
            context,
            vpcId: network.vpcId,
            vpcCidr: config.network.cidr,
            ingressAllowedCidrs: config.ingressAllowedCidrs,
        }, child);
        const groups = securityGroups.groups;
        const endpoints = new Endpoints(`${name}-endpoints`, {
            context,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds.isolated,
            securityGroupId: groups.endpoints.id,
            routeTableIds: network.privateRouteTableIds,
        }, child);
        const dnsFirewall = new DnsFirewall(`${name}-dns-firewall`, {
            context,
            vpcId: network.vpcId,
            mode: config.egressMode,
            modelProviders,
            // The IdP single sign-on talks to (the proxies and the Envoy Gateway controller resolve it).
            extraDomains: [...config.egressAllowedDomains, ...identityDomains(config.identity)],
            queryLogGroupArn: logging.groups.dnsQueries.arn,
        }, child);
        new Peerings(`${name}-peering`, {
            context,
            vpcId: network.vpcId,
            peerings: config.network.peerings,
            privateRouteTableIds: network.privateRouteTableIds,
            securityGroups,
        }, child);

        const alarms = new Alarms(`${name}-alarms`, {
            context,
            logGroupNames: Object.fromEntries(LOG_GROUPS.map((g) => [g, logging.groups[g].name])) as Record<(typeof LOG_GROUPS)[number], pulumi.Output<string>>,
            kmsKeyArn: keys.logs.arn,
            alertEmail: config.alertEmail,
            modelProviders,
        }, child);

        // The gateways beyond the first (openclaw:gateways): each its own token and its own namespace-scoped access.
        const teamGateways = planGateways(config).filter((g) => !g.primary);
        const secrets = new Secrets(`${name}-secrets`, {
            context,
            kmsKeyArn: keys.secrets.arn,
            modelProviderKeys: config.modelProviderKeys,
            identityClientSecret: config.identityClientSecret,
            rotationDays: config.rotationDays,
            teamGatewayNames: teamGateways.map((g) => g.name),
            subnetIds: network.subnetIds.private,
            securityGroupId: groups.rotation.id,
            logGroupName: logging.groups.rotationLambda.name,
            networkReady: [
                endpoints.endpoints.secretsmanager,
                ...securityGroups.rules.rotation,
                ...securityGroups.rules.endpoints,
                ...network.ready.private,
                ...network.ready.isolated,
            ],
        }, child);
        new RotationAudit(`${name}-rotation-audit`, {
            context,
            logGroup: logging.groups.rotationEvents,
            notifySecretArns: [...Object.values(secrets.modelProviderKeys), ...(secrets.identityClientSecret ? [secrets.identityClientSecret] : [])].map((s) => s.arn),
            topicArn: alarms.topic.arn,
        }, child);

        const cluster = new Cluster(`${name}-eks`, {
            context,
            clusterName,
            kubernetesVersion: config.cluster.kubernetesVersion,
            subnetIds: network.subnetIds.private,
            securityGroupId: groups.management.id,
            apiAuthorizedCidrs: config.apiAuthorizedCidrs,
            kmsKeyArn: keys.cluster.arn,
            dependsOn: [logging.groups.cluster],
            tokenCommand,
        }, child);
        const eksCluster = cluster.cluster;
        const addons = new Addons(`${name}-addons`, { context, clusterName: eksCluster.name, kmsKeyArn: keys.cluster.arn }, child);
        const nodes = new NodeGroup(`${name}-nodes`, {
            context,
            clusterName: eksCluster.name,
            nodeCount: config.cluster.nodeCount,
            instanceType: config.cluster.nodeSize,
            subnetIds: network.subnetIds.private,
            securityGroupId: groups.nodes.id,
            kmsKeyArn: keys.cluster.arn,
            // Nodes join only if, at launch, they reach the API, the endpoints (ECR, STS, EC2) and the internet through NAT.
            dependsOn: [
                ...addons.beforeNodes,
                ...Object.values(endpoints.endpoints),
                ...securityGroups.rules.nodes,
                ...securityGroups.rules.management,
                ...securityGroups.rules.endpoints,
                ...network.ready.private,
                ...network.ready.isolated,
            ],
        }, child);
        const storage = addons.afterNodes(nodes.nodeGroup, cluster.provider);
        const loadBalancer = new LoadBalancerController(`${name}-lb`, {
            context,
            clusterName: eksCluster.name,
            vpcId: network.vpcId,
            publicSubnetIds: network.subnetIds.public,
            ingressSecurityGroupId: groups.ingress.id,
            provider: cluster.provider,
            dependsOn: [nodes.nodeGroup, ...addons.beforeNodes, ...storage.addons, cluster.deployerEntry, cluster.deployerAccess],
        }, child);

        const workloads = new WorkloadIdentities(`${name}-workloads`, {
            context,
            clusterName: eksCluster.name,
            secretArns: secrets.arns,
            secretsKeyArn: keys.secrets.arn,
            gatewayTokenSecretName: secrets.gatewayToken.name,
            modelProviderSecretNames: Object.fromEntries(Object.entries(secrets.modelProviderKeys).map(([p, s]) => [p, s.name])),
            identityClientSecretName: secrets.identityClientSecret?.name,
            applicationLogGroup: logging.groups.application,
            accessLogGroup: logging.groups.ingressAccess,
            hostedZoneId: config.dnsZoneId,
        }, child);

        const archive = new Archive(`${name}-archive`, {
            context,
            retentionDays: config.logRetentionDays,
            kmsKeyArn: keys.logs.arn,
            logGroups: logging.groups,
            deliveryErrorLogGroup: logging.groups.archiveDelivery,
            alertTopicArn: alarms.topic.arn,
        }, child);

        const access = new Access(`${name}-access`, {
            context,
            groups: config.groups,
            resources: {
                clusterName: eksCluster.name,
                clusterArn: eksCluster.arn,
                secretArns: secrets.arns,
                keyArns: [keys.secrets.arn, keys.cluster.arn],
                logsKeyArn: keys.logs.arn,
                logGroupArns: LOG_GROUPS.map((g) => logging.groups[g].arn),
                archiveBucketArn: archive.bucket.arn,
                trailArn: archive.trail.arn,
            },
        }, child);

        const teamAccess = teamGateways.map((gateway) => new TeamAccess(`${name}-access-${gateway.name}`, {
            context, gateway, clusterName: eksCluster.name, clusterArn: eksCluster.arn, logsKeyArn: keys.logs.arn,
        }, child));

        const podIdentityBindings = [...workloads.bindings, ...addons.bindings, loadBalancer.binding];
        const roleBindings: pulumi.Output<RoleBinding[]> = pulumi
            .all([access.bindings, cluster.deployerRoleArn, pulumi.all(podIdentityBindings.map((b) => b.role.role.arn)), pulumi.all(teamAccess.map((t) => t.bindings))])
            .apply(([people, deployer, podRoles, teams]) => [
                ...people,
                ...teams.flat(),
                {
                    principal: deployer,
                    grants: ["EKS AmazonEKSClusterAdminPolicy on the whole cluster"],
                    note: "the deployer: the IAM role that ran `pulumi up` (the cluster creator gets no implicit admin)",
                },
                ...podIdentityBindings.map((b, i) => ({ principal: podRoles[i], assumedBy: [`EKS Pod Identity ${b.workload}`], grants: [b.purpose] })),
            ]);

        const vpcCidr = formatCidr(mustParseCidr(config.network.cidr));
        this.seam = {
            cluster: {
                provider: cluster.provider,
                name: eksCluster.name,
                encryptedStorageClassName: storage.storageClass.metadata.name.apply((n) => n ?? ENCRYPTED_STORAGE_CLASS),
                privateCidrs: [vpcCidr, CLUSTER_ADDRESSING.serviceCidr],
                podCidrs: planSubnets(config.network.cidr, config.network.zones).filter((s) => s.tier === "private").map((s) => s.cidr),
                groups: Object.fromEntries(GROUP_ROLES.map((role) => [role, [KUBERNETES_GROUPS[role]]])) as Record<GroupRole, string[]>,
                gatewayGroups: Object.fromEntries(teamGateways.map((gateway, i) => [gateway.name, teamAccess[i].kubernetesGroups])),
                // Nodes; the CNI, kube-proxy and the Pod Identity agent; CoreDNS and the EBS CSI driver with the encrypted
                // StorageClass; the deployer's API access; the load balancer controller, without which the ingress
                // Service gets no NLB (the in-tree controller ignores `aws-load-balancer-type: external`).
                readyResources: [
                    nodes.nodeGroup,
                    ...addons.beforeNodes,
                    ...storage.addons,
                    storage.storageClass,
                    cluster.deployerEntry,
                    cluster.deployerAccess,
                    ...loadBalancer.ready,
                ],
            },
            secretStore: { ...workloads.secretStore, gatewayTokenRemoteKeys: Object.fromEntries(Object.entries(secrets.teamGatewayTokens).map(([gateway, secret]) => [gateway, secret.name])) },
            logShipping: workloads.logShipping,
            ingress: loadBalancer.ingress,
            certManager: workloads.certManager,
            publicDns: awsPublicDns(config.dnsZoneId),
            outputs: {
                clusterName: eksCluster.name,
                roleBindings,
                logGroups: Object.fromEntries(LOG_GROUPS.map((g) => [g, logging.groups[g].name])),
                logArchiveBucket: archive.bucket.id,
                auditTrail: archive.trail.name,
                alertTopicArn: alarms.topic.arn,
                egressMode: config.egressMode,
                dnsFirewallAssociationId: dnsFirewall.association.id,
            },
        };
        this.registerOutputs({ clusterName: eksCluster.name });
    }
}
