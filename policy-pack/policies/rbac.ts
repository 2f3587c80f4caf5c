// Access-control policies (RBAC-1..RBAC-7): the four checklist roles at cloud and Kubernetes level, least
// privilege, groups never users, and a reviewable list of bindings.
import { AccessEntry, AccessPolicyAssociation, Cluster } from "@pulumi/aws/eks";
import { AccessKey, Policy as IamPolicy, Role as IamRole, RolePolicy, RolePolicyAttachment, User as IamUser } from "@pulumi/aws/iam";
import { RoleAssignment } from "@pulumi/azure-native/authorization";
import { ManagedCluster } from "@pulumi/azure-native/containerservice";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { Json, KubeObject, kubeObjects } from "./lib/kubernetes";
import { resourcePolicy, stackPolicy } from "./lib/meta";
import { eachChecked, previewSafe } from "./lib/preview";

export const MESSAGES = {
    userSubject: (binding: string, subject: string) => `${binding} binds User ${subject}: bind a Group`,
    everyoneSubject: (binding: string, subject: string) => `${binding} binds ${subject}, which is every caller`,
    clusterAdminBinding: (binding: string) => `${binding} grants cluster-admin: administrators get it through the cloud (EKS access policy / AKS RBAC Cluster Admin)`,
    clusterWideWrite: (binding: string, role: string) => `${binding} grants ClusterRole ${role} cluster-wide, and it is not read-only: grant write access per namespace`,
    clusterWideSecrets: (binding: string, role: string) => `${binding} grants ClusterRole ${role} cluster-wide, and it reads Secrets`,
    unknownRole: (binding: string, role: string) => `${binding} grants ClusterRole ${role}, which is neither in the stack nor a known built-in: its rules cannot be checked`,
    wildcardRule: (rule: number, what: string) => `rules[${rule}] grants ${what}`,
    iamUserPrincipal: (statement: number, principal: string) => `assumeRolePolicy Statement[${statement}] trusts ${principal}: trust roles people assume through SSO, never IAM users`,
    iamEveryone: (statement: number) => `assumeRolePolicy Statement[${statement}] trusts every AWS principal ("*")`,
    iamUserCreated: (kind: string) => `the stack creates an IAM ${kind}: people sign in through SSO roles, never long-lived users or keys`,
    accessEntryUser: (principal: string) => `principalArn ${principal} is an IAM user`,
    associationScope: (policy: string) => `${policy} is associated at cluster scope: write access must be namespace-scoped`,
    authMode: (mode: string) => `accessConfig.authenticationMode is ${mode}: use API (access entries only, no aws-auth ConfigMap)`,
    creatorAdmin: "accessConfig.bootstrapClusterCreatorAdminPermissions is not false (the default is true): the creating identity becomes a hidden cluster admin",
    adminWildcard: (statement: number) => `Statement[${statement}] allows Action "*" on Resource "*"`,
    adminAttachment: (arn: string) => `attaches ${arn}`,
    azurePrincipal: (type: string) => `principalType is ${type}: assign roles to Entra groups (Group) or workload identities (ServicePrincipal) only`,
    localAccounts: "disableLocalAccounts is not true: the static cluster-admin kubeconfig bypasses Entra ID",
    aadManaged: "aadProfile.managed is not true: no Entra ID integration",
    azureRbac: "aadProfile.enableAzureRBAC is not true: Kubernetes authorization is not bound to Azure role assignments",
    rbacOff: "enableRBAC is false",
    roleMissing: (role: string, what: string) => `no ${what} for the ${role} role`,
    secretReadAssignment: (role: string, scope: string) => `${role} on ${scope} lets the group read Kubernetes Secrets there (the runtime secrets): operators and auditors get Reader plus the Kubernetes operator role`,
    secretReadAssociation: (policy: string, namespaces: string) => `${policy} on ${namespaces} lets the role read Kubernetes Secrets there (the runtime secrets); use AmazonEKSViewPolicy plus the Kubernetes operator role`,
    noReport: (keys: string) => `no stack output lists the role bindings for review (expected one of ${keys})`,
} as const;

/** Built-in ClusterRoles whose rules are known: read-only or not, Secrets or not. */
const BUILTIN_ROLES: Readonly<Record<string, { readOnly: boolean; secrets: boolean }>> = {
    view: { readOnly: true, secrets: false },
    edit: { readOnly: false, secrets: true },
    admin: { readOnly: false, secrets: true },
    "cluster-admin": { readOnly: false, secrets: true },
};

