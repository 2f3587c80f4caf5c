// IAM policy documents as plain objects, serialised with pulumi.jsonStringify so tests and policies can read them.
import * as pulumi from "@pulumi/pulumi";

type OneOrMany = pulumi.Input<string> | pulumi.Input<string>[];

/** One IAM policy statement; fields as IAM spells them. */
export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: "*" | Readonly<Partial<Record<"AWS" | "Service" | "Federated", OneOrMany>>>;
    readonly Action?: OneOrMany;
    readonly NotAction?: OneOrMany;
    readonly Resource?: OneOrMany;
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<unknown>>>>>;
}

/** A policy document (version 2012-10-17) as the JSON string IAM, KMS, S3, SNS and VPC endpoints accept. */
export function policyDocument(statements: readonly PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * A trust policy that lets an AWS service assume the role, with exactly the condition the service's own page
 * documents for its role (none where it documents none: a condition on a key the service does not send makes
 * every AssumeRole fail).
 */
export function serviceTrust(
    service: string | readonly string[],
    options: { readonly actions?: readonly string[]; readonly condition?: PolicyStatement["Condition"] } = {},
): pulumi.Output<string> {
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: typeof service === "string" ? service : [...service] },
            Action: [...(options.actions ?? ["sts:AssumeRole"])],
            ...(options.condition ? { Condition: options.condition } : {}),
        },
    ]);
}

/**
 * The trust policy of an EKS Pod Identity role: the Pod Identity service may assume it (and tag the session), and
 * only for one ServiceAccount of one cluster, matched on the session tags Pod Identity sets (`eks-cluster-arn`
 * pins account, region and cluster). Without the tags, any Pod Identity association in the account could use the
 * role. The trust and the tag conditions as EKS documents them, no aws:SourceAccount (not documented for it):
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html; tag keys:
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html#pod-id-abac-tags
 */
export function podIdentityTrust(scope: { clusterArn: pulumi.Input<string>; namespace: string; serviceAccount: string }): pulumi.Output<string> {
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
                StringEquals: {
                    "aws:RequestTag/eks-cluster-arn": scope.clusterArn,
                    "aws:RequestTag/kubernetes-namespace": scope.namespace,
                    "aws:RequestTag/kubernetes-service-account": scope.serviceAccount,
                },
            },
        },
    ]);
}
