// LOG-1..LOG-6 on the AWS example stack: encrypted log groups with retention, PII masking, the immutable archive, alerts; stack outputs.
import * as assert from "assert";
import { ConfigError } from "../../config/read";
import { FAKE_SECRETS, ProgramFailure, runProgram, stackValues, type ProgramRun } from "../harness/program";
import { MOCK_AWS_ACCOUNT } from "../harness/state-aws";
import { AwsPlatform } from "../../components/aws";
import { readConfig } from "../../config/read";
import { devSeam, devStack, named, ofType, statements } from "./run";

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
            assert.ok(publishers.every((s) => JSON.stringify(s.Condition).includes(MOCK_AWS_ACCOUNT)), "only this account's alarms and rules publish");
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
