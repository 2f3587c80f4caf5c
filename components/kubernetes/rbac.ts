// Kubernetes RBAC for the four checklist roles, bound to the platform's groups only (RBAC-1..RBAC-6).
import { ClusterRole, ClusterRoleBinding, RoleBinding } from "@pulumi/kubernetes/rbac/v1";
import type * as inputs from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { GroupRole } from "../../config/schema";

/** Read-only access for auditors (and admins' cluster-wide view): every kind this layer uses, never Secrets. */
export const AUDITOR_RULES: readonly inputs.rbac.v1.PolicyRule[] = [
    {
        apiGroups: [""],
        resources: ["pods", "services", "endpoints", "configmaps", "events", "namespaces", "nodes", "persistentvolumeclaims", "persistentvolumes", "serviceaccounts", "resourcequotas", "limitranges"],
        verbs: ["get", "list", "watch"],
    },
    { apiGroups: ["apps", "batch", "policy", "autoscaling", "networking.k8s.io", "storage.k8s.io", "events.k8s.io", "discovery.k8s.io"], resources: ["*"], verbs: ["get", "list", "watch"] },
    // RBAC-7: the bindings themselves are reviewable.
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["apiextensions.k8s.io", "admissionregistration.k8s.io"], resources: ["*"], verbs: ["get", "list", "watch"] },
    {
        apiGroups: ["gateway.networking.k8s.io", "gateway.envoyproxy.io", "cert-manager.io", "acme.cert-manager.io", "external-secrets.io"],
        resources: ["*"],
        verbs: ["get", "list", "watch"],
    },
];

