// Secret policies (SEC-1..SEC-6): no literal secrets anywhere, secrets in a managed store and injected at runtime,
// versioned with recovery, rotated within the limit, reloaded by their consumers, and rotation audited.
import { Cluster } from "@pulumi/aws/eks";
import { Key as KmsKey } from "@pulumi/aws/kms";
import { Secret as SmSecret, SecretRotation } from "@pulumi/aws/secretsmanager";
import { ManagedCluster } from "@pulumi/azure-native/containerservice";
import { Key as VaultKey, Secret as VaultSecret, Vault } from "@pulumi/azure-native/keyvault";
import { ConfigMap, Secret as KubeSecret } from "@pulumi/kubernetes/core/v1";
import type { PolicyResource, ResourceValidation } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { containersOf, goDurationSeconds, HELM_CHART_V4_TYPE, HELM_RELEASE_TYPE, isWorkloadType, Json, kubeObjects, namespaceOf, podTemplateOf, secretsConsumed, validateKind, validateWorkload, walkKnown } from "./lib/kubernetes";
import { resourcePolicy, stackPolicy } from "./lib/meta";
import { eachChecked, isSet, previewSafe, UnknownValueError } from "./lib/preview";
import { isReference, isSecretName, secretValueKind } from "./lib/secret-patterns";

export const MESSAGES = {
    literalEnv: (container: string, env: string) => `${container} sets env ${env} to a literal value; take it from a Secret (valueFrom.secretKeyRef)`,
    literalValue: (where: string, what: string) => `${where} holds ${what}`,
    literalSetting: (where: string) => `${where} is a secret-named setting with a literal value; reference a Secret instead`,
    kubeSecretData: (field: string) => `the Secret manifest carries ${field}: its value passes through the program and its state; let External Secrets create it from the secret manager`,
    notFromSecretManager: (workload: string, secret: string, namespace: string) => `${workload} reads Secret ${secret} in ${namespace}, which no ExternalSecret (or cert-manager Certificate) maintains`,
    smDefaultKey: "kmsKeyId is not set: the secret is encrypted with the AWS-managed key, not this stack's customer-managed key",
    eksSecretsUnencrypted: "encryptionConfig does not cover resources [\"secrets\"] with a KMS key: Kubernetes Secrets are not envelope-encrypted",
    vaultNoRbac: "properties.enableRbacAuthorization is not true: access policies instead of Azure RBAC",
    aksNoKms: "securityProfile.azureKeyVaultKms.enabled is not true: etcd Secrets are not encrypted with the Key Vault key",
    aksKmsPublic: "securityProfile.azureKeyVaultKms.keyVaultNetworkAccess is not Private",
    noRecoveryWindow: "recoveryWindowInDays is 0: deleting the secret destroys it and every version at once",
    purgeProtection: "properties.enablePurgeProtection is not true: a deleted vault or secret can be purged before its retention ends",
    softDeleteOff: "properties.enableSoftDelete is false",
    softDeleteShort: (days: number, min: number) => `properties.softDeleteRetentionInDays is ${days}, below ${min}`,
    kmsNoRotation: "enableKeyRotation is not true (the default is false)",
    kmsRotationLong: (days: number, max: number) => `rotationPeriodInDays is ${days} (365 when unset), above ${max}`,
    secretWithoutRotation: (secret: string) => `secret ${secret} has no SecretRotation`,
    rotationLong: (days: number, max: number) => `the rotation interval is ${days} days, above ${max}`,
    rotationUnreadable: (schedule: string) => `scheduleExpression ${schedule} is not rate(N days); state the interval as automaticallyAfterDays or rate(N days) so it can be checked`,
    noExpiry: "properties.attributes.expires is not set: the secret never expires, so nothing triggers its rotation",
    expiryLong: (days: number, max: number) => `properties.attributes.expires is ${days} days away, beyond ${max}`,
    keyNoRotationPolicy: "properties.rotationPolicy has no lifetime action of type rotate",
    keyRotationLong: (duration: string, max: number) => `the key rotates after ${duration}, beyond ${max} days`,
    noRotationTrigger: "the stack has Key Vault secrets but neither an Event Grid subscription for Microsoft.KeyVault.SecretNearExpiry nor a rotator CronJob working on the vault: nothing rotates them",
    noReloadAnnotation: (secrets: string) => `the pods read Secret(s) ${secrets} but the workload has no Reloader annotation for them: a rotated value would not be picked up`,
    noReloader: "workloads carry Reloader annotations but the stack installs no Reloader chart",
    refreshDisabled: (value: string) => `spec.refreshInterval is ${value}: the Secret is never refreshed from the secret manager`,
    refreshLong: (value: string, maxHours: number) => `spec.refreshInterval ${value} is longer than ${maxHours}h`,
    noRotationRule: "the stack has Secrets Manager secrets but no EventBridge rule on aws.secretsmanager events",
    noTrail: "the stack has Secrets Manager secrets but no CloudTrail trail recording their API calls",
    noVaultAudit: (vault: string) => `Key Vault ${vault} has no diagnostic setting sending AuditEvent logs to a workspace or storage account`,
} as const;