const READ_VERBS = ["get", "list", "watch"];
const EVERYONE = ["system:authenticated", "system:unauthenticated", "system:anonymous"];

function bindingLabel(o: KubeObject): string {
    return `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${String(o.name ?? o.resource.name)}`;
}

function reportBindingSubjects(object: Json, report: (m: string) => void, label: string): void {
    for (const subject of (object.subjects as Json[] | undefined) ?? []) {
        if (subject.kind === "User") {
            report(MESSAGES.userSubject(label, String(subject.name)));
        } else if (subject.kind === "Group" && EVERYONE.includes(String(subject.name))) {
            report(MESSAGES.everyoneSubject(label, String(subject.name)));
        }
    }
}

export const kubernetesRoleBindingDisallowUserSubjects = resourcePolicy(
    {
        name: "kubernetes-role-binding-disallow-user-subjects",
        description: "RoleBindings and ClusterRoleBindings bind Groups (and workload ServiceAccounts), never individual Users or everyone.",
        checklist: ["RBAC-6"],
        severity: "high",
        remediationSteps: "Replace User subjects with the platform's Group for that checklist role.",
    },
    (args, report) => {
        if (args.type !== "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding" && args.type !== "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding") {
            args.notApplicable("Policy only applies to RoleBindings and ClusterRoleBindings");
        }
        previewSafe((check) => {
            check(() => reportBindingSubjects(args.props, report, args.type.split(":").pop() as string));
        });
    },
);

export const kubernetesClusterRoleBindingDisallowClusterAdmin = resourcePolicy(
    {
        name: "kubernetes-cluster-role-binding-disallow-cluster-admin",
        description: "No binding grants cluster-admin; full control comes from the cloud's admin mapping only.",
        checklist: ["RBAC-1", "RBAC-5"],
        severity: "critical",
        remediationSteps: "Remove the binding; map the admin group to AmazonEKSClusterAdminPolicy (EKS) or Azure Kubernetes Service RBAC Cluster Admin (AKS).",
    },
    (args, report) => {
        if (args.type !== "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding" && args.type !== "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding") {
            args.notApplicable("Policy only applies to RoleBindings and ClusterRoleBindings");
        }
        previewSafe((check) => {
            check(() => {
                if ((args.props.roleRef as Json | undefined)?.name === "cluster-admin") {
                    report(MESSAGES.clusterAdminBinding(args.type.split(":").pop() as string));
                }
            });
        });
    },
);

/** Whether a rule list is read-only and whether it reads Secrets. */
export function ruleAccess(rules: readonly Json[]): { readOnly: boolean; secrets: boolean } {
    let readOnly = true;
    let secrets = false;
    for (const rule of rules) {
        const verbs = (rule.verbs as string[] | undefined) ?? [];
        const groups = (rule.apiGroups as string[] | undefined) ?? [];
        const resources = (rule.resources as string[] | undefined) ?? [];
        if (verbs.some((v) => v === "*" || !READ_VERBS.includes(v))) {
            readOnly = false;
        }
        const coreGroup = groups.includes("") || groups.includes("*");
        if (coreGroup && resources.some((r) => r === "*" || r === "secrets") && verbs.some((v) => v === "*" || READ_VERBS.includes(v))) {
            secrets = true;
        }
    }
    return { readOnly, secrets };
}

export const kubernetesClusterRoleBindingEnforceReadOnly = stackPolicy(
    {
        name: "kubernetes-cluster-role-binding-enforce-read-only",
        description: "Cluster-wide bindings to groups grant read-only roles without Secrets; write access (operator, developer) is per namespace.",
        checklist: ["RBAC-2", "RBAC-3", "RBAC-4"],
        severity: "high",
        remediationSteps: "Bind write roles with namespaced RoleBindings (operator: openclaw, developer: openclaw-sandbox); keep ClusterRoleBindings to read-only roles such as the auditor role.",
    },
    (args, report) => {
        previewSafe((check) => {
            let objects: KubeObject[] = [];
            check(() => {
                objects = kubeObjects(args.resources);
            });
            const bindings = objects.filter((o) => o.kind === "ClusterRoleBinding");
            if (bindings.length === 0) {
                args.notApplicable("no ClusterRoleBinding");
            }
            for (const binding of bindings) {
                check(() => {
                    if (!((binding.object.subjects as Json[] | undefined) ?? []).some((s) => s.kind === "Group")) {
                        return;
                    }
                    const roleName = String((binding.object.roleRef as Json | undefined)?.name);
                    const role = objects.find((o) => o.kind === "ClusterRole" && o.name === roleName);
                    const access = role ? ruleAccess((role.object.rules as Json[] | undefined) ?? []) : BUILTIN_ROLES[roleName];
                    const label = bindingLabel(binding);
                    if (!access) {
                        report(MESSAGES.unknownRole(label, roleName), binding.resource.urn);
                        return;
                    }
                    if (!access.readOnly && roleName !== "cluster-admin") {
                        report(MESSAGES.clusterWideWrite(label, roleName), binding.resource.urn);
                    }
                    if (access.secrets && roleName !== "cluster-admin") {
                        report(MESSAGES.clusterWideSecrets(label, roleName), binding.resource.urn);
                    }
                });
            }
        });
    },
);

