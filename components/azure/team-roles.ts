// Azure RBAC of the gateways beyond the first (`openclaw:gateways`): each gateway's own Entra groups get AKS
// data-plane roles on that gateway's namespaces only, never on the cluster or another gateway's namespace.
import * as pulumi from "@pulumi/pulumi";
import type { GatewayPlan } from "../../config/gateways";
import type { GroupRole } from "../../config/schema";
import type { AssignmentSpec } from "./role-assignments";
import type { BuiltinRole } from "./roles";

/** Where a gateway's grants apply. */
type TeamScope = "cluster" | "namespace" | "sandbox";

/**
 * Each role's grants. Reader on the namespaces for admin, operator and auditor: the admin's writes and the operator's
 * restart come from the Kubernetes layer's RoleBindings in the same namespaces, bound to the same Entra groups (AKS
 * evaluates Azure RBAC and Kubernetes RBAC both: https://learn.microsoft.com/en-us/azure/aks/manage-azure-rbac).
 * Writer on the sandbox for developers. Cluster User Role on the cluster only fetches a kubeconfig, which holds no
 * credential with Entra ID authentication; it grants nothing inside the cluster.
 */
export const TEAM_ROLES: Readonly<Record<GroupRole, readonly { readonly role: BuiltinRole; readonly scope: TeamScope }[]>> = {
    admin: [
        { role: "Azure Kubernetes Service RBAC Reader", scope: "namespace" },
        { role: "Azure Kubernetes Service RBAC Reader", scope: "sandbox" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster" },
    ],
    operator: [
        { role: "Azure Kubernetes Service RBAC Reader", scope: "namespace" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster" },
    ],
    developer: [
        { role: "Azure Kubernetes Service RBAC Writer", scope: "sandbox" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster" },
    ],
    auditor: [
        { role: "Azure Kubernetes Service RBAC Reader", scope: "namespace" },
        { role: "Azure Kubernetes Service RBAC Reader", scope: "sandbox" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster" },
    ],
};

/** One assignment per group of the gateway and grant of its role, on the cluster's namespace scopes. */
export function teamAssignments(gateway: GatewayPlan, clusterId: pulumi.Input<string>): AssignmentSpec[] {
    const scopes: Record<TeamScope, { id: pulumi.Input<string>; label: string }> = {
        cluster: { id: clusterId, label: "cluster" },
        namespace: { id: pulumi.interpolate`${clusterId}/namespaces/${gateway.namespace}`, label: `namespace ${gateway.namespace}` },
        sandbox: { id: pulumi.interpolate`${clusterId}/namespaces/${gateway.sandboxNamespace}`, label: `namespace ${gateway.sandboxNamespace}` },
    };
    return (Object.keys(TEAM_ROLES) as GroupRole[]).flatMap((role) =>
        gateway.groups[role].flatMap((groupId) =>
            TEAM_ROLES[role].map((grant) => ({
                key: `${gateway.name}-${role}-${groupId}-${grant.role}-${grant.scope}`,
                who: `${role} group ${groupId}`,
                kind: "Group" as const,
                principalId: groupId,
                role: grant.role,
                scope: scopes[grant.scope].id,
                scopeLabel: scopes[grant.scope].label,
            })),
        ),
    );
}
