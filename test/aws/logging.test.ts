// LOG-1..LOG-6 on the AWS example stack: encrypted log groups with retention, PII masking, the immutable archive, alerts; stack outputs.
import * as assert from "assert";
import { ConfigError } from "../../config/read";
import { FAKE_SECRETS, ProgramFailure, runProgram, stackValues, type ProgramRun } from "../harness/program";
import { MOCK_AWS_ACCOUNT } from "../harness/state-aws";
import { AwsPlatform } from "../../components/aws";
import { readConfig } from "../../config/read";
import { devSeam, devStack, list, named, ofType, statements } from "./run";

const retentionDays = Number(stackValues("dev").logRetentionDays ?? 365);
const identifier = (name: string) => `arn:aws:dataprotection::aws:data-identifier/${name}`;

describe("AWS logging and alerts (LOG-1..LOG-6) on the example stack", () => {
    let run: ProgramRun;
    before(async () => {
        run = await devStack();
    });

    it("every log group is KMS-encrypted with the logs key and keeps logs >= 90 days (logRetentionDays)", () => {
        const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
        // cluster, application, access, flow logs, DNS queries, rotation events, rotation Lambda, archive delivery errors.
        assert.strictEqual(groups.length, 8);
        for (const group of groups) {
            assert.strictEqual(group.inputs.kmsKeyId, `arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-logs`, String(group.inputs.name));
            assert.strictEqual(group.inputs.retentionInDays, retentionDays, String(group.inputs.name));
            assert.ok(Number(group.inputs.retentionInDays) >= 90);
        }
    });

    it("masks e-mail addresses and credentials in the application and access logs; IPs only in the application log (the access log keeps the client IP)", () => {
        const policies = ofType(run, "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy");
        const byGroup = Object.fromEntries(policies.map((p) => [String(p.inputs.logGroupName), JSON.parse(String(p.inputs.policyDocument)) as { Statement: { DataIdentifier: string[]; Operation: Record<string, unknown> }[] }]));
        for (const group of ["/openclaw-dev/application", "/openclaw-dev/ingress-access"]) {
            const doc = byGroup[group];
            assert.ok(doc, group);
            const mask = doc.Statement.find((s) => "Deidentify" in s.Operation);
            const audit = doc.Statement.find((s) => "Audit" in s.Operation);
            assert.deepStrictEqual(mask?.DataIdentifier, audit?.DataIdentifier, "CloudWatch requires the same identifiers in both statements");
            assert.ok(mask?.DataIdentifier.includes(identifier("EmailAddress")));
            assert.ok(mask?.DataIdentifier.includes(identifier("AwsSecretKey")));
        }
        assert.ok(byGroup["/openclaw-dev/application"].Statement[1].DataIdentifier.includes(identifier("IpAddress")));
        assert.ok(!byGroup["/openclaw-dev/ingress-access"].Statement[1].DataIdentifier.includes(identifier("IpAddress")));
    });

    // CloudWatch Logs custom data identifiers: at most 10 per policy; names of a-zA-Z0-9, _ and - up to 128; a regex
    // of at most 200 characters from a-zA-Z0-9, _ # = @ / ; , - space and ^ $ ? [ ] { } | \\ * + . (no parentheses).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL-custom-data-identifiers.html
    describe("LOG-2 custom data identifiers for the secrets this platform handles", () => {
        type Policy = { Configuration?: { CustomDataIdentifier: { Name: string; Regex: string }[] }; Statement: { DataIdentifier: string[]; Operation: Record<string, unknown> }[] };
        let policies: Policy[];
        before(() => {
            policies = ofType(run, "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy").map((p) => JSON.parse(String(p.inputs.policyDocument)) as Policy);
        });

        it("stays within CloudWatch's constraints on custom identifiers", () => {
            for (const policy of policies) {
                const custom = policy.Configuration?.CustomDataIdentifier ?? [];
                assert.ok(custom.length > 0 && custom.length <= 10);
                for (const { Name, Regex } of custom) {
                    assert.match(Name, /^[A-Za-z0-9_-]{1,128}$/);
                    assert.ok(Regex.length <= 200, Name);
                    assert.match(Regex, /^[A-Za-z0-9_#=@/;, ^$?[\]{}|\\*+.-]+$/, `${Name} uses only the characters CloudWatch accepts`);
                    assert.ok(!Name.startsWith("arn:"), "custom identifiers are named, managed ones are ARNs");
                }
            }
        });

        it("audits and masks every custom identifier in both statements, referred to by name", () => {
            for (const policy of policies) {
                const names = (policy.Configuration?.CustomDataIdentifier ?? []).map((c) => c.Name);
                for (const statement of policy.Statement) {
                    assert.deepStrictEqual(names.filter((n) => !statement.DataIdentifier.includes(n)), [], Object.keys(statement.Operation)[0]);
                }
            }
        });

        it("matches each model provider's key format, the gateway token, bearer tokens, JWTs and international phone numbers", () => {
            const custom = policies[0].Configuration?.CustomDataIdentifier ?? [];
            const matches = (sample: string) => custom.filter((c) => new RegExp(c.Regex).test(sample)).map((c) => c.Name);
            const token = "A1b_".repeat(10) + "xYz"; // 43 base64url characters, as the rotation Lambda mints it
            // Shapes from the providers' key formats (built here so no literal key sits in the source).
            const samples: Record<string, string> = {
                AnthropicApiKey: `key ${"sk-ant-"}api03-${"a1B2".repeat(20)}`,
                OpenAiApiKey: `key ${"sk-"}proj-${"Z9y8".repeat(12)}`,
                OpenRouterApiKey: `key ${"sk-or-v1-"}${"0f".repeat(32)}`,
                GeminiApiKey: `key ${"AIza"}${"Sy0_".repeat(8)}abc`,
                GatewayToken: `OPENCLAW_GATEWAY_TOKEN=${token}`,
                BearerToken: `Authorization: Bearer ${token}`,
                JsonWebToken: `${"eyJ"}hbGciOiJIUzI1NiJ9.${"eyJ"}zdWIiOiIxIn0.c2lnbmF0dXJl`,
                InternationalPhoneNumber: "call +49 30 1234567",
            };
            for (const [name, sample] of Object.entries(samples)) {
                assert.ok(matches(sample).includes(name), `${name} matches ${sample.slice(0, 12)}...`);
            }
            assert.deepStrictEqual(matches("GET /healthz 200 12ms openclaw-7c9f_openclaw"), [], "ordinary log lines pass unmasked");
        });
    });

    describe("LOG-4 immutable archive", () => {
        it("locks every archived object in COMPLIANCE mode for logRetentionDays, versioned, SSE-KMS, public access blocked", () => {
            const bucket = named(run, "aws:s3/bucket:Bucket", "openclaw-archive-bucket");
            assert.strictEqual(bucket.inputs.objectLockEnabled, true);
            assert.strictEqual(bucket.inputs.forceDestroy, false);
            const [lock] = ofType(run, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
            assert.deepStrictEqual(lock.inputs.rule, { defaultRetention: { mode: "COMPLIANCE", days: retentionDays } });
            assert.strictEqual((named(run, "aws:s3/bucketVersioning:BucketVersioning", "openclaw-archive-versioning").inputs.versioningConfiguration as { status: string }).status, "Enabled");
            const sse = named(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "openclaw-archive-sse");
            const [rule] = sse.inputs.rules as { applyServerSideEncryptionByDefault: Record<string, string> }[];
            assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
            assert.ok(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId.endsWith("key/openclaw-keys-logs"));
            const block = named(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "openclaw-archive-public-access");
            for (const setting of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.strictEqual(block.inputs[setting], true, setting);
            }
        });

        it("denies every request to the archive that does not use TLS", () => {
            const policy = named(run, "aws:s3/bucketPolicy:BucketPolicy", "openclaw-archive-policy");
            const deny = statements(policy.inputs.policy).find((s) => s.Effect === "Deny");
            assert.deepStrictEqual([deny?.Principal, deny?.Action, deny?.Condition], ["*", "s3:*", { Bool: { "aws:SecureTransport": false } }]);
        });

        it("receives a multi-region CloudTrail trail with log file validation, encrypted with the logs key", () => {
            const [trail] = ofType(run, "aws:cloudtrail/trail:Trail");
            const bucket = named(run, "aws:s3/bucket:Bucket", "openclaw-archive-bucket");
            assert.strictEqual(trail.inputs.s3BucketName, `${bucket.name}-id`);
            assert.strictEqual(trail.inputs.isMultiRegionTrail, true);
            assert.strictEqual(trail.inputs.enableLogFileValidation, true);
            assert.ok(String(trail.inputs.kmsKeyId).endsWith("key/openclaw-keys-logs"));
        });

        // Firehose, "Grant Kinesis Data Firehose Access to an Amazon S3 Destination": the S3 actions on the bucket and its
        // objects, kms:Decrypt/GenerateDataKey via S3, logs:PutLogEvents on the error log stream; trust with no condition.
        // awsdocs/amazon-kinesis-data-firehose-developer-guide doc_source/controlling-access.md
        it("lets Firehose write both the record and the error prefix, and log delivery errors to a log stream that exists", () => {
            const [stream] = ofType(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
            const s3 = stream.inputs.extendedS3Configuration as { prefix: string; errorOutputPrefix: string; cloudwatchLoggingOptions: { enabled: boolean; logGroupName: string; logStreamName: string } };
            const policy = named(run, "aws:iam/rolePolicy:RolePolicy", "openclaw-archive-firehose");
            const write = statements(policy.inputs.policy).find((s) => list(s.Action).includes("s3:PutObject"));
            const bucketArn = named(run, "aws:s3/bucket:Bucket", "openclaw-archive-bucket").state.arn;
            for (const prefix of [s3.prefix, s3.errorOutputPrefix]) {
                assert.ok(list(write?.Resource).includes(`${String(bucketArn)}/${prefix}*`), prefix);
            }
            assert.strictEqual(s3.cloudwatchLoggingOptions.enabled, true);
            const logStream = ofType(run, "aws:cloudwatch/logStream:LogStream").find((l) => l.inputs.name === s3.cloudwatchLoggingOptions.logStreamName);
            assert.strictEqual(logStream?.inputs.logGroupName, s3.cloudwatchLoggingOptions.logGroupName);
            const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === s3.cloudwatchLoggingOptions.logGroupName);
            const putLogs = statements(policy.inputs.policy).find((s) => list(s.Action).includes("logs:PutLogEvents"));
            assert.deepStrictEqual(list(putLogs?.Resource), [`${String(group?.state.arn)}:log-stream:${s3.cloudwatchLoggingOptions.logStreamName}`]);
            const role = named(run, "aws:iam/role:Role", "openclaw-archive-firehose");
            assert.deepStrictEqual(statements(role.inputs.assumeRolePolicy).map((s) => [s.Principal, s.Condition]), [[{ Service: "firehose.amazonaws.com" }, undefined]]);
        });

        it("alarms to the alert topic when the archive stream falls behind (a write S3 refuses leaves records waiting)", () => {
            // Metric DeliveryToS3.DataFreshness, dimension DeliveryStreamName: https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
            const alarm = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.namespace === "AWS/Firehose");
            assert.strictEqual(alarm?.inputs.metricName, "DeliveryToS3.DataFreshness");
            assert.deepStrictEqual(alarm?.inputs.dimensions, { DeliveryStreamName: "openclaw-dev-log-archive" });
            assert.deepStrictEqual(alarm?.inputs.alarmActions, [ofType(run, "aws:sns/topic:Topic")[0].state.arn]);
        });

        // S3, "Enabling Amazon S3 server access logging": target in the same account and region, no Object Lock, SSE-S3 only,
        // and (BucketOwnerEnforced) a bucket policy for logging.s3.amazonaws.com with aws:SourceArn and aws:SourceAccount.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
        it("logs every request to the archive bucket (S3 server access logging) into a bucket S3 can deliver to", () => {
            const archive = named(run, "aws:s3/bucket:Bucket", "openclaw-archive-bucket");
            const target = named(run, "aws:s3/bucket:Bucket", "openclaw-archive-access-logs");
            const [logging] = ofType(run, "aws:s3/bucketLogging:BucketLogging");
            assert.deepStrictEqual([logging.inputs.bucket, logging.inputs.targetBucket], [`${archive.name}-id`, `${target.name}-id`]);
            assert.notStrictEqual(target.inputs.objectLockEnabled, true);
            assert.ok(!ofType(run, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").some((l) => l.inputs.bucket === `${target.name}-id`));
            const sse = ofType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((e) => e.inputs.bucket === `${target.name}-id`);
            assert.strictEqual((sse?.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
            const policy = ofType(run, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === `${target.name}-id`);
            const delivery = statements(policy?.inputs.policy).find((s) => s.Effect === "Allow");
            assert.deepStrictEqual(delivery?.Principal, { Service: "logging.s3.amazonaws.com" });
            assert.deepStrictEqual(delivery?.Action, "s3:PutObject");
            assert.deepStrictEqual(delivery?.Condition, { ArnLike: { "aws:SourceArn": archive.state.arn }, StringEquals: { "aws:SourceAccount": MOCK_AWS_ACCOUNT } });
        });

        it("copies every log group into the archive through an encrypted Firehose stream", () => {
            const [stream] = ofType(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
            assert.strictEqual((stream.inputs.serverSideEncryption as { enabled: boolean }).enabled, true);
            const subscribed = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").map((f) => f.inputs.logGroup);
            // Every group but the stream's own delivery errors, which would otherwise feed a failing stream its failures.
            const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name).filter((n) => n !== "/aws/kinesisfirehose/openclaw-dev-log-archive");
            assert.deepStrictEqual([...subscribed].sort(), [...groups].sort());
            for (const filter of ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")) {
                assert.strictEqual(filter.inputs.destinationArn, stream.state.arn);
                assert.strictEqual(filter.inputs.filterPattern, "");
            }
        });
    });

    describe("LOG-6 alerts", () => {
        it("alarms on repeated failed authentication at the ingress and in the EKS audit log, model-API spikes, unknown egress and rotation failures", () => {
            const filters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
            const filterOn = (group: string) => filters.filter((f) => f.inputs.logGroupName === group).map((f) => String(f.inputs.pattern));
            assert.ok(filterOn("/openclaw-dev/ingress-access").some((p) => p.includes("401") && p.includes("403")));
            assert.ok(filterOn("/aws/eks/openclaw-dev/cluster").some((p) => p.includes("$.responseStatus.code = 401")));
            assert.ok(filterOn("/openclaw-dev/dns-queries").some((p) => p.includes('"ALERT"') && p.includes('"BLOCK"')));
            assert.ok(filterOn("/openclaw-dev/dns-queries").some((p) => p.includes("api.anthropic.com")), "model API traffic of the configured provider");
            assert.ok(filterOn("/aws/events/openclaw-dev/secrets-rotation").some((p) => p.includes("RotationFailed")));
            const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
            // One alarm per metric filter, plus the archive's delivery alarm on a Firehose metric.
            assert.strictEqual(alarms.filter((a) => a.inputs.namespace !== "AWS/Firehose").length, filters.length);
            const spike = alarms.find((a) => a.inputs.name === "openclaw-dev-model-api-spike");
            assert.ok(JSON.stringify(spike?.inputs.metricQueries).includes("ANOMALY_DETECTION_BAND"));
        });

        it("notifies a KMS-encrypted SNS topic, with the alertEmail subscribed", () => {
            const [topic] = ofType(run, "aws:sns/topic:Topic");
            assert.ok(String(topic.inputs.kmsMasterKeyId).endsWith("key/openclaw-keys-logs"));
            for (const alarm of ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
                assert.deepStrictEqual(alarm.inputs.alarmActions, [topic.state.arn], String(alarm.inputs.name));
            }
            const [subscription] = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
            assert.deepStrictEqual([subscription.inputs.protocol, subscription.inputs.endpoint], ["email", stackValues("dev").alertEmail]);
            const publishers = statements(ofType(run, "aws:sns/topicPolicy:TopicPolicy")[0].inputs.policy).filter((s) => s.Effect === "Allow");
            const alarms = publishers.find((s) => s.Principal !== "*" && s.Principal?.Service === "cloudwatch.amazonaws.com");
            assert.deepStrictEqual(alarms?.Condition, { StringEquals: { "aws:SourceAccount": MOCK_AWS_ACCOUNT } }, "only this account's alarms publish");
            // EventBridge: "You can't use Condition blocks in Amazon SNS topic policies for EventBridge".
            // awsdocs/amazon-eventbridge-user-guide doc_source/eb-use-resource-based.md, "Amazon SNS permissions"
            const events = publishers.find((s) => s.Principal !== "*" && s.Principal?.Service === "events.amazonaws.com");
            assert.deepStrictEqual([events?.Action, events?.Condition], ["sns:Publish", undefined]);
        });
    });

    it("ships container logs with Fluent Bit's cloudwatch_logs output to the application and access groups, without credentials", async () => {
        const outputs = String((await devSeam()).fluentBitOutputs);
        const sections = outputs.split("[OUTPUT]").slice(1);
        assert.strictEqual(sections.length, 2);
        assert.ok(sections.every((s) => /Name\s+cloudwatch_logs/.test(s) && /region\s+eu-central-1/.test(s) && /auto_create_group\s+false/.test(s)));
        assert.deepStrictEqual(sections.map((s) => /log_group_name\s+(\S+)/.exec(s)?.[1]).sort(), ["/openclaw-dev/application", "/openclaw-dev/ingress-access"]);
        assert.doesNotMatch(outputs, /aws_access_key|aws_secret|role_arn|credentials/i);
    });

    it("exports the cluster name, log group names, archive bucket and role bindings, and no secret", () => {
        for (const key of ["clusterName", "roleBindings", "logGroups", "logArchiveBucket"]) {
            assert.ok(run.outputs[key] !== undefined, key);
        }
        assert.deepStrictEqual(run.secretOutputs, []);
        const serialised = JSON.stringify(run.outputs);
        for (const fake of Object.values(FAKE_SECRETS)) {
            assert.ok(!serialised.includes(fake));
        }
    });
});

describe("AWS platform config errors", () => {
    for (const [what, overrides] of [
        ["one availability zone", { network: { cidr: "10.20.0.0/16", zones: 1 } }],
        ["a Kubernetes API open to 0.0.0.0/0", { apiAuthorizedCidrs: ["0.0.0.0/0"] }],
    ] as const) {
        it(`fails with the foundation's config error before any AWS resource on ${what}`, async () => {
            const failure = await runProgram({
                stack: "dev",
                config: overrides,
                program: () => new AwsPlatform("openclaw", { config: readConfig() }).seam.outputs,
            }).then(
                () => undefined,
                (err: unknown) => err,
            );
            assert.ok(failure instanceof ProgramFailure, `expected the run to fail, got ${String(failure)}`);
            assert.ok(failure.cause instanceof ConfigError);
            assert.match(failure.message, new RegExp(Object.keys(overrides)[0]));
            assert.deepStrictEqual(failure.resources.filter((r) => r.type.startsWith("aws:")), []);
        });
    }

    it("refuses a platform name and stack whose physical names would break AWS limits, before any resource", async () => {
        const failure = await runProgram({
            stack: "dev",
            program: () => new AwsPlatform("OpenClaw-with-a-long-name", { config: readConfig() }).seam.outputs,
        }).then(
            () => undefined,
            (err: unknown) => err,
        );
        assert.ok(failure instanceof ProgramFailure, `expected the run to fail, got ${String(failure)}`);
        assert.match(failure.message, /stack name: .*lower-case.*at most 23 characters/);
        assert.deepStrictEqual(failure.resources.filter((r) => r.type.startsWith("aws:")), []);
    });
});
