// The private EKS control plane (NET-1, RBAC-5): private endpoint, envelope-encrypted Secrets, all control-plane logs, API-only access entries, and the deployer's admin entry.
import * as eks from "@pulumi/aws/eks";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as iam from "@pulumi/aws/iam";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config/read";
import { CLUSTER_ADDRESSING, GROUP_ROLES } from "../../config/schema";
import { AwsContext, managedPolicyArn, tagsFor } from "./context";
import { policyDocument, serviceTrust } from "./iam-policy";
import { kubeconfig, TokenCommand } from "./kubeconfig";

/** Every EKS control-plane log type; all of them go to the cluster log group. */
// https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html (log group /aws/eks/<cluster>/cluster)
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** EKS access policies this program associates. */
// Names and ARN form arn:<partition>:eks::aws:cluster-access-policy/<name>: https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
export const EKS_ACCESS_POLICIES = ["AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"] as const;
export type EksAccessPolicy = (typeof EKS_ACCESS_POLICIES)[number];

export function accessPolicyArn(context: AwsContext, policy: EksAccessPolicy): pulumi.Output<string> {
    return pulumi.interpolate`arn:${context.partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** Public endpoint settings: off unless `apiAuthorizedCidrs` lists networks, and then open to exactly those. */
export function endpointAccess(apiAuthorizedCidrs: readonly string[]): { endpointPrivateAccess: true; endpointPublicAccess: boolean; publicAccessCidrs?: string[] } {
    return apiAuthorizedCidrs.length === 0
        ? { endpointPrivateAccess: true, endpointPublicAccess: false }
        : { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...apiAuthorizedCidrs] };
}

export interface ClusterArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The cluster's name (the cluster log group is named after it and must exist first). */
    readonly clusterName: string;
    /** `cluster.kubernetesVersion`. */
    readonly kubernetesVersion: string;
    /** Private subnets for the control-plane ENIs. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The management security group (443 from nodes only). */
    readonly securityGroupId: pulumi.Input<string>;
    /** `apiAuthorizedCidrs`: networks allowed to the public endpoint. Empty (default): no public endpoint. */
    readonly apiAuthorizedCidrs: readonly string[];
    /** ARN of the cluster CMK used to envelope-encrypt Kubernetes Secrets. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Resources that must exist before the cluster (its log group). */
    readonly dependsOn: pulumi.Resource[];
    /** How the kubeconfig calls `aws eks get-token`: with the AWS provider's profile and role (`tokenCommand`). */
    readonly tokenCommand: TokenCommand;
}

/** The cluster, its IAM role, the deployer's access entry, and a Kubernetes provider that authenticates with `aws eks get-token`. */
export class Cluster extends pulumi.ComponentResource {
    readonly cluster: eks.Cluster;
    readonly provider: Provider;
    /** The IAM role that runs `pulumi up` (the caller's role, not its session), given cluster admin. */
    readonly deployerRoleArn: pulumi.Output<string>;
    /** The deployer's admin association; everything that talks to the Kubernetes API waits for it. */
    readonly deployerAccess: eks.AccessPolicyAssociation;
    /** The deployer's access entry (the association above is attached to it). */
    readonly deployerEntry: eks.AccessEntry;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Cluster", name, {}, opts);
        const { context } = args;
        const role = new iam.Role(`${name}-role`, {
            name: `${args.clusterName}-eks-cluster`,
            // The cluster role's trust as EKS documents it (AssumeRole and TagSession, no condition):
            // https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html
            assumeRolePolicy: serviceTrust("eks.amazonaws.com", { actions: ["sts:AssumeRole", "sts:TagSession"] }),
            tags: tagsFor(context, `${args.clusterName}-cluster`),
        }, { parent: this });
        // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEKSClusterPolicy.html
        const attachment = new iam.RolePolicyAttachment(`${name}-role`, { role: role.name, policyArn: managedPolicyArn(context, "AmazonEKSClusterPolicy") }, { parent: this });
        const keyUse = new iam.RolePolicy(`${name}-envelope-key`, {
            role: role.name,
            policy: policyDocument([{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: args.kmsKeyArn }]),
        }, { parent: this });

        this.cluster = new eks.Cluster(`${name}-cluster`, {
            name: args.clusterName,
            version: args.kubernetesVersion,
            roleArn: role.arn,
            vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId], ...endpointAccess(args.apiAuthorizedCidrs) },
            kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: CLUSTER_ADDRESSING.serviceCidr },
            encryptionConfig: { provider: { keyArn: args.kmsKeyArn }, resources: ["secrets"] },
            enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            // The add-ons are installed as managed add-ons (addons.ts), configured and versioned by this program.
            bootstrapSelfManagedAddons: false,
            // Standard support only: extended support costs six times the control-plane price.
            upgradePolicy: { supportType: "STANDARD" },
            tags: tagsFor(context, args.clusterName),
        }, { parent: this, dependsOn: [attachment, keyUse, ...args.dependsOn] });

        // Without the creator bootstrap, nobody can reach the API: give the role running Pulumi an explicit admin entry.
        const caller = getCallerIdentityOutput({}, { parent: this });
        // Refused when it is one of this stack's group roles: its access entry exists already (CreateAccessEntry would
        // answer ResourceInUseException), and the group roles lack the rights `pulumi up` needs anyway.
        this.deployerRoleArn = iam.getSessionContextOutput({ arn: caller.arn }, { parent: this }).issuerArn.apply((arn) => {
            const groupRole = GROUP_ROLES.find((role) => arn.endsWith(`:role/${context.prefix}-${role}`));
            if (groupRole !== undefined) {
                throw new ConfigError([`deployer: pulumi up runs as ${arn}, this stack's ${groupRole} role; accepted: the role that created the stack (or any role outside openclaw:groups with the rights to deploy it)`]);
            }
            return arn;
        });
        const deployerEntry = this.deployerEntry = new eks.AccessEntry(`${name}-deployer`, {
            clusterName: this.cluster.name,
            principalArn: this.deployerRoleArn,
            type: "STANDARD",
            tags: tagsFor(context, `${args.clusterName}-deployer`),
        }, { parent: this });
        this.deployerAccess = new eks.AccessPolicyAssociation(`${name}-deployer`, {
            clusterName: this.cluster.name,
            principalArn: deployerEntry.principalArn,
            policyArn: accessPolicyArn(context, "AmazonEKSClusterAdminPolicy"),
            accessScope: { type: "cluster" },
        }, { parent: this });

        this.provider = new Provider(`${name}-k8s`, { kubeconfig: kubeconfig(this.cluster, args.tokenCommand, this.deployerAccess), enableServerSideApply: true }, { parent: this });
        this.registerOutputs({ clusterName: this.cluster.name });
    }
}
