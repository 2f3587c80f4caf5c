// The platform's CloudWatch log groups (LOG-2, LOG-5): KMS-encrypted, retained logRetentionDays, PII masked where people's data lands.
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, tagsFor } from "./context";

/** Every log group the platform owns. The archive subscribes to all of them. */
export const LOG_GROUPS = ["cluster", "application", "ingressAccess", "flowLogs", "dnsQueries", "rotationEvents", "rotationLambda"] as const;
export type LogGroupPurpose = (typeof LOG_GROUPS)[number];

/** Which log groups carry request or user data and therefore get a masking data protection policy. */
export const MASKED_LOG_GROUPS: Readonly<Partial<Record<LogGroupPurpose, { readonly maskIpAddresses: boolean }>>> = {
    // OpenClaw's own logs may quote users: mask addresses too.
    application: { maskIpAddresses: true },
    // The access log must keep the client address (LOG-1); mask e-mail addresses and credentials only.
    ingressAccess: { maskIpAddresses: false },
};

const dataIdentifier = (name: string) => `arn:aws:dataprotection::aws:data-identifier/${name}`;
const CREDENTIAL_IDENTIFIERS = ["AwsSecretKey", "OpenSshPrivateKey", "PgpPrivateKey", "PkcsPrivateKey", "PuttyPrivateKey"];

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
            const identifiers = ["EmailAddress", ...(masking.maskIpAddresses ? ["IpAddress"] : []), ...CREDENTIAL_IDENTIFIERS].map(dataIdentifier);
            new cloudwatch.LogDataProtectionPolicy(`${name}-${purpose}-masking`, {
                logGroupName: groups[purpose].name,
                policyDocument: JSON.stringify({
                    Name: `${context.prefix}-${purpose}-masking`,
                    Version: "2021-06-01",
                    Statement: [
                        // CloudWatch requires an audit statement over the same identifiers; findings stay in CloudWatch metrics.
                        { Sid: "audit", DataIdentifier: identifiers, Operation: { Audit: { FindingsDestination: {} } } },
                        { Sid: "mask", DataIdentifier: identifiers, Operation: { Deidentify: { MaskConfig: {} } } },
                    ],
                }),
            }, { parent: this });
        }
        this.groups = groups;
        this.registerOutputs({});
    }
}
