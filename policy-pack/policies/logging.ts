// Logging policies (LOG-1..LOG-6): request and control-plane logs, PII masking, correlation ids, an encrypted
// immutable archive, retention, and the security alerts.
import { LogGroup } from "@pulumi/aws/cloudwatch";
import { Trail } from "@pulumi/aws/cloudtrail";
import { Cluster } from "@pulumi/aws/eks";
import { BucketObjectLockConfiguration, BucketObjectLockConfigurationV2 } from "@pulumi/aws/s3";
import { ManagedCluster } from "@pulumi/azure-native/containerservice";
import { Workspace } from "@pulumi/azure-native/operationalinsights";
import { StorageAccount } from "@pulumi/azure-native/storage";
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { HELM_CHART_V4_TYPE, HELM_RELEASE_TYPE, Json, kubeObjects, validateKind } from "./lib/kubernetes";
import { resourcePolicy, stackPolicy } from "./lib/meta";
import { isSet, previewSafe } from "./lib/preview";
import { diagnosticSettingsOf, enablesLogs } from "./secrets";

export const MESSAGES = {
    eksLogTypes: (missing: string) => `enabledClusterLogTypes lacks ${missing}`,
    aksNoDiagnostics: (cluster: string, categories: string) => `AKS cluster ${cluster} has no diagnostic setting sending ${categories} to a workspace or storage account`,
    noAccessLog: (proxy: string) => `EnvoyProxy ${proxy} has no access log settings: state the JSON format explicitly`,
    accessLogDisabled: (proxy: string) => `EnvoyProxy ${proxy} disables the access log`,
    accessLogField: (proxy: string, setting: number, field: string) => `EnvoyProxy ${proxy} access log setting ${setting} does not record the ${field}`,
    accessLogQuery: (proxy: string, setting: number) => `EnvoyProxy ${proxy} access log setting ${setting} records the path with its query string (tokens and personal data travel there); use %PATH(NQ:ORIG)%`,
    accessLogCredential: (proxy: string, setting: number, header: string) => `EnvoyProxy ${proxy} access log setting ${setting} records the ${header} header`,
    noGatewayProxyLog: "the stack has Gateways but no EnvoyProxy with an access log",
    vpcNoFlowLog: (vpc: string) => `VPC ${vpc} has no flow log capturing ALL traffic`,
    vnetNoFlowLog: (vnet: string) => `VNet ${vnet} has no enabled flow log`,
    trailValidation: "enableLogFileValidation is not true: tampering with delivered log files would go unnoticed",
    trailRegions: "isMultiRegionTrail is not true: API calls in other regions are not recorded",
    unmaskedLogGroup: (group: string) => `log group ${group} receives application or access logs but no data protection policy masks PII in it`,
    maskingIncomplete: (group: string) => `the data protection policy on ${group} has no Deidentify (MaskConfig) statement covering EmailAddress`,
    noDcrMasking: (stream: string) => `data collection rule flow for ${stream} has no masking transformKql`,
    dcrUnsupportedFunction: (stream: string, fn: string) => `data collection rule flow for ${stream} uses ${fn}, which ingestion-time transformations do not support`,
    fluentBitNoMasking: (release: string) => `Fluent Bit release ${release} has no Lua filter masking PII (e-mail addresses, credentials) before shipping`,
    requestIdDisabled: (value: string) => `spec.headers.requestID is ${value}: requests without an x-request-id get none`,
    logGroupUnencrypted: "kmsKeyId is not set: the log group is encrypted with a CloudWatch-owned key, not this stack's key",
    noArchive: "the stack writes logs but has no immutable archive: no S3 bucket with Object Lock receives them",
    archiveNoObjectLock: (bucket: string) => `archive bucket ${bucket} has objectLockEnabled not true`,
    archiveNoLockConfig: (bucket: string) => `archive bucket ${bucket} has no Object Lock configuration with a default retention`,
    archivePublic: (bucket: string) => `archive bucket ${bucket} has no public access block with all four settings true`,
    lockMode: (mode: string) => `rule.defaultRetention.mode is ${mode}: GOVERNANCE retention can be bypassed; use COMPLIANCE`,
    lockShort: (days: number, min: number) => `Object Lock default retention is ${days} days, below ${min}`,
    localAuth: "features.disableLocalAuth is not true: shared keys can write and read the workspace",
    sharedKey: "allowSharedKeyAccess is not false (the default is true): account keys bypass Entra ID",
    azureNoImmutableStore: "the stack writes logs but no storage account holds them under a time-based immutability policy",
    immutabilityShort: (where: string, days: number, min: number) => `${where} keeps logs immutable for ${days} days, below ${min}`,
    retentionShort: (days: number, min: number) => `retentionInDays is ${days}, below ${min}`,
    workspaceRetentionShort: (days: number, min: number) => `retentionInDays is ${days} (30 when unset), below ${min}`,
    alertMissing: (alert: string) => `no enabled alert with a notification action matches ${alert}`,
} as const;