export const kubernetesRoleDisallowWildcardRules = resourcePolicy(
    {
        name: "kubernetes-role-disallow-wildcard-rules",
        description: "Roles and ClusterRoles name their verbs and, in the core group, their resources.",
        checklist: ["RBAC-5"],
        severity: "medium",
        remediationSteps: 'Replace "*" verbs with the needed ones and list core resources explicitly (a core "*" includes Secrets).',
    },
    (args, report) => {
        if (args.type !== "kubernetes:rbac.authorization.k8s.io/v1:Role" && args.type !== "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole") {
            args.notApplicable("Policy only applies to Roles and ClusterRoles");
        }
        previewSafe((check) => {
            eachChecked(check, () => args.props.rules as Json[] | undefined, (rule, i) => {
                const verbs = (rule.verbs as string[] | undefined) ?? [];
                const groups = (rule.apiGroups as string[] | undefined) ?? [];
                const resources = (rule.resources as string[] | undefined) ?? [];
                if (verbs.includes("*")) {
                    report(MESSAGES.wildcardRule(i, 'every verb ("*")'));
                }
                if (resources.includes("*") && (groups.includes("*") || groups.includes(""))) {
                    report(MESSAGES.wildcardRule(i, `every resource in ${groups.includes("*") ? "every API group" : "the core group"}`));
                }
            });
        });
    },
);

/** The statements of an IAM policy document given as JSON text or an object. */
function statements(document: unknown): Json[] {
    const doc = (typeof document === "string" ? JSON.parse(document) : document) as Json | undefined;
    const list = doc?.Statement ?? doc?.statements;
    return (Array.isArray(list) ? list : list ? [list] : []) as Json[];
}

function principals(statement: Json): string[] {
    const principal = statement.Principal ?? statement.principals;
    if (principal === "*") {
        return ["*"];
    }
    if (Array.isArray(principal)) {
        // The SDK's PolicyDocument form: [{ type, identifiers }]
        return principal.flatMap((p: Json) => (p.type === "AWS" ? ((p.identifiers as string[]) ?? []) : []));
    }
    const aws = (principal as Json | undefined)?.AWS;
    return aws === undefined ? [] : Array.isArray(aws) ? (aws as string[]) : [String(aws)];
}

/**
 * The ARNs an `aws:PrincipalArn` condition pins a statement to (ArnEquals or StringEquals, exact values only),
 * or undefined when the statement has no such pin. A "*" principal pinned this way trusts exactly those ARNs.
 */
function pinnedPrincipalArns(statement: Json): string[] | undefined {
    const condition = (statement.Condition ?? {}) as Json;
    for (const operator of ["ArnEquals", "StringEquals"]) {
        const values = (condition[operator] as Json | undefined)?.["aws:PrincipalArn"];
        if (values !== undefined) {
            const list = (Array.isArray(values) ? values : [values]).map(String);
            return list.every((arn) => !arn.includes("*") && !arn.includes("?")) ? list : undefined;
        }
    }
    return undefined;
}

export const awsIamRoleDisallowUserPrincipals = resourcePolicy(
    {
        name: "aws-iam-role-disallow-user-principals",
        description: "IAM role trust policies admit roles (assumed through SSO), never IAM users or everyone; a \"*\" principal counts as the exact ARNs an aws:PrincipalArn condition pins it to.",
        checklist: ["RBAC-6"],
        severity: "high",
        remediationSteps: "Trust the SSO permission-set roles listed in openclaw:groups; remove user ARNs and \"*\".",
    },
    validateResourceOfType(IamRole, (role, _args, report) => {
        previewSafe((check) => {
            check(() => {
                statements(role.assumeRolePolicy).forEach((statement, i) => {
                    if (String(statement.Effect ?? statement.effect ?? "Allow") !== "Allow") {
                        return;
                    }
                    const pinned = pinnedPrincipalArns(statement);
                    for (const p of principals(statement).flatMap((p) => (p === "*" && pinned ? pinned : [p]))) {
                        if (p === "*") {
                            report(MESSAGES.iamEveryone(i));
                        } else if (/:user\//.test(p)) {
                            report(MESSAGES.iamUserPrincipal(i, p));
                        }
                    }
                });
            });
        });
    }),
);

