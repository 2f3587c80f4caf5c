// Rotation audit (SEC-6): every rotation event of this stack's secrets into a log group, and the operator notice for provider keys.
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arnOf, tagsFor } from "./context";
import { policyDocument } from "./iam-policy";

/** Events Secrets Manager emits about rotations (via CloudTrail), and the API calls that move versions. */
// Rotation events as Secrets Manager logs them to CloudTrail: https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieve-ct-entries.html
export const ROTATION_EVENT_NAMES = [
    "RotationStarted", "RotationSucceeded", "RotationFailed", "RotationAbandoned",
    "TestRotationStarted", "TestRotationSucceeded", "TestRotationFailed",
    "RotateSecret", "CancelRotateSecret", "PutSecretValue", "UpdateSecretVersionStage",
] as const;

export interface RotationAuditArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The `/aws/events/...` log group that keeps the events. */
    readonly logGroup: cloudwatch.LogGroup;
    /** Secrets whose completed rotation means "replace the key at the provider" (the model provider keys). */
    readonly notifySecretArns: pulumi.Input<string>[];
    /** The encrypted alert topic operators subscribe to. */
    readonly topicArn: pulumi.Input<string>;
}

/** EventBridge rules: all rotation events of the stack's secrets to the log group; provider-key rotations to operators. */
export class RotationAudit extends pulumi.ComponentResource {
    constructor(name: string, args: RotationAuditArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:RotationAudit", name, {}, opts);
        const { context } = args;
        const secretArnPrefix = arnOf(context, "secretsmanager", `secret:${context.prefix}/`);

        // EventBridge writes to CloudWatch Logs under a resource policy on the group, as EventBridge documents it: both
        // principals, CreateLogStream and PutLogEvents, no condition (awsdocs/amazon-eventbridge-user-guide
        // doc_source/eb-use-resource-based.md, "CloudWatch Logs permissions"), narrowed here to the one group.
        const logPolicy = new cloudwatch.LogResourcePolicy(`${name}-logs`, {
            policyName: `${context.prefix}-rotation-events`,
            policyDocument: policyDocument([
                {
                    Effect: "Allow",
                    Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: pulumi.interpolate`${args.logGroup.arn}:*`,
                },
            ]),
        }, { parent: this });

        const allEvents = new cloudwatch.EventRule(`${name}-events`, {
            name: `${context.prefix}-secret-rotation-events`,
            description: "Every rotation event and version change of this stack's secrets (SEC-6)",
            eventPattern: pulumi.jsonStringify({
                source: ["aws.secretsmanager"],
                "detail-type": ["AWS Service Event via CloudTrail", "AWS API Call via CloudTrail"],
                detail: {
                    eventName: [...ROTATION_EVENT_NAMES],
                    $or: [
                        { additionalEventData: { SecretId: [{ prefix: secretArnPrefix }] } },
                        { requestParameters: { secretId: [{ prefix: secretArnPrefix }, { prefix: `${context.prefix}/` }] } },
                    ],
                },
            }),
            tags: tagsFor(context, `${context.prefix}-secret-rotation-events`),
        }, { parent: this });
        new cloudwatch.EventTarget(`${name}-events`, { rule: allEvents.name, arn: args.logGroup.arn }, { parent: this, dependsOn: [logPolicy] });

        if (args.notifySecretArns.length > 0) {
            this.notifyOperators(name, args);
        }
        this.registerOutputs({});
    }

    private notifyOperators(name: string, args: RotationAuditArgs): void {
        const { context } = args;
        const notices = new cloudwatch.EventRule(`${name}-provider-key-due`, {
            name: `${context.prefix}-provider-key-due`,
            description: "A model provider key finished a rotation cycle: operators replace it at the provider",
            eventPattern: pulumi.jsonStringify({
                source: ["aws.secretsmanager"],
                "detail-type": ["AWS Service Event via CloudTrail"],
                detail: { eventName: ["RotationSucceeded"], additionalEventData: { SecretId: args.notifySecretArns } },
            }),
            tags: tagsFor(context, `${context.prefix}-provider-key-due`),
        }, { parent: this });
        new cloudwatch.EventTarget(`${name}-provider-key-due`, {
            rule: notices.name,
            arn: args.topicArn,
            inputTransformer: {
                inputPaths: { secret: "$.detail.additionalEventData.SecretId", time: "$.time" },
                // Every <name> in an input template is a placeholder of inputPaths, so the literal text has no angle brackets:
                // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
                inputTemplate: `"Rotation cycle of <secret> ran at <time>. Only its issuer can reissue this secret (a model provider key, or the OIDC client secret at the identity provider): create a new one, set it with pulumi config set --secret under the stack's key for it, run pulumi up, then revoke the old one at the issuer."`,
            },
        }, { parent: this });
    }
}
