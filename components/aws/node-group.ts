// The managed node group: private subnets, IMDSv2 only with hop limit 1, encrypted gp3 root volumes, no SSH (SSM instead).
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, managedPolicyArn, tagsFor } from "./context";
import { serviceTrust } from "./iam-policy";

/** Node instance type when `cluster.nodeSize` is unset: 2 vCPU, 8 GiB, current Intel generation. */
export const DEFAULT_NODE_TYPE = "m7i.large";

/**
 * Policies of the node role. No AmazonEKS_CNI_Policy: the VPC CNI gets its permissions through Pod Identity,
 * so no pod can borrow them from the instance profile. SSM replaces SSH.
 */
// The node role's policies as EKS lists them (create-node-role.html), ECR's pull-only variant, and SSM's:
// https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2ContainerRegistryPullOnly.html,
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"] as const;

/** The EKS AMI type that matches an instance type: Graviton families (a `g` after the generation digit) run ARM. */
export function amiTypeFor(instanceType: string): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
    return /^[a-z]+\d+g[a-z-]*\./.test(instanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

export interface NodeGroupArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The EKS cluster's name. */
    readonly clusterName: pulumi.Input<string>;
    /** `cluster.nodeCount`. */
    readonly nodeCount: number;
    /** `cluster.nodeSize`; defaults to DEFAULT_NODE_TYPE. */
    readonly instanceType?: string;
    /** Private subnets, one per zone. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The nodes security group (replaces the EKS cluster security group on the nodes). */
    readonly securityGroupId: pulumi.Input<string>;
    /** ARN of the cluster CMK that encrypts the root volumes. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Add-ons that must exist before nodes join (the VPC CNI, kube-proxy, the Pod Identity agent). */
    readonly dependsOn: pulumi.Resource[];
}

/** The node role, launch template and managed node group. */
export class NodeGroup extends pulumi.ComponentResource {
    readonly nodeGroup: eks.NodeGroup;
    readonly role: iam.Role;
    readonly launchTemplate: ec2.LaunchTemplate;

    constructor(name: string, args: NodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:NodeGroup", name, {}, opts);
        const { context } = args;
        const instanceType = args.instanceType ?? DEFAULT_NODE_TYPE;
        this.role = new iam.Role(`${name}-role`, {
            name: `${context.prefix}-nodes`,
            // The node role's trust as EKS documents it, no condition: https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
            assumeRolePolicy: serviceTrust("ec2.amazonaws.com"),
            tags: tagsFor(context, `${context.prefix}-nodes`),
        }, { parent: this });
        const attachments = NODE_MANAGED_POLICIES.map((policy) =>
            new iam.RolePolicyAttachment(`${name}-${policy}`, { role: this.role.name, policyArn: managedPolicyArn(context, policy) }, { parent: this }));

        this.launchTemplate = new ec2.LaunchTemplate(`${name}-template`, {
            namePrefix: `${context.prefix}-nodes-`,
            description: "OpenClaw EKS nodes: IMDSv2 only, encrypted gp3, no key pair",
            updateDefaultVersion: true,
            vpcSecurityGroupIds: [args.securityGroupId],
            metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                // 1: pods (which are one hop further) cannot reach instance metadata and the node role; the add-ons
                // that need AWS credentials use Pod Identity, and the load balancer controller gets region and VPC as values.
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            },
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", kmsKeyId: args.kmsKeyArn, deleteOnTermination: "true" },
                },
            ],
            monitoring: { enabled: true },
            tagSpecifications: [
                { resourceType: "instance", tags: tagsFor(context, `${context.prefix}-node`) },
                { resourceType: "volume", tags: tagsFor(context, `${context.prefix}-node`) },
            ],
            tags: tagsFor(context, `${context.prefix}-nodes`),
        }, { parent: this });

        this.nodeGroup = new eks.NodeGroup(`${name}-nodes`, {
            clusterName: args.clusterName,
            nodeGroupNamePrefix: `${context.prefix}-`,
            nodeRoleArn: this.role.arn,
            subnetIds: args.subnetIds,
            amiType: amiTypeFor(instanceType),
            instanceTypes: [instanceType],
            capacityType: "ON_DEMAND",
            launchTemplate: { id: this.launchTemplate.id, version: pulumi.interpolate`${this.launchTemplate.latestVersion}` },
            scalingConfig: { desiredSize: args.nodeCount, minSize: args.nodeCount, maxSize: args.nodeCount },
            updateConfig: { maxUnavailable: 1 },
            nodeRepairConfig: { enabled: true },
            tags: tagsFor(context, `${context.prefix}-nodes`),
        }, { parent: this, dependsOn: [...attachments, ...args.dependsOn] });
        this.registerOutputs({});
    }
}