export const awsIamUserDisallowCreation = resourcePolicy(
    {
        name: "aws-iam-user-disallow-creation",
        description: "The stack creates no IAM users or access keys.",
        checklist: ["RBAC-6", "SEC-1"],
        severity: "high",
        remediationSteps: "Use IAM roles: people through SSO, workloads through EKS Pod Identity.",
    },
    [
        validateResourceOfType(IamUser, (_user, _args, report) => report(MESSAGES.iamUserCreated("user"))),
        validateResourceOfType(AccessKey, (_key, _args, report) => report(MESSAGES.iamUserCreated("access key"))),
    ],
);

export const awsEksAccessEntryDisallowUserPrincipals = resourcePolicy(
    {
        name: "aws-eks-access-entry-disallow-user-principals",
        description: "EKS access entries map IAM roles, never IAM users.",
        checklist: ["RBAC-6"],
        severity: "high",
        remediationSteps: "Map the SSO role of the group instead of the user.",
    },
    [
        validateResourceOfType(AccessEntry, (entry, _args, report) => reportUserPrincipal(entry.principalArn, report)),
        validateResourceOfType(AccessPolicyAssociation, (association, _args, report) => reportUserPrincipal(association.principalArn, report)),
    ],
);

function reportUserPrincipal(principalArn: string, report: (message: string) => void): void {
    previewSafe((check) => {
        check(() => {
            if (/:user\//.test(String(principalArn))) {
                report(MESSAGES.accessEntryUser(String(principalArn)));
            }
        });
    });
}

export const awsEksAccessPolicyEnforceNamespaceScope = resourcePolicy(
    {
        name: "aws-eks-access-policy-enforce-namespace-scope",
        description: "EKS Edit and Admin access policies are namespace-scoped (operator: the OpenClaw namespace, developer: the sandbox).",
        checklist: ["RBAC-2", "RBAC-3"],
        severity: "high",
        remediationSteps: 'Set accessScope { type: "namespace", namespaces: [...] } for AmazonEKSEditPolicy and AmazonEKSAdminPolicy.',
    },
    validateResourceOfType(AccessPolicyAssociation, (association, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const policy = String(association.policyArn).split("/").pop() ?? "";
                if ((policy === "AmazonEKSEditPolicy" || policy === "AmazonEKSAdminPolicy") && association.accessScope?.type !== "namespace") {
                    report(MESSAGES.associationScope(policy));
                }
            });
        });
    }),
);

export const awsEksClusterEnforceAccessEntries = resourcePolicy(
    {
        name: "aws-eks-cluster-enforce-access-entries",
        description: "EKS authorizes people only through access entries, and the creating identity gets no implicit admin.",
        checklist: ["RBAC-5", "RBAC-6", "RBAC-7"],
        severity: "high",
        remediationSteps: 'Set accessConfig { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false } and create access entries per group role.',
    },
    validateResourceOfType(Cluster, (cluster, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const mode = cluster.accessConfig?.authenticationMode;
                if (mode !== "API") {
                    report(MESSAGES.authMode(mode === undefined ? "unset (CONFIG_MAP)" : String(mode)));
                }
            });
            check(() => {
                if (cluster.accessConfig?.bootstrapClusterCreatorAdminPermissions !== false) {
                    report(MESSAGES.creatorAdmin);
                }
            });
        });
    }),
);

function adminWildcards(document: unknown): number[] {
    const hits: number[] = [];
    statements(document).forEach((s, i) => {
        const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : v === undefined ? [] : [String(v)]);
        const allow = String(s.Effect ?? s.effect ?? "Allow") === "Allow";
        const actions = list(s.Action ?? s.actions);
        const resources = list(s.Resource ?? s.resources);
        if (allow && actions.some((a) => a === "*" || a === "*:*") && resources.includes("*")) {
            hits.push(i);
        }
    });
    return hits;
}

function reportAdminWildcards(document: unknown, report: (message: string) => void): void {
    previewSafe((check) => {
        check(() => adminWildcards(document).forEach((i) => report(MESSAGES.adminWildcard(i))));
    });
}

