// Azure RBAC role assignments: people only through Entra groups (RBAC-1..6), and the report for review (RBAC-7).
import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import type { GroupRole, OpenClawConfig } from "../../config/schema";
import { roleAssignmentName } from "./names";
import { BuiltinRole, roleDefinitionId } from "./roles";

/** Who an assignment is for, as the quarterly review reads it. */
export type PrincipalKind = "Group" | "ServicePrincipal" | "Deployer";

export interface AssignmentSpec {
    /** Logical key, stable across runs: becomes part of the resource name. */
    readonly key: string;
    /** What the principal is, for the report: "admin group", "external-secrets workload", "deployer", ... */
    readonly who: string;
    readonly kind: PrincipalKind;
    readonly principalId: pulumi.Input<string>;
    readonly role: BuiltinRole;
    readonly scope: pulumi.Input<string>;
    /**
     * Human-readable scope for the report ("cluster", "namespace openclaw", "key vault", ...). Names one scope per
     * stack: withoutDuplicateGrants compares scopes by it.
     */
    readonly scopeLabel: string;
    /** Why else the principal holds this grant (duplicates merged by withoutDuplicateGrants), for the report only. */
    readonly alsoWho?: readonly string[];
}

/**
 * The lists with every grant that repeats an earlier one's (principal, role, scope) left out, its `who` added to the
 * kept grant's `alsoWho`. ARM holds one assignment per principal, role definition and scope; a second one under
 * another name fails with 409 RoleAssignmentExists (Azure/bicep discussion #19690). Which one stays is fixed by order: the first occurrence, walking the lists in the order
 * given and each list in its own order, so the first gateway's grants (listed first) keep their logical names, and a
 * later gateway's grants are merged into an earlier one's. A principal id not known as a string at construction (a
 * managed identity's output) is never merged.
 */
export function withoutDuplicateGrants(lists: readonly (readonly AssignmentSpec[])[]): AssignmentSpec[][] {
    const kept = new Map<string, { spec: AssignmentSpec; alsoWho: string[] }>();
    const result = lists.map((list) =>
        list.flatMap((spec) => {
            if (typeof spec.principalId !== "string") {
                return [{ spec, alsoWho: [] as string[] }];
            }
            const triple = JSON.stringify([spec.principalId, spec.role, spec.scopeLabel]);
            const earlier = kept.get(triple);
            if (earlier !== undefined) {
                earlier.alsoWho.push(spec.who);
                return [];
            }
            const entry = { spec, alsoWho: [...(spec.alsoWho ?? [])] };
            kept.set(triple, entry);
            return [entry];
        }),
    );
    return result.map((list) => list.map(({ spec, alsoWho }) => (alsoWho.length > 0 ? { ...spec, alsoWho } : spec)));
}

/** The scopes people's roles are granted on. */
export interface PeopleScopes {
    readonly cluster: pulumi.Input<string>;
    readonly openclawNamespace: pulumi.Input<string>;
    readonly sandboxNamespace: pulumi.Input<string>;
    readonly vault: pulumi.Input<string>;
    readonly workspace: pulumi.Input<string>;
}

/**
 * What each role of the checklist gets: admin runs the cluster and the vault; operator administers the OpenClaw
 * namespace and reads logs but gets nothing on secrets; developer writes in the sandbox only; auditor reads.
 * Everyone also needs Cluster User Role to fetch a kubeconfig (which holds no credential with Entra ID auth).
 */