const retentionSchema = {
    properties: {
        minRetentionDays: { type: "integer" as const, minimum: 1, default: 90, description: "Shortest allowed log retention (365 for SOC 2)." },
    },
};

const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const awsEksClusterEnableControlPlaneLogs = resourcePolicy(
    {
        name: "aws-eks-cluster-enable-control-plane-logs",
        description: "EKS sends every control-plane log type (API, audit, authenticator, controller manager, scheduler) to CloudWatch.",
        checklist: ["LOG-1"],
        severity: "high",
        remediationSteps: `Set enabledClusterLogTypes ${JSON.stringify(EKS_LOG_TYPES)}.`,
        configSchema: { properties: { requiredLogTypes: { type: "array", items: { type: "string", enum: EKS_LOG_TYPES }, default: EKS_LOG_TYPES } } },
    },
    validateResourceOfType(Cluster, (cluster, args, report) => {
        const { requiredLogTypes } = args.getConfig<{ requiredLogTypes: string[] }>();
        previewSafe((check) => {
            check(() => {
                const enabled = cluster.enabledClusterLogTypes ?? [];
                const missing = requiredLogTypes.filter((t) => !enabled.includes(t));
                if (missing.length > 0) {
                    report(MESSAGES.eksLogTypes(missing.join(", ")));
                }
            });
        });
    }),
);

export const azureAksMissingDiagnosticSettings = stackPolicy(
    {
        name: "azure-aks-missing-diagnostic-settings",
        description: "Every AKS cluster sends its audit and API server logs to Log Analytics or the archive.",
        checklist: ["LOG-1"],
        severity: "high",
        remediationSteps: "Add a monitor.DiagnosticSetting on the cluster with kube-audit-admin (or kube-audit) and kube-apiserver to the workspace.",
        configSchema: { properties: { requiredCategories: { type: "array", items: { type: "string" }, default: ["kube-audit-admin", "kube-apiserver"] } } },
    },
    (args, report) => {
        const clusters = args.resources.filter((r) => r.isType(ManagedCluster));
        if (clusters.length === 0) {
            args.notApplicable("no AKS cluster");
        }
        const { requiredCategories } = args.getConfig<{ requiredCategories: string[] }>();
        previewSafe((check) => {
            for (const cluster of clusters) {
                check(() => {
                    const settings = diagnosticSettingsOf(args.resources, cluster);
                    const covered = requiredCategories.every((category) =>
                        settings.some((s) => enablesLogs(s, category === "kube-audit-admin" ? [category, "kube-audit"] : [category], ["allLogs", ...(category.startsWith("kube-audit") ? ["audit"] : [])])),
                    );
                    if (!covered) {
                        report(MESSAGES.aksNoDiagnostics(cluster.name, requiredCategories.join(", ")), cluster.urn);
                    }
                });
            }
        });
    },
);

/** Access-log fields LOG-1 and LOG-3 need, each with the Envoy command operators that record it. */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, RegExp>> = {
    "start time": /%START_TIME(\([^)]*\))?%/,
    "client address": /%DOWNSTREAM_(REMOTE|DIRECT_REMOTE)_ADDRESS(_WITHOUT_PORT)?%/,
    "request path": /%(REQ\((X-ENVOY-ORIGINAL-PATH\?)?:PATH\)|PATH(\([^)]*\))?)%/,
    "response status": /%RESPONSE_CODE%/,
    "request id (x-request-id)": /%REQ\(X-REQUEST-ID\)%/i,
    // The verified user the proxy hands OpenClaw: the program's identity header (components/kubernetes/openclaw-roles.ts
    // IDENTITY_HEADERS.user, set by the JWT provider from the ID token), or jwt_authn's verified payload itself.
    "user (x-openclaw-user)": /%REQ\(X-OPENCLAW-USER\)%|%DYNAMIC_METADATA\(envoy\.filters\.http\.jwt_authn:[^)]+\)%/i,
};

function formatText(setting: Json): string {
    const format = (setting.format as Json | undefined) ?? {};
    return [format.text, ...Object.values((format.json as Json | undefined) ?? {})].filter((v) => typeof v === "string").join(" ");
}