/** Resource types that are the proper home of a secret value: the managed stores themselves. */
export const SECRET_STORE_TYPES = [
    "aws:secretsmanager/secretVersion:SecretVersion",
    "azure-native:keyvault:Secret",
    "random:index/randomPassword:RandomPassword",
    "random:index/randomString:RandomString",
] as const;

export const kubernetesContainerDisallowLiteralSecretEnv = resourcePolicy(
    {
        name: "kubernetes-container-disallow-literal-secret-env",
        description: "No container gets a secret as a literal environment value.",
        checklist: ["SEC-1"],
        severity: "critical",
        remediationSteps: "Move the value to the secret manager, let External Secrets sync it, and use env.valueFrom.secretKeyRef.",
    },
    validateWorkload((_workload, template, _args, report) => {
        previewSafe((check) => {
            let containers: ReturnType<typeof containersOf> = [];
            check(() => {
                containers = containersOf(template()?.spec as Json | undefined);
            });
            for (const { label, container } of containers) {
                eachChecked(check, () => container.env as Json[] | undefined, (env) => {
                    const name = String(env.name);
                    let value: unknown;
                    try {
                        value = env.value;
                    } catch (e) {
                        // A secret-named variable set by `value` is a literal in the manifest whatever it resolves to.
                        if (e instanceof UnknownValueError && isSecretName(name)) {
                            report(MESSAGES.literalEnv(label, name));
                            return;
                        }
                        throw e;
                    }
                    if (typeof value !== "string" || value === "" || isReference(value)) {
                        return;
                    }
                    const kind = secretValueKind(value);
                    if (kind || isSecretName(String(env.name))) {
                        report(MESSAGES.literalEnv(label, String(env.name)));
                    }
                });
            }
        });
    }),
);

/**
 * Reports secret-shaped strings and secret-named literal settings anywhere in a JSON tree. Members unknown during
 * preview are skipped: they are computed from other resources' outputs, not written as literals (see walkKnown).
 */
function scanTree(root: unknown, prefix: string, report: (message: string) => void, namedSettings: boolean): void {
    walkKnown(root, (path, value, key) => {
        if (typeof value !== "string" || value === "" || isReference(value)) {
            return;
        }
        const where = prefix && path ? `${prefix}.${path}` : prefix || path;
        const kind = secretValueKind(value);
        if (kind) {
            report(MESSAGES.literalValue(where, kind));
        } else if (namedSettings && key !== "" && isSecretName(key)) {
            report(MESSAGES.literalSetting(where));
        }
    });
    if (namedSettings) {
        // env lists inside chart values: [{ name: API_TOKEN, value: "..." }]
        walkKnown(root, (path, value) => {
            if (value && typeof value === "object" && !Array.isArray(value)) {
                const env = value as Json;
                if (typeof env.name === "string" && typeof env.value === "string" && env.value !== "" && !isReference(env.value) && isSecretName(env.name) && !secretValueKind(env.value)) {
                    report(MESSAGES.literalSetting(`${prefix}.${path} (${env.name})`));
                }
            }
        });
    }
}

const helmValues: ResourceValidation = (args, report) => {
    if (args.type !== HELM_RELEASE_TYPE && args.type !== HELM_CHART_V4_TYPE) {
        args.notApplicable("Policy only applies to Helm releases");
    }
    previewSafe((check) => {
        check(() => scanTree(args.props.values, "values", report, true));
    });
};

export const kubernetesHelmReleaseDisallowLiteralSecretValues = resourcePolicy(
    {
        name: "kubernetes-helm-release-disallow-literal-secret-values",
        description: "Helm chart values carry no secret: no credential-shaped string and no literal in a secret-named setting.",
        checklist: ["SEC-1"],
        severity: "critical",
        remediationSteps: "Use the chart's existingSecret/secretRef settings pointing at a Secret External Secrets maintains, or workload identity.",
    },
    helmValues,
);

