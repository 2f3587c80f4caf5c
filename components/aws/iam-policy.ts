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

/** A trust policy that lets an AWS service assume the role, only on behalf of this account. */
export function serviceTrust(service: string | readonly string[], accountId: pulumi.Input<string>, actions: readonly string[] = ["sts:AssumeRole"]): pulumi.Output<string> {
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: typeof service === "string" ? service : [...service] },
            Action: [...actions],
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
    ]);
}

/** The trust policy of an EKS Pod Identity role: the Pod Identity agent assumes it and tags the session. */
export function podIdentityTrust(accountId: pulumi.Input<string>): pulumi.Output<string> {
    return serviceTrust("pods.eks.amazonaws.com", accountId, ["sts:AssumeRole", "sts:TagSession"]);
}