function checkAccessLog(proxy: Json, name: string, report: ReportViolation): void {
    const accessLog = ((proxy.spec as Json | undefined)?.telemetry as Json | undefined)?.accessLog as Json | undefined;
    if (accessLog?.disable === true) {
        report(MESSAGES.accessLogDisabled(name));
        return;
    }
    const settings = (accessLog?.settings as Json[] | undefined) ?? [];
    if (settings.length === 0) {
        report(MESSAGES.noAccessLog(name));
    }
    settings.forEach((setting, i) => {
        const text = formatText(setting);
        for (const [field, pattern] of Object.entries(ACCESS_LOG_FIELDS)) {
            if (!pattern.test(text)) {
                report(MESSAGES.accessLogField(name, i, field));
            }
        }
        if (/%REQ\((X-ENVOY-ORIGINAL-PATH\?)?:PATH\)%|%PATH(\((?!NQ)[^)]*\))?%/.test(text)) {
            report(MESSAGES.accessLogQuery(name, i));
        }
        for (const header of ["AUTHORIZATION", "COOKIE", "PROXY-AUTHORIZATION", "X-API-KEY"]) {
            if (new RegExp(`%REQ\\(${header}\\)`, "i").test(text)) {
                report(MESSAGES.accessLogCredential(name, i, header));
            }
        }
    });
}

export const kubernetesEnvoyProxyConfigureAccessLog = resourcePolicy(
    {
        name: "kubernetes-envoy-proxy-configure-access-log",
        description: "The ingress proxy logs every request with time, client address, the verified user, path (without query), status and x-request-id, and never credentials.",
        checklist: ["LOG-1", "LOG-3", "LOG-2"],
        severity: "high",
        remediationSteps: "Set EnvoyProxy spec.telemetry.accessLog.settings with a JSON format including %START_TIME%, %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%, %PATH(NQ:ORIG)%, %RESPONSE_CODE%, %REQ(X-REQUEST-ID)% and %REQ(X-OPENCLAW-USER)%.",
    },
    validateKind("gateway.envoyproxy.io", "EnvoyProxy", (proxy, args, report) => {
        previewSafe((check) => {
            check(() => checkAccessLog(proxy, String((proxy.metadata as Json | undefined)?.name ?? args.name), report));
        });
    }),
);

export const kubernetesGatewayMissingAccessLog = stackPolicy(
    {
        name: "kubernetes-gateway-missing-access-log",
        description: "When the stack has Gateways, an EnvoyProxy configures their access log.",
        checklist: ["LOG-1", "LOG-3"],
        severity: "high",
        remediationSteps: "Reference an EnvoyProxy with access log settings from the GatewayClass parametersRef.",
    },
    (args, report) => {
        previewSafe((check) => {
            check(() => {
                const objects = kubeObjects(args.resources);
                if (!objects.some((o) => o.kind === "Gateway" && o.apiVersion.startsWith("gateway.networking.k8s.io/"))) {
                    args.notApplicable("no Gateway");
                }
                const proxies = objects.filter((o) => o.kind === "EnvoyProxy" && ((((o.object.spec as Json | undefined)?.telemetry as Json | undefined)?.accessLog as Json | undefined)?.settings as unknown[] | undefined)?.length);
                if (proxies.length === 0) {
                    report(MESSAGES.noGatewayProxyLog);
                }
            });
        });
    },
);

const allDeps = (r: PolicyResource): PolicyResource[] => [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];

export const awsVpcMissingFlowLogs = stackPolicy(
    {
        name: "aws-vpc-missing-flow-logs",
        description: "Every VPC has a flow log of ALL traffic, the record behind network forensics and unknown-egress alerts.",
        checklist: ["LOG-1", "LOG-6"],
        severity: "high",
        remediationSteps: 'Add aws.ec2.FlowLog { vpcId, trafficType: "ALL" } to an encrypted log group.',
    },
    (args, report) => {
        const vpcs = args.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc");
        if (vpcs.length === 0) {
            args.notApplicable("no VPC");
        }
        previewSafe((check) => {
            const logs = args.resources.filter((r) => r.type === "aws:ec2/flowLog:FlowLog");
            for (const vpc of vpcs) {
                check(() => {
                    if (!logs.some((l) => allDeps(l).includes(vpc) && l.props.trafficType === "ALL")) {
                        report(MESSAGES.vpcNoFlowLog(vpc.name), vpc.urn);
                    }
                });
            }
        });
    },
);

