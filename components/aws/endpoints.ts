// Private access to AWS services (NET-6): interface endpoints with private DNS in the isolated subnets, an S3 gateway endpoint, account-only policies.
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, tagsFor } from "./context";
import { policyDocument } from "./iam-policy";

/**
 * The interface endpoints and who needs them. `accountPolicy: false` marks the services that refuse an endpoint
 * policy (EKS: "VPC endpoint policies are not supported for Amazon EKS",
 * https://docs.aws.amazon.com/eks/latest/userguide/vpc-interface-endpoints.html) or whose support AWS does not
 * document for every region (eks-auth, ssmmessages, ec2messages); they keep the default policy rather than fail
 * the deployment. Their callers are this account's node and agent roles.
 */
// Service names com.amazonaws.<region>.<service>: https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
// (eks-auth for Pod Identity: https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html)
export const INTERFACE_ENDPOINTS = {
    secretsmanager: { accountPolicy: true, usedBy: "External Secrets, the rotation Lambda" },
    kms: { accountPolicy: true, usedBy: "Secrets Manager and EBS clients decrypting with the CMKs" },
    logs: { accountPolicy: true, usedBy: "Fluent Bit, the rotation Lambda" },
    sts: { accountPolicy: true, usedBy: "SDK credential chains" },
    "ecr.api": { accountPolicy: true, usedBy: "image pulls of EKS add-ons" },
    "ecr.dkr": { accountPolicy: true, usedBy: "image pulls of EKS add-ons" },
    ec2: { accountPolicy: true, usedBy: "VPC CNI, EBS CSI driver, load balancer controller" },
    elasticloadbalancing: { accountPolicy: true, usedBy: "the AWS Load Balancer Controller" },
    eks: { accountPolicy: false, usedBy: "nodes joining, the load balancer controller" },
    "eks-auth": { accountPolicy: false, usedBy: "the EKS Pod Identity agent" },
    ssm: { accountPolicy: true, usedBy: "Session Manager access to nodes (instead of SSH)" },
    ssmmessages: { accountPolicy: false, usedBy: "Session Manager sessions" },
    ec2messages: { accountPolicy: false, usedBy: "the SSM agent" },
} as const;
export type InterfaceEndpointService = keyof typeof INTERFACE_ENDPOINTS;

export interface EndpointsArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The VPC the resources belong to. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets the endpoint ENIs live in (the isolated tier, one per zone). */
    readonly subnetIds: pulumi.Input<string>[];
    /** The endpoints security group (443 from the VPC only). */
    readonly securityGroupId: pulumi.Input<string>;
    /** Route tables that get the S3 gateway endpoint (the private subnets'). */
    readonly routeTableIds: pulumi.Input<string>[];
}

/** One interface endpoint per service with private DNS, and the S3 gateway endpoint. */
export class Endpoints extends pulumi.ComponentResource {
    readonly endpoints: Readonly<Record<InterfaceEndpointService | "s3", ec2.VpcEndpoint>>;

    constructor(name: string, args: EndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Endpoints", name, {}, opts);
        const { context } = args;
        // Principals of other accounts cannot use these endpoints, even with stolen credentials of their own.
        const accountOnly = policyDocument([
            { Sid: "ThisAccountOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": context.accountId } } },
        ]);
        const endpoints = {} as Record<InterfaceEndpointService | "s3", ec2.VpcEndpoint>;
        for (const [service, spec] of Object.entries(INTERFACE_ENDPOINTS) as [InterfaceEndpointService, (typeof INTERFACE_ENDPOINTS)[InterfaceEndpointService]][]) {
            endpoints[service] = new ec2.VpcEndpoint(`${name}-${service.replace(".", "-")}`, {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${context.region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.subnetIds,
                securityGroupIds: [args.securityGroupId],
                ...(spec.accountPolicy ? { policy: accountOnly } : {}),
                tags: tagsFor(context, `${context.prefix}-${service}`),
            }, { parent: this });
        }
        endpoints.s3 = new ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: args.vpcId,
            serviceName: `com.amazonaws.${context.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: args.routeTableIds,
            policy: policyDocument([
                { Sid: "ThisAccountOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": context.accountId } } },
                // ECR serves image layers from its own bucket through URLs that ECR, not this account, signs.
                // Bucket name: https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms
                { Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: pulumi.interpolate`arn:${context.partition}:s3:::prod-${context.region}-starport-layer-bucket/*` },
            ]),
            tags: tagsFor(context, `${context.prefix}-s3`),
        }, { parent: this });
        this.endpoints = endpoints;
        this.registerOutputs({});
    }
}
