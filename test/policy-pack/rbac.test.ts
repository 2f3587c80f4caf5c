// Access-control policies (RBAC-1..RBAC-7) on fixtures: one compliant world per layer, one changed field per case.
import * as rbac from "../../policy-pack/policies/rbac";
import { describePolicy, remove, set, unknown } from "./cases";
import { awsWorld, azureWorld, kubernetesWorld } from "./fixtures";

const M = rbac.MESSAGES;

describe("access-control policies (RBAC-1..RBAC-7)", () => {
    describePolicy(rbac.kubernetesRoleBindingDisallowUserSubjects, {
        world: kubernetesWorld,
        violations: [
            {
                name: "RBAC-6: flags a RoleBinding to an individual User",
                mutate: (w) => set(w, "openclaw-rbac-developer-sandbox", "subjects[1]", { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice@example.com" }),
                expect: [M.userSubject("RoleBinding", "alice@example.com")],
            },
            {
                name: "RBAC-6: flags a ClusterRoleBinding to every authenticated caller",
                mutate: (w) => set(w, "openclaw-rbac-auditor-read", "subjects[0].name", "system:authenticated"),
                expect: [M.everyoneSubject("ClusterRoleBinding", "system:authenticated")],
            },
        ],
        unknown: { name: "the subjects", mutate: (w) => set(w, "openclaw-rbac-auditor-read", "subjects", unknown("array")) },
    });

    describePolicy(rbac.kubernetesClusterRoleBindingDisallowClusterAdmin, {
        world: kubernetesWorld,
        violations: [{ name: "RBAC-1: flags a binding that grants cluster-admin", mutate: (w) => set(w, "openclaw-rbac-auditor-read", "roleRef.name", "cluster-admin"), expect: [M.clusterAdminBinding("ClusterRoleBinding")] }],
        unknown: { name: "the roleRef", mutate: (w) => set(w, "openclaw-rbac-developer-sandbox", "roleRef", unknown("object")) },
    });

    describePolicy(rbac.kubernetesClusterRoleBindingEnforceReadOnly, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-3: flags edit granted cluster-wide to a group", mutate: (w) => set(w, "openclaw-rbac-auditor-read", "roleRef.name", "edit"), expect: [M.clusterWideWrite("ClusterRoleBinding openclaw-auditor-read", "edit"), M.clusterWideSecrets("ClusterRoleBinding openclaw-auditor-read", "edit")] },
            {
                name: "RBAC-4: flags an auditor role that reads Secrets",
                mutate: (w) => set(w, "openclaw-rbac-auditor", "rules[1]", { apiGroups: [""], resources: ["secrets"], verbs: ["get"] }),
                expect: [M.clusterWideSecrets("ClusterRoleBinding openclaw-auditor-read", "openclaw-auditor")],
            },
            { name: "RBAC-4: flags a cluster-wide binding to a role nobody can inspect", mutate: (w) => set(w, "openclaw-rbac-auditor-read", "roleRef.name", "custom-elsewhere"), expect: [M.unknownRole("ClusterRoleBinding openclaw-auditor-read", "custom-elsewhere")] },
        ],
        unknown: { name: "the auditor role's rules", mutate: (w) => set(w, "openclaw-rbac-auditor", "rules", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(rbac.kubernetesRoleDisallowWildcardRules, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-5: flags a rule granting every verb", mutate: (w) => set(w, "openclaw-rbac-auditor", "rules[0].verbs", ["*"]), expect: [M.wildcardRule(0, 'every verb ("*")')] },
            { name: "RBAC-5: flags every core resource (Secrets included)", mutate: (w) => set(w, "openclaw-rbac-auditor", "rules[0].resources", ["*"]), expect: [M.wildcardRule(0, "every resource in the core group")] },
        ],
        unknown: { name: "a second rule", mutate: (w) => set(w, "openclaw-rbac-auditor", "rules[1]", unknown("object")) },
    });

    describePolicy(rbac.awsIamRoleDisallowUserPrincipals, {
        world: awsWorld,
        violations: [
            {
                name: "RBAC-6: flags a trust policy naming an IAM user",
                mutate: (w) => set(w, "openclaw-people-admin", "assumeRolePolicy", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::111122223333:user/alice" } }] })),
                expect: [M.iamUserPrincipal(0, "arn:aws:iam::111122223333:user/alice")],
            },
            { name: "RBAC-6: flags a trust policy open to every principal", mutate: (w) => set(w, "openclaw-people-admin", "assumeRolePolicy", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: "*" }] })), expect: [M.iamEveryone(0)] },
            {
                name: "RBAC-6: flags every principal narrowed only by a wildcard aws:PrincipalArn",
                mutate: (w) => set(w, "openclaw-people-admin", "assumeRolePolicy", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "*" }, Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } } }] })),
                expect: [M.iamEveryone(0)],
            },
            {
                name: "RBAC-6: flags an IAM user pinned by aws:PrincipalArn",
                mutate: (w) => set(w, "openclaw-people-admin", "assumeRolePolicy", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "*" }, Condition: { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:user/alice"] } } }] })),
                expect: [M.iamUserPrincipal(0, "arn:aws:iam::111122223333:user/alice")],
            },
        ],
        passes: [
            {
                name: "when every principal is pinned by ArnEquals on aws:PrincipalArn to SSO roles",
                mutate: (w) => set(w, "openclaw-people-admin", "assumeRolePolicy", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "*" }, Condition: { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123"] } } }] })),
            },
        ],
        unknown: { name: "the trust policy", mutate: (w) => set(w, "openclaw-people-admin", "assumeRolePolicy", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(rbac.awsIamUserDisallowCreation, {
        world: awsWorld,
        violations: [{ name: "RBAC-6: flags an IAM user", mutate: (w) => [...w, { type: "aws:iam/user:User", name: "openclaw-ci-user", inputs: { name: "ci" } }], expect: [M.iamUserCreated("user")] }],
        passes: [{ name: "when every person is an SSO role", mutate: (w) => w }],
        unknown: { name: "a role's name", mutate: (w) => [...w, { type: "aws:iam/role:Role", name: "openclaw-unknown-role", inputs: { name: unknown(), assumeRolePolicy: unknown() } }] },
        unknownNeedsNoVerdict: "the type alone decides",
    });

    describePolicy(rbac.awsEksAccessEntryDisallowUserPrincipals, {
        world: awsWorld,
        violations: [{ name: "RBAC-6: flags an access entry for an IAM user", mutate: (w) => set(w, "openclaw-access-admin-entry", "principalArn", "arn:aws:iam::111122223333:user/alice"), expect: [M.accessEntryUser("arn:aws:iam::111122223333:user/alice")] }],
        unknown: { name: "the principal", mutate: (w) => set(w, "openclaw-access-admin-entry", "principalArn", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(rbac.awsEksAccessPolicyEnforceNamespaceScope, {
        world: awsWorld,
        violations: [{ name: "RBAC-3: flags the developers' Edit policy at cluster scope", mutate: (w) => set(w, "openclaw-access-developer", "accessScope", { type: "cluster" }), expect: [M.associationScope("AmazonEKSEditPolicy")] }],
        unknown: { name: "the access scope", mutate: (w) => set(w, "openclaw-access-developer", "accessScope", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(rbac.awsEksClusterEnforceAccessEntries, {
        world: awsWorld,
        violations: [
            { name: "RBAC-5: flags the aws-auth ConfigMap mode", mutate: (w) => set(w, "openclaw-eks-cluster", "accessConfig.authenticationMode", "API_AND_CONFIG_MAP"), expect: [M.authMode("API_AND_CONFIG_MAP")] },
            { name: "RBAC-6: flags implicit admin for the cluster creator", mutate: (w) => set(w, "openclaw-eks-cluster", "accessConfig.bootstrapClusterCreatorAdminPermissions", undefined), expect: [M.creatorAdmin] },
        ],
        unknown: { name: "bootstrapClusterCreatorAdminPermissions", mutate: (w) => set(w, "openclaw-eks-cluster", "accessConfig.bootstrapClusterCreatorAdminPermissions", unknown("boolean")) },
    });

    describePolicy(rbac.awsIamPolicyDisallowAdminWildcard, {
        world: awsWorld,
        violations: [
            { name: "RBAC-5: flags Action * on Resource *", mutate: (w) => set(w, "openclaw-people-admin-policy", "policy", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })), expect: [M.adminWildcard(0)] },
            {
                name: "RBAC-1: flags an AdministratorAccess attachment",
                mutate: (w) => [...w, { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "openclaw-admin-attach", inputs: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } }],
                expect: [M.adminAttachment("arn:aws:iam::aws:policy/AdministratorAccess")],
            },
        ],
        unknown: { name: "a policy document", mutate: (w) => set(w, "openclaw-people-admin-policy", "policy", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(rbac.azureRoleAssignmentEnforceGroupPrincipal, {
        world: azureWorld,
        violations: [
            { name: "RBAC-6: flags a role assignment to a user", mutate: (w) => set(w, "openclaw-people-roles-admin-cluster-admin", "principalType", "User"), expect: [M.azurePrincipal("User")] },
            { name: "RBAC-6: flags a role assignment without a principal type", mutate: (w) => set(w, "openclaw-people-roles-auditor-reader", "principalType", undefined), expect: [M.azurePrincipal("unset (the principal may be a user)")] },
        ],
        unknown: { name: "principalType", mutate: (w) => set(w, "openclaw-people-roles-developer-writer-sandbox", "principalType", unknown()) },
    });

    describePolicy(rbac.azureAksClusterEnforceEntraRbac, {
        world: azureWorld,
        violations: [
            { name: "RBAC-5: flags local accounts left on", mutate: (w) => set(w, "openclaw-cluster", "disableLocalAccounts", undefined), expect: [M.localAccounts] },
            { name: "RBAC-5: flags Kubernetes RBAC not bound to Azure RBAC", mutate: (w) => set(w, "openclaw-cluster", "aadProfile.enableAzureRBAC", false), expect: [M.azureRbac] },
        ],
        unknown: { name: "aadProfile", mutate: (w) => set(w, "openclaw-cluster", "aadProfile", unknown("object")) },
    });

    describePolicy(rbac.azureAksRoleAssignmentDisallowSecretRead, {
        world: azureWorld,
        violations: [
            {
                name: "RBAC-2: flags operators given AKS RBAC Admin on the namespace holding the runtime secrets",
                mutate: (w) => set(w, "openclaw-people-roles-operator-reader-openclaw", "roleDefinitionId", `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${rbac.AKS_ROLE_DEFINITIONS.admin}`),
                expect: [M.secretReadAssignment("Azure Kubernetes Service RBAC Admin", "namespace openclaw")],
            },
            {
                name: "RBAC-2: flags AKS RBAC Writer granted cluster-wide",
                mutate: (w) => set(w, "openclaw-people-roles-developer-writer-sandbox", "scope", "openclaw-cluster-id"),
                expect: [M.secretReadAssignment("Azure Kubernetes Service RBAC Writer", "the whole cluster")],
            },
        ],
        passes: [{ name: "developers with Writer on the sandbox", mutate: (w) => w }],
        unknown: { name: "an assignment's scope", mutate: (w) => set(w, "openclaw-people-roles-developer-writer-sandbox", "scope", unknown()) },
    });

    describePolicy(rbac.awsEksAccessPolicyDisallowSecretRead, {
        world: awsWorld,
        violations: [
            {
                name: "RBAC-2: flags operators given EKS Edit on the namespace holding the runtime secrets",
                mutate: (w) => set(w, "openclaw-access-operator", "policyArn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"),
                expect: [M.secretReadAssociation("AmazonEKSEditPolicy", "namespace openclaw")],
            },
        ],
        unknown: { name: "an association's namespaces", mutate: (w) => set(w, "openclaw-access-developer", "accessScope.namespaces", unknown("array")) },
    });

    describePolicy(rbac.awsEksMissingRoleAccess, {
        world: awsWorld,
        violations: [
            { name: "RBAC-4: flags a cluster with no auditor view", mutate: (w) => remove(w, "openclaw-access-auditor"), expect: [M.roleMissing("auditor", "cluster-scoped View association")] },
            { name: "RBAC-3: flags developers without sandbox access", mutate: (w) => remove(w, "openclaw-access-developer"), expect: [M.roleMissing("developer", "Edit association scoped to openclaw-sandbox")] },
            { name: "RBAC-1: flags a cluster with no admin mapping", mutate: (w) => remove(w, "openclaw-access-admin"), expect: [M.roleMissing("admin", "cluster-scoped AmazonEKSClusterAdminPolicy association")] },
            { name: "RBAC-2: flags operators without access to the OpenClaw namespace", mutate: (w) => set(w, "openclaw-access-operator", "accessScope.namespaces", ["openclaw-sandbox"]), expect: [M.roleMissing("operator", "association scoped to openclaw")] },
        ],
        unknown: { name: "an association's scope", mutate: (w) => set(w, "openclaw-access-operator", "accessScope", unknown("object")) },
        unknownHidesViolation: true,
        passes: [
            // The config accepts an empty role group and the pack agrees: a role nobody holds grants nothing (RBAC-3).
            { name: "RBAC-3: a stack with no developer group (no access entry, no association)", mutate: (w) => remove(remove(w, "openclaw-access-developer"), "openclaw-access-developer-entry") },
            { name: "RBAC-2, RBAC-4: a stack with only an admin group", mutate: (w) => ["operator", "auditor", "developer"].reduce((acc, role) => remove(remove(acc, `openclaw-access-${role}`), `openclaw-access-${role}-entry`), w) },
        ],
    });

    describePolicy(rbac.azureAksMissingRoleAccess, {
        world: azureWorld,
        violations: [
            { name: "RBAC-1: flags a cluster without a Cluster Admin group", mutate: (w) => remove(w, "openclaw-people-roles-admin-cluster-admin"), expect: [M.roleMissing("admin", "Azure Kubernetes Service RBAC Cluster Admin group assignment")] },
            { name: "RBAC-3: flags developers without sandbox access", mutate: (w) => remove(w, "openclaw-people-roles-developer-writer-sandbox"), expect: [M.roleMissing("developer", "RBAC Writer group assignment on openclaw-sandbox")] },
            { name: "RBAC-2: flags operators without the OpenClaw namespace", mutate: (w) => remove(w, "openclaw-people-roles-operator-reader-openclaw"), expect: [M.roleMissing("operator", "namespace-scoped group assignment on openclaw")] },
            { name: "RBAC-4: flags a cluster without an auditor reader", mutate: (w) => remove(w, "openclaw-people-roles-auditor-reader"), expect: [M.roleMissing("auditor", "Azure Kubernetes Service RBAC Reader group assignment")] },
        ],
        unknown: { name: "an assignment's scope", mutate: (w) => set(w, "openclaw-people-roles-auditor-reader", "scope", unknown()) },
        unknownHidesViolation: true,
        passes: [
            { name: "RBAC-3: a stack with no developer group (no assignment marked for developers)", mutate: (w) => remove(remove(w, "openclaw-people-roles-developer-writer-sandbox"), "openclaw-people-roles-developer-cluster-user") },
        ],
    });

    describePolicy(rbac.anyStackMissingRoleBindingReport, {
        world: awsWorld,
        violations: [{ name: "RBAC-7: flags a stack that exports no role-binding report", mutate: (w) => w.map((r) => (r.type === "pulumi:pulumi:Stack" ? { ...r, outputs: { url: "https://openclaw.example.com" } } : r)), expect: [M.noReport("roleBindings, azureRoleAssignments")] }],
        unknown: { name: "the report output", mutate: (w) => w.map((r) => (r.type === "pulumi:pulumi:Stack" ? { ...r, outputs: { roleBindings: unknown("array") } } : r)) },
        unknownHidesViolation: true,
    });
});