export const azureVnetMissingFlowLogs = stackPolicy(
    {
        name: "azure-vnet-missing-flow-logs",
        description: "Every VNet has an enabled VNet flow log.",
        checklist: ["LOG-1", "LOG-6"],
        severity: "high",
        remediationSteps: "Add network.FlowLog with targetResourceId = the VNet id, storage in the log archive, traffic analytics on.",
    },
    (args, report) => {
        const vnets = args.resources.filter((r) => r.type === "azure-native:network:VirtualNetwork");
        if (vnets.length === 0) {
            args.notApplicable("no VNet");
        }
        previewSafe((check) => {
            const logs = args.resources.filter((r) => r.type === "azure-native:network:FlowLog");
            for (const vnet of vnets) {
                check(() => {
                    if (!logs.some((l) => (l.propertyDependencies.targetResourceId ?? []).includes(vnet) && l.props.enabled !== false)) {
                        report(MESSAGES.vnetNoFlowLog(vnet.name), vnet.urn);
                    }
                });
            }
        });
    },
);

export const awsCloudtrailTrailEnableLogValidation = resourcePolicy(
    {
        name: "aws-cloudtrail-trail-enable-log-validation",
        description: "CloudTrail records every region and signs its log files.",
        checklist: ["LOG-4", "LOG-1"],
        severity: "medium",
        remediationSteps: "Set enableLogFileValidation true and isMultiRegionTrail true.",
    },
    validateResourceOfType(Trail, (trail, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (trail.enableLogFileValidation !== true) {
                    report(MESSAGES.trailValidation);
                }
            });
            check(() => {
                if (trail.isMultiRegionTrail !== true) {
                    report(MESSAGES.trailRegions);
                }
            });
        });
    }),
);

export const awsCloudwatchLogGroupMissingDataProtection = stackPolicy(
    {
        name: "aws-cloudwatch-log-group-missing-data-protection",
        description: "Log groups that receive application or access logs have a data protection policy masking PII.",
        checklist: ["LOG-2"],
        severity: "high",
        remediationSteps: "Attach a CloudWatch Logs data protection policy with Audit and Deidentify (MaskConfig) statements for EmailAddress and credential identifiers.",
        configSchema: {
            properties: {
                maskedLogGroupPatterns: {
                    type: "array",
                    items: { type: "string" },
                    default: ["/application$", "access"],
                    description: "Regular expressions on log group names that carry people's data.",
                },
            },
        },
    },
    (args, report) => {
        const { maskedLogGroupPatterns } = args.getConfig<{ maskedLogGroupPatterns: string[] }>();
        previewSafe((check) => {
            const groups: PolicyResource[] = [];
            for (const g of args.resources.filter((r) => r.isType(LogGroup))) {
                check(() => {
                    if (maskedLogGroupPatterns.some((p) => new RegExp(p).test(String(g.props.name ?? g.name)))) {
                        groups.push(g);
                    }
                });
            }
            if (groups.length === 0) {
                args.notApplicable("no application or access log group");
            }
            const policies = args.resources.filter((r) => r.type === "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy");
            for (const group of groups) {
                check(() => {
                    const attached = policies.filter((p) => (p.propertyDependencies.logGroupName ?? []).includes(group));
                    if (attached.length === 0) {
                        report(MESSAGES.unmaskedLogGroup(String(group.props.name ?? group.name)), group.urn);
                        return;
                    }
                    const masks = attached.some((p) => {
                        const raw = p.props.policyDocument;
                        const doc = (typeof raw === "string" ? JSON.parse(raw) : raw) as Json;
                        return ((doc.Statement as Json[] | undefined) ?? []).some(
                            (s) =>
                                ((s.Operation as Json | undefined)?.Deidentify as Json | undefined)?.MaskConfig !== undefined &&
                                ((s.DataIdentifier as string[] | undefined) ?? []).some((d) => d.endsWith("/EmailAddress")),
                        );
                    });
                    if (!masks) {
                        report(MESSAGES.maskingIncomplete(String(group.props.name ?? group.name)), group.urn);
                    }
                });
            }
        });
    },
);

const CONTAINER_STREAMS = /^(Microsoft-ContainerLog(V2)?|Custom-)/;