/** Operators: see pods, logs and events; restart and scale the OpenClaw Deployment; nothing else, no Secrets. */
export function operatorRules(deploymentName: string): inputs.rbac.v1.PolicyRule[] {
    return [
        { apiGroups: [""], resources: ["pods", "pods/log", "events"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["apps"], resources: ["deployments", "replicasets"], verbs: ["get", "list", "watch"] },
        // `kubectl rollout restart` patches the pod template's restartedAt annotation.
        { apiGroups: ["apps"], resources: ["deployments"], resourceNames: [deploymentName], verbs: ["patch"] },
        { apiGroups: ["apps"], resources: ["deployments/scale"], resourceNames: [deploymentName], verbs: ["get", "patch", "update"] },
    ];
}

/** One binding to create: which role, where, for which checklist role's groups. */
export interface PlannedBinding {
    readonly resourceName: string;
    readonly role: GroupRole;
    /** A namespace for a RoleBinding; absent for a ClusterRoleBinding. */
    readonly namespace?: string;
    readonly roleRef: { readonly kind: "ClusterRole"; readonly name: string };
}

/** ClusterRoles this layer defines; `admin` and `edit` are Kubernetes' built-in aggregated roles. */
export const ROLE_NAMES = { auditor: "openclaw:auditor", operator: "openclaw:operator" } as const;

/**
 * Where each role is bound. Admin: Kubernetes' `admin` in the app namespaces plus cluster-wide read (cluster-admin
 * stays with the cloud's break-glass access, never bound here). Operator: its role in each gateway namespace.
 * Developer: `edit` in the sandbox only. Auditor: cluster-wide read without Secrets. Roles with no group get nothing.
 */
export function planBindings(groups: Readonly<Record<GroupRole, readonly unknown[]>>, gatewayNamespaces: readonly string[], sandboxNamespace: string): PlannedBinding[] {
    const plan: PlannedBinding[] = [];
    for (const ns of [...gatewayNamespaces, sandboxNamespace]) {
        plan.push({ resourceName: `admin-${ns}`, role: "admin", namespace: ns, roleRef: { kind: "ClusterRole", name: "admin" } });
    }
    plan.push({ resourceName: "admin-read", role: "admin", roleRef: { kind: "ClusterRole", name: ROLE_NAMES.auditor } });
    for (const ns of gatewayNamespaces) {
        plan.push({ resourceName: `operator-${ns}`, role: "operator", namespace: ns, roleRef: { kind: "ClusterRole", name: ROLE_NAMES.operator } });
    }
    plan.push({ resourceName: `developer-${sandboxNamespace}`, role: "developer", namespace: sandboxNamespace, roleRef: { kind: "ClusterRole", name: "edit" } });
    plan.push({ resourceName: "auditor-read", role: "auditor", roleRef: { kind: "ClusterRole", name: ROLE_NAMES.auditor } });
    return plan.filter((binding) => groups[binding.role].length > 0);
}

/** A gateway of `openclaw:gateways` beyond the first, with the Kubernetes groups of its own people. */
export interface TeamGatewayRbac {
    readonly namespace: string;
    readonly sandboxNamespace: string;
    readonly groups: Readonly<Record<GroupRole, readonly unknown[]>>;
}

/**
 * Where a further gateway's own groups are bound: only in its two namespaces, never cluster-wide, so its people
 * reach no other gateway. Admin: `admin` in both; operator: the operator role in the gateway namespace; developer:
 * `edit` in its sandbox; auditor: the read-only role (no Secrets) in both, by RoleBinding.
 */
export function planTeamBindings(gateway: TeamGatewayRbac): PlannedBinding[] {
    const { namespace: ns, sandboxNamespace: sandbox } = gateway;
    const plan: PlannedBinding[] = [
        { resourceName: `admin-${ns}`, role: "admin", namespace: ns, roleRef: { kind: "ClusterRole", name: "admin" } },
        { resourceName: `admin-${sandbox}`, role: "admin", namespace: sandbox, roleRef: { kind: "ClusterRole", name: "admin" } },
        { resourceName: `operator-${ns}`, role: "operator", namespace: ns, roleRef: { kind: "ClusterRole", name: ROLE_NAMES.operator } },
        { resourceName: `developer-${sandbox}`, role: "developer", namespace: sandbox, roleRef: { kind: "ClusterRole", name: "edit" } },
        { resourceName: `auditor-${ns}`, role: "auditor", namespace: ns, roleRef: { kind: "ClusterRole", name: ROLE_NAMES.auditor } },
        { resourceName: `auditor-${sandbox}`, role: "auditor", namespace: sandbox, roleRef: { kind: "ClusterRole", name: ROLE_NAMES.auditor } },
    ];
    return plan.filter((binding) => gateway.groups[binding.role].length > 0);
}

export interface ClusterRbacArgs {
    /** Kubernetes group names per checklist role, from the platform. */
    readonly groups: Readonly<Record<GroupRole, readonly pulumi.Input<string>[]>>;
    /** Namespaces of the OpenClaw gateways. */
    readonly gatewayNamespaces: readonly string[];
    readonly sandboxNamespace: string;
    /** The OpenClaw Deployment's name in each gateway namespace (operators may restart and scale it). */
    readonly deploymentName: string;
    /** The namespaces' resources, so RoleBindings wait for their namespace. */
    readonly namespaces: readonly pulumi.Resource[];
    /** The gateways beyond the first, each bound to its own groups in its own namespaces only. Defaults to none. */
    readonly teamGateways?: readonly (Omit<TeamGatewayRbac, "groups"> & { readonly groups: Readonly<Record<GroupRole, readonly pulumi.Input<string>[]>> })[];
}

/** The layer's ClusterRoles and every binding, each with `kind: Group` subjects only. */
export class ClusterRbac extends pulumi.ComponentResource {
    constructor(name: string, args: ClusterRbacArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:ClusterRbac", name, {}, opts);
        const auditor = new ClusterRole(`${name}-auditor`, { metadata: { name: ROLE_NAMES.auditor }, rules: [...AUDITOR_RULES] }, { parent: this });
        const operator = new ClusterRole(`${name}-operator`, { metadata: { name: ROLE_NAMES.operator }, rules: operatorRules(args.deploymentName) }, { parent: this });
        const subjectsOf = (groups: Readonly<Record<GroupRole, readonly pulumi.Input<string>[]>>) => (role: GroupRole) =>
            groups[role].map((group) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: group }));
        const planned = [
            ...planBindings(args.groups, args.gatewayNamespaces, args.sandboxNamespace).map((binding) => ({ binding, subjects: subjectsOf(args.groups) })),
            ...(args.teamGateways ?? []).flatMap((gateway) => planTeamBindings(gateway).map((binding) => ({ binding, subjects: subjectsOf(gateway.groups) }))),
        ];
        for (const { binding, subjects } of planned) {
            const roleRef = { apiGroup: "rbac.authorization.k8s.io", ...binding.roleRef };
            const metadata = { name: `openclaw:${binding.resourceName}`, labels: { "openclaw.io/checklist-role": binding.role } };
            const options = { parent: this, dependsOn: [auditor, operator, ...args.namespaces] };
            if (binding.namespace === undefined) {
                new ClusterRoleBinding(`${name}-${binding.resourceName}`, { metadata, roleRef, subjects: subjects(binding.role) }, options);
            } else {
                new RoleBinding(`${name}-${binding.resourceName}`, { metadata: { ...metadata, namespace: binding.namespace }, roleRef, subjects: subjects(binding.role) }, options);
            }
        }
        this.registerOutputs({});
    }
}
