// Security alerts (LOG-6): metric filters on the platform's log groups, alarms, and the encrypted SNS topic they notify.
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { MODEL_PROVIDERS, ModelProvider } from "../../config/providers";
import { AwsContext, tagsFor } from "./context";
import { policyDocument } from "./iam-policy";
import type { LogGroupPurpose } from "./logging";

/** The CloudWatch namespace of the platform's metrics. */
export const METRIC_NAMESPACE = "OpenClaw/Security";

/** The alert topic's name; the logs key's policy names the topic before the topic exists. */
export function alertTopicName(prefix: string): string {
    return `${prefix}-security-alerts`;
}

/** How an alarm decides: a static threshold on a 5-minute sum, or CloudWatch anomaly detection for spikes. */
type AlarmRule = { readonly kind: "threshold"; readonly atLeast: number } | { readonly kind: "anomaly"; readonly bandWidth: number };

/** One alert: which log group, which events, when to fire. */
export interface AlertDefinition {
    readonly logGroup: LogGroupPurpose;
    readonly pattern: string;
    readonly description: string;
    readonly rule: AlarmRule;
}

const anyOf = (field: string, values: readonly (string | number)[]) =>
    `{ ${values.map((v) => `(${field} = ${typeof v === "number" ? v : `"${v}"`})`).join(" || ")} }`;

/**
 * The alerts the checklist asks for. The access-log filter reads top-level `response_code` or `status`, as
 * Fluent Bit ships Envoy's JSON access log with its fields merged; the audit filter reads the EKS audit event.
 */
export function alertDefinitions(providers: readonly ModelProvider[]): Record<string, AlertDefinition> {
    const modelDomains = providers.flatMap((p) => MODEL_PROVIDERS[p].apiDomains);
    const definitions: Record<string, AlertDefinition> = {
        "ingress-failed-auth": {
            logGroup: "ingressAccess",
            pattern: `{ ($.response_code = 401) || ($.response_code = 403) || ($.status = 401) || ($.status = 403) }`,
            description: "Repeated failed authentication (401/403) at the ingress: 20 or more in 5 minutes.",
            rule: { kind: "threshold", atLeast: 20 },
        },
        "kubernetes-api-failed-auth": {
            logGroup: "cluster",
            pattern: anyOf("$.responseStatus.code", [401, 403]),
            description: "Repeated failed authentication or authorisation (401/403) in the EKS audit log: 20 or more in 5 minutes.",
            rule: { kind: "threshold", atLeast: 20 },
        },
        "unknown-egress": {
            logGroup: "dnsQueries",
            pattern: anyOf("$.firewall_rule_action", ["ALERT", "BLOCK"]),
            description: "A workload resolved a domain outside the egress allow-list (DNS Firewall ALERT or BLOCK).",
            rule: { kind: "threshold", atLeast: 1 },
        },
        "rotation-failed": {
            logGroup: "rotationEvents",
            pattern: anyOf("$.detail.eventName", ["RotationFailed", "RotationAbandoned", "TestRotationFailed"]),
            description: "A Secrets Manager rotation of this stack failed or was abandoned.",
            rule: { kind: "threshold", atLeast: 1 },
        },
    };
    if (modelDomains.length > 0) {
        // DNS lookups of the model APIs are a proxy for request volume that needs no application metric; caching
        // flattens it, so the alarm looks for a band break rather than an absolute number.
        definitions["model-api-spike"] = {
            logGroup: "dnsQueries",
            pattern: anyOf("$.query_name", modelDomains.map((d) => `${d}*`)),
            description: "Traffic to the model provider APIs is far above its usual band (token-usage spike).",
            rule: { kind: "anomaly", bandWidth: 3 },
        };
    }
    return definitions;
}

