// The ingress load balancer (NET-4, LOG-1): the AWS Load Balancer Controller with a scoped Pod Identity role, and the NLB Service annotations.
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { IngressSeam } from "../seam";
import { AwsContext } from "./context";
import { PodIdentityBinding, PodIdentityRole } from "./pod-identity";

export const LOAD_BALANCER_CONTROLLER = {
    chart: "aws-load-balancer-controller",
    // eks-charts aws-load-balancer-controller 1.14.0 = controller v2.14.0 (helm/aws-load-balancer-controller/Chart.yaml at v2.14.0)
    version: "1.14.0",
    repository: "https://aws.github.io/eks-charts",
    namespace: "kube-system",
    serviceAccount: "aws-load-balancer-controller",
} as const;

const ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer";

/**
 * Annotations for the Envoy proxy's LoadBalancer Service: an internet-facing NLB in the public subnets, behind
 * the ingress security group only, IP targets (straight to the Envoy pods), PROXY protocol v2 so Envoy sees the
 * real client address, and no security-group rules written by the controller (this program owns them).
 */
export function loadBalancerAnnotations(publicSubnetIds: pulumi.Input<string>[], ingressSecurityGroupId: pulumi.Input<string>, prefix: string): Record<string, pulumi.Input<string>> {
    return {
        [`${ANNOTATION}-type`]: "external",
        [`${ANNOTATION}-scheme`]: "internet-facing",
        [`${ANNOTATION}-nlb-target-type`]: "ip",
        [`${ANNOTATION}-ip-address-type`]: "ipv4",
        [`${ANNOTATION}-subnets`]: pulumi.output(publicSubnetIds).apply((ids) => ids.join(",")),
        [`${ANNOTATION}-security-groups`]: ingressSecurityGroupId,
        [`${ANNOTATION}-manage-backend-security-group-rules`]: "false",
        [`${ANNOTATION}-proxy-protocol`]: "*",
        [`${ANNOTATION}-attributes`]: "load_balancing.cross_zone.enabled=true",
        [`${ANNOTATION}-additional-resource-tags`]: `openclaw:stack=${prefix}`,
    };
}

export interface LoadBalancerControllerArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The EKS cluster's name. */
    readonly clusterName: pulumi.Input<string>;
    /** The VPC the resources belong to. */
    readonly vpcId: pulumi.Input<string>;
    /** Public subnets the internet-facing NLB is placed in. */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** The ingress security group attached to the NLB. */
    readonly ingressSecurityGroupId: pulumi.Input<string>;
    /** The Kubernetes provider of the cluster. */
    readonly provider: Provider;
    /** Resources that must exist first (nodes, CoreDNS). */
    readonly dependsOn: pulumi.Resource[];
}