export const azureDataCollectionRuleEnablePiiMasking = stackPolicy(
    {
        name: "azure-data-collection-rule-enable-pii-masking",
        description: "Data collection rules that ingest container logs mask PII with a transformation.",
        checklist: ["LOG-2"],
        severity: "high",
        remediationSteps: "Give each container-log data flow a transformKql that masks e-mail addresses and credentials with functions transformations support (extract, indexof, substring, strcat; or hash_sha256), not replace_regex or replace_string.",
    },
    (args, report) => {
        previewSafe((check) => {
            let flows = 0;
            let uncertain = false;
            for (const dcr of args.resources.filter((r) => r.type === "azure-native:monitor:DataCollectionRule")) {
                uncertain ||= !check(() => {
                    for (const flow of (dcr.props.dataFlows as Json[] | undefined) ?? []) {
                        const streams = ((flow.streams as string[] | undefined) ?? []).filter((s) => CONTAINER_STREAMS.test(s));
                        if (streams.length === 0) {
                            continue;
                        }
                        flows++;
                        // Supported in transformations (azure-monitor-docs data-collection-transformations-kql.md): extract,
                        // strcat, hash_sha256; replace_regex and replace_string are not on that page.
                        const kql = String(flow.transformKql ?? "");
                        const unsupported = /\b(replace_regex|replace_string)\(/.exec(kql);
                        if (unsupported) {
                            report(MESSAGES.dcrUnsupportedFunction(streams.join(", "), unsupported[1]), dcr.urn);
                        } else if (!/\bhash_sha256\(/.test(kql) && !(/\bextract\(/.test(kql) && /\bstrcat\(/.test(kql))) {
                            report(MESSAGES.noDcrMasking(streams.join(", ")), dcr.urn);
                        }
                    }
                });
            }
            if (flows === 0 && !uncertain && args.resources.some((r) => r.isType(Workspace))) {
                report(MESSAGES.noDcrMasking("container logs (no data collection rule ingests them)"));
            } else if (flows === 0 && !uncertain) {
                args.notApplicable("no Log Analytics workspace");
            }
        });
    },
);

export const kubernetesFluentBitEnablePiiMasking = stackPolicy(
    {
        name: "kubernetes-fluent-bit-enable-pii-masking",
        description: "Fluent Bit masks PII and drops credentials with a Lua filter before logs leave the node.",
        checklist: ["LOG-2"],
        severity: "high",
        remediationSteps: "Add a [FILTER] Name lua whose script (in values.luaScripts) masks e-mail addresses, phone numbers and tokens and drops Authorization/Cookie.",
    },
    (args, report) => {
        previewSafe((check) => {
            const releases = args.resources.filter((r) => r.type === HELM_RELEASE_TYPE || r.type === HELM_CHART_V4_TYPE);
            let found = 0;
            for (const release of releases) {
                check(() => {
                    if (!/(^|\/)fluent-bit$/.test(String(release.props.chart ?? ""))) {
                        return;
                    }
                    found++;
                    const values = (release.props.values as Json | undefined) ?? {};
                    const filters = String(((values.config as Json | undefined)?.filters as string | undefined) ?? "");
                    const scripts = (values.luaScripts as Record<string, string> | undefined) ?? {};
                    const luaFilters = filters.split("[FILTER]").filter((block) => /^\s*Name\s+lua\s*$/im.test(block));
                    const masks = luaFilters.some((block) => {
                        const script = /^\s*script\s+(\S+)\s*$/im.exec(block)?.[1] ?? "";
                        const body = scripts[script.split("/").pop() ?? ""] ?? "";
                        return body.includes("@") && /authorization/i.test(body);
                    });
                    if (!masks) {
                        report(MESSAGES.fluentBitNoMasking(release.name), release.urn);
                    }
                });
            }
            if (found === 0) {
                args.notApplicable("no Fluent Bit release");
            }
        });
    },
);

export const kubernetesClientTrafficPolicyEnableRequestId = resourcePolicy(
    {
        name: "kubernetes-client-traffic-policy-enable-request-id",
        description: "The ingress gives every request an x-request-id (keeping a client's own).",
        checklist: ["LOG-3"],
        severity: "medium",
        remediationSteps: 'Set spec.headers.requestID "PreserveOrGenerate" (or leave the Generate default).',
    },
    validateKind("gateway.envoyproxy.io", "ClientTrafficPolicy", (policy, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const value = ((policy.spec as Json | undefined)?.headers as Json | undefined)?.requestID;
                if (value === "Disable" || value === "Preserve") {
                    report(MESSAGES.requestIdDisabled(String(value)));
                }
            });
        });
    }),
);

export const awsCloudwatchLogGroupEnforceKmsEncryption = resourcePolicy(
    {
        name: "aws-cloudwatch-log-group-enforce-kms-encryption",
        description: "CloudWatch log groups are encrypted with the stack's customer-managed key.",
        checklist: ["LOG-4"],
        severity: "medium",
        remediationSteps: "Set kmsKeyId to the logs key (its policy must allow logs.<region>.amazonaws.com).",
    },
    validateResourceOfType(LogGroup, (group, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (!isSet(() => group.kmsKeyId)) {
                    report(MESSAGES.logGroupUnencrypted);
                }
            });
        });
    }),
);

