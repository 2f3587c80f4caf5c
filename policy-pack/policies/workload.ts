// Workload policies: pods run as the Pod Security "restricted" profile asks, without host access or API tokens
// they do not need, in namespaces that enforce it. Least privilege at the Kubernetes level (RBAC-5, NET-3).
import { LaunchTemplate } from "@pulumi/aws/ec2";
import { Namespace } from "@pulumi/kubernetes/core/v1";
import { validateResourceOfType } from "@pulumi/policy";
import { containersOf, HELM_CHART_V4_TYPE, HELM_RELEASE_TYPE, Json, validateWorkload, walkKnown } from "./lib/kubernetes";
import { resourcePolicy, stackPolicy } from "./lib/meta";
import { eachChecked, previewSafe } from "./lib/preview";

export const MESSAGES = {
    runAsRoot: (container: string) => `${container} may run as root: runAsNonRoot is not true on the container or the pod`,
    runAsUserZero: (where: string) => `${where} sets runAsUser 0`,
    privilegeEscalation: (container: string) => `${container} does not set allowPrivilegeEscalation false`,
    privileged: (container: string) => `${container} is privileged`,
    capabilitiesNotDropped: (container: string) => `${container} does not drop ALL capabilities`,
    capabilityAdded: (container: string, capability: string) => `${container} adds capability ${capability}`,
    noSeccomp: (container: string) => `${container} has no seccompProfile RuntimeDefault or Localhost (on the container or the pod)`,
    writableRoot: (container: string) => `${container} does not set readOnlyRootFilesystem true`,
    hostNamespace: (field: string) => `the pod sets ${field} true`,
    hostPath: (volume: string) => `volume ${volume} mounts a host path`,
    hostPort: (container: string, port: number) => `${container} binds host port ${port}`,
    tokenMounted: "the pod does not set automountServiceAccountToken false: every process in it can call the Kubernetes API",
    namespaceNotRestricted: (namespace: string, level: string) => `namespace ${namespace} enforces Pod Security "${level}" without a recorded exception (openclaw.io/pod-security-exception)`,
    namespaceNoEnforce: (namespace: string) => `namespace ${namespace} has no pod-security.kubernetes.io/enforce label`,
    imdsTokensOptional: "metadataOptions.httpTokens is not required (the default is optional): IMDSv1 hands out node credentials to any request",
    imdsHopLimit: (limit: number, max: number) => `metadataOptions.httpPutResponseHopLimit is ${limit}, above ${max}: pods can reach the node's instance metadata`,
    ebsUnencrypted: (device: string) => `block device ${device} is not encrypted`,
    privilegedValue: (release: string, path: string, value: string) => `release ${release} values.${path} is ${value}, and its namespace records no Pod Security exception`,
} as const;

const RESTRICTED_ADDABLE = ["NET_BIND_SERVICE"];

/** The annotation that records why a namespace enforces less than Pod Security "restricted". */
export const EXCEPTION_ANNOTATION = "openclaw.io/pod-security-exception";

export const kubernetesPodEnforceRestrictedSecurityContext = resourcePolicy(
    {
        name: "kubernetes-pod-enforce-restricted-security-context",
        description: "Every container (init containers too) runs as the Pod Security restricted profile requires, with a read-only root filesystem.",
        checklist: ["RBAC-5"],
        severity: "high",
        remediationSteps: "Set runAsNonRoot true, allowPrivilegeEscalation false, capabilities.drop [ALL], seccompProfile RuntimeDefault and readOnlyRootFilesystem true on every container.",
    },
    validateWorkload((_workload, template, _args, report) => {
        previewSafe((check) => {
            let spec: Json | undefined;
            check(() => {
                spec = template()?.spec as Json | undefined;
            });
            const pod = (spec?.securityContext as Json | undefined) ?? {};
            check(() => {
                if (pod.runAsUser === 0) {
                    report(MESSAGES.runAsUserZero("the pod"));
                }
            });
            let containers: ReturnType<typeof containersOf> = [];
            check(() => {
                containers = containersOf(spec);
            });
            for (const { label, container } of containers) {
                check(() => {
                    const sc = (container.securityContext as Json | undefined) ?? {};
                    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
                        report(MESSAGES.runAsRoot(label));
                    }
                    if (sc.runAsUser === 0) {
                        report(MESSAGES.runAsUserZero(label));
                    }
                    if (sc.allowPrivilegeEscalation !== false) {
                        report(MESSAGES.privilegeEscalation(label));
                    }
                    if (sc.privileged === true) {
                        report(MESSAGES.privileged(label));
                    }
                    const capabilities = (sc.capabilities as Json | undefined) ?? {};
                    if (!((capabilities.drop as string[] | undefined) ?? []).includes("ALL")) {
                        report(MESSAGES.capabilitiesNotDropped(label));
                    }
                    for (const added of (capabilities.add as string[] | undefined) ?? []) {
                        if (!RESTRICTED_ADDABLE.includes(added)) {
                            report(MESSAGES.capabilityAdded(label, added));
                        }
                    }
                    const seccomp = String(((sc.seccompProfile ?? pod.seccompProfile) as Json | undefined)?.type ?? "");
                    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
                        report(MESSAGES.noSeccomp(label));
                    }
                    if (sc.readOnlyRootFilesystem !== true) {
                        report(MESSAGES.writableRoot(label));
                    }
                });
            }
        });
    }),
);

