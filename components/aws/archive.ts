// The immutable log archive (LOG-4): an Object Lock (COMPLIANCE) bucket fed by a multi-region CloudTrail trail and a Firehose stream of every log group.
import * as cloudtrail from "@pulumi/aws/cloudtrail";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as kinesis from "@pulumi/aws/kinesis";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/aws/types/input";
import { AwsContext, arnOf, tagsFor } from "./context";
import { policyDocument, serviceTrust, type PolicyStatement } from "./iam-policy";
import { ARCHIVED_LOG_GROUPS, type LogGroupPurpose } from "./logging";

/** Key prefixes in the archive bucket: what each writer owns. */
export const ARCHIVE_PREFIXES = { trail: "cloudtrail", records: "cloudwatch-logs/", errors: "cloudwatch-logs-errors/" } as const;

/** Refuses every request to the bucket that does not arrive over TLS (S3 User Guide, "Enforce encryption in transit" with aws:SecureTransport). */
function tlsOnlyStatement(bucketArn: pulumi.Output<string>): PolicyStatement {
    return {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": false } },
    };
}

/** The trail's name; the logs key's policy names the trail (`aws:SourceArn`) before the trail exists. */
export function trailName(prefix: string): string {
    return `${prefix}-trail`;
}

export interface ArchiveArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** Days every archived object stays undeletable, by anyone including the root user (`logRetentionDays`). */
    readonly retentionDays: number;
    /** ARN of the logs CMK (bucket SSE-KMS, CloudTrail, Firehose). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The log groups whose events Firehose copies into the archive. */
    readonly logGroups: Readonly<Partial<Record<LogGroupPurpose, cloudwatch.LogGroup>>>;
    /** The group Firehose writes its delivery errors to (not archived itself). */
    readonly deliveryErrorLogGroup: cloudwatch.LogGroup;
    /** The alert topic: a stalled delivery into the archive raises an alarm there. */
    readonly alertTopicArn: pulumi.Input<string>;
}

/** Key prefix of the archive bucket's server access logs in the access-log bucket. */
export const ACCESS_LOG_PREFIX = "archive/";

/** The log stream Firehose writes S3 delivery errors to (the name the console uses for the S3 destination). */
// https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3 (logs:PutLogEvents on log-group:<group>:log-stream:<stream>)
export const DELIVERY_ERROR_STREAM = "DestinationDelivery";

/** Oldest undelivered record, in seconds, above which the archive is behind: three buffering intervals. */
export const ARCHIVE_STALE_SECONDS = 900;

/** The archive bucket and its writers: CloudTrail (with log file validation) and Firehose (CloudWatch Logs subscriptions). */
export class Archive extends pulumi.ComponentResource {
    readonly bucket: s3.Bucket;
    readonly trail: cloudtrail.Trail;
    readonly trailName: string;
    readonly deliveryStream: kinesis.FirehoseDeliveryStream;
    /** Where S3 writes the archive bucket's server access logs (who read or tried to change the archive). */
    readonly accessLogBucket: s3.Bucket;

    constructor(name: string, args: ArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Archive", name, {}, opts);
        const { context } = args;
        this.trailName = trailName(context.prefix);
        const trailArn = arnOf(context, "cloudtrail", `trail/${this.trailName}`);

        this.bucket = new s3.Bucket(`${name}-bucket`, {
            bucket: pulumi.interpolate`${context.prefix}-log-archive-${context.accountId}-${context.region}`,
            objectLockEnabled: true,
            forceDestroy: false,
            tags: tagsFor(context, `${context.prefix}-log-archive`),
        }, { parent: this });
        const bucket = this.bucket.id;
        const { publicAccess, versioning, sse } = this.lockDown(name, bucket, { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true });
        this.accessLogBucket = this.createAccessLogs(name, args);

        // Without it every object and version stays (and is paid for) forever after its retention lapses. Lifecycle
        // cannot remove a locked version before its retain-until date, so this does not shorten LOG-4's guarantee:
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html (lifecycle and Object Lock)
        new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket,
            rules: [{
                id: "expire-after-retention",
                status: "Enabled",
                filter: {},
                expiration: { days: args.retentionDays + 1 },
                noncurrentVersionExpiration: { noncurrentDays: 1 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            }],
        }, { parent: this, dependsOn: [versioning] });

