// Cloud identities and seam blocks of the in-cluster workloads: External Secrets, Fluent Bit, cert-manager (each least privilege via Pod Identity).
import * as pulumi from "@pulumi/pulumi";
import type { ModelProvider } from "../../config/providers";
import { CertManagerSeam, LogShippingSeam, SecretStoreSeam, WORKLOADS } from "../seam";
import { AwsContext } from "./context";
import { PodIdentityBinding, PodIdentityRole } from "./pod-identity";

/**
 * Fluent Bit `[OUTPUT]` sections for the `cloudwatch_logs` plugin (Fluent Bit 4.0 or newer: its AWS credential
 * chain reads the Pod Identity variables AWS_CONTAINER_CREDENTIALS_FULL_URI and
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; the older Go `cloudwatch` plugin does not). Envoy's access log (pods
 * in `envoy-gateway-system`, container `envoy`) goes to the access log group, every other container to the application group.
 * Groups exist already and keep their retention and key, so the plugin never creates or changes one.
 */
export function fluentBitOutputs(region: string, applicationGroup: string, accessGroup: string): string {
    // Tail tags are kube.var.log.containers.<pod>_<namespace>_<container>-<64 hex id>.log; the proxy's container is `envoy`.
    const accessTag = "kube\\.var\\.log\\.containers\\.[^_]+_envoy-gateway-system_envoy-[0-9a-f]{64}\\.log";
    const section = (match: string, group: string, streamPrefix: string) =>
        [
            "[OUTPUT]",
            "    Name                cloudwatch_logs",
            `    Match_Regex         ${match}`,
            `    region              ${region}`,
            `    log_group_name      ${group}`,
            `    log_stream_prefix   ${streamPrefix}`,
            "    auto_create_group   false",
            "    retry_limit         10",
        ].join("\n");
    return [section(`^${accessTag}$`, accessGroup, "access."), section(`^kube\\.(?!${accessTag.slice("kube\\.".length)}$).*$`, applicationGroup, "app.")].join("\n\n") + "\n";
}

export interface WorkloadIdentitiesArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The EKS cluster's name. */
    readonly clusterName: pulumi.Input<string>;
    /** ARNs of this stack's secrets (External Secrets reads these and no others). */
    readonly secretArns: pulumi.Input<string>[];
    /** ARN of the secrets CMK. */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** Secrets Manager names External Secrets fetches: the gateway token, and each provider key. */
    readonly gatewayTokenSecretName: pulumi.Input<string>;
    /** The configured providers' key secrets by provider. */
    readonly modelProviderSecretNames: Readonly<Partial<Record<ModelProvider, pulumi.Input<string>>>>;
    /** The OIDC client secret's name (read by External Secrets for the ingress proxy); absent without single sign-on. */
    readonly identityClientSecretName?: pulumi.Input<string>;
    /** Log groups Fluent Bit writes (and no others). */
    readonly applicationLogGroup: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** The ingress access log group. */
    readonly accessLogGroup: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** `dnsZoneId`: the only hosted zone cert-manager may write `_acme-challenge` TXT records to. */
    readonly hostedZoneId: string;
}

/** The three Pod Identity roles and the seam blocks that tell the Kubernetes layer how to use them. */
export class WorkloadIdentities extends pulumi.ComponentResource {
    readonly secretStore: SecretStoreSeam;
    readonly logShipping: LogShippingSeam;
    readonly certManager: CertManagerSeam;
    readonly bindings: readonly PodIdentityBinding[];

    constructor(name: string, args: WorkloadIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:WorkloadIdentities", name, {}, opts);
        const { context } = args;
        const common = { context, clusterName: args.clusterName };

        const externalSecrets = new PodIdentityRole(`${name}-external-secrets`, {
            ...common,
            roleName: "external-secrets",
            ...WORKLOADS.externalSecrets,
            statements: [
                { Sid: "ReadThisStacksSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: args.secretArns },
                {
                    Sid: "DecryptThroughSecretsManager",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: args.secretsKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${context.region}.amazonaws.com` } },
                },
            ],
        }, { parent: this });

        const logGroupArns = [args.applicationLogGroup.arn, args.accessLogGroup.arn];
        const fluentBit = new PodIdentityRole(`${name}-fluent-bit`, {
            ...common,
            roleName: "fluent-bit",
            ...WORKLOADS.fluentBit,
            statements: [
                {
                    Sid: "WriteThisStacksLogGroups",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [...logGroupArns, ...logGroupArns.map((arn) => pulumi.interpolate`${arn}:*`)],
                },
            ],
        }, { parent: this });

        const zoneArn = pulumi.interpolate`arn:${context.partition}:route53:::hostedzone/${args.hostedZoneId}`;
        const certManager = new PodIdentityRole(`${name}-cert-manager`, {
            ...common,
            roleName: "cert-manager",
            ...WORKLOADS.certManager,
            statements: [
                { Sid: "FollowChanges", Effect: "Allow", Action: "route53:GetChange", Resource: pulumi.interpolate`arn:${context.partition}:route53:::change/*` },
                { Sid: "ReadTheZone", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zoneArn },
                {
                    Sid: "WriteAcmeChallengesOnly",
                    Effect: "Allow",
                    Action: "route53:ChangeResourceRecordSets",
                    Resource: zoneArn,
                    Condition: {
                        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
                    },
                },
            ],
        }, { parent: this });
        const workload = (w: { namespace: string; serviceAccount: string }) => `${w.namespace}/${w.serviceAccount}`;
        this.bindings = [
            { workload: workload(WORKLOADS.externalSecrets), role: externalSecrets, purpose: "External Secrets: read this stack's Secrets Manager secrets" },
            { workload: workload(WORKLOADS.fluentBit), role: fluentBit, purpose: "Fluent Bit: write the application and ingress access log groups" },
            { workload: workload(WORKLOADS.certManager), role: certManager, purpose: `cert-manager: write _acme-challenge TXT records in hosted zone ${args.hostedZoneId}` },
        ];

        this.secretStore = {
            // Ambient credentials: no `auth` block, the SDK in the operator picks up Pod Identity.
            provider: { aws: { service: "SecretsManager", region: context.region } },
            identity: externalSecrets.identity(),
            gatewayTokenRemoteKey: args.gatewayTokenSecretName,
            modelProviderRemoteKeys: args.modelProviderSecretNames,
            identityClientSecretRemoteKey: args.identityClientSecretName,
        };
        this.logShipping = {
            fluentBitOutputs: pulumi
                .all([args.applicationLogGroup.name, args.accessLogGroup.name])
                .apply(([app, access]) => fluentBitOutputs(context.region, app, access)),
            identity: fluentBit.identity(),
        };
        this.certManager = {
            // No credentials: cert-manager uses ambient (Pod Identity) credentials, allowed for ClusterIssuers by default.
            dns01: { route53: { region: context.region, hostedZoneID: args.hostedZoneId } },
            identity: certManager.identity(),
        };
        this.registerOutputs({});
    }
}