export const kubernetesConfigMapDisallowSecretData = resourcePolicy(
    {
        name: "kubernetes-config-map-disallow-secret-data",
        description: "ConfigMaps (including embedded JSON config such as openclaw.json) carry no secret.",
        checklist: ["SEC-1"],
        severity: "critical",
        remediationSteps: "Keep secrets in the secret manager; in openclaw.json refer to them by env SecretRef.",
    },
    validateResourceOfType(ConfigMap, (configMap, _args, report) => {
        previewSafe((check) => {
            for (const [key, text] of Object.entries(configMap.data ?? {})) {
                check(() => {
                    let parsed: unknown = text;
                    try {
                        parsed = JSON.parse(String(text));
                    } catch {
                        // not JSON: scan the text itself
                    }
                    scanTree(parsed, `data.${key}`, report, typeof parsed === "object");
                });
            }
        });
    }),
);

export const kubernetesSecretDisallowInlineData = resourcePolicy(
    {
        name: "kubernetes-secret-disallow-inline-data",
        description: "The program declares no Kubernetes Secret with data: runtime secrets come from the secret manager through External Secrets.",
        checklist: ["SEC-1", "SEC-2"],
        severity: "high",
        remediationSteps: "Replace the Secret with an ExternalSecret whose target is the Secret name.",
    },
    validateResourceOfType(KubeSecret, (secret, _args, report) => {
        previewSafe((check) => {
            for (const field of ["data", "stringData"] as const) {
                check(() => {
                    if (Object.keys(secret[field] ?? {}).length > 0) {
                        report(MESSAGES.kubeSecretData(field));
                    }
                });
            }
        });
    }),
);

/** The provider resource of Pulumi's Node dynamic providers (pulumi.dynamic.Resource). */
const DYNAMIC_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

export const anyResourceDisallowLiteralSecret = resourcePolicy(
    {
        name: "any-resource-disallow-literal-secret",
        description: "No resource input outside a secret store holds a credential-shaped value (API keys, access keys, tokens, private keys).",
        checklist: ["SEC-1"],
        severity: "critical",
        remediationSteps: "Put the value in Secrets Manager / Key Vault (from `pulumi config set --secret`) and pass a reference.",
    },
    (args, report) => {
        if ((SECRET_STORE_TYPES as readonly string[]).includes(args.type)) {
            args.notApplicable("a secret store holds secret values by design");
        }
        // The dynamic provider's default provider: the engine, not the program, gives it the whole stack
        // configuration, each `--secret` value marked secret (github.com/pulumi/pulumi/pkg/v3@v3.248.0
        // resource/deploy/target.go GetPackageConfig); the analyzer shows policies those values unwrapped.
        if (args.type === DYNAMIC_PROVIDER_TYPE) {
            args.notApplicable("the dynamic provider's inputs are the stack configuration, secrets kept secret by the engine");
        }
        previewSafe((check) => {
            check(() => scanTree(args.props, "", report, false));
        });
    },
);

const EXTERNAL_SECRET_GROUP = "external-secrets.io";

export const kubernetesWorkloadMissingExternalSecret = stackPolicy(
    {
        name: "kubernetes-workload-missing-external-secret",
        description: "Every Secret a workload reads is maintained by an ExternalSecret from the secret manager (or is a cert-manager certificate).",
        checklist: ["SEC-2"],
        severity: "high",
        remediationSteps: "Create an ExternalSecret in the workload's namespace whose spec.target.name is the Secret the pod reads.",
    },
    (args, report) => {
        previewSafe((check) => {
            const managed = new Set<string>();
            let workloads = 0;
            let uncertain = false;
            for (const r of args.resources) {
                uncertain ||= !check(() => {
                    for (const o of kubeObjects([r])) {
                    const spec = o.object.spec as Json | undefined;
                    if (o.kind === "ExternalSecret" && o.apiVersion.startsWith(EXTERNAL_SECRET_GROUP)) {
                        const target = (spec?.target as Json | undefined)?.name ?? o.name;
                        managed.add(`${namespaceOf(o)}/${String(target)}`);
                    } else if (o.kind === "Certificate" && o.apiVersion.startsWith("cert-manager.io")) {
                        managed.add(`${namespaceOf(o)}/${String(spec?.secretName)}`);
                    }
                    }
                });
            }
            for (const r of args.resources) {
                if (!isWorkloadType(r.type)) {
                    continue;
                }
                workloads++;
                check(() => {
                    const namespace = namespaceOf({ namespace: (r.props.metadata as Json | undefined)?.namespace as string | undefined });
                    for (const secret of secretsConsumed(podTemplateOf(r.type as Parameters<typeof podTemplateOf>[0], r.props))) {
                        if (!managed.has(`${namespace}/${secret}`) && !uncertain) {
                            report(MESSAGES.notFromSecretManager(r.name, secret, namespace), r.urn);
                        }
                    }
                });
            }
            if (workloads === 0) {
                args.notApplicable("no Kubernetes workloads");
            }
        });
    },
);