export const kubernetesPodDisallowHostAccess = resourcePolicy(
    {
        name: "kubernetes-pod-disallow-host-access",
        description: "Pods share no host namespace, mount no host path and bind no host port (host networking also bypasses NetworkPolicy).",
        checklist: ["NET-3", "RBAC-5"],
        severity: "high",
        remediationSteps: "Remove hostNetwork/hostPID/hostIPC, hostPath volumes and hostPort.",
    },
    validateWorkload((_workload, template, _args, report) => {
        previewSafe((check) => {
            let spec: Json | undefined;
            check(() => {
                spec = template()?.spec as Json | undefined;
            });
            for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
                check(() => {
                    if (spec?.[field] === true) {
                        report(MESSAGES.hostNamespace(field));
                    }
                });
            }
            eachChecked(check, () => spec?.volumes as Json[] | undefined, (volume) => {
                if (volume.hostPath !== undefined) {
                    report(MESSAGES.hostPath(String(volume.name)));
                }
            });
            check(() => {
                for (const { label, container } of containersOf(spec)) {
                    for (const port of (container.ports as Json[] | undefined) ?? []) {
                        if (port.hostPort !== undefined && port.hostPort !== 0) {
                            report(MESSAGES.hostPort(label, Number(port.hostPort)));
                        }
                    }
                }
            });
        });
    }),
);

export const kubernetesPodDisallowServiceAccountToken = resourcePolicy(
    {
        name: "kubernetes-pod-disallow-service-account-token",
        description: "Pods that do not call the Kubernetes API get no service account token.",
        checklist: ["RBAC-5"],
        severity: "medium",
        remediationSteps: "Set automountServiceAccountToken false on the pod spec; list workloads that need the API in allowedTokenWorkloads.",
        configSchema: {
            properties: {
                allowedTokenWorkloads: { type: "array", items: { type: "string" }, default: [], description: "namespace/name of workloads that need the Kubernetes API." },
            },
        },
        exceptions: ["allowedTokenWorkloads"],
    },
    validateWorkload((workload, template, args, report) => {
        const { allowedTokenWorkloads } = args.getConfig<{ allowedTokenWorkloads: string[] }>();
        previewSafe((check) => {
            check(() => {
                const metadata = (workload.metadata as Json | undefined) ?? {};
                if (allowedTokenWorkloads.includes(`${String(metadata.namespace ?? "default")}/${String(metadata.name)}`)) {
                    return;
                }
                if ((template()?.spec as Json | undefined)?.automountServiceAccountToken !== false) {
                    report(MESSAGES.tokenMounted);
                }
            });
        });
    }),
);

export const kubernetesNamespaceEnforcePodSecurity = resourcePolicy(
    {
        name: "kubernetes-namespace-enforce-pod-security",
        description: 'Every namespace enforces Pod Security "restricted", or records why it cannot.',
        checklist: ["RBAC-5"],
        severity: "high",
        remediationSteps: 'Label the namespace pod-security.kubernetes.io/enforce: restricted; where a system component needs more, set the lowest level that works and the openclaw.io/pod-security-exception annotation with the reason.',
    },
    validateResourceOfType(Namespace, (namespace, args, report) => {
        previewSafe((check) => {
            check(() => {
                const metadata = namespace.metadata ?? {};
                const name = String(metadata.name ?? args.name);
                const level = metadata.labels?.["pod-security.kubernetes.io/enforce"];
                if (level === undefined) {
                    report(MESSAGES.namespaceNoEnforce(name));
                } else if (level !== "restricted" && !metadata.annotations?.[EXCEPTION_ANNOTATION]) {
                    report(MESSAGES.namespaceNotRestricted(name, level));
                }
            });
        });
    }),
);