export const awsIamPolicyDisallowAdminWildcard = resourcePolicy(
    {
        name: "aws-iam-policy-disallow-admin-wildcard",
        description: "No IAM policy in the stack allows every action on every resource.",
        checklist: ["RBAC-1", "RBAC-5"],
        severity: "critical",
        remediationSteps: "Scope each statement to the actions and the stack's resources the role needs.",
    },
    [
        validateResourceOfType(RolePolicy, (policy, _args, report) => reportAdminWildcards(policy.policy, report)),
        validateResourceOfType(IamPolicy, (policy, _args, report) => reportAdminWildcards(policy.policy, report)),
        validateResourceOfType(RolePolicyAttachment, (attachment, _args, report) => {
            previewSafe((check) => {
                check(() => {
                    if (/:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/.test(String(attachment.policyArn))) {
                        report(MESSAGES.adminAttachment(String(attachment.policyArn)));
                    }
                });
            });
        }),
    ],
);

export const azureRoleAssignmentEnforceGroupPrincipal = resourcePolicy(
    {
        name: "azure-role-assignment-enforce-group-principal",
        description: "Role assignments name Entra groups or workload identities (principalType Group or ServicePrincipal), never users.",
        checklist: ["RBAC-6"],
        severity: "high",
        remediationSteps: 'Assign the role to the group from openclaw:groups with principalType "Group"; state ServicePrincipal for managed identities.',
    },
    validateResourceOfType(RoleAssignment, (assignment, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const type = assignment.principalType;
                if (type !== "Group" && type !== "ServicePrincipal") {
                    report(MESSAGES.azurePrincipal(type === undefined ? "unset (the principal may be a user)" : String(type)));
                }
            });
        });
    }),
);

export const azureAksClusterEnforceEntraRbac = resourcePolicy(
    {
        name: "azure-aks-cluster-enforce-entra-rbac",
        description: "AKS authenticates with Entra ID and authorizes with Azure RBAC; local accounts are off.",
        checklist: ["RBAC-5"],
        severity: "high",
        remediationSteps: "Set disableLocalAccounts true, aadProfile { managed: true, enableAzureRBAC: true, adminGroupObjectIDs }.",
    },
    validateResourceOfType(ManagedCluster, (cluster, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (cluster.disableLocalAccounts !== true) {
                    report(MESSAGES.localAccounts);
                }
            });
            check(() => {
                if (cluster.aadProfile?.managed !== true) {
                    report(MESSAGES.aadManaged);
                }
            });
            check(() => {
                if (cluster.aadProfile?.enableAzureRBAC !== true) {
                    report(MESSAGES.azureRbac);
                }
            });
            check(() => {
                if (cluster.enableRBAC === false) {
                    report(MESSAGES.rbacOff);
                }
            });
        });
    }),
);

const roleNamespaceSchema = {
    properties: {
        operatorNamespaces: { type: "array" as const, items: { type: "string" as const }, default: ["openclaw"] },
        developerNamespaces: { type: "array" as const, items: { type: "string" as const }, default: ["openclaw-sandbox"] },
    },
};

/**
 * Which checklist roles a stack grants to anyone. The checklist (RBAC-1..4) says what each role may do, not that
 * every role has members: a stack with no developers has no developer role, which grants less, never more. So the
 * admin role is always required (nobody could administer the cluster otherwise; the config requires it too), and
 * operator, developer and auditor are checked when the stack grants them to someone.
 */
export const ROLES = ["admin", "operator", "developer", "auditor"] as const;
export type Role = (typeof ROLES)[number];

const eksRoleSchema = {
    properties: {
        ...roleNamespaceSchema.properties,
        roleKubernetesGroups: {
            type: "object" as const,
            additionalProperties: { type: "string" as const },
            // The program's names (components/aws/access.ts KUBERNETES_GROUPS): an access entry carrying one grants that role.
            default: { admin: "openclaw:admins", operator: "openclaw:operators", developer: "openclaw:developers", auditor: "openclaw:auditors" },
            description: "The Kubernetes group an EKS access entry carries for each checklist role; a role no entry carries has no members and is not checked (but admin).",
        },
    },
};

/**
 * The marker a group role assignment carries in its description for the checklist role it serves: the program
 * writes `openclaw: <role> group <object id> -> <role> on <scope>` (components/azure/role-assignments.ts).
 */
export const AZURE_ROLE_MARKER = /^openclaw: (admin|operator|developer|auditor) group /;