/**
 * The controller (the in-tree cloud provider cannot put security groups or PROXY protocol v2 on an NLB, nor
 * pin its subnets) with a role that may only change load balancers tagged for this cluster.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
    readonly ingress: IngressSeam;
    readonly binding: PodIdentityBinding;
    /**
     * What must exist before a Service of type LoadBalancer is reconciled: the controller's release (its pods
     * run, its webhooks answer) and its Pod Identity association and policy (it can call ELB and EC2).
     */
    readonly ready: readonly pulumi.Resource[];

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:LoadBalancerController", name, {}, opts);
        const { context } = args;
        const clusterTag = "elbv2.k8s.aws/cluster";
        const elb = (resource: string) => pulumi.interpolate`arn:${context.partition}:elasticloadbalancing:*:*:${resource}`;
        const elbResources = {
            loadBalancersAndTargetGroups: [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")],
            listeners: [elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")],
        };
        const role = new PodIdentityRole(`${name}-identity`, {
            context,
            clusterName: args.clusterName,
            roleName: "lb-controller",
            namespace: LOAD_BALANCER_CONTROLLER.namespace,
            serviceAccount: LOAD_BALANCER_CONTROLLER.serviceAccount,
            // The controller's own policy for the chart's app version (kubernetes-sigs/aws-load-balancer-controller
            // v2.14.0 docs/install/iam_policy.json), minus what this stack never uses (security groups: the program owns
            // them; ACM, WAF, Shield, Cognito: ALB only), and with "the cluster tag is set" narrowed to "is this cluster".
            statements: [
                {
                    Sid: "ElbServiceLinkedRole",
                    Effect: "Allow",
                    Action: "iam:CreateServiceLinkedRole",
                    Resource: "*",
                    Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
                },
                {
                    Sid: "Discover",
                    Effect: "Allow",
                    Action: [
                        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
                        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
                        "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools", "ec2:GetSecurityGroupsForVpc",
                        "ec2:DescribeIpamPools", "ec2:DescribeRouteTables", "elasticloadbalancing:Describe*",
                    ],
                    Resource: "*",
                },
                {
                    Sid: "CreateOnlyTaggedForThisCluster",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
                    Resource: "*",
                    Condition: { StringEquals: { [`aws:RequestTag/${clusterTag}`]: args.clusterName } },
                },
                {
                    Sid: "TagWhileCreating",
                    Effect: "Allow",
                    Action: "elasticloadbalancing:AddTags",
                    Resource: elbResources.loadBalancersAndTargetGroups,
                    Condition: {
                        StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"], [`aws:RequestTag/${clusterTag}`]: args.clusterName },
                    },
                },
                {
                    // Never adds or removes the cluster tag itself on an existing resource: no adopting someone else's.
                    Sid: "RetagOnlyThisClusters",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                    Resource: elbResources.loadBalancersAndTargetGroups,
                    Condition: { Null: { [`aws:RequestTag/${clusterTag}`]: "true" }, StringEquals: { [`aws:ResourceTag/${clusterTag}`]: args.clusterName } },
                },
                {
                    Sid: "ChangeOnlyThisClustersLoadBalancers",
                    Effect: "Allow",
                    Action: [
                        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
                        "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
                        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyListenerAttributes",
                        "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
                    ],
                    Resource: "*",
                    Condition: { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: args.clusterName } },
                },
                {
                    Sid: "TargetsOfTargetGroups",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                    Resource: pulumi.interpolate`arn:${context.partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
                },
                {
                    // Listeners and their tags carry no cluster tag condition upstream either.
                    Sid: "Listeners",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener"],
                    Resource: "*",
                },
                {
                    Sid: "TagListeners",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                    Resource: elbResources.listeners,
                },
            ],
        }, { parent: this });

        const release = new Release(`${name}-release`, {
            name: LOAD_BALANCER_CONTROLLER.chart,
            chart: LOAD_BALANCER_CONTROLLER.chart,
            version: LOAD_BALANCER_CONTROLLER.version,
            repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER.repository },
            namespace: LOAD_BALANCER_CONTROLLER.namespace,
            atomic: true,
            values: {
                clusterName: args.clusterName,
                // Passed explicitly: with IMDS hop limit 1 the controller cannot discover them from instance metadata.
                region: context.region,
                vpcId: args.vpcId,
                replicaCount: 2,
                serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER.serviceAccount },
                // Only Services carrying the annotations above get an NLB; no WAF/Shield endpoints exist in this VPC.
                enableServiceMutatorWebhook: false,
                enableShield: false,
                enableWaf: false,
                enableWafv2: false,
                defaultTargetType: "ip",
            },
        }, { parent: this, provider: args.provider, dependsOn: [...role.ready, ...args.dependsOn] });

        this.ready = [...role.ready, release];
        this.binding = {
            workload: `${LOAD_BALANCER_CONTROLLER.namespace}/${LOAD_BALANCER_CONTROLLER.serviceAccount}`,
            role,
            purpose: "AWS Load Balancer Controller: manage load balancers tagged for this cluster",
        };
        this.ingress = {
            loadBalancerAnnotations: loadBalancerAnnotations(args.publicSubnetIds, args.ingressSecurityGroupId, context.prefix),
            proxyProtocol: true,
            externalTrafficPolicy: "Local",
        };
        this.registerOutputs({});
    }
}
