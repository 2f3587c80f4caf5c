// SEC-1..SEC-6 on the AWS example stack: customer-managed keys, Secrets Manager secrets, rotation every rotationDays, rotation audit.
import * as assert from "assert";
import { FAKE_SECRETS, stackValues, type ProgramRun } from "../harness/program";
import { MOCK_AWS_ACCOUNT } from "../harness/state-aws";
import { devSeam, devStack, list, ofType, statements } from "./run";

const rotationDays = Number(stackValues("dev").rotationDays ?? 30);

describe("AWS secrets (SEC-1..SEC-6) on the example stack", () => {
    let run: ProgramRun;
    before(async () => {
        run = await devStack();
    });

    it("has customer-managed keys for secrets, logs and the cluster, each rotated automatically every 90 days", () => {
        const keys = ofType(run, "aws:kms/key:Key");
        assert.deepStrictEqual(keys.map((k) => k.name).sort(), ["openclaw-keys-cluster", "openclaw-keys-logs", "openclaw-keys-secrets"]);
        for (const key of keys) {
            assert.strictEqual(key.inputs.enableKeyRotation, true, key.name);
            assert.strictEqual(key.inputs.rotationPeriodInDays, 90, key.name);
        }
    });

    it("lets no principal of another account use a key through its key policy", () => {
        for (const key of ofType(run, "aws:kms/key:Key")) {
            for (const statement of statements(key.inputs.policy)) {
                const principal = statement.Principal;
                if (principal !== "*" && principal?.AWS !== undefined && principal.AWS !== "*") {
                    assert.ok(list(principal.AWS).every((arn) => arn.includes(`::${MOCK_AWS_ACCOUNT}:`)), `${key.name} ${statement.Sid}`);
                } else if (principal !== "*" && principal?.AWS === "*") {
                    // Any principal, pinned by aws:PrincipalArn to roles of this account.
                    const pinned = list(statement.Condition?.ArnEquals?.["aws:PrincipalArn"] as string | string[] | undefined);
                    assert.ok(pinned.length > 0 && pinned.every((arn) => arn.startsWith(`arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/`)), `${key.name} ${statement.Sid}`);
                } else if (statement.Sid === "CloudTrailDecryptsForTheBucketKey") {
                    // CloudTrail's page writes this statement without a condition (create-kms-key-policy-for-cloudtrail.md, "Granting decrypt permissions").
                    assert.deepStrictEqual([principal, statement.Action], [{ Service: "cloudtrail.amazonaws.com" }, "kms:Decrypt"]);
                } else {
                    assert.ok(principal !== "*", `${key.name} ${statement.Sid} admits everyone`);
                    assert.ok(JSON.stringify(statement.Condition ?? {}).includes(MOCK_AWS_ACCOUNT), `${key.name} ${statement.Sid} is scoped to this account`);
                }
            }
        }
    });

    it("keeps the gateway token and one secret per configured model provider in Secrets Manager, encrypted with the secrets key", () => {
        const secrets = ofType(run, "aws:secretsmanager/secret:Secret");
        // The example stack sets openclaw:identity, so the OIDC client secret is stored too.
        assert.deepStrictEqual(secrets.map((s) => s.inputs.name).sort(), ["openclaw-dev/gateway-token", "openclaw-dev/model-provider/anthropic", "openclaw-dev/oidc-client-secret"]);
        for (const secret of secrets) {
            assert.strictEqual(secret.inputs.kmsKeyId, `arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-secrets`);
        }
    });

    it("every Secrets Manager secret has a rotation of at most rotationDays, run by the rotation function", () => {
        const secrets = ofType(run, "aws:secretsmanager/secret:Secret");
        const rotations = ofType(run, "aws:secretsmanager/secretRotation:SecretRotation");
        const [fn] = ofType(run, "aws:lambda/function:Function");
        for (const secret of secrets) {
            const rotation = rotations.find((r) => r.inputs.secretId === `${secret.name}-id`);
            assert.ok(rotation, `${secret.name} has a rotation`);
            const days = Number((rotation.inputs.rotationRules as Record<string, unknown>).automaticallyAfterDays);
            assert.ok(days >= 1 && days <= rotationDays, `${secret.name} rotates every ${days} days`);
            assert.strictEqual(rotation.inputs.rotationLambdaArn, fn.state.arn);
        }
    });

    it("never takes the gateway token from config or Pulumi: it has no SecretVersion and gets its first value from the immediate rotation", () => {
        const versions = ofType(run, "aws:secretsmanager/secretVersion:SecretVersion");
        assert.ok(!versions.some((v) => v.inputs.secretId === "openclaw-secrets-gateway-token-id"));
        const rotation = ofType(run, "aws:secretsmanager/secretRotation:SecretRotation").find((r) => r.inputs.secretId === "openclaw-secrets-gateway-token-id");
        assert.strictEqual(rotation?.inputs.rotateImmediately, true);
    });

    it("passes each provider key to Secrets Manager only as a Pulumi secret, and never into an output", () => {
        const [version] = ofType(run, "aws:secretsmanager/secretVersion:SecretVersion");
        assert.ok(JSON.stringify(version.inputs.secretString).includes(FAKE_SECRETS.anthropicApiKey), "the value comes from the secret config");
        assert.ok(version.secretInputs.includes("secretString"));
        const leaks = run.resources.filter((r) => r !== version && JSON.stringify(r.inputs).includes(FAKE_SECRETS.anthropicApiKey));
        assert.deepStrictEqual(leaks.map((r) => r.name), []);
        assert.ok(!JSON.stringify(run.outputs).includes(FAKE_SECRETS.anthropicApiKey));
    });

    it("runs the rotation function on nodejs22.x in the private subnets, reaching only the VPC endpoints", () => {
        const [fn] = ofType(run, "aws:lambda/function:Function");
        assert.strictEqual(fn.inputs.runtime, "nodejs22.x");
        const vpc = fn.inputs.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] };
        assert.ok(vpc.subnetIds.length > 0 && vpc.subnetIds.every((id) => id.includes("private")));
        assert.deepStrictEqual(vpc.securityGroupIds, ["openclaw-sg-rotation-id"]);
        const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === "openclaw-sg-rotation-id");
        assert.deepStrictEqual(egress.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]), [[443, "openclaw-sg-endpoints-id"]]);
        const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === (fn.inputs.loggingConfig as { logGroup: string }).logGroup);
        assert.ok(group?.inputs.kmsKeyId, "the function logs to an encrypted group");
    });

    it("lets only Secrets Manager invoke the rotation function, one permission per secret", () => {
        const permissions = ofType(run, "aws:lambda/permission:Permission");
        const secrets = ofType(run, "aws:secretsmanager/secret:Secret");
        assert.strictEqual(permissions.length, secrets.length);
        for (const permission of permissions) {
            assert.strictEqual(permission.inputs.principal, "secretsmanager.amazonaws.com");
            assert.ok(secrets.some((s) => s.state.arn === permission.inputs.sourceArn), permission.name);
        }
    });

    it("lets the rotation function touch only this stack's secrets", () => {
        const policy = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "openclaw-secrets-rotation-policy");
        const secretArns = ofType(run, "aws:secretsmanager/secret:Secret").map((s) => s.state.arn);
        const rotate = statements(policy?.inputs.policy).find((s) => s.Sid === "RotateThisStacksSecrets");
        assert.deepStrictEqual(list(rotate?.Resource).sort(), [...secretArns].sort());
    });

    it("logs every rotation event of this stack's secrets (SEC-6) and alarms to the encrypted topic when one fails", () => {
        const rule = ofType(run, "aws:cloudwatch/eventRule:EventRule").find((r) => r.name === "openclaw-rotation-audit-events");
        const pattern = JSON.parse(String(rule?.inputs.eventPattern)) as { source: string[]; detail: { eventName: string[] } };
        assert.deepStrictEqual(pattern.source, ["aws.secretsmanager"]);
        for (const event of ["RotationSucceeded", "RotationFailed", "RotationAbandoned"]) {
            assert.ok(pattern.detail.eventName.includes(event), event);
        }
        const target = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").find((t) => t.inputs.rule === rule?.inputs.name);
        assert.match(String(target?.inputs.arn), /log-group:\/aws\/events\/openclaw-dev\/secrets-rotation$/);
        const alarm = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.name === "openclaw-dev-rotation-failed");
        assert.deepStrictEqual(alarm?.inputs.alarmActions, [ofType(run, "aws:sns/topic:Topic")[0].state.arn]);
    });

    // EventBridge, "CloudWatch Logs permissions": a resource policy for events.amazonaws.com and delivery.logs.amazonaws.com,
    // logs:CreateLogStream and logs:PutLogEvents, no condition. awsdocs/amazon-eventbridge-user-guide doc_source/eb-use-resource-based.md
    it("lets EventBridge write the rotation events log group under the resource policy EventBridge documents, narrowed to that group", () => {
        const [policy] = ofType(run, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
        const [statement, ...more] = statements(policy.inputs.policyDocument);
        assert.deepStrictEqual(more, []);
        assert.deepStrictEqual(statement.Principal, { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] });
        assert.deepStrictEqual([...list(statement.Action)].sort(), ["logs:CreateLogStream", "logs:PutLogEvents"]);
        assert.strictEqual(statement.Condition, undefined);
        assert.strictEqual(statement.Resource, `arn:aws:logs:eu-central-1:${MOCK_AWS_ACCOUNT}:log-group:/aws/events/openclaw-dev/secrets-rotation:*`);
    });

    it("tells operators when a provider key or the OIDC client secret (which only its issuer can reissue) completes a rotation cycle", () => {
        const rule = ofType(run, "aws:cloudwatch/eventRule:EventRule").find((r) => r.name === "openclaw-rotation-audit-provider-key-due");
        const pattern = JSON.parse(String(rule?.inputs.eventPattern)) as { detail: { additionalEventData: { SecretId: string[] } } };
        const issuedElsewhere = ofType(run, "aws:secretsmanager/secret:Secret").filter((s) => /model-provider|oidc-client-secret/.test(String(s.inputs.name)));
        assert.deepStrictEqual([...pattern.detail.additionalEventData.SecretId].sort(), issuedElsewhere.map((s) => s.state.arn).sort());
        const target = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").find((t) => t.inputs.rule === rule?.inputs.name);
        assert.strictEqual(target?.inputs.arn, ofType(run, "aws:sns/topic:Topic")[0].state.arn);
        // InputTransformer: each <name> in InputTemplate is an InputPathsMap key (or a predefined aws.events variable).
        // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
        const transformer = target?.inputs.inputTransformer as { inputPaths: Record<string, string>; inputTemplate: string };
        const placeholders = [...transformer.inputTemplate.matchAll(/<([^>]+)>/g)].map((m) => m[1]);
        assert.deepStrictEqual(placeholders.filter((p) => !(p in transformer.inputPaths) && !p.startsWith("aws.events.")), []);
    });

    it("the External Secrets seam reads Secrets Manager in the stack's region with ambient Pod Identity credentials", async () => {
        const seam = await devSeam();
        assert.deepStrictEqual(seam.secretStoreProvider, { aws: { service: "SecretsManager", region: "eu-central-1" } });
        assert.strictEqual(seam.gatewayTokenRemoteKey, "openclaw-dev/gateway-token");
        assert.deepStrictEqual(seam.modelProviderRemoteKeys, { anthropic: "openclaw-dev/model-provider/anthropic" });
        assert.strictEqual(seam.identityClientSecretRemoteKey, "openclaw-dev/oidc-client-secret");
        assert.deepStrictEqual(seam.credentialEndpoints, [{ cidr: "169.254.170.23/32", port: 80 }]);
    });
});