const secretNamespacesSchema = {
    properties: {
        secretNamespaces: {
            type: "array" as const,
            items: { type: "string" as const },
            default: ["openclaw"],
            description: "Namespaces holding runtime secrets, which only the admin role may read; every gateway namespace of openclaw:gateways is one as well (see isGatewayNamespace).",
        },
    },
};

/**
 * A namespace of an OpenClaw gateway, which holds that gateway's runtime Secret: `openclaw`, or `openclaw-<name>`
 * that is neither a sandbox (`-sandbox`) nor the Azure token rotator's (`openclaw-rotation...`). The program's
 * config refuses a gateway namespace outside this form (config/gateways.ts), so each gateway is covered without a
 * pack config entry per team.
 */
export function isGatewayNamespace(namespace: string): boolean {
    return namespace === "openclaw" || (/^openclaw-[a-z0-9-]+$/.test(namespace) && !namespace.endsWith("-sandbox") && !namespace.startsWith("openclaw-rotation"));
}

/** AKS data-plane roles that include reading Secrets (Writer and Admin do; Reader does not). */
const AKS_SECRET_READING_ROLES: Readonly<Record<string, string>> = {
    "3498e952-d568-435e-9b2c-8d77e338d7f7": "Azure Kubernetes Service RBAC Admin",
    "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb": "Azure Kubernetes Service RBAC Writer",
};

export const azureAksRoleAssignmentDisallowSecretRead = resourcePolicy(
    {
        name: "azure-aks-role-assignment-disallow-secret-read",
        description: "No group gets an AKS data-plane role that reads Secrets (Writer, Admin) on the namespaces holding runtime secrets or cluster-wide; only the admin role reads secret values.",
        checklist: ["RBAC-2"],
        severity: "high",
        remediationSteps: "Give operators and auditors Azure Kubernetes Service RBAC Reader on the OpenClaw namespace (the Kubernetes operator Role adds restart and scale); keep Writer for the sandbox only.",
        configSchema: secretNamespacesSchema,
    },
    validateResourceOfType(RoleAssignment, (assignment, args, report) => {
        const { secretNamespaces } = args.getConfig<{ secretNamespaces: string[] }>();
        previewSafe((check) => {
            check(() => {
                const role = AKS_SECRET_READING_ROLES[String(assignment.roleDefinitionId).split("/").pop() ?? ""];
                if (!role || assignment.principalType !== "Group") {
                    return;
                }
                const scope = String(assignment.scope);
                const namespace = /\/namespaces\/([^/]+)$/.exec(scope)?.[1];
                if (namespace === undefined || secretNamespaces.includes(namespace) || isGatewayNamespace(namespace)) {
                    report(MESSAGES.secretReadAssignment(role, namespace === undefined ? "the whole cluster" : `namespace ${namespace}`));
                }
            });
        });
    }),
);

export const awsEksAccessPolicyDisallowSecretRead = resourcePolicy(
    {
        name: "aws-eks-access-policy-disallow-secret-read",
        description: "No access entry gets an EKS access policy that reads Secrets (Edit, Admin) on the namespaces holding runtime secrets.",
        checklist: ["RBAC-2"],
        severity: "high",
        remediationSteps: "Associate AmazonEKSViewPolicy for operators on the OpenClaw namespace (the Kubernetes operator Role adds restart and scale); keep Edit for the sandbox only.",
        configSchema: secretNamespacesSchema,
    },
    validateResourceOfType(AccessPolicyAssociation, (association, args, report) => {
        const { secretNamespaces } = args.getConfig<{ secretNamespaces: string[] }>();
        previewSafe((check) => {
            check(() => {
                const policy = String(association.policyArn).split("/").pop() ?? "";
                if (policy !== "AmazonEKSEditPolicy" && policy !== "AmazonEKSAdminPolicy" || association.accessScope?.type !== "namespace") {
                    return; // cluster-scoped Edit/Admin is aws-eks-access-policy-enforce-namespace-scope's finding
                }
                const exposed = (association.accessScope.namespaces ?? []).filter((n) => secretNamespaces.includes(n) || isGatewayNamespace(n));
                if (exposed.length > 0) {
                    report(MESSAGES.secretReadAssociation(policy, `namespace ${exposed.join(", ")}`));
                }
            });
        });
    }),
);