export const awsSecretsmanagerSecretEnforceKmsEncryption = resourcePolicy(
    {
        name: "aws-secretsmanager-secret-enforce-kms-encryption",
        description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
        checklist: ["SEC-2"],
        severity: "medium",
        remediationSteps: "Set kmsKeyId to the stack's secrets key.",
    },
    validateResourceOfType(SmSecret, (secret, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (!isSet(() => secret.kmsKeyId)) {
                    report(MESSAGES.smDefaultKey);
                }
            });
        });
    }),
);

export const awsEksClusterEnableSecretsEncryption = resourcePolicy(
    {
        name: "aws-eks-cluster-enable-secrets-encryption",
        description: "EKS envelope-encrypts Kubernetes Secrets with a customer-managed KMS key.",
        checklist: ["SEC-2"],
        severity: "high",
        remediationSteps: 'Set encryptionConfig { provider: { keyArn }, resources: ["secrets"] }.',
    },
    validateResourceOfType(Cluster, (cluster, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const config = cluster.encryptionConfig;
                if (!isSet(() => config?.provider?.keyArn) || !(config?.resources ?? []).includes("secrets")) {
                    report(MESSAGES.eksSecretsUnencrypted);
                }
            });
        });
    }),
);

export const azureKeyVaultEnforceRbacAuthorization = resourcePolicy(
    {
        name: "azure-key-vault-enforce-rbac-authorization",
        description: "Key Vault authorizes with Azure RBAC, so secret access is granted and reviewed like every other role.",
        checklist: ["SEC-2", "RBAC-5"],
        severity: "medium",
        remediationSteps: "Set properties.enableRbacAuthorization true and grant Key Vault Secrets User per identity.",
    },
    validateResourceOfType(Vault, (vault, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (vault.properties?.enableRbacAuthorization !== true) {
                    report(MESSAGES.vaultNoRbac);
                }
            });
        });
    }),
);

export const azureAksClusterEnableKmsEncryption = resourcePolicy(
    {
        name: "azure-aks-cluster-enable-kms-encryption",
        description: "AKS encrypts etcd Secrets with a Key Vault key reached privately.",
        checklist: ["SEC-2"],
        severity: "high",
        remediationSteps: 'Set securityProfile.azureKeyVaultKms { enabled: true, keyId, keyVaultNetworkAccess: "Private", keyVaultResourceId }.',
    },
    validateResourceOfType(ManagedCluster, (cluster, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const kms = cluster.securityProfile?.azureKeyVaultKms;
                if (kms?.enabled !== true) {
                    report(MESSAGES.aksNoKms);
                } else if (kms.keyVaultNetworkAccess !== "Private") {
                    report(MESSAGES.aksKmsPublic);
                }
            });
        });
    }),
);

export const awsSecretsmanagerSecretConfigureRecoveryWindow = resourcePolicy(
    {
        name: "aws-secretsmanager-secret-configure-recovery-window",
        description: "Deleting a secret keeps a recovery window, so it and its versions can be restored.",
        checklist: ["SEC-3"],
        severity: "medium",
        remediationSteps: "Leave recoveryWindowInDays unset (30) or set 7 to 30.",
    },
    validateResourceOfType(SmSecret, (secret, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (secret.recoveryWindowInDays === 0) {
                    report(MESSAGES.noRecoveryWindow);
                }
            });
        });
    }),
);