export interface AlarmsArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** Log group names by purpose. */
    readonly logGroupNames: Readonly<Record<LogGroupPurpose, pulumi.Input<string>>>;
    /** ARN of the logs CMK; the alert topic is encrypted with it. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Address subscribed to the alert topic (`alertEmail`); without it, subscribe your own endpoint to `topicArn`. */
    readonly alertEmail?: string;
    /** Configured model providers, whose API domains the spike alert watches. */
    readonly modelProviders: readonly ModelProvider[];
}

/** The alert topic, one metric filter and one alarm per alert definition. */
export class Alarms extends pulumi.ComponentResource {
    readonly topic: sns.Topic;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Alarms", name, {}, opts);
        const { context } = args;
        this.topic = new sns.Topic(`${name}-topic`, {
            name: alertTopicName(context.prefix),
            kmsMasterKeyId: args.kmsKeyArn,
            tags: tagsFor(context, `${context.prefix}-security-alerts`),
        }, { parent: this });
        new sns.TopicPolicy(`${name}-topic`, {
            arn: this.topic.arn,
            policy: policyDocument([
                {
                    Sid: "AlarmsOfThisAccountPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: this.topic.arn,
                    Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
                },
                {
                    // EventBridge, "Amazon SNS permissions": "You can't use Condition blocks in Amazon SNS topic policies
                    // for EventBridge" (awsdocs/amazon-eventbridge-user-guide doc_source/eb-use-resource-based.md);
                    // a condition here drops every rotation notice. Narrowed by the topic as resource.
                    Sid: "EventBridgePublishes",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: this.topic.arn,
                },
                {
                    Sid: "TlsOnly",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "sns:Publish",
                    Resource: this.topic.arn,
                    Condition: { Bool: { "aws:SecureTransport": false } },
                },
            ]),
        }, { parent: this });
        if (args.alertEmail !== undefined) {
            new sns.TopicSubscription(`${name}-email`, { topic: this.topic.arn, protocol: "email", endpoint: args.alertEmail }, { parent: this });
        }

        for (const [alert, definition] of Object.entries(alertDefinitions(args.modelProviders))) {
            const metricName = alert;
            new cloudwatch.LogMetricFilter(`${name}-${alert}`, {
                name: `${context.prefix}-${alert}`,
                logGroupName: args.logGroupNames[definition.logGroup],
                pattern: definition.pattern,
                metricTransformation: { name: metricName, namespace: METRIC_NAMESPACE, value: "1", defaultValue: "0" },
            }, { parent: this });
            const common = {
                name: `${context.prefix}-${alert}`,
                alarmDescription: definition.description,
                alarmActions: [this.topic.arn],
                okActions: [this.topic.arn],
                treatMissingData: "notBreaching",
                evaluationPeriods: 1,
                tags: tagsFor(context, `${context.prefix}-${alert}`),
            };
            const rule = definition.rule;
            switch (rule.kind) {
                case "threshold":
                    new cloudwatch.MetricAlarm(`${name}-${alert}`, {
                        ...common,
                        namespace: METRIC_NAMESPACE,
                        metricName,
                        statistic: "Sum",
                        period: 300,
                        comparisonOperator: "GreaterThanOrEqualToThreshold",
                        threshold: rule.atLeast,
                    }, { parent: this });
                    break;
                case "anomaly":
                    new cloudwatch.MetricAlarm(`${name}-${alert}`, {
                        ...common,
                        evaluationPeriods: 2,
                        comparisonOperator: "GreaterThanUpperThreshold",
                        thresholdMetricId: "band",
                        metricQueries: [
                            { id: "m1", returnData: true, metric: { namespace: METRIC_NAMESPACE, metricName, stat: "Sum", period: 300 } },
                            { id: "band", expression: `ANOMALY_DETECTION_BAND(m1, ${rule.bandWidth})`, label: "expected", returnData: true },
                        ],
                    }, { parent: this });
                    break;
                default:
                    assertNever(rule);
            }
        }
        this.registerOutputs({ topicArn: this.topic.arn });
    }
}

function assertNever(value: never): never {
    throw new Error(`unhandled alarm rule: ${JSON.stringify(value)}`);
}