const BUCKET_TYPE = "aws:s3/bucket:Bucket";
const BUCKET_TYPES = [BUCKET_TYPE, "aws:s3/bucketV2:BucketV2"];
const LOCK_TYPES = ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"];

/** Buckets that receive the trail or a Firehose stream: the log archive. */
function archiveBuckets(args: StackValidationArgs): PolicyResource[] {
    const buckets = new Set<PolicyResource>();
    for (const r of args.resources) {
        if (r.type === "aws:cloudtrail/trail:Trail" || r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream") {
            for (const d of allDeps(r)) {
                if (BUCKET_TYPES.includes(d.type)) {
                    buckets.add(d);
                }
            }
        }
    }
    return [...buckets];
}

export const awsS3BucketMissingImmutableArchive = stackPolicy(
    {
        name: "aws-s3-bucket-missing-immutable-archive",
        description: "Logs reach an immutable archive: the bucket the trail and log streams write to has Object Lock and blocks public access.",
        checklist: ["LOG-4"],
        severity: "high",
        remediationSteps: "Create the archive bucket with objectLockEnabled true, a BucketObjectLockConfiguration in COMPLIANCE mode, and a BucketPublicAccessBlock with all four settings true; point CloudTrail and the Firehose stream at it.",
    },
    (args, report) => {
        if (!args.resources.some((r) => r.isType(LogGroup) || r.isType(Trail))) {
            args.notApplicable("no AWS logs");
        }
        previewSafe((check) => {
            const buckets = archiveBuckets(args);
            if (buckets.length === 0) {
                report(MESSAGES.noArchive);
            }
            const dependsOn = (r: PolicyResource, bucket: PolicyResource) => allDeps(r).includes(bucket);
            for (const bucket of buckets) {
                const name = bucket.name;
                check(() => {
                    if (bucket.props.objectLockEnabled !== true) {
                        report(MESSAGES.archiveNoObjectLock(name), bucket.urn);
                    }
                });
                check(() => {
                    const lock = args.resources.find((r) => LOCK_TYPES.includes(r.type) && dependsOn(r, bucket));
                    if (!lock || !((lock.props.rule as Json | undefined)?.defaultRetention)) {
                        report(MESSAGES.archiveNoLockConfig(name), bucket.urn);
                    }
                });
                check(() => {
                    const block = args.resources.find((r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" && dependsOn(r, bucket));
                    const all = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => block?.props[k] === true);
                    if (!all) {
                        report(MESSAGES.archivePublic(name), bucket.urn);
                    }
                });
            }
        });
    },
);

export const awsS3ObjectLockEnforceComplianceRetention = resourcePolicy(
    {
        name: "aws-s3-object-lock-enforce-compliance-retention",
        description: "Object Lock retains archived logs in COMPLIANCE mode for at least minRetentionDays.",
        checklist: ["LOG-4", "LOG-5"],
        severity: "high",
        remediationSteps: 'Set rule.defaultRetention { mode: "COMPLIANCE", days: openclaw:logRetentionDays }.',
        configSchema: retentionSchema,
    },
    [BucketObjectLockConfiguration, BucketObjectLockConfigurationV2].map((cls) =>
        validateResourceOfType(cls, (lock, args, report) => {
            const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
            previewSafe((check) => {
                check(() => {
                    const retention = lock.rule?.defaultRetention;
                    if (!retention) {
                        return;
                    }
                    if (retention.mode !== "COMPLIANCE") {
                        report(MESSAGES.lockMode(String(retention.mode)));
                    }
                    const days = retention.days ?? (retention.years ?? 0) * 365;
                    if (days < minRetentionDays) {
                        report(MESSAGES.lockShort(days, minRetentionDays));
                    }
                });
            });
        }),
    ),
);

export const azureLogAnalyticsWorkspaceDisallowLocalAuth = resourcePolicy(
    {
        name: "azure-log-analytics-workspace-disallow-local-auth",
        description: "Log Analytics accepts only Entra ID authentication, so every reader and writer is an audited identity.",
        checklist: ["LOG-4", "RBAC-5"],
        severity: "medium",
        remediationSteps: "Set features.disableLocalAuth true.",
    },
    validateResourceOfType(Workspace, (workspace, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (workspace.features?.disableLocalAuth !== true) {
                    report(MESSAGES.localAuth);
                }
            });
        });
    }),
);

