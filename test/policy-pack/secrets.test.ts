// Secret policies (SEC-1..SEC-6) on fixtures: one compliant world per cloud, one changed field per case.
import * as assert from "assert";
import * as sec from "../../policy-pack/policies/secrets";
import { isSecretName, secretValueKind } from "../../policy-pack/policies/lib/secret-patterns";
import { FAKE_SECRETS } from "../harness/program";
import { describePolicy, remove, set, unknown } from "./cases";
import { awsWorld, azureWorld, kubernetesWorld } from "./fixtures";

const M = sec.MESSAGES;
const OPENCLAW = 'containers[0] "openclaw"';

describe("secret policies (SEC-1..SEC-6)", () => {
    describe("secret recognition", () => {
        it("recognises the harness's fake provider keys as credentials", () => {
            for (const value of Object.values(FAKE_SECRETS)) {
                assert.ok(secretValueKind(value), value);
            }
        });
        it("treats secret-holding names as secrets and secret references as not", () => {
            for (const name of ["OPENCLAW_GATEWAY_TOKEN", "apiKey", "password", "clientSecret", "AWS_SECRET_ACCESS_KEY"]) {
                assert.ok(isSecretName(name), name);
            }
            for (const name of ["secretName", "existingSecret", "tokenSecretRef", "passwordFile", "automountServiceAccountToken", "clientId"]) {
                assert.ok(!isSecretName(name), name);
            }
        });
    });

    describePolicy(sec.kubernetesContainerDisallowLiteralSecretEnv, {
        world: kubernetesWorld,
        violations: [
            {
                name: "SEC-1: flags a literal gateway token in a container env var",
                mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.containers[0].env[1]", { name: "OPENCLAW_GATEWAY_TOKEN", value: "hunter2-literal" }),
                expect: [M.literalEnv(OPENCLAW, "OPENCLAW_GATEWAY_TOKEN")],
            },
            {
                name: "SEC-1: flags a provider key pasted into an innocuously named env var of an init container",
                mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.initContainers[0].env", [{ name: "EXTRA", value: FAKE_SECRETS.anthropicApiKey }]),
                expect: [M.literalEnv('initContainers[0] "init-config"', "EXTRA")],
            },
            {
                name: "SEC-1: flags a secret-named env var set by value even while the value is unknown in preview",
                mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.containers[0].env[1]", { name: "OPENCLAW_GATEWAY_TOKEN", value: unknown() }),
                expect: [M.literalEnv(OPENCLAW, "OPENCLAW_GATEWAY_TOKEN")],
            },
        ],
        passes: [{ name: "an env var that references a Secret", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.containers[0].env[1]", { name: "OPENCLAW_GATEWAY_TOKEN", valueFrom: { secretKeyRef: { name: "openclaw-secrets", key: "OPENCLAW_GATEWAY_TOKEN" } } }) }],
        unknown: { name: "an env var's value", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.containers[0].env[0].value", unknown()) },
    });

    describePolicy(sec.kubernetesHelmReleaseDisallowLiteralSecretValues, {
        world: kubernetesWorld,
        violations: [
            { name: "SEC-1: flags a password in chart values", mutate: (w) => set(w, "openclaw-reloader-chart", "values.reloader.password", "s3cr3t-value"), expect: [M.literalSetting("values.reloader.password")] },
            { name: "SEC-1: flags an API key anywhere in chart values", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "values.env", [{ name: "NOTE", value: FAKE_SECRETS.openaiApiKey }]), expect: [M.literalValue("values.env[0].value", "an OpenAI-style API key")] },
        ],
        unknown: { name: "a chart value", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "values.image", unknown("object")) },
        unknownNeedsNoVerdict: "a computed value is not a literal",
    });

    describePolicy(sec.kubernetesConfigMapDisallowSecretData, {
        world: kubernetesWorld,
        violations: [
            {
                name: "SEC-1: flags a literal token in openclaw.json",
                mutate: (w) => set(w, "openclaw-config", "data", { "openclaw.json": JSON.stringify({ gateway: { auth: { mode: "token", token: "literal-gateway-token" } } }) }),
                expect: [M.literalSetting("data.openclaw.json.gateway.auth.token")],
            },
        ],
        unknown: { name: "the config data", mutate: (w) => set(w, "openclaw-config", "data", { "openclaw.json": unknown() }) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.kubernetesSecretDisallowInlineData, {
        world: () => [...kubernetesWorld(), { type: "kubernetes:core/v1:Secret", name: "openclaw-dockercfg", inputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "pull", namespace: "openclaw" }, type: "Opaque" } }],
        violations: [{ name: "SEC-1: flags a Secret manifest carrying data", mutate: (w) => set(w, "openclaw-dockercfg", "stringData", { token: "abc" }), expect: [M.kubeSecretData("stringData")] }],
        unknown: { name: "data", mutate: (w) => set(w, "openclaw-dockercfg", "data", unknown("object")) },
    });

    describePolicy(sec.anyResourceDisallowLiteralSecret, {
        world: awsWorld,
        violations: [
            {
                name: "SEC-1: flags a provider key in a resource outside the secret store",
                mutate: (w) => set(w, "openclaw-alarms-unknown-egress", "alarmDescription", `key ${FAKE_SECRETS.anthropicApiKey}`),
                expect: [M.literalValue("alarmDescription", "an Anthropic API key")],
            },
            { name: "SEC-1: flags an AWS access key id in a tag", mutate: (w) => set(w, "openclaw-network-vpc", "tags", { note: "AKIAABCDEFGHIJKLMNOP" }), expect: [M.literalValue("tags.note", "an AWS access key id")] },
        ],
        passes: [{ name: "the provider key inside the Secrets Manager secret version (the secret store)", mutate: (w) => w }],
        unknown: { name: "a tag value", mutate: (w) => set(w, "openclaw-network-vpc", "tags", { note: unknown() }) },
        unknownNeedsNoVerdict: "a computed value is not a literal",
    });

    describePolicy(sec.kubernetesWorkloadMissingExternalSecret, {
        world: kubernetesWorld,
        violations: [{ name: "SEC-2: flags a pod reading a Secret no ExternalSecret maintains", mutate: (w) => remove(w, "openclaw-external-secret"), expect: [M.notFromSecretManager("openclaw-deployment", "openclaw-secrets", "openclaw")] }],
        unknown: { name: "the ExternalSecret's target", mutate: (w) => set(w, "openclaw-external-secret", "spec.target", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.awsSecretsmanagerSecretEnforceKmsEncryption, {
        world: awsWorld,
        violations: [{ name: "SEC-2: flags a secret on the AWS-managed key", mutate: (w) => set(w, "openclaw-secrets-gateway-token", "kmsKeyId", undefined), expect: [M.smDefaultKey] }],
        unknown: { name: "kmsKeyId", mutate: (w) => set(w, "openclaw-secrets-gateway-token", "kmsKeyId", unknown()) },
        unknownNeedsNoVerdict: "a computed key is a key that is set",
        unknownHidesViolation: true,
    });

    describePolicy(sec.awsEksClusterEnableSecretsEncryption, {
        world: awsWorld,
        violations: [{ name: "SEC-2: flags an EKS cluster without Secrets envelope encryption", mutate: (w) => set(w, "openclaw-eks-cluster", "encryptionConfig", undefined), expect: [M.eksSecretsUnencrypted] }],
        unknown: { name: "the key ARN", mutate: (w) => set(w, "openclaw-eks-cluster", "encryptionConfig.provider.keyArn", unknown()) },
        unknownNeedsNoVerdict: "a computed key is a key that is set",
        unknownHidesViolation: true,
    });

    describePolicy(sec.azureKeyVaultEnforceRbacAuthorization, {
        world: azureWorld,
        violations: [{ name: "SEC-2: flags a Key Vault on access policies", mutate: (w) => set(w, "openclaw-kv-vault", "properties.enableRbacAuthorization", false), expect: [M.vaultNoRbac] }],
        unknown: { name: "enableRbacAuthorization", mutate: (w) => set(w, "openclaw-kv-vault", "properties.enableRbacAuthorization", unknown("boolean")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.azureAksClusterEnableKmsEncryption, {
        world: azureWorld,
        violations: [
            { name: "SEC-2: flags AKS without KMS etcd encryption", mutate: (w) => set(w, "openclaw-cluster", "securityProfile", undefined), expect: [M.aksNoKms] },
            { name: "SEC-2: flags KMS reaching the vault publicly", mutate: (w) => set(w, "openclaw-cluster", "securityProfile.azureKeyVaultKms.keyVaultNetworkAccess", "Public"), expect: [M.aksKmsPublic] },
        ],
        unknown: { name: "the KMS settings", mutate: (w) => set(w, "openclaw-cluster", "securityProfile.azureKeyVaultKms", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.awsSecretsmanagerSecretConfigureRecoveryWindow, {
        world: awsWorld,
        violations: [{ name: "SEC-3: flags a secret deleted without a recovery window", mutate: (w) => set(w, "openclaw-secrets-gateway-token", "recoveryWindowInDays", 0), expect: [M.noRecoveryWindow] }],
        unknown: { name: "recoveryWindowInDays", mutate: (w) => set(w, "openclaw-secrets-gateway-token", "recoveryWindowInDays", unknown("number")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.azureKeyVaultEnablePurgeProtection, {
        world: azureWorld,
        violations: [
            { name: "SEC-3: flags a vault without purge protection", mutate: (w) => set(w, "openclaw-kv-vault", "properties.enablePurgeProtection", undefined), expect: [M.purgeProtection] },
            { name: "SEC-3: flags a soft-delete retention of 7 days", mutate: (w) => set(w, "openclaw-kv-vault", "properties.softDeleteRetentionInDays", 7), expect: [M.softDeleteShort(7, 90)] },
        ],
        unknown: { name: "softDeleteRetentionInDays", mutate: (w) => set(w, "openclaw-kv-vault", "properties.softDeleteRetentionInDays", unknown("number")) },
    });

    describePolicy(sec.awsKmsKeyEnableRotation, {
        world: awsWorld,
        violations: [
            { name: "SEC-4: flags a key without rotation", mutate: (w) => set(w, "openclaw-keys-secrets", "enableKeyRotation", undefined), expect: [M.kmsNoRotation] },
            { name: "SEC-4: flags a key rotating every 365 days", mutate: (w) => set(w, "openclaw-keys-secrets", "rotationPeriodInDays", 365), expect: [M.kmsRotationLong(365, 90)] },
        ],
        unknown: { name: "enableKeyRotation", mutate: (w) => set(w, "openclaw-keys-secrets", "enableKeyRotation", unknown("boolean")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.awsSecretsmanagerSecretMissingRotation, {
        world: awsWorld,
        violations: [{ name: "SEC-4: flags a secret without a rotation", mutate: (w) => remove(w, "openclaw-rotation-gateway-token"), expect: [M.secretWithoutRotation("openclaw-secrets-gateway-token")] }],
        unknown: { name: "a secret version's secretId", mutate: (w) => set(w, "openclaw-secrets-model-anthropic-version", "secretId", unknown()) },
        unknownNeedsNoVerdict: "the relation it checks is known",
    });

    describePolicy(sec.awsSecretsmanagerRotationConfigureMaxInterval, {
        world: awsWorld,
        violations: [
            { name: "SEC-4: flags a rotation every 365 days", mutate: (w) => set(w, "openclaw-rotation-gateway-token", "rotationRules.automaticallyAfterDays", 365), expect: [M.rotationLong(365, 90)] },
            { name: "SEC-4: flags a rate(120 days) schedule", mutate: (w) => set(w, "openclaw-rotation-gateway-token", "rotationRules", { scheduleExpression: "rate(120 days)" }), expect: [M.rotationLong(120, 90)] },
        ],
        unknown: { name: "the rotation rules", mutate: (w) => set(w, "openclaw-rotation-gateway-token", "rotationRules", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.azureKeyVaultSecretConfigureExpiry, {
        world: azureWorld,
        violations: [
            { name: "SEC-4: flags a secret that never expires", mutate: (w) => set(w, "openclaw-secrets-gateway-token", "properties.attributes.expires", undefined), expect: [M.noExpiry] },
            { name: "SEC-4: flags a secret expiring in 365 days", mutate: (w) => set(w, "openclaw-secrets-gateway-token", "properties.attributes.expires", Math.floor(Date.now() / 1000) + 365 * 86400 + 3600), expect: [M.expiryLong(365, 90)] },
        ],
        unknown: { name: "the expiry", mutate: (w) => set(w, "openclaw-secrets-gateway-token", "properties.attributes.expires", unknown("number")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.azureKeyVaultKeyConfigureRotationPolicy, {
        world: azureWorld,
        violations: [
            { name: "SEC-4: flags a key without a rotate action", mutate: (w) => set(w, "openclaw-kv-etcd-key", "properties.rotationPolicy", undefined), expect: [M.keyNoRotationPolicy] },
            { name: "SEC-4: flags a key rotating after a year", mutate: (w) => set(w, "openclaw-kv-etcd-key", "properties.rotationPolicy.lifetimeActions[0].trigger.timeAfterCreate", "P1Y"), expect: [M.keyRotationLong("P1Y", 90)] },
        ],
        unknown: { name: "the rotation policy", mutate: (w) => set(w, "openclaw-kv-etcd-key", "properties.rotationPolicy", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.azureKeyVaultMissingRotationTrigger, {
        world: azureWorld,
        violations: [{ name: "SEC-4: flags vault secrets with nothing acting on their expiry", mutate: (w) => remove(w, "openclaw-rotation-near-expiry"), expect: [M.noRotationTrigger] }],
        passes: [
            {
                name: "with an in-cluster rotator CronJob working on the vault instead of Event Grid",
                mutate: (w) => [
                    ...remove(w, "openclaw-rotation-near-expiry"),
                    { type: "kubernetes:batch/v1:CronJob", name: "openclaw-rotation-cronjob", inputs: { spec: { schedule: "0 3 * * *" } }, propertyDependencies: { spec: ["openclaw-kv-vault"] } },
                ],
            },
        ],
        unknown: { name: "the subscription filter", mutate: (w) => set(w, "openclaw-rotation-near-expiry", "filter", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.kubernetesWorkloadEnableSecretReload, {
        world: kubernetesWorld,
        violations: [{ name: "SEC-5: flags a workload reading a Secret without a Reloader annotation", mutate: (w) => set(w, "openclaw-deployment", "metadata.annotations", {}), expect: [M.noReloadAnnotation("openclaw-secrets")] }],
        unknown: { name: "the pod template", mutate: (w) => set(w, "openclaw-deployment", "spec.template", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.kubernetesHelmReleaseMissingReloader, {
        world: kubernetesWorld,
        violations: [{ name: "SEC-5: flags Reloader annotations without Reloader installed", mutate: (w) => remove(w, "openclaw-reloader-chart"), expect: [M.noReloader] }],
        unknown: { name: "a chart name", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "chart", unknown()) },
    });

    describePolicy(sec.kubernetesExternalSecretConfigureRefreshInterval, {
        world: kubernetesWorld,
        violations: [
            { name: "SEC-5: flags an ExternalSecret that never refreshes", mutate: (w) => set(w, "openclaw-external-secret", "spec.refreshInterval", "0"), expect: [M.refreshDisabled("0")] },
            { name: "SEC-5: flags a refresh interval of 720h", mutate: (w) => set(w, "openclaw-external-secret", "spec.refreshInterval", "720h"), expect: [M.refreshLong("720h", 24)] },
        ],
        unknown: { name: "refreshInterval", mutate: (w) => set(w, "openclaw-external-secret", "spec.refreshInterval", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.awsSecretsmanagerMissingRotationAudit, {
        world: awsWorld,
        violations: [
            { name: "SEC-6: flags secrets without an EventBridge rule on rotation events", mutate: (w) => remove(w, "openclaw-rotation-audit-events"), expect: [M.noRotationRule] },
            { name: "SEC-6: flags secrets without a CloudTrail trail", mutate: (w) => remove(w, "openclaw-archive-trail"), expect: [M.noTrail] },
        ],
        unknown: { name: "the rule's event pattern", mutate: (w) => set(w, "openclaw-rotation-audit-events", "eventPattern", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(sec.azureKeyVaultMissingAuditLogs, {
        world: azureWorld,
        violations: [{ name: "SEC-6: flags a vault without AuditEvent diagnostics", mutate: (w) => set(w, "openclaw-kv-diagnostics", "logs", [{ category: "AzurePolicyEvaluationDetails", enabled: true }]), expect: [M.noVaultAudit("openclaw-kv-vault")] }],
        unknown: { name: "the diagnostic categories", mutate: (w) => set(w, "openclaw-kv-diagnostics", "logs", unknown("array")) },
        unknownHidesViolation: true,
    });
});