/** Chart values that turn a pod privileged, whatever chart they belong to. */
const PRIVILEGED_VALUES: Readonly<Record<string, unknown>> = {
    privileged: true,
    allowPrivilegeEscalation: true,
    runAsNonRoot: false,
    runAsUser: 0,
    hostNetwork: true,
    hostPID: true,
    hostIPC: true,
};

export const kubernetesHelmReleaseDisallowPrivilegedValues = stackPolicy(
    {
        name: "kubernetes-helm-release-disallow-privileged-values",
        description: "Chart values do not make pods privileged, root, or host-namespaced, unless the release's namespace records a Pod Security exception.",
        checklist: ["RBAC-5", "NET-3"],
        severity: "high",
        remediationSteps:
            "Set the chart's securityContext values to the restricted profile; where a node agent cannot (a log collector reading /var/log), install it in its own namespace labelled with the lowest working Pod Security level and the openclaw.io/pod-security-exception annotation giving the reason.",
    },
    (args, report) => {
        previewSafe((check) => {
            const excepted = new Set<string>();
            for (const ns of args.resources.filter((r) => r.isType(Namespace))) {
                check(() => {
                    const metadata = (ns.props.metadata as Json | undefined) ?? {};
                    if (((metadata.annotations as Record<string, string> | undefined) ?? {})[EXCEPTION_ANNOTATION]) {
                        excepted.add(String(metadata.name));
                    }
                });
            }
            const releases = args.resources.filter((r) => r.type === HELM_RELEASE_TYPE || r.type === HELM_CHART_V4_TYPE);
            if (releases.length === 0) {
                args.notApplicable("no Helm release");
            }
            for (const release of releases) {
                check(() => {
                    if (excepted.has(String(release.props.namespace ?? "default"))) {
                        return;
                    }
                    walkKnown(
                        release.props.values,
                        (path, value, key) => {
                            if (key in PRIVILEGED_VALUES && PRIVILEGED_VALUES[key] === value) {
                                report(MESSAGES.privilegedValue(release.name, path, JSON.stringify(value)), release.urn);
                            }
                        },
                        (_path, key, error) => {
                            // Only an unknown privileged setting leaves the verdict open.
                            if (key in PRIVILEGED_VALUES) {
                                throw error;
                            }
                        },
                    );
                });
            }
        });
    },
);

export const awsLaunchTemplateEnforceImdsv2 = resourcePolicy(
    {
        name: "aws-launch-template-enforce-imdsv2",
        description: "Nodes require IMDSv2 with a hop limit that keeps pods off the instance metadata, and encrypt their volumes.",
        checklist: ["RBAC-5", "NET-3", "SEC-2"],
        severity: "high",
        remediationSteps: 'Set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 } and ebs.encrypted "true" on every block device.',
        configSchema: { properties: { maxHopLimit: { type: "integer", minimum: 1, maximum: 64, default: 1, description: "2 only where a pod on the host network needs IMDS; say why." } } },
    },
    validateResourceOfType(LaunchTemplate, (template, args, report) => {
        const { maxHopLimit } = args.getConfig<{ maxHopLimit: number }>();
        previewSafe((check) => {
            check(() => {
                if (template.metadataOptions?.httpTokens !== "required") {
                    report(MESSAGES.imdsTokensOptional);
                }
            });
            check(() => {
                // The EC2 default hop limit is 1 for new launch templates without metadata options.
                const limit = template.metadataOptions?.httpPutResponseHopLimit ?? 1;
                if (limit > maxHopLimit) {
                    report(MESSAGES.imdsHopLimit(limit, maxHopLimit));
                }
            });
            eachChecked(check, () => template.blockDeviceMappings, (mapping) => {
                if (mapping.ebs && String(mapping.ebs.encrypted) !== "true") {
                    report(MESSAGES.ebsUnencrypted(String(mapping.deviceName)));
                }
            });
        });
    }),
);

export const workloadPolicies = [
    awsLaunchTemplateEnforceImdsv2,
    kubernetesPodEnforceRestrictedSecurityContext,
    kubernetesPodDisallowHostAccess,
    kubernetesPodDisallowServiceAccountToken,
    kubernetesNamespaceEnforcePodSecurity,
    kubernetesHelmReleaseDisallowPrivilegedValues,
];