export const azureKeyVaultEnablePurgeProtection = resourcePolicy(
    {
        name: "azure-key-vault-enable-purge-protection",
        description: "Key Vault keeps deleted secrets and versions recoverable: soft delete for the full retention, purge protection on.",
        checklist: ["SEC-3"],
        severity: "high",
        remediationSteps: "Set properties.enablePurgeProtection true and softDeleteRetentionInDays 90 (or leave it unset).",
        configSchema: { properties: { minSoftDeleteRetentionDays: { type: "integer", minimum: 7, maximum: 90, default: 90 } } },
    },
    validateResourceOfType(Vault, (vault, args, report) => {
        const { minSoftDeleteRetentionDays } = args.getConfig<{ minSoftDeleteRetentionDays: number }>();
        previewSafe((check) => {
            check(() => {
                if (vault.properties?.enablePurgeProtection !== true) {
                    report(MESSAGES.purgeProtection);
                }
            });
            check(() => {
                if (vault.properties?.enableSoftDelete === false) {
                    report(MESSAGES.softDeleteOff);
                }
            });
            check(() => {
                const days = vault.properties?.softDeleteRetentionInDays ?? 90;
                if (days < minSoftDeleteRetentionDays) {
                    report(MESSAGES.softDeleteShort(days, minSoftDeleteRetentionDays));
                }
            });
        });
    }),
);

const rotationSchema = {
    properties: {
        maxRotationDays: { type: "integer" as const, minimum: 1, maximum: 365, default: 90, description: "The longest allowed interval between rotations." },
    },
};

export const awsKmsKeyEnableRotation = resourcePolicy(
    {
        name: "aws-kms-key-enable-rotation",
        description: "Customer-managed KMS keys rotate automatically within the maximum interval.",
        checklist: ["SEC-4"],
        severity: "high",
        remediationSteps: "Set enableKeyRotation true and rotationPeriodInDays 90.",
        configSchema: rotationSchema,
    },
    validateResourceOfType(KmsKey, (key, args, report) => {
        const { maxRotationDays } = args.getConfig<{ maxRotationDays: number }>();
        previewSafe((check) => {
            check(() => {
                const spec = key.customerMasterKeySpec;
                if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") {
                    args.notApplicable("asymmetric and HMAC keys cannot rotate automatically");
                }
            });
            check(() => {
                if (key.enableKeyRotation !== true) {
                    report(MESSAGES.kmsNoRotation);
                    return;
                }
                const days = key.rotationPeriodInDays ?? 365;
                if (days > maxRotationDays) {
                    report(MESSAGES.kmsRotationLong(days, maxRotationDays));
                }
            });
        });
    }),
);

export const awsSecretsmanagerSecretMissingRotation = stackPolicy(
    {
        name: "aws-secretsmanager-secret-missing-rotation",
        description: "Every Secrets Manager secret has a rotation schedule.",
        checklist: ["SEC-4"],
        severity: "high",
        remediationSteps: "Add an aws.secretsmanager.SecretRotation for the secret (a rotation Lambda, or a notifying one for keys only a vendor can rotate).",
    },
    (args, report) => {
        const secrets = args.resources.filter((r) => r.isType(SmSecret));
        if (secrets.length === 0) {
            args.notApplicable("no Secrets Manager secret");
        }
        const rotations = args.resources.filter((r) => r.isType(SecretRotation));
        for (const secret of secrets) {
            if (!rotations.some((r) => (r.propertyDependencies.secretId ?? []).includes(secret))) {
                report(MESSAGES.secretWithoutRotation(secret.name), secret.urn);
            }
        }
    },
);

export const awsSecretsmanagerRotationConfigureMaxInterval = resourcePolicy(
    {
        name: "aws-secretsmanager-rotation-configure-max-interval",
        description: "Secrets Manager rotations run at least every maxRotationDays.",
        checklist: ["SEC-4"],
        severity: "high",
        remediationSteps: "Set rotationRules.automaticallyAfterDays (or rate(N days)) to at most maxRotationDays (openclaw:rotationDays).",
        configSchema: rotationSchema,
    },
    validateResourceOfType(SecretRotation, (rotation, args, report) => {
        const { maxRotationDays } = args.getConfig<{ maxRotationDays: number }>();
        previewSafe((check) => {
            check(() => {
                const rules = rotation.rotationRules;
                let days = rules?.automaticallyAfterDays;
                if (days === undefined && rules?.scheduleExpression !== undefined) {
                    const m = /^rate\((\d+) days?\)$/.exec(rules.scheduleExpression.trim());
                    if (!m) {
                        report(MESSAGES.rotationUnreadable(rules.scheduleExpression));
                        return;
                    }
                    days = Number(m[1]);
                }
                if (days === undefined || days > maxRotationDays) {
                    report(MESSAGES.rotationLong(days ?? Infinity, maxRotationDays));
                }
            });
        });
    }),
);