export const azureStorageAccountDisallowSharedKey = resourcePolicy(
    {
        name: "azure-storage-account-disallow-shared-key",
        description: "Storage accounts refuse shared-key access; only Entra ID identities read or write the archive.",
        checklist: ["LOG-4", "RBAC-5"],
        severity: "medium",
        remediationSteps: "Set allowSharedKeyAccess false (and defaultToOAuthAuthentication true).",
    },
    validateResourceOfType(StorageAccount, (account, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (account.allowSharedKeyAccess !== false) {
                    report(MESSAGES.sharedKey);
                }
            });
        });
    }),
);

export const azureStorageMissingImmutableArchive = stackPolicy(
    {
        name: "azure-storage-missing-immutable-archive",
        description: "Logs reach an immutable archive: a storage account or container with a time-based immutability policy of at least minRetentionDays.",
        checklist: ["LOG-4", "LOG-5"],
        severity: "high",
        remediationSteps: "Enable immutableStorageWithVersioning with immutabilityPeriodSinceCreationInDays = openclaw:logRetentionDays (or a container immutability policy) on the archive account.",
        configSchema: retentionSchema,
    },
    (args, report) => {
        if (!args.resources.some((r) => r.isType(Workspace))) {
            args.notApplicable("no Log Analytics workspace");
        }
        const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
        previewSafe((check) => {
            let immutable = false;
            let uncertain = false;
            for (const r of args.resources) {
                uncertain ||= !check(() => {
                    let days: number | undefined;
                    let where = r.name;
                    if (r.isType(StorageAccount)) {
                        const setting = r.props.immutableStorageWithVersioning as Json | undefined;
                        if (setting?.enabled === true) {
                            days = Number((setting.immutabilityPolicy as Json | undefined)?.immutabilityPeriodSinceCreationInDays ?? 0);
                            where = `storage account ${r.name}`;
                        }
                    } else if (r.type === "azure-native:storage:BlobContainerImmutabilityPolicy") {
                        days = Number(r.props.immutabilityPeriodSinceCreationInDays ?? 0);
                        where = `container immutability policy ${r.name}`;
                    }
                    if (days === undefined) {
                        return;
                    }
                    immutable = true;
                    if (days < minRetentionDays) {
                        report(MESSAGES.immutabilityShort(where, days, minRetentionDays), r.urn);
                    }
                });
            }
            if (!immutable && !uncertain) {
                report(MESSAGES.azureNoImmutableStore);
            }
        });
    },
);

export const awsCloudwatchLogGroupConfigureRetention = resourcePolicy(
    {
        name: "aws-cloudwatch-log-group-configure-retention",
        description: "CloudWatch log groups keep events for at least minRetentionDays (unset keeps them forever).",
        checklist: ["LOG-5"],
        severity: "high",
        remediationSteps: "Set retentionInDays to openclaw:logRetentionDays (90, or 365 for SOC 2).",
        configSchema: retentionSchema,
    },
    validateResourceOfType(LogGroup, (group, args, report) => {
        const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
        previewSafe((check) => {
            check(() => {
                const days = group.retentionInDays;
                if (days !== undefined && days !== 0 && days < minRetentionDays) {
                    report(MESSAGES.retentionShort(days, minRetentionDays));
                }
            });
        });
    }),
);

export const azureLogAnalyticsWorkspaceConfigureRetention = resourcePolicy(
    {
        name: "azure-log-analytics-workspace-configure-retention",
        description: "The Log Analytics workspace keeps data for at least minRetentionDays.",
        checklist: ["LOG-5"],
        severity: "high",
        remediationSteps: "Set retentionInDays to openclaw:logRetentionDays (90, or 365 for SOC 2).",
        configSchema: retentionSchema,
    },
    validateResourceOfType(Workspace, (workspace, args, report) => {
        const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
        previewSafe((check) => {
            check(() => {
                const days = workspace.retentionInDays ?? 30;
                if (days < minRetentionDays) {
                    report(MESSAGES.workspaceRetentionShort(days, minRetentionDays));
                }
            });
        });
    }),
);

const alertSchema = {
    properties: {
        requiredAlerts: {
            type: "object" as const,
            additionalProperties: { type: "string" as const },
            default: { "failed authentication": "failed-auth|failed auth", "token-usage spike": "spike", "unknown egress": "egress" },
            description: "Alert → regular expression (case-insensitive) matched against the alert's name, display name, description and metric.",
        },
    },
};

/** One alert as far as it could be read: its text, and whether it notifies (undefined: unknown in preview). */
interface AlertSeen {
    readonly text?: string;
    readonly active?: boolean;
}