export const PEOPLE_ROLES: Readonly<Record<GroupRole, readonly { role: BuiltinRole; scope: keyof PeopleScopes; scopeLabel: string }[]>> = {
    admin: [
        { role: "Azure Kubernetes Service RBAC Cluster Admin", scope: "cluster", scopeLabel: "cluster" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster", scopeLabel: "cluster" },
        { role: "Key Vault Administrator", scope: "vault", scopeLabel: "key vault" },
        { role: "Log Analytics Reader", scope: "workspace", scopeLabel: "log analytics workspace" },
    ],
    operator: [
        // Reader, not Admin: Admin reads the runtime Secret (RBAC-2). Restart and scale come from the Kubernetes
        // layer's operator Role, bound to the same Entra group (AKS evaluates Kubernetes RBAC and Azure RBAC both).
        { role: "Azure Kubernetes Service RBAC Reader", scope: "openclawNamespace", scopeLabel: "namespace openclaw" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster", scopeLabel: "cluster" },
        { role: "Log Analytics Reader", scope: "workspace", scopeLabel: "log analytics workspace" },
    ],
    developer: [
        { role: "Azure Kubernetes Service RBAC Writer", scope: "sandboxNamespace", scopeLabel: "namespace openclaw-sandbox" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster", scopeLabel: "cluster" },
    ],
    auditor: [
        { role: "Azure Kubernetes Service RBAC Reader", scope: "cluster", scopeLabel: "cluster" },
        { role: "Azure Kubernetes Service Cluster User Role", scope: "cluster", scopeLabel: "cluster" },
        { role: "Log Analytics Reader", scope: "workspace", scopeLabel: "log analytics workspace" },
    ],
};

/** One assignment per configured group and role grant; group ids are Entra object ids. */
export function peopleAssignments(groups: OpenClawConfig["groups"], scopes: PeopleScopes): AssignmentSpec[] {
    return (Object.keys(PEOPLE_ROLES) as GroupRole[]).flatMap((groupRole) =>
        groups[groupRole].flatMap((groupId) =>
            PEOPLE_ROLES[groupRole].map((grant) => ({
                key: `${groupRole}-${groupId}-${grant.role}-${grant.scope}`,
                who: `${groupRole} group ${groupId}`,
                kind: "Group" as const,
                principalId: groupId,
                role: grant.role,
                scope: scopes[grant.scope],
                scopeLabel: grant.scopeLabel,
            })),
        ),
    );
}

export interface RoleAssignmentsArgs {
    /** The subscription; role definitions are resolved under it. */
    readonly subscriptionId: pulumi.Input<string>;
    /** The grants to create; each becomes one role assignment and one report row. */
    readonly assignments: readonly AssignmentSpec[];
    /**
     * Resources every assignment waits for (the secrets a grant is scoped to). Applied to each RoleAssignment itself:
     * `dependsOn` on this component would not reach them.
     */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** A row of the review report: who has which role where. */
export interface AssignmentReportRow {
    readonly principal: string;
    readonly principalId: string;
    readonly principalType: PrincipalKind;
    readonly role: BuiltinRole;
    readonly scope: string;
}

export class RoleAssignments extends pulumi.ComponentResource {
    readonly report: pulumi.Output<AssignmentReportRow[]>;
    readonly resources: readonly authorization.RoleAssignment[];

    constructor(name: string, args: RoleAssignmentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:RoleAssignments", name, {}, opts);
        const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
        this.resources = args.assignments.map((a) => {
            const definition = pulumi.output(args.subscriptionId).apply((s) => roleDefinitionId(s, a.role));
            return new authorization.RoleAssignment(`${name}-${slug(a.key)}`, {
                roleAssignmentName: pulumi.all([a.scope, a.principalId, definition]).apply(([scope, principal, role]) => roleAssignmentName(scope, principal, role)),
                principalId: a.principalId,
                // The deployer must be a service principal (CI with a federated credential): a person never gets a
                // direct grant (RBAC-6), and Azure rejects the assignment if a user runs `pulumi up`.
                principalType: a.kind === "Deployer" ? "ServicePrincipal" : a.kind,
                roleDefinitionId: definition,
                scope: a.scope,
                description: `openclaw: ${a.who} -> ${a.role} on ${a.scopeLabel}`,
            }, { parent: this, dependsOn: [...(args.dependsOn ?? [])] });
        });
        this.report = pulumi.all(args.assignments.map((a) => pulumi.all([a.principalId, a.scope]).apply(([principalId, scope]) => ({
            principal: [a.who, ...(a.alsoWho ?? [])].join("; "), principalId, principalType: a.kind, role: a.role, scope: `${a.scopeLabel} (${scope})`,
        }))));
        this.registerOutputs({ report: this.report });
    }
}