export const azureKeyVaultSecretConfigureExpiry = resourcePolicy(
    {
        name: "azure-key-vault-secret-configure-expiry",
        description: "Key Vault secrets expire within maxRotationDays, which drives their rotation.",
        checklist: ["SEC-4"],
        severity: "high",
        remediationSteps: "Set properties.attributes.expires to now + openclaw:rotationDays (seconds since the epoch).",
        configSchema: rotationSchema,
    },
    validateResourceOfType(VaultSecret, (secret, args, report) => {
        const { maxRotationDays } = args.getConfig<{ maxRotationDays: number }>();
        previewSafe((check) => {
            check(() => {
                const exp = secret.properties?.attributes?.expires;
                if (exp === undefined) {
                    report(MESSAGES.noExpiry);
                    return;
                }
                const days = Math.floor((Number(exp) - Date.now() / 1000) / 86400);
                if (days > maxRotationDays) {
                    report(MESSAGES.expiryLong(days, maxRotationDays));
                }
            });
        });
    }),
);

/** An ISO 8601 duration (`P90D`, `P3M`, `P1Y`, `P2W`) in days; months as 30, years as 365. */
export function isoDurationDays(text: string): number | undefined {
    const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(text.trim());
    if (!m || text.trim() === "P") {
        return undefined;
    }
    return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0) * 7 + Number(m[4] ?? 0);
}

export const azureKeyVaultKeyConfigureRotationPolicy = resourcePolicy(
    {
        name: "azure-key-vault-key-configure-rotation-policy",
        description: "Key Vault keys have a rotation policy that rotates them within maxRotationDays.",
        checklist: ["SEC-4"],
        severity: "high",
        remediationSteps: 'Set properties.rotationPolicy.lifetimeActions [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } }, a notify action] and attributes.expiryTime.',
        configSchema: rotationSchema,
    },
    validateResourceOfType(VaultKey, (key, args, report) => {
        const { maxRotationDays } = args.getConfig<{ maxRotationDays: number }>();
        previewSafe((check) => {
            check(() => {
                const policy = key.properties?.rotationPolicy;
                const rotate = (policy?.lifetimeActions ?? []).filter((a) => String(a.action?.type ?? "").toLowerCase() === "rotate");
                if (rotate.length === 0) {
                    report(MESSAGES.keyNoRotationPolicy);
                    return;
                }
                const expiry = policy?.attributes?.expiryTime ? isoDurationDays(policy.attributes.expiryTime) : undefined;
                const within = rotate.some((a) => {
                    const after = a.trigger?.timeAfterCreate ? isoDurationDays(a.trigger.timeAfterCreate) : undefined;
                    const before = a.trigger?.timeBeforeExpiry ? isoDurationDays(a.trigger.timeBeforeExpiry) : undefined;
                    const days = after ?? (expiry !== undefined && before !== undefined ? expiry - before : undefined);
                    return days !== undefined && days <= maxRotationDays;
                });
                if (!within) {
                    const trigger = rotate[0].trigger;
                    report(MESSAGES.keyRotationLong(String(trigger?.timeAfterCreate ?? `${String(trigger?.timeBeforeExpiry)} before expiry`), maxRotationDays));
                }
            });
        });
    }),
);

export const azureKeyVaultMissingRotationTrigger = stackPolicy(
    {
        name: "azure-key-vault-missing-rotation-trigger",
        description: "Key Vault secret expiry is acted on: an Event Grid subscription receives SecretNearExpiry, or an in-cluster rotator CronJob works on the vault.",
        checklist: ["SEC-4", "SEC-5"],
        severity: "high",
        remediationSteps: "Create an Event Grid system topic on the vault with a subscription for Microsoft.KeyVault.SecretNearExpiry, or a rotator CronJob whose spec depends on the vault (workload identity).",
    },
    (args, report) => {
        if (!args.resources.some((r) => r.isType(VaultSecret))) {
            args.notApplicable("no Key Vault secret");
        }
        previewSafe((check) => {
            let wired = false;
            for (const r of args.resources.filter((x) => x.type.startsWith("azure-native:eventgrid:") && x.type.endsWith("EventSubscription"))) {
                let matches = false;
                const read = check(() => {
                    const types = ((r.props.filter as Json | undefined)?.includedEventTypes as string[] | undefined) ?? [];
                    matches = types.includes("Microsoft.KeyVault.SecretNearExpiry");
                });
                // A subscription whose filter is unknown may be the trigger: uncertain, not missing.
                wired ||= matches || !read;
            }
            const vaults = args.resources.filter((r) => r.isType(Vault));
            const rotator = args.resources.some(
                (r) => r.type === "kubernetes:batch/v1:CronJob" && vaults.some((v) => (r.propertyDependencies.spec ?? []).includes(v) || r.dependencies.includes(v)),
            );
            if (!wired && !rotator) {
                report(MESSAGES.noRotationTrigger);
            }
        });
    },
);

