// The immutable log archive (LOG-4): an Object Lock (COMPLIANCE) bucket fed by a multi-region CloudTrail trail and a Firehose stream of every log group.
import * as cloudtrail from "@pulumi/aws/cloudtrail";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as kinesis from "@pulumi/aws/kinesis";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arnOf, tagsFor } from "./context";
import { policyDocument, serviceTrust } from "./iam-policy";
import type { LogGroupPurpose } from "./logging";

export interface ArchiveArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** Days every archived object stays undeletable, by anyone including the root user (`logRetentionDays`). */
    readonly retentionDays: number;
    /** ARN of the logs CMK (bucket SSE-KMS, CloudTrail, Firehose). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The log groups whose events Firehose copies into the archive. */
    readonly logGroups: Readonly<Record<LogGroupPurpose, cloudwatch.LogGroup>>;
}

/** The archive bucket and its writers: CloudTrail (with log file validation) and Firehose (CloudWatch Logs subscriptions). */
export class Archive extends pulumi.ComponentResource {
    readonly bucket: s3.Bucket;
    readonly trail: cloudtrail.Trail;
    readonly trailName: string;
    readonly deliveryStream: kinesis.FirehoseDeliveryStream;

    constructor(name: string, args: ArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Archive", name, {}, opts);
        const { context } = args;
        this.trailName = `${context.prefix}-trail`;
        const trailArn = arnOf(context, "cloudtrail", `trail/${this.trailName}`);

        this.bucket = new s3.Bucket(`${name}-bucket`, {
            bucket: pulumi.interpolate`${context.prefix}-log-archive-${context.accountId}-${context.region}`,
            objectLockEnabled: true,
            forceDestroy: false,
            tags: tagsFor(context, `${context.prefix}-log-archive`),
        }, { parent: this });
        const bucket = this.bucket.id;
        new s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
        const publicAccess = new s3.BucketPublicAccessBlock(`${name}-public-access`, {
            bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, { parent: this });
        const versioning = new s3.BucketVersioning(`${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, { parent: this });
        new s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
            bucket,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
        }, { parent: this });
        new s3.BucketObjectLockConfiguration(`${name}-object-lock`, {
            bucket,
            objectLockEnabled: "Enabled",
            rule: { defaultRetention: { mode: "COMPLIANCE", days: args.retentionDays } },
        }, { parent: this, dependsOn: [versioning] });

        const bucketPolicy = new s3.BucketPolicy(`${name}-policy`, {
            bucket,
            policy: policyDocument([
                {
                    Sid: "TlsOnly",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": false } },
                },
                {
                    Sid: "CloudTrailChecksTheBucket",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:GetBucketAcl",
                    Resource: this.bucket.arn,
                    Condition: { StringEquals: { "aws:SourceArn": trailArn } },
                },
                {
                    Sid: "CloudTrailWritesThisTrailOnly",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${this.bucket.arn}/cloudtrail/AWSLogs/${context.accountId}/*`,
                    Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
                },
            ]),
        }, { parent: this, dependsOn: [publicAccess] });

        this.trail = new cloudtrail.Trail(`${name}-trail`, {
            name: this.trailName,
            s3BucketName: bucket,
            s3KeyPrefix: "cloudtrail",
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            kmsKeyId: args.kmsKeyArn,
            tags: tagsFor(context, this.trailName),
        }, { parent: this, dependsOn: [bucketPolicy] });

        const firehoseRole = new iam.Role(`${name}-firehose`, {
            assumeRolePolicy: serviceTrust("firehose.amazonaws.com", context.accountId),
            tags: tagsFor(context, `${context.prefix}-archive-firehose`),
        }, { parent: this });
        new iam.RolePolicy(`${name}-firehose`, {
            role: firehoseRole.name,
            policy: policyDocument([
                {
                    Effect: "Allow",
                    Action: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                    Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/cloudwatch-logs/*`],
                },
                {
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: args.kmsKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": `s3.${context.region}.amazonaws.com` } },
                },
            ]),
        }, { parent: this });

        this.deliveryStream = new kinesis.FirehoseDeliveryStream(`${name}-stream`, {
            name: `${context.prefix}-log-archive`,
            destination: "extended_s3",
            serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: args.kmsKeyArn },
            extendedS3Configuration: {
                roleArn: firehoseRole.arn,
                bucketArn: this.bucket.arn,
                prefix: "cloudwatch-logs/",
                errorOutputPrefix: "cloudwatch-logs-errors/",
                bufferingInterval: 300,
                bufferingSize: 5,
                // Subscription records arrive gzip-compressed already.
                compressionFormat: "UNCOMPRESSED",
                kmsKeyArn: args.kmsKeyArn,
            },
            tags: tagsFor(context, `${context.prefix}-log-archive`),
        }, { parent: this });

        const subscriptionRole = new iam.Role(`${name}-subscription`, {
            assumeRolePolicy: policyDocument([
                {
                    Effect: "Allow",
                    Principal: { Service: `logs.${context.region}.amazonaws.com` },
                    Action: "sts:AssumeRole",
                    Condition: { StringLike: { "aws:SourceArn": arnOf(context, "logs", "*") } },
                },
            ]),
            tags: tagsFor(context, `${context.prefix}-archive-subscription`),
        }, { parent: this });
        const subscriptionPolicy = new iam.RolePolicy(`${name}-subscription`, {
            role: subscriptionRole.name,
            policy: policyDocument([{ Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: this.deliveryStream.arn }]),
        }, { parent: this });
        for (const [purpose, group] of Object.entries(args.logGroups) as [LogGroupPurpose, cloudwatch.LogGroup][]) {
            new cloudwatch.LogSubscriptionFilter(`${name}-${purpose}`, {
                name: `${context.prefix}-archive`,
                logGroup: group.name,
                filterPattern: "",
                destinationArn: this.deliveryStream.arn,
                roleArn: subscriptionRole.arn,
            }, { parent: this, dependsOn: [subscriptionPolicy] });
        }
        this.registerOutputs({ bucket: this.bucket.id, trail: this.trail.arn });
    }
}
