// Cloud access of the gateways beyond the first (`openclaw:gateways`): per gateway and role an IAM role its own
// groups assume, and an EKS access entry whose access policy is scoped to that gateway's namespaces only.
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { GROUP_ROLES, GroupRole } from "../../config/schema";
import type { GatewayPlan } from "../../config/gateways";
import { groupTrust, type RoleBinding } from "./access";
import { accessPolicyArn, EksAccessPolicy } from "./cluster";
import { AwsContext, tagsFor } from "./context";
import { PolicyStatement, policyDocument } from "./iam-policy";

/** The Kubernetes group a gateway role's access entry carries; the Kubernetes layer binds it in that gateway's namespaces only. */
export function teamKubernetesGroup(gateway: string, role: GroupRole): string {
    return `openclaw:${gateway}:${role}s`;
}

/**
 * The EKS access policy of each role of a further gateway, always namespace-scoped: View (no Secrets) on both its
 * namespaces for admins, operators and auditors, Edit on the sandbox for developers. The gateway admins' writes, and
 * the operators' restart, come from the Kubernetes layer's RoleBindings for the same Kubernetes group in the same
 * namespaces: EKS authorizes a request when either RBAC or an access policy allows it
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html), and no Edit/Admin access policy then
 * reaches a namespace holding a runtime Secret (aws-eks-access-policy-disallow-secret-read).
 * Policies: https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export function teamRoleAccess(gateway: Pick<GatewayPlan, "namespace" | "sandboxNamespace">): Readonly<Record<GroupRole, { readonly policy: EksAccessPolicy; readonly namespaces: readonly string[] }>> {
    return {
        admin: { policy: "AmazonEKSViewPolicy", namespaces: [gateway.namespace, gateway.sandboxNamespace] },
        operator: { policy: "AmazonEKSViewPolicy", namespaces: [gateway.namespace, gateway.sandboxNamespace] },
        developer: { policy: "AmazonEKSEditPolicy", namespaces: [gateway.sandboxNamespace] },
        auditor: { policy: "AmazonEKSViewPolicy", namespaces: [gateway.namespace, gateway.sandboxNamespace] },
    };
}

export interface TeamAccessArgs {
    readonly context: AwsContext;
    /** The gateway (never the first: its people are `openclaw:groups`). */
    readonly gateway: GatewayPlan;
    readonly clusterName: pulumi.Input<string>;
    readonly clusterArn: pulumi.Input<string>;
    /** The logs key, which no role of the stack may disable, delete or re-police. */
    readonly logsKeyArn: pulumi.Input<string>;
}

/** One gateway's roles: enough AWS to reach its namespaces (`aws eks update-kubeconfig`), no secret values, nothing else. */
export class TeamAccess extends pulumi.ComponentResource {
    /** Kubernetes group names per role that has members. */
    readonly kubernetesGroups: Readonly<Record<GroupRole, string[]>>;
    readonly bindings: pulumi.Output<RoleBinding[]>;

    constructor(name: string, args: TeamAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:TeamAccess", name, {}, opts);
        const { context, gateway } = args;
        const access = teamRoleAccess(gateway);
        const policy: PolicyStatement[] = [
            { Sid: "DescribeTheCluster", Effect: "Allow", Action: "eks:DescribeCluster", Resource: args.clusterArn },
            { Sid: "NoSecretValues", Effect: "Deny", Action: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "secretsmanager:PutSecretValue"], Resource: "*" },
            { Sid: "ArchiveKeyStaysIntact", Effect: "Deny", Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant"], Resource: args.logsKeyArn },
        ];
        const kubernetesGroups: Record<GroupRole, string[]> = { admin: [], operator: [], developer: [], auditor: [] };
        const bindings: pulumi.Output<RoleBinding>[] = [];
        for (const role of GROUP_ROLES) {
            const principals = gateway.groups[role];
            if (principals.length === 0) {
                continue;
            }
            const roleName = `${context.prefix}-${gateway.name}-${role}`;
            const iamRole = new iam.Role(`${name}-${role}`, {
                name: roleName,
                description: `OpenClaw gateway ${gateway.name} ${role}: assumed only by that gateway's ${role} group roles`,
                maxSessionDuration: 3600,
                assumeRolePolicy: groupTrust(principals),
                tags: { ...tagsFor(context, roleName), "openclaw:group-role": role, "openclaw:gateway": gateway.name },
            }, { parent: this });
            new iam.RolePolicy(`${name}-${role}`, { role: iamRole.name, policy: policyDocument(policy) }, { parent: this });
            const group = teamKubernetesGroup(gateway.name, role);
            const entry = new eks.AccessEntry(`${name}-${role}`, {
                clusterName: args.clusterName,
                principalArn: iamRole.arn,
                type: "STANDARD",
                kubernetesGroups: [group],
                tags: tagsFor(context, roleName),
            }, { parent: this });
            new eks.AccessPolicyAssociation(`${name}-${role}`, {
                clusterName: args.clusterName,
                principalArn: entry.principalArn,
                policyArn: accessPolicyArn(context, access[role].policy),
                accessScope: { type: "namespace", namespaces: [...access[role].namespaces] },
            }, { parent: this });
            kubernetesGroups[role].push(group);
            bindings.push(iamRole.arn.apply((arn) => ({
                principal: arn,
                assumedBy: [...principals],
                grants: [`EKS ${access[role].policy} on namespaces ${access[role].namespaces.join(", ")}`, `Kubernetes group ${group} (RBAC in gateway ${gateway.name}'s namespaces only)`],
            })));
        }
        this.kubernetesGroups = kubernetesGroups;
        this.bindings = pulumi.all(bindings);
        this.registerOutputs({});
    }
}