const RELOADER_ANNOTATIONS = ["reloader.stakater.com/auto", "secret.reloader.stakater.com/auto", "reloader.stakater.com/search"];

export const kubernetesWorkloadEnableSecretReload = resourcePolicy(
    {
        name: "kubernetes-workload-enable-secret-reload",
        description: "A workload that reads Secrets restarts when they change (Reloader annotations).",
        checklist: ["SEC-5"],
        severity: "medium",
        remediationSteps: 'Annotate the workload with secret.reloader.stakater.com/reload: "<secret>" (or reloader.stakater.com/auto: "true").',
    },
    validateWorkload((workload, template, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const secrets = secretsConsumed(template());
                if (secrets.length === 0) {
                    return;
                }
                const annotations = ((workload.metadata as Json | undefined)?.annotations as Record<string, string> | undefined) ?? {};
                if (RELOADER_ANNOTATIONS.some((a) => annotations[a] === "true")) {
                    return;
                }
                const listed = String(annotations["secret.reloader.stakater.com/reload"] ?? "").split(",").map((s) => s.trim());
                const missing = secrets.filter((s) => !listed.includes(s));
                if (missing.length > 0) {
                    report(MESSAGES.noReloadAnnotation(missing.join(", ")));
                }
            });
        });
    }),
);

export const kubernetesHelmReleaseMissingReloader = stackPolicy(
    {
        name: "kubernetes-helm-release-missing-reloader",
        description: "When workloads rely on Reloader annotations, the stack installs Reloader.",
        checklist: ["SEC-5"],
        severity: "medium",
        remediationSteps: "Install the stakater reloader chart.",
    },
    (args, report) => {
        previewSafe((check) => {
            let annotated = false;
            let installed = false;
            for (const r of args.resources) {
                check(() => {
                    if (isWorkloadType(r.type)) {
                        const annotations = ((r.props.metadata as Json | undefined)?.annotations as Record<string, string> | undefined) ?? {};
                        annotated ||= Object.keys(annotations).some((a) => a.includes("reloader.stakater.com"));
                    } else if (r.type === HELM_RELEASE_TYPE || r.type === HELM_CHART_V4_TYPE) {
                        installed ||= /(^|\/)reloader$/.test(String(r.props.chart ?? ""));
                    }
                });
            }
            if (!annotated) {
                args.notApplicable("no workload uses Reloader annotations");
            }
            if (!installed) {
                report(MESSAGES.noReloader);
            }
        });
    },
);

export const kubernetesExternalSecretConfigureRefreshInterval = resourcePolicy(
    {
        name: "kubernetes-external-secret-configure-refresh-interval",
        description: "ExternalSecrets refresh from the secret manager well within the rotation period.",
        checklist: ["SEC-5"],
        severity: "medium",
        remediationSteps: 'Set spec.refreshInterval to a positive duration of at most maxRefreshHours (e.g. "1h").',
        configSchema: { properties: { maxRefreshHours: { type: "integer", minimum: 1, maximum: 720, default: 24 } } },
    },
    validateKind(EXTERNAL_SECRET_GROUP, "ExternalSecret", (object, args, report) => {
        const { maxRefreshHours } = args.getConfig<{ maxRefreshHours: number }>();
        previewSafe((check) => {
            check(() => {
                // External Secrets defaults refreshInterval to 1h; 0 disables refreshing.
                const value = String((object.spec as Json | undefined)?.refreshInterval ?? "1h");
                const seconds = goDurationSeconds(value);
                if (seconds === 0) {
                    report(MESSAGES.refreshDisabled(value));
                } else if (seconds === undefined || seconds > maxRefreshHours * 3600) {
                    report(MESSAGES.refreshLong(value, maxRefreshHours));
                }
            });
        });
    }),
);