export const awsEksMissingRoleAccess = stackPolicy(
    {
        name: "aws-eks-missing-role-access",
        description: "EKS maps every checklist role the stack grants: admin cluster-wide (always), operator and developer in their namespaces, auditor read-only cluster-wide.",
        checklist: ["RBAC-1", "RBAC-2", "RBAC-3", "RBAC-4"],
        severity: "medium",
        remediationSteps: "Create an access entry and access policy association per role with members (ClusterAdmin; namespaced View/Edit on openclaw; Edit on openclaw-sandbox; View cluster-wide). A role with no group (openclaw:groups.<role>: []) needs none.",
        configSchema: eksRoleSchema,
    },
    (args, report) => {
        if (!args.resources.some((r) => r.isType(Cluster))) {
            args.notApplicable("no EKS cluster");
        }
        const { operatorNamespaces, developerNamespaces, roleKubernetesGroups } = args.getConfig<{ operatorNamespaces: string[]; developerNamespaces: string[]; roleKubernetesGroups: Record<string, string> }>();
        previewSafe((check) => {
            // Roles some access entry grants; an entry we cannot read may grant any of them.
            const granted = new Set<Role>(["admin"]);
            for (const entry of args.resources.filter((r) => r.isType(AccessEntry))) {
                if (!check(() => {
                    const groups = (entry.props.kubernetesGroups as string[] | undefined) ?? [];
                    ROLES.filter((role) => groups.includes(roleKubernetesGroups[role])).forEach((role) => granted.add(role));
                })) {
                    ROLES.forEach((role) => granted.add(role));
                }
            }
            const associations: { policy: string; type: string; namespaces: string[] }[] = [];
            let uncertain = false;
            for (const a of args.resources.filter((r) => r.isType(AccessPolicyAssociation))) {
                uncertain ||= !check(() => {
                    const scope = (a.props.accessScope as Json | undefined) ?? {};
                    associations.push({ policy: String(a.props.policyArn).split("/").pop() ?? "", type: String(scope.type), namespaces: (scope.namespaces as string[] | undefined) ?? [] });
                });
            }
            // An association we could not read may be the one a role lacks: uncertain, not missing.
            const has = (policies: string[], type: string, namespaces: string[] = []) =>
                uncertain ||
                associations.some((a) => policies.includes(a.policy) && a.type === type && namespaces.every((n) => a.namespaces.includes(n)));
            if (!has(["AmazonEKSClusterAdminPolicy"], "cluster")) {
                report(MESSAGES.roleMissing("admin", "cluster-scoped AmazonEKSClusterAdminPolicy association"));
            }
            if (granted.has("operator") && !has(["AmazonEKSViewPolicy", "AmazonEKSEditPolicy", "AmazonEKSAdminPolicy"], "namespace", operatorNamespaces)) {
                report(MESSAGES.roleMissing("operator", `association scoped to ${operatorNamespaces.join(", ")}`));
            }
            if (granted.has("developer") && !has(["AmazonEKSEditPolicy", "AmazonEKSAdminPolicy"], "namespace", developerNamespaces)) {
                report(MESSAGES.roleMissing("developer", `Edit association scoped to ${developerNamespaces.join(", ")}`));
            }
            if (granted.has("auditor") && !has(["AmazonEKSViewPolicy", "AmazonEKSAdminViewPolicy"], "cluster")) {
                report(MESSAGES.roleMissing("auditor", "cluster-scoped View association"));
            }
        });
    },
);

/** Built-in Azure role definition GUIDs the checklist roles map to. */
export const AKS_ROLE_DEFINITIONS = {
    clusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    admin: "3498e952-d568-435e-9b2c-8d77e338d7f7",
    writer: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
    reader: "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
} as const;

