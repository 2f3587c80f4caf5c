// Logging policies (LOG-1..LOG-6) on fixtures: one compliant world per cloud, one changed field per case.
import * as log from "../../policy-pack/policies/logging";
import { describePolicy, remove, set, unknown } from "./cases";
import { awsWorld, azureWorld, kubernetesWorld } from "./fixtures";

const M = log.MESSAGES;
const SOC2 = (policy: string) => ({ [policy]: { minRetentionDays: 365 } });

describe("logging policies (LOG-1..LOG-6)", () => {
    describePolicy(log.awsEksClusterEnableControlPlaneLogs, {
        world: awsWorld,
        violations: [{ name: "LOG-1: flags an EKS cluster without audit logs", mutate: (w) => set(w, "openclaw-eks-cluster", "enabledClusterLogTypes", ["api"]), expect: [M.eksLogTypes("audit, authenticator, controllerManager, scheduler")] }],
        unknown: { name: "enabledClusterLogTypes", mutate: (w) => set(w, "openclaw-eks-cluster", "enabledClusterLogTypes", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.azureAksMissingDiagnosticSettings, {
        world: azureWorld,
        violations: [{ name: "LOG-1: flags an AKS cluster without audit diagnostics", mutate: (w) => remove(w, "openclaw-cluster-diagnostics"), expect: [M.aksNoDiagnostics("openclaw-cluster", "kube-audit-admin, kube-apiserver")] }],
        unknown: { name: "the diagnostic categories", mutate: (w) => set(w, "openclaw-cluster-diagnostics", "logs", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.kubernetesEnvoyProxyConfigureAccessLog, {
        world: kubernetesWorld,
        violations: [
            {
                name: "LOG-3: flags an access log without the request id",
                mutate: (w) => set(w, "openclaw-envoy-proxy", "spec.telemetry.accessLog.settings[0].format.json.request_id", undefined),
                expect: [M.accessLogField("openclaw-proxy", 0, "request id (x-request-id)")],
            },
            {
                name: "LOG-1: flags an access log without the client address",
                mutate: (w) => set(w, "openclaw-envoy-proxy", "spec.telemetry.accessLog.settings[0].format.json.client_ip", undefined),
                expect: [M.accessLogField("openclaw-proxy", 0, "client address")],
            },
            {
                name: "LOG-1: flags an access log without the verified user",
                mutate: (w) => set(w, "openclaw-envoy-proxy", "spec.telemetry.accessLog.settings[0].format.json.user", undefined),
                expect: [M.accessLogField("openclaw-proxy", 0, "user (x-openclaw-user)")],
            },
            { name: "LOG-1: flags a disabled access log", mutate: (w) => set(w, "openclaw-envoy-proxy", "spec.telemetry.accessLog", { disable: true }), expect: [M.accessLogDisabled("openclaw-proxy")] },
            {
                name: "LOG-2: flags an access log recording the Authorization header",
                mutate: (w) => set(w, "openclaw-envoy-proxy", "spec.telemetry.accessLog.settings[0].format.json.auth", "%REQ(AUTHORIZATION)%"),
                expect: [M.accessLogCredential("openclaw-proxy", 0, "AUTHORIZATION")],
            },
            {
                name: "LOG-2: flags an access log recording the query string",
                mutate: (w) => set(w, "openclaw-envoy-proxy", "spec.telemetry.accessLog.settings[0].format.json.path", "%REQ(:PATH)%"),
                expect: [M.accessLogQuery("openclaw-proxy", 0)],
            },
        ],
        unknown: { name: "the access log format", mutate: (w) => set(w, "openclaw-envoy-proxy", "spec.telemetry.accessLog", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.kubernetesGatewayMissingAccessLog, {
        world: kubernetesWorld,
        violations: [{ name: "LOG-1: flags Gateways without any EnvoyProxy access log", mutate: (w) => remove(w, "openclaw-envoy-proxy"), expect: [M.noGatewayProxyLog] }],
        unknown: { name: "the EnvoyProxy spec", mutate: (w) => set(w, "openclaw-envoy-proxy", "spec", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.awsVpcMissingFlowLogs, {
        world: awsWorld,
        violations: [{ name: "LOG-1: flags a VPC whose flow log captures only rejected traffic", mutate: (w) => set(w, "openclaw-network-flow-log", "trafficType", "REJECT"), expect: [M.vpcNoFlowLog("openclaw-network-vpc")] }],
        unknown: { name: "trafficType", mutate: (w) => set(w, "openclaw-network-flow-log", "trafficType", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(log.azureVnetMissingFlowLogs, {
        world: azureWorld,
        violations: [{ name: "LOG-1: flags a VNet whose flow log is disabled", mutate: (w) => set(w, "openclaw-archive-vnet-flow-log", "enabled", false), expect: [M.vnetNoFlowLog("openclaw-network-vnet")] }],
        unknown: { name: "enabled", mutate: (w) => set(w, "openclaw-archive-vnet-flow-log", "enabled", unknown("boolean")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.awsCloudtrailTrailEnableLogValidation, {
        world: awsWorld,
        violations: [
            { name: "LOG-4: flags a trail without log file validation", mutate: (w) => set(w, "openclaw-archive-trail", "enableLogFileValidation", false), expect: [M.trailValidation] },
            { name: "LOG-1: flags a single-region trail", mutate: (w) => set(w, "openclaw-archive-trail", "isMultiRegionTrail", undefined), expect: [M.trailRegions] },
        ],
        unknown: { name: "isMultiRegionTrail", mutate: (w) => set(w, "openclaw-archive-trail", "isMultiRegionTrail", unknown("boolean")) },
    });

    describePolicy(log.awsCloudwatchLogGroupMissingDataProtection, {
        world: awsWorld,
        violations: [
            { name: "LOG-2: flags the application log group without PII masking", mutate: (w) => remove(w, "openclaw-logs-application-masking"), expect: [M.unmaskedLogGroup("/openclaw-dev/application")] },
            {
                name: "LOG-2: flags a data protection policy that only audits",
                mutate: (w) => set(w, "openclaw-logs-ingressAccess-masking", "policyDocument", JSON.stringify({ Statement: [{ DataIdentifier: ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation: { Audit: { FindingsDestination: {} } } }] })),
                expect: [M.maskingIncomplete("/openclaw-dev/ingress-access")],
            },
        ],
        unknown: { name: "a policy document", mutate: (w) => set(w, "openclaw-logs-ingressAccess-masking", "policyDocument", unknown()) },
    });

    describePolicy(log.azureDataCollectionRuleEnablePiiMasking, {
        world: azureWorld,
        violations: [
            { name: "LOG-2: flags container logs ingested without a masking transform", mutate: (w) => set(w, "openclaw-logging-container-insights", "dataFlows[0].transformKql", "source"), expect: [M.noDcrMasking("Microsoft-ContainerLogV2")] },
            {
                name: "LOG-2: flags a masking transform that uses replace_regex, which transformations do not support",
                mutate: (w) => set(w, "openclaw-logging-container-insights", "dataFlows[0].transformKql", "source | extend LogMessage = replace_regex(tostring(LogMessage), @'x', @'y')"),
                expect: [M.dcrUnsupportedFunction("Microsoft-ContainerLogV2", "replace_regex")],
            },
        ],
        unknown: { name: "the data flows", mutate: (w) => set(w, "openclaw-logging-container-insights", "dataFlows", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.kubernetesFluentBitEnablePiiMasking, {
        world: kubernetesWorld,
        violations: [
            { name: "LOG-2: flags Fluent Bit without a Lua masking filter", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "values.config.filters", "[FILTER]\n    Name kubernetes\n    Match kube.*\n"), expect: [M.fluentBitNoMasking("openclaw-fluent-bit-chart")] },
            { name: "LOG-2: flags a Lua filter whose script does not mask", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "values.luaScripts", { "mask.lua": "return 1" }), expect: [M.fluentBitNoMasking("openclaw-fluent-bit-chart")] },
        ],
        unknown: { name: "the chart values", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "values", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.kubernetesClientTrafficPolicyEnableRequestId, {
        world: kubernetesWorld,
        violations: [{ name: "LOG-3: flags request ids disabled at the ingress", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.headers.requestID", "Disable"), expect: [M.requestIdDisabled("Disable")] }],
        unknown: { name: "requestID", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.headers.requestID", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(log.awsCloudwatchLogGroupEnforceKmsEncryption, {
        world: awsWorld,
        violations: [{ name: "LOG-4: flags a log group without the stack's key", mutate: (w) => set(w, "openclaw-logs-cluster", "kmsKeyId", undefined), expect: [M.logGroupUnencrypted] }],
        unknown: { name: "kmsKeyId", mutate: (w) => set(w, "openclaw-logs-application", "kmsKeyId", unknown()) },
        unknownNeedsNoVerdict: "a computed key is a key that is set",
    });

    describePolicy(log.awsS3BucketMissingImmutableArchive, {
        world: awsWorld,
        violations: [
            { name: "LOG-4: flags an archive bucket without Object Lock", mutate: (w) => set(w, "openclaw-archive-bucket", "objectLockEnabled", undefined), expect: [M.archiveNoObjectLock("openclaw-archive-bucket")] },
            { name: "LOG-4: flags an archive bucket without a public access block", mutate: (w) => remove(w, "openclaw-archive-public-access"), expect: [M.archivePublic("openclaw-archive-bucket")] },
            { name: "LOG-4: flags logs with no archive at all", mutate: (w) => remove(w, "openclaw-archive-trail"), expect: [M.noArchive] },
        ],
        unknown: { name: "the lock rule", mutate: (w) => set(w, "openclaw-archive-object-lock", "rule", unknown("object")) },
    });

    describePolicy(log.awsS3ObjectLockEnforceComplianceRetention, {
        world: awsWorld,
        violations: [
            { name: "LOG-4: flags GOVERNANCE-mode retention", mutate: (w) => set(w, "openclaw-archive-object-lock", "rule.defaultRetention.mode", "GOVERNANCE"), expect: [M.lockMode("GOVERNANCE")] },
            { name: "LOG-5: flags a retention of 30 days", mutate: (w) => set(w, "openclaw-archive-object-lock", "rule.defaultRetention.days", 30), expect: [M.lockShort(30, 90)] },
            { name: "LOG-5: flags 180 days under the SOC 2 config", mutate: (w) => set(w, "openclaw-archive-object-lock", "rule.defaultRetention.days", 180), expect: [M.lockShort(180, 365)], config: SOC2("aws-s3-object-lock-enforce-compliance-retention") },
        ],
        unknown: { name: "the retention rule", mutate: (w) => set(w, "openclaw-archive-object-lock", "rule", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.azureLogAnalyticsWorkspaceDisallowLocalAuth, {
        world: azureWorld,
        violations: [{ name: "LOG-4: flags a workspace accepting shared keys", mutate: (w) => set(w, "openclaw-logging-workspace", "features", {}), expect: [M.localAuth] }],
        unknown: { name: "features", mutate: (w) => set(w, "openclaw-logging-workspace", "features", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.azureStorageAccountDisallowSharedKey, {
        world: azureWorld,
        violations: [{ name: "LOG-4: flags a storage account left at shared-key access", mutate: (w) => set(w, "openclaw-archive-account", "allowSharedKeyAccess", undefined), expect: [M.sharedKey] }],
        unknown: { name: "allowSharedKeyAccess", mutate: (w) => set(w, "openclaw-archive-account", "allowSharedKeyAccess", unknown("boolean")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.azureStorageMissingImmutableArchive, {
        world: azureWorld,
        violations: [
            { name: "LOG-4: flags logs without an immutable store", mutate: (w) => set(w, "openclaw-archive-account", "immutableStorageWithVersioning", undefined), expect: [M.azureNoImmutableStore] },
            {
                name: "LOG-5: flags an immutability period of 30 days",
                mutate: (w) => set(w, "openclaw-archive-account", "immutableStorageWithVersioning.immutabilityPolicy.immutabilityPeriodSinceCreationInDays", 30),
                expect: [M.immutabilityShort("storage account openclaw-archive-account", 30, 90)],
            },
        ],
        unknown: { name: "the immutability settings", mutate: (w) => set(w, "openclaw-archive-account", "immutableStorageWithVersioning", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.awsCloudwatchLogGroupConfigureRetention, {
        world: awsWorld,
        violations: [
            { name: "LOG-5: flags a retention of 30 days", mutate: (w) => set(w, "openclaw-logs-application", "retentionInDays", 30), expect: [M.retentionShort(30, 90)] },
            { name: "LOG-5: flags 180 days under the SOC 2 config", mutate: (w) => set(w, "openclaw-logs-application", "retentionInDays", 180), expect: [M.retentionShort(180, 365)], config: SOC2("aws-cloudwatch-log-group-configure-retention") },
        ],
        passes: [{ name: "a log group that never expires (unset retention)", mutate: (w) => set(w, "openclaw-logs-application", "retentionInDays", undefined) }],
        unknown: { name: "retentionInDays", mutate: (w) => set(w, "openclaw-logs-cluster", "retentionInDays", unknown("number")) },
    });

    describePolicy(log.azureLogAnalyticsWorkspaceConfigureRetention, {
        world: azureWorld,
        violations: [
            { name: "LOG-5: flags the 30-day default retention", mutate: (w) => set(w, "openclaw-logging-workspace", "retentionInDays", undefined), expect: [M.workspaceRetentionShort(30, 90)] },
            { name: "LOG-5: flags 90 days under the SOC 2 config", mutate: (w) => set(w, "openclaw-logging-workspace", "retentionInDays", 90), expect: [M.workspaceRetentionShort(90, 365)], config: SOC2("azure-log-analytics-workspace-configure-retention") },
        ],
        unknown: { name: "retentionInDays", mutate: (w) => set(w, "openclaw-logging-workspace", "retentionInDays", unknown("number")) },
        unknownHidesViolation: true,
    });

    describePolicy(log.awsCloudwatchMissingSecurityAlarms, {
        world: awsWorld,
        violations: [
            { name: "LOG-6: flags a stack without a failed-authentication alarm", mutate: (w) => remove(w, "openclaw-alarms-ingress-failed-auth"), expect: [M.alertMissing("failed authentication")] },
            { name: "LOG-6: flags an unknown-egress alarm that notifies nobody", mutate: (w) => set(w, "openclaw-alarms-unknown-egress", "alarmActions", []), expect: [M.alertMissing("unknown egress")] },
        ],
        unknown: { name: "an alarm's actions", mutate: (w) => set(w, "openclaw-alarms-model-api-spike", "alarmActions", unknown("array")) },
    });

    describePolicy(log.azureMonitorMissingSecurityAlerts, {
        world: azureWorld,
        violations: [
            { name: "LOG-6: flags a stack without a token-usage spike alert", mutate: (w) => remove(w, "openclaw-alerts-model-traffic-spike"), expect: [M.alertMissing("token-usage spike")] },
            { name: "LOG-6: flags a disabled failed-authentication alert", mutate: (w) => set(w, "openclaw-alerts-failed-auth", "enabled", false), expect: [M.alertMissing("failed authentication")] },
        ],
        unknown: { name: "an alert's action groups", mutate: (w) => set(w, "openclaw-alerts-unknown-egress", "actions", unknown("object")) },
    });
});