        // Default retention applies to objects written after it is set: both writers wait for it (and for SSE).
        const objectLock = new s3.BucketObjectLockConfiguration(`${name}-object-lock`, {
            bucket,
            objectLockEnabled: "Enabled",
            rule: { defaultRetention: { mode: "COMPLIANCE", days: args.retentionDays } },
        }, { parent: this, dependsOn: [versioning] });

        const bucketPolicy = new s3.BucketPolicy(`${name}-policy`, {
            bucket,
            policy: policyDocument([
                tlsOnlyStatement(this.bucket.arn),
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
                    Resource: pulumi.interpolate`${this.bucket.arn}/${ARCHIVE_PREFIXES.trail}/AWSLogs/${context.accountId}/*`,
                    Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
                },
            ]),
        }, { parent: this, dependsOn: [publicAccess] });

        this.trail = new cloudtrail.Trail(`${name}-trail`, {
            name: this.trailName,
            s3BucketName: bucket,
            s3KeyPrefix: ARCHIVE_PREFIXES.trail,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            kmsKeyId: args.kmsKeyArn,
            tags: tagsFor(context, this.trailName),
        }, { parent: this, dependsOn: [bucketPolicy, objectLock, sse] });

        const firehoseRole = new iam.Role(`${name}-firehose`, {
            name: `${context.prefix}-archive-firehose`,
            // Firehose's documented trust has no condition (awsdocs/amazon-kinesis-data-firehose-developer-guide
            // doc_source/controlling-access.md, "Allow Kinesis Data Firehose to Assume an IAM Role").
            // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#firehose-assume-role
            assumeRolePolicy: serviceTrust("firehose.amazonaws.com"),
            tags: tagsFor(context, `${context.prefix}-archive-firehose`),
        }, { parent: this });
        const errorStream = new cloudwatch.LogStream(`${name}-delivery-errors`, {
            name: DELIVERY_ERROR_STREAM,
            logGroupName: args.deliveryErrorLogGroup.name,
        }, { parent: this });
        // The S3 destination's role policy as Firehose documents it, for both prefixes the stream writes (records
        // and errors) and the error log stream: https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
        const firehosePolicy = new iam.RolePolicy(`${name}-firehose`, {
            role: firehoseRole.name,
            policy: policyDocument([
                {
                    Sid: "WriteRecordsAndErrors",
                    Effect: "Allow",
                    Action: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                    Resource: [this.bucket.arn, ...[ARCHIVE_PREFIXES.records, ARCHIVE_PREFIXES.errors].map((p) => pulumi.interpolate`${this.bucket.arn}/${p}*`)],
                },
                {
                    Sid: "EncryptThroughS3",
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: args.kmsKeyArn,
                    // Not Firehose's object-prefix encryption context: with an S3 Bucket Key the context is the bucket's ARN.
                    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-encryption-context
                    Condition: { StringEquals: { "kms:ViaService": `s3.${context.region}.amazonaws.com` } },
                },
                {
                    Sid: "LogDeliveryErrors",
                    Effect: "Allow",
                    Action: "logs:PutLogEvents",
                    Resource: pulumi.interpolate`${args.deliveryErrorLogGroup.arn}:log-stream:${DELIVERY_ERROR_STREAM}`,
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
                prefix: ARCHIVE_PREFIXES.records,
                errorOutputPrefix: ARCHIVE_PREFIXES.errors,
                bufferingInterval: 300,
                bufferingSize: 5,
                // Subscription records arrive gzip-compressed already.
                compressionFormat: "UNCOMPRESSED",
                kmsKeyArn: args.kmsKeyArn,
                // Without it a rejected write (for example S3 refusing an upload to the Object Lock bucket) is invisible.
                cloudwatchLoggingOptions: { enabled: true, logGroupName: args.deliveryErrorLogGroup.name, logStreamName: errorStream.name },
            },
            tags: tagsFor(context, `${context.prefix}-log-archive`),
        }, { parent: this, dependsOn: [firehosePolicy, objectLock, sse] });

        // A stream that cannot write holds its records: the age of the oldest one says so whatever the cause.
        // Metric and dimension: https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
        new cloudwatch.MetricAlarm(`${name}-delivery-stalled`, {
            name: `${context.prefix}-archive-delivery-stalled`,
            alarmDescription: `Log records wait more than ${ARCHIVE_STALE_SECONDS / 60} minutes for the archive (LOG-4): read ${DELIVERY_ERROR_STREAM} in the archive delivery log group.`,
            namespace: "AWS/Firehose",
            metricName: "DeliveryToS3.DataFreshness",
            dimensions: { DeliveryStreamName: this.deliveryStream.name },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: ARCHIVE_STALE_SECONDS,
            treatMissingData: "notBreaching",
            alarmActions: [args.alertTopicArn],
            okActions: [args.alertTopicArn],
            tags: tagsFor(context, `${context.prefix}-archive-delivery-stalled`),
        }, { parent: this });

        const subscriptionRole = new iam.Role(`${name}-subscription`, {
            name: `${context.prefix}-archive-subscription`,
            // CloudWatch Logs documents this trust for subscriptions to Firehose (aws:SourceArn of this account's log groups):
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample
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
            if (!ARCHIVED_LOG_GROUPS.includes(purpose)) {
                continue;
            }
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

    /**
     * What both buckets get (resources named `<prefix>-ownership`, `-public-access`, `-versioning`, `-sse`): owner-enforced
     * objects with ACLs off, every public access blocked, versioning, and default encryption with `encryption`.
     */
    private lockDown(prefix: string, bucket: pulumi.Input<string>, encryption: inputs.s3.BucketServerSideEncryptionConfigurationRule) {
        new s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
        const publicAccess = new s3.BucketPublicAccessBlock(`${prefix}-public-access`, {
            bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, { parent: this });
        const versioning = new s3.BucketVersioning(`${prefix}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, { parent: this });
        const sse = new s3.BucketServerSideEncryptionConfiguration(`${prefix}-sse`, { bucket, rules: [encryption] }, { parent: this });
        return { publicAccess, versioning, sse };
    }

    /**
     * S3 server access logging of the archive bucket into a bucket of its own. S3 requires of the target: same
     * account and region, no Object Lock, default encryption SSE-S3 only (SSE-KMS is not supported), and with
     * BucketOwnerEnforced a bucket policy for logging.s3.amazonaws.com limited to the source bucket and account.
     * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
     */
    private createAccessLogs(name: string, args: ArchiveArgs): s3.Bucket {
        const { context } = args;
        const logs = new s3.Bucket(`${name}-access-logs`, {
            bucket: pulumi.interpolate`${context.prefix}-access-logs-${context.accountId}-${context.region}`,
            forceDestroy: false,
            tags: tagsFor(context, `${context.prefix}-access-logs`),
        }, { parent: this });
        const bucket = logs.id;
        const { publicAccess } = this.lockDown(`${name}-access-logs`, bucket, { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } });
        new s3.BucketLifecycleConfiguration(`${name}-access-logs-lifecycle`, {
            bucket,
            rules: [{
                id: "expire-after-retention",
                status: "Enabled",
                filter: {},
                expiration: { days: args.retentionDays },
                noncurrentVersionExpiration: { noncurrentDays: 1 },
            }],
        }, { parent: this });
        const policy = new s3.BucketPolicy(`${name}-access-logs-policy`, {
            bucket,
            policy: policyDocument([
                tlsOnlyStatement(logs.arn),
                {
                    Sid: "S3ServerAccessLogsOfTheArchive",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${logs.arn}/${ACCESS_LOG_PREFIX}*`,
                    Condition: { ArnLike: { "aws:SourceArn": this.bucket.arn }, StringEquals: { "aws:SourceAccount": context.accountId } },
                },
            ]),
        }, { parent: this, dependsOn: [publicAccess] });
        new s3.BucketLogging(`${name}-access-logging`, {
            bucket: this.bucket.id,
            targetBucket: logs.id,
            targetPrefix: ACCESS_LOG_PREFIX,
        }, { parent: this, dependsOn: [policy] });
        return logs;
    }
}
