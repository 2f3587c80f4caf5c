// The CMKs' key policies on the AWS example stack, each required statement checked as the using service's page lists it.
import * as assert from "assert";
import type { ProgramRun, RecordedResource } from "../harness/program";
import { MOCK_AWS_ACCOUNT } from "../harness/state-aws";
import { devStack, list, named, ofType, statements, type Statement } from "./run";

const ACCOUNT = MOCK_AWS_ACCOUNT;
const REGION = "eu-central-1";

/** The statements of a key's policy that grant `action` to `principal` (a service name or an AWS ARN). */
function grants(key: RecordedResource, action: string, principal: { Service: string } | { AWS: string }): Statement[] {
    return statements(key.inputs.policy).filter((s) => {
        if (s.Effect !== "Allow" || s.Principal === "*" || s.Principal === undefined) {
            return false;
        }
        const [kind, value] = Object.entries(principal)[0];
        const named = list(s.Principal[kind]);
        const actions = list(s.Action);
        const covers = actions.some((a) => a === action || (a.endsWith("*") && action.startsWith(a.slice(0, -1))));
        return named.includes(value) && covers;
    });
}

describe("AWS key policies on the example stack, as each service documents them", () => {
    let run: ProgramRun;
    let logsKey: RecordedResource;
    let clusterKey: RecordedResource;
    const trailArn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/openclaw-dev-trail`;
    before(async () => {
        run = await devStack();
        logsKey = named(run, "aws:kms/key:Key", "openclaw-keys-logs");
        clusterKey = named(run, "aws:kms/key:Key", "openclaw-keys-cluster");
    });

    it("names the trail the stack creates, so the aws:SourceArn conditions below match it", () => {
        const [trail] = ofType(run, "aws:cloudtrail/trail:Trail");
        assert.strictEqual(trail.state.arn, trailArn);
    });

    // "Configure AWS KMS key policies for CloudTrail", required elements for trails: encrypt, decrypt, describe.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    describe("CloudTrail (the trail's three required elements)", () => {
        const cloudtrail = { Service: "cloudtrail.amazonaws.com" };

        it("1. encrypt: kms:GenerateDataKey* for cloudtrail.amazonaws.com, encryption context of this account's trails, aws:SourceArn the trail", () => {
            const [statement, ...more] = grants(logsKey, "kms:GenerateDataKey", cloudtrail);
            assert.deepStrictEqual(more, []);
            assert.deepStrictEqual(list(statement.Action), ["kms:GenerateDataKey*"]);
            assert.deepStrictEqual(statement.Condition, {
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
                StringEquals: { "aws:SourceArn": trailArn },
            });
        });

        it("2. decrypt: kms:Decrypt for cloudtrail.amazonaws.com (the archive uses an S3 Bucket Key), unconditioned as the page writes it", () => {
            const [statement] = grants(logsKey, "kms:Decrypt", cloudtrail);
            assert.ok(statement, "CloudTrail may decrypt");
            assert.strictEqual(statement.Condition, undefined, "the page's statement has none; CreateTrail decrypts before the trail exists");
            const [sse] = ofType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").filter((r) => r.name === "openclaw-archive-sse");
            assert.strictEqual((sse.inputs.rules as { bucketKeyEnabled: boolean }[])[0].bucketKeyEnabled, true, "the reason the page requires it");
        });

        it("3. describe: kms:DescribeKey for cloudtrail.amazonaws.com, never conditioned on an encryption context (DescribeKey carries none)", () => {
            const [statement] = grants(logsKey, "kms:DescribeKey", cloudtrail);
            assert.ok(statement, "CloudTrail may describe the key");
            assert.ok(!JSON.stringify(statement.Condition ?? {}).includes("kms:EncryptionContext"));
            assert.deepStrictEqual(statement.Condition, { StringEquals: { "aws:SourceArn": trailArn } });
        });
    });

    // CloudWatch Logs: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    it("lets CloudWatch Logs of the region use the key for this account's log groups only (ArnLike on aws:logs:arn)", () => {
        const [statement] = grants(logsKey, "kms:GenerateDataKey", { Service: `logs.${REGION}.amazonaws.com` });
        assert.deepStrictEqual([...list(statement.Action)].sort(), ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"]);
        assert.deepStrictEqual(statement.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:*` } });
    });

    // SNS, "Enable compatibility between event sources from AWS services and encrypted topics": the service
    // principal needs kms:GenerateDataKey* and kms:Decrypt. https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
    // The call SNS makes carries the encryption context aws:sns:topicArn (not aws:SourceAccount).
    for (const service of ["events.amazonaws.com", "cloudwatch.amazonaws.com"]) {
        it(`lets ${service} publish to the encrypted alert topic, matched on the SNS encryption context of that topic`, () => {
            const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:openclaw-dev-security-alerts`;
            assert.strictEqual(ofType(run, "aws:sns/topic:Topic")[0].state.arn, topicArn);
            for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                const [statement] = grants(logsKey, action, { Service: service });
                assert.ok(statement, `${service} ${action}`);
                assert.deepStrictEqual(statement.Condition, { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topicArn } }, `${service} ${action}`);
            }
        });
    }

    // EC2 Auto Scaling, "Required KMS key policy for use with encrypted volumes": two statements for the service-linked role.
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
    describe("EC2 Auto Scaling (encrypted node volumes)", () => {
        const role = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
        const forRole = (s: Statement) => s.Principal !== "*" && list(s.Principal?.AWS).includes("*") && list(s.Condition?.ArnEquals?.["aws:PrincipalArn"] as string).includes(role);

        it("grants the service-linked role Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* and DescribeKey", () => {
            const statement = statements(clusterKey.inputs.policy).find((s) => forRole(s) && list(s.Action).includes("kms:Encrypt"));
            assert.deepStrictEqual([...list(statement?.Action)].sort(), ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]);
        });

        it("grants it kms:CreateGrant only for AWS resources", () => {
            const statement = statements(clusterKey.inputs.policy).find((s) => forRole(s) && list(s.Action).includes("kms:CreateGrant"));
            assert.deepStrictEqual(statement?.Condition?.Bool, { "kms:GrantIsForAWSResource": true });
        });

        it("names the role only in an aws:PrincipalArn condition, so CreateKey succeeds in an account where Auto Scaling never ran", () => {
            // KMS rejects a key policy naming a principal that does not exist; the role appears only with the first Auto Scaling group.
            for (const statement of statements(clusterKey.inputs.policy)) {
                assert.ok(!JSON.stringify(statement.Principal ?? {}).includes("AWSServiceRoleForAutoScaling"), statement.Sid);
            }
        });
    });

    it("keeps the account root statement on every key, so IAM policies can grant use and the key cannot lock out", () => {
        for (const key of ofType(run, "aws:kms/key:Key")) {
            const root = statements(key.inputs.policy).find((s) => s.Principal !== "*" && s.Principal?.AWS === `arn:aws:iam::${ACCOUNT}:root`);
            assert.strictEqual(root?.Action, "kms:*", key.name);
        }
    });
});