function reportMissingAlerts(args: StackValidationArgs, report: ReportViolation, alerts: readonly AlertSeen[]): void {
    const { requiredAlerts } = args.getConfig<{ requiredAlerts: Record<string, string> }>();
    for (const [alert, pattern] of Object.entries(requiredAlerts)) {
        const re = new RegExp(pattern, "i");
        // An alert whose text or actions are unknown may be the one: uncertain, not missing.
        const maybe = alerts.some((a) => (a.text === undefined || re.test(a.text)) && a.active !== false);
        if (!maybe) {
            report(MESSAGES.alertMissing(alert));
        }
    }
}

export const awsCloudwatchMissingSecurityAlarms = stackPolicy(
    {
        name: "aws-cloudwatch-missing-security-alarms",
        description: "CloudWatch alarms with a notification action exist for failed authentication, token-usage spikes and unknown egress.",
        checklist: ["LOG-6"],
        severity: "high",
        remediationSteps: "Add metric filters and alarms (alarmActions = the alert SNS topic) for each required alert.",
        configSchema: alertSchema,
    },
    (args, report) => {
        if (!args.resources.some((r) => r.type.startsWith("aws:"))) {
            args.notApplicable("no AWS resources");
        }
        previewSafe((check) => {
            const alerts: AlertSeen[] = [];
            for (const alarm of args.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")) {
                const p = alarm.props;
                let text: string | undefined;
                let active: boolean | undefined;
                check(() => {
                    const metrics = ((p.metricQueries as Json[] | undefined) ?? []).map((q) => String((q.metric as Json | undefined)?.metricName ?? ""));
                    text = [alarm.name, p.name, p.alarmDescription, p.metricName, ...metrics].filter(Boolean).join(" ");
                });
                check(() => {
                    active = p.actionsEnabled !== false && ((p.alarmActions as unknown[] | undefined) ?? []).length > 0;
                });
                alerts.push({ text, active });
            }
            reportMissingAlerts(args, report, alerts);
        });
    },
);

export const azureMonitorMissingSecurityAlerts = stackPolicy(
    {
        name: "azure-monitor-missing-security-alerts",
        description: "Enabled scheduled query alerts with an action group exist for failed authentication, token-usage spikes and unknown egress.",
        checklist: ["LOG-6"],
        severity: "high",
        remediationSteps: "Add monitor.ScheduledQueryRule alerts with actions.actionGroups for each required alert.",
        configSchema: alertSchema,
    },
    (args, report) => {
        if (!args.resources.some((r) => r.type.startsWith("azure-native:"))) {
            args.notApplicable("no Azure resources");
        }
        previewSafe((check) => {
            const alerts: AlertSeen[] = [];
            for (const rule of args.resources.filter((r) => r.type === "azure-native:monitor:ScheduledQueryRule")) {
                const p = rule.props;
                let text: string | undefined;
                let active: boolean | undefined;
                check(() => {
                    text = [rule.name, p.ruleName, p.displayName, p.description].filter(Boolean).join(" ");
                });
                check(() => {
                    active = p.enabled !== false && (((p.actions as Json | undefined)?.actionGroups as unknown[] | undefined) ?? []).length > 0;
                });
                alerts.push({ text, active });
            }
            reportMissingAlerts(args, report, alerts);
        });
    },
);

export const loggingPolicies = [
    awsEksClusterEnableControlPlaneLogs,
    azureAksMissingDiagnosticSettings,
    kubernetesEnvoyProxyConfigureAccessLog,
    kubernetesGatewayMissingAccessLog,
    awsVpcMissingFlowLogs,
    azureVnetMissingFlowLogs,
    awsCloudtrailTrailEnableLogValidation,
    awsCloudwatchLogGroupMissingDataProtection,
    azureDataCollectionRuleEnablePiiMasking,
    kubernetesFluentBitEnablePiiMasking,
    kubernetesClientTrafficPolicyEnableRequestId,
    awsCloudwatchLogGroupEnforceKmsEncryption,
    awsS3BucketMissingImmutableArchive,
    awsS3ObjectLockEnforceComplianceRetention,
    azureLogAnalyticsWorkspaceDisallowLocalAuth,
    azureStorageAccountDisallowSharedKey,
    azureStorageMissingImmutableArchive,
    awsCloudwatchLogGroupConfigureRetention,
    azureLogAnalyticsWorkspaceConfigureRetention,
    awsCloudwatchMissingSecurityAlarms,
    azureMonitorMissingSecurityAlerts,
];