export const awsSecretsmanagerMissingRotationAudit = stackPolicy(
    {
        name: "aws-secretsmanager-missing-rotation-audit",
        description: "Secrets Manager rotation is auditable: an EventBridge rule captures its events and CloudTrail records its API calls.",
        checklist: ["SEC-6"],
        severity: "medium",
        remediationSteps: "Add an EventBridge rule with source aws.secretsmanager (rotation events) targeting a log group, and a CloudTrail trail.",
    },
    (args, report) => {
        if (!args.resources.some((r) => r.isType(SmSecret))) {
            args.notApplicable("no Secrets Manager secret");
        }
        previewSafe((check) => {
            let rule = false;
            for (const r of args.resources.filter((x) => x.type === "aws:cloudwatch/eventRule:EventRule")) {
                let matches = false;
                const read = check(() => {
                    const pattern = r.props.eventPattern;
                    const parsed = (typeof pattern === "string" ? JSON.parse(pattern) : pattern) as Json | undefined;
                    const source = parsed?.source;
                    matches = (Array.isArray(source) ? source : [source]).includes("aws.secretsmanager");
                });
                // A rule whose pattern is unknown may be the audit rule: uncertain, not missing.
                rule ||= matches || !read;
            }
            if (!rule) {
                report(MESSAGES.noRotationRule);
            }
            check(() => {
                if (!args.resources.some((r) => r.type === "aws:cloudtrail/trail:Trail" && r.props.enableLogging !== false)) {
                    report(MESSAGES.noTrail);
                }
            });
        });
    },
);

/** The diagnostic settings whose resourceUri comes from `target`. */
export function diagnosticSettingsOf(resources: readonly PolicyResource[], target: PolicyResource): PolicyResource[] {
    return resources.filter((r) => r.type === "azure-native:monitor:DiagnosticSetting" && (r.propertyDependencies.resourceUri ?? []).includes(target));
}

/** True when a diagnostic setting enables one of the categories (or a category group that includes them). */
export function enablesLogs(setting: PolicyResource, categories: readonly string[], groups: readonly string[]): boolean {
    const logs = (setting.props.logs as Json[] | undefined) ?? [];
    const destination = setting.props.workspaceId !== undefined || setting.props.storageAccountId !== undefined;
    return destination && logs.some((l) => l.enabled !== false && (categories.includes(String(l.category)) || groups.includes(String(l.categoryGroup))));
}

export const azureKeyVaultMissingAuditLogs = stackPolicy(
    {
        name: "azure-key-vault-missing-audit-logs",
        description: "Every Key Vault sends its AuditEvent log (every read, write and rotation) to Log Analytics or the archive.",
        checklist: ["SEC-6", "LOG-1"],
        severity: "high",
        remediationSteps: "Add a monitor.DiagnosticSetting on the vault with the audit category group (or AuditEvent) to the workspace.",
    },
    (args, report) => {
        const vaults = args.resources.filter((r) => r.isType(Vault));
        if (vaults.length === 0) {
            args.notApplicable("no Key Vault");
        }
        previewSafe((check) => {
            for (const vault of vaults) {
                check(() => {
                    if (!diagnosticSettingsOf(args.resources, vault).some((s) => enablesLogs(s, ["AuditEvent"], ["audit", "allLogs"]))) {
                        report(MESSAGES.noVaultAudit(vault.name), vault.urn);
                    }
                });
            }
        });
    },
);

export const secretsPolicies = [
    kubernetesContainerDisallowLiteralSecretEnv,
    kubernetesHelmReleaseDisallowLiteralSecretValues,
    kubernetesConfigMapDisallowSecretData,
    kubernetesSecretDisallowInlineData,
    anyResourceDisallowLiteralSecret,
    kubernetesWorkloadMissingExternalSecret,
    awsSecretsmanagerSecretEnforceKmsEncryption,
    awsEksClusterEnableSecretsEncryption,
    azureKeyVaultEnforceRbacAuthorization,
    azureAksClusterEnableKmsEncryption,
    awsSecretsmanagerSecretConfigureRecoveryWindow,
    azureKeyVaultEnablePurgeProtection,
    awsKmsKeyEnableRotation,
    awsSecretsmanagerSecretMissingRotation,
    awsSecretsmanagerRotationConfigureMaxInterval,
    azureKeyVaultSecretConfigureExpiry,
    azureKeyVaultKeyConfigureRotationPolicy,
    azureKeyVaultMissingRotationTrigger,
    kubernetesWorkloadEnableSecretReload,
    kubernetesHelmReleaseMissingReloader,
    kubernetesExternalSecretConfigureRefreshInterval,
    awsSecretsmanagerMissingRotationAudit,
    azureKeyVaultMissingAuditLogs,
];
