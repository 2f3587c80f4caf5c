// The platform's CloudWatch log groups (LOG-2, LOG-5): KMS-encrypted, retained logRetentionDays, PII masked where people's data lands.
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, tagsFor } from "./context";

/** Every log group the platform owns. */
export const LOG_GROUPS = ["cluster", "application", "ingressAccess", "flowLogs", "dnsQueries", "rotationEvents", "rotationLambda", "archiveDelivery"] as const;
export type LogGroupPurpose = (typeof LOG_GROUPS)[number];

/**
 * The groups the archive copies (all but the archive stream's own delivery errors: subscribing those to the
 * stream that fails would feed its failures back into it).
 */
export const ARCHIVED_LOG_GROUPS: readonly LogGroupPurpose[] = LOG_GROUPS.filter((g) => g !== "archiveDelivery");

/** Which log groups carry request or user data and therefore get a masking data protection policy. */
export const MASKED_LOG_GROUPS: Readonly<Partial<Record<LogGroupPurpose, { readonly maskIpAddresses: boolean }>>> = {
    // OpenClaw's own logs may quote users: mask addresses too.
    application: { maskIpAddresses: true },
    // The access log must keep the client address (LOG-1); mask e-mail addresses and credentials only.
    ingressAccess: { maskIpAddresses: false },
};

/** A managed data identifier's ARN. */
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL-managed-data-identifiers.html
const dataIdentifier = (name: string) => `arn:aws:dataprotection::aws:data-identifier/${name}`;
const CREDENTIAL_IDENTIFIERS = ["AwsSecretKey", "OpenSshPrivateKey", "PgpPrivateKey", "PkcsPrivateKey", "PuttyPrivateKey"];

/**
 * Custom data identifiers for what the managed ones miss: the model provider keys, the gateway token, bearer
 * tokens and JWTs, international phone numbers. CloudWatch's constraints (at most 10 per policy, names of
 * letters, digits, `_` and `-` up to 128, a regex of at most 200 characters drawn from a fixed set that has no
 * parentheses): https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL-custom-data-identifiers.html
 * Key formats as the Kubernetes layer's Fluent Bit filter and the policy pack's secret patterns know them.
 */
export const CUSTOM_DATA_IDENTIFIERS: readonly { readonly Name: string; readonly Regex: string }[] = [
    { Name: "AnthropicApiKey", Regex: "sk-ant-[A-Za-z0-9_-]{20,}" },
    { Name: "OpenRouterApiKey", Regex: "sk-or-v1-[A-Za-z0-9]{32,}" },
    // OpenAI's keys (sk-, sk-proj-, sk-svcacct-); also covers any other sk- key of 20 characters or more.
    { Name: "OpenAiApiKey", Regex: "sk-[A-Za-z0-9_-]{20,}" },
    // Google API keys, which Gemini uses: AIza and 35 more characters.
    { Name: "GeminiApiKey", Regex: "AIza[A-Za-z0-9_-]{35}" },
    // The gateway token is 32 random bytes in base64url (rotation-lambda/handler.ts): 43 characters after a token key.
    { Name: "GatewayToken", Regex: "[Tt][Oo][Kk][Ee][Nn].{1,4}[A-Za-z0-9_-]{43}" },
    { Name: "BearerToken", Regex: "[Bb]earer [A-Za-z0-9._+/=-]{16,}" },
    { Name: "JsonWebToken", Regex: "eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*" },
    { Name: "InternationalPhoneNumber", Regex: "\\+[0-9][0-9 .-]{6,16}[0-9]" },
];

/** The data protection policy document of one masked group: Audit and Deidentify over the same identifiers. */
export function dataProtectionPolicy(policyName: string, masking: { readonly maskIpAddresses: boolean }): Record<string, unknown> {
    const identifiers = [
        ...["EmailAddress", ...(masking.maskIpAddresses ? ["IpAddress"] : []), ...CREDENTIAL_IDENTIFIERS].map(dataIdentifier),
        // A custom identifier is referred to by its name.
        ...CUSTOM_DATA_IDENTIFIERS.map((c) => c.Name),
    ];
    return {
        Name: policyName,
        Version: "2021-06-01",
        Configuration: { CustomDataIdentifier: CUSTOM_DATA_IDENTIFIERS.map((c) => ({ ...c })) },
        Statement: [
            // CloudWatch requires an audit statement over the same identifiers; findings stay in CloudWatch metrics.
            { Sid: "audit", DataIdentifier: identifiers, Operation: { Audit: { FindingsDestination: {} } } },
            { Sid: "mask", DataIdentifier: identifiers, Operation: { Deidentify: { MaskConfig: {} } } },
        ],
    };
}

/** The names CloudWatch expects or we choose for each group. EKS and EventBridge require their prefixes. */
export function logGroupNames(prefix: string, clusterName: string): Record<LogGroupPurpose, string> {
    return {
        cluster: `/aws/eks/${clusterName}/cluster`,
        application: `/${prefix}/application`,
        ingressAccess: `/${prefix}/ingress-access`,
        flowLogs: `/${prefix}/vpc-flow-logs`,
        dnsQueries: `/${prefix}/dns-queries`,
        rotationEvents: `/aws/events/${prefix}/secrets-rotation`,
        rotationLambda: `/aws/lambda/${prefix}-secret-rotation`,
        archiveDelivery: `/aws/kinesisfirehose/${prefix}-log-archive`,
    };
}

export interface LoggingArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The EKS cluster's name; its control-plane log group must be `/aws/eks/<name>/cluster` and exist before the cluster. */
    readonly clusterName: string;
    /** Days CloudWatch keeps each event (`logRetentionDays`, at least 90). */
    readonly retentionDays: number;
    /** ARN of the logs CMK. */
    readonly kmsKeyArn: pulumi.Input<string>;
}

/** The log groups, each encrypted with the logs key and retained `retentionDays`, plus PII masking policies. */
export class Logging extends pulumi.ComponentResource {
    readonly groups: Readonly<Record<LogGroupPurpose, cloudwatch.LogGroup>>;
    readonly names: Readonly<Record<LogGroupPurpose, string>>;

    constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Logging", name, {}, opts);
        const { context } = args;
        this.names = logGroupNames(context.prefix, args.clusterName);
        const groups = {} as Record<LogGroupPurpose, cloudwatch.LogGroup>;
        for (const purpose of LOG_GROUPS) {
            groups[purpose] = new cloudwatch.LogGroup(`${name}-${purpose}`, {
                name: this.names[purpose],
                logGroupClass: "STANDARD",
                retentionInDays: args.retentionDays,
                kmsKeyId: args.kmsKeyArn,
                tags: tagsFor(context, this.names[purpose]),
            }, { parent: this });
        }
        for (const [purpose, masking] of Object.entries(MASKED_LOG_GROUPS) as [LogGroupPurpose, { maskIpAddresses: boolean }][]) {
            new cloudwatch.LogDataProtectionPolicy(`${name}-${purpose}-masking`, {
                logGroupName: groups[purpose].name,
                policyDocument: JSON.stringify(dataProtectionPolicy(`${context.prefix}-${purpose}-masking`, masking)),
            }, { parent: this });
        }
        this.groups = groups;
        this.registerOutputs({});
    }
}
