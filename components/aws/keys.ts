// Customer-managed KMS keys (SEC-2): one each for secrets, logs, and the cluster (EKS envelope encryption and EBS).
import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, tagsFor } from "./context";
import { PolicyStatement, policyDocument } from "./iam-policy";

/** The keys of the platform and what each protects. */
export const KEY_PURPOSES = {
    secrets: "Secrets Manager secrets of OpenClaw",
    logs: "CloudWatch log groups, the log archive bucket, CloudTrail, Firehose and the alert topic",
    cluster: "EKS envelope encryption of Kubernetes Secrets and the nodes' and volumes' EBS disks",
} as const;
export type KeyPurpose = keyof typeof KEY_PURPOSES;

/** The shortest automatic rotation period KMS accepts, in days. */
export const KEY_ROTATION_DAYS = 90;

export interface KeysArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
}

/** Three symmetric CMKs with automatic rotation, each with a key policy that admits only the services that use it. */
export class Keys extends pulumi.ComponentResource {
    readonly keys: Readonly<Record<KeyPurpose, kms.Key>>;

    constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Keys", name, {}, opts);
        const { context } = args;
        const account = context.accountId;
        const partition = context.partition;
        // Lets IAM policies of this account grant use of the key (the KMS default); without it the key can lock out.
        const accountRoot: PolicyStatement = {
            Sid: "AccountAdministersThroughIam",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
        };
        const serviceStatements: Record<KeyPurpose, PolicyStatement[]> = {
            secrets: [],
            logs: [
                {
                    Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
                    Effect: "Allow",
                    Principal: { Service: `logs.${context.region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${context.region}:${account}:log-group:*` } },
                },
                {
                    Sid: "CloudTrailEncryptsThisAccountsTrails",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": account },
                        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${partition}:cloudtrail:*:${account}:trail/*` },
                    },
                },
                {
                    Sid: "AlarmsAndEventsPublishToTheEncryptedTopic",
                    Effect: "Allow",
                    Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                },
            ],
            cluster: [
                {
                    // Managed node groups launch through Auto Scaling, whose service-linked role must use the key for the encrypted root volumes.
                    Sid: "AutoScalingUsesTheKeyForNodeVolumes",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                },
                {
                    Sid: "AutoScalingGrantsForAttachedVolumes",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` },
                    Action: "kms:CreateGrant",
                    Resource: "*",
                    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
                },
            ],
        };

        const keys = {} as Record<KeyPurpose, kms.Key>;
        for (const purpose of Object.keys(KEY_PURPOSES) as KeyPurpose[]) {
            keys[purpose] = new kms.Key(`${name}-${purpose}`, {
                description: `${context.prefix}: ${KEY_PURPOSES[purpose]}`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: KEY_ROTATION_DAYS,
                deletionWindowInDays: 30,
                policy: policyDocument([accountRoot, ...serviceStatements[purpose]]),
                tags: tagsFor(context, `${context.prefix}-${purpose}`),
            }, { parent: this });
            new kms.Alias(`${name}-${purpose}`, { name: `alias/${context.prefix}-${purpose}`, targetKeyId: keys[purpose].keyId }, { parent: this });
        }
        this.keys = keys;
        this.registerOutputs({});
    }
}