export const azureAksMissingRoleAccess = stackPolicy(
    {
        name: "azure-aks-missing-role-access",
        description: "AKS maps every checklist role the stack grants to groups: Cluster Admin (always), namespaced Admin/Writer for operator and developer, Reader for auditor.",
        checklist: ["RBAC-1", "RBAC-2", "RBAC-3", "RBAC-4"],
        severity: "medium",
        remediationSteps: "Create group role assignments per role with members: RBAC Cluster Admin on the cluster; RBAC Admin on <cluster>/namespaces/openclaw; RBAC Writer on <cluster>/namespaces/openclaw-sandbox; RBAC Reader on the cluster. A role with no group (openclaw:groups.<role>: []) needs none.",
        configSchema: roleNamespaceSchema,
    },
    (args, report) => {
        if (!args.resources.some((r) => r.isType(ManagedCluster))) {
            args.notApplicable("no AKS cluster");
        }
        const { operatorNamespaces, developerNamespaces } = args.getConfig<{ operatorNamespaces: string[]; developerNamespaces: string[] }>();
        previewSafe((check) => {
            const assignments: { role: string; scope: string }[] = [];
            // Roles some group assignment is marked for; an assignment we cannot read may serve any of them.
            const granted = new Set<Role>(["admin"]);
            let uncertain = false;
            for (const a of args.resources.filter((r) => r.isType(RoleAssignment))) {
                uncertain ||= !check(() => {
                    if (a.props.principalType === "Group") {
                        assignments.push({ role: String(a.props.roleDefinitionId).split("/").pop() ?? "", scope: String(a.props.scope) });
                        const marked = AZURE_ROLE_MARKER.exec(String(a.props.description ?? ""))?.[1] as Role | undefined;
                        if (marked) {
                            granted.add(marked);
                        }
                    }
                });
            }
            if (uncertain) {
                ROLES.forEach((role) => granted.add(role));
            }
            const has = (roles: string[], namespaces?: string[]) =>
                uncertain ||
                assignments.some((a) => roles.includes(a.role) && (namespaces ? namespaces.every((n) => a.scope.endsWith(`/namespaces/${n}`)) : !a.scope.includes("/namespaces/")));
            const d = AKS_ROLE_DEFINITIONS;
            if (!has([d.clusterAdmin])) {
                report(MESSAGES.roleMissing("admin", "Azure Kubernetes Service RBAC Cluster Admin group assignment"));
            }
            if (granted.has("operator") && !operatorNamespaces.every((n) => has([d.admin, d.writer, d.reader], [n]))) {
                report(MESSAGES.roleMissing("operator", `namespace-scoped group assignment on ${operatorNamespaces.join(", ")}`));
            }
            if (granted.has("developer") && !developerNamespaces.every((n) => has([d.writer, d.admin], [n]))) {
                report(MESSAGES.roleMissing("developer", `RBAC Writer group assignment on ${developerNamespaces.join(", ")}`));
            }
            if (granted.has("auditor") && !has([d.reader])) {
                report(MESSAGES.roleMissing("auditor", "Azure Kubernetes Service RBAC Reader group assignment"));
            }
        });
    },
);

export const anyStackMissingRoleBindingReport = stackPolicy(
    {
        name: "any-stack-missing-role-binding-report",
        description: "A stack output lists every role binding (who → what) for the periodic access review.",
        checklist: ["RBAC-7"],
        severity: "low",
        remediationSteps: "Export the platform's role-binding report as a stack output (roleBindings on AWS, azureRoleAssignments on Azure).",
        configSchema: { properties: { reportOutputs: { type: "array", items: { type: "string" }, default: ["roleBindings", "azureRoleAssignments"] } } },
    },
    (args: StackValidationArgs, report) => {
        const stack = args.resources.find((r: PolicyResource) => r.type === "pulumi:pulumi:Stack");
        if (!stack || !args.resources.some((r) => r.type.startsWith("aws:") || r.type.startsWith("azure-native:"))) {
            args.notApplicable("no cloud resources");
        }
        const { reportOutputs } = args.getConfig<{ reportOutputs: string[] }>();
        previewSafe((check) => {
            let found = false;
            for (const key of reportOutputs) {
                let listed = false;
                const read = check(() => {
                    const value = (stack as PolicyResource).props[key];
                    listed = Array.isArray(value) && value.length > 0;
                });
                found ||= listed || !read;
            }
            if (!found) {
                report(MESSAGES.noReport(reportOutputs.join(", ")));
            }
        });
    },
);

export const rbacPolicies = [
    kubernetesRoleBindingDisallowUserSubjects,
    kubernetesClusterRoleBindingDisallowClusterAdmin,
    kubernetesClusterRoleBindingEnforceReadOnly,
    kubernetesRoleDisallowWildcardRules,
    awsIamRoleDisallowUserPrincipals,
    awsIamUserDisallowCreation,
    awsEksAccessEntryDisallowUserPrincipals,
    awsEksAccessPolicyEnforceNamespaceScope,
    awsEksClusterEnforceAccessEntries,
    awsIamPolicyDisallowAdminWildcard,
    azureRoleAssignmentEnforceGroupPrincipal,
    azureAksClusterEnforceEntraRbac,
    azureAksRoleAssignmentDisallowSecretRead,
    awsEksAccessPolicyDisallowSecretRead,
    awsEksMissingRoleAccess,
    azureAksMissingRoleAccess,
    anyStackMissingRoleBindingReport,
];
