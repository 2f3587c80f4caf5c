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
// RotationPeriodInDays 90-2560: https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
export const KEY_ROTATION_DAYS = 90;

/** The default Auto Scaling service-linked role; EKS managed node groups launch their instances through it. */
// Name and path: https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
export const AUTO_SCALING_SERVICE_LINKED_ROLE = "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";

export interface KeysArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** ARN of the CloudTrail trail that encrypts with the logs key (`aws:SourceArn` of CloudTrail's key use). */
    readonly trailArn: pulumi.Input<string>;
    /** ARN of the alert topic encrypted with the logs key (the SNS encryption context of every publish to it). */
    readonly alertTopicArn: pulumi.Input<string>;
}

/**
 * The service statements of each key, each as the service's own page lists it. Pure, so a test can check every
 * statement against the page without running the program.
 */
export function keyServiceStatements(context: AwsContext, refs: { trailArn: pulumi.Input<string>; alertTopicArn: pulumi.Input<string> }): Record<KeyPurpose, PolicyStatement[]> {
    const account = context.accountId;
    const partition = context.partition;
    const trailsOfThisAccount = pulumi.interpolate`arn:${partition}:cloudtrail:*:${account}:trail/*`;
    const autoScalingRole = pulumi.interpolate`arn:${partition}:iam::${account}:role/${AUTO_SCALING_SERVICE_LINKED_ROLE}`;
    return {
        secrets: [],
        logs: [
            {
                // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html (principal, actions, ArnLike on the logs encryption context)
                Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${context.region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${context.region}:${account}:log-group:*` } },
            },
            // CloudTrail's three required elements for trails, "Configure AWS KMS key policies for CloudTrail":
            // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html (aws:SourceArn = the trail, as the page recommends)
            {
                Sid: "CloudTrailEncryptsThisTrail",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:GenerateDataKey*",
                Resource: "*",
                Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailsOfThisAccount }, StringEquals: { "aws:SourceArn": refs.trailArn } },
            },
            {
                // Required to create or update the trail when the bucket uses an S3 Bucket Key (the archive does). Written
                // as the page writes it, with no condition: CreateTrail makes this call before the trail (its SourceArn) exists.
                Sid: "CloudTrailDecryptsForTheBucketKey",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:Decrypt",
                Resource: "*",
            },
            {
                // DescribeKey carries no encryption context: its statement must not require one.
                Sid: "CloudTrailDescribesTheKey",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:DescribeKey",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceArn": refs.trailArn } },
            },
            {
                // "Enable compatibility between event sources from AWS services and encrypted topics":
                // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services (service principal, kms:GenerateDataKey*, kms:Decrypt).
                // SNS calls KMS with the encryption context aws:sns:topicArn = the topic (the condition key AWS documents for it:
                // https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html); EventBridge's call carries no aws:SourceAccount.
                Sid: "AlarmsAndEventsPublishToTheAlertTopic",
                Effect: "Allow",
                Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                Resource: "*",
                Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": refs.alertTopicArn } },
            },
        ],
        cluster: [
            // "Required KMS key policy for use with encrypted volumes", both statements:
            // https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
            // The role is matched by aws:PrincipalArn instead of being named as Principal: KMS refuses a key policy that
            // names a role that does not exist, and Auto Scaling creates this one only with the account's first Auto
            // Scaling group (the node group's, after this key). Principal "*" narrowed to one ARN of this account.
            {
                Sid: "AutoScalingUsesTheKeyForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": autoScalingRole } },
            },
            {
                Sid: "AutoScalingGrantsForAttachedVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": autoScalingRole }, Bool: { "kms:GrantIsForAWSResource": true } },
            },
        ],
    };
}

/** Three symmetric CMKs with automatic rotation, each with a key policy that admits only the services that use it. */
export class Keys extends pulumi.ComponentResource {
    readonly keys: Readonly<Record<KeyPurpose, kms.Key>>;

    constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Keys", name, {}, opts);
        const { context } = args;
        // Lets IAM policies of this account grant use of the key (the KMS default); without it the key can lock out.
        // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
        const accountRoot: PolicyStatement = {
            Sid: "AccountAdministersThroughIam",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${context.partition}:iam::${context.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        };
        const serviceStatements = keyServiceStatements(context, args);

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
