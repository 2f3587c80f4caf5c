// Cloud RBAC (RBAC-1..RBAC-7): the admin, operator, developer and auditor IAM roles, their EKS access entries, and the binding report.
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { GROUP_ROLES, GroupRole } from "../../config/schema";
import { accessPolicyArn, EksAccessPolicy } from "./cluster";
import { AwsContext, tagsFor } from "./context";
import { PolicyStatement, policyDocument } from "./iam-policy";
import { APP_NAMESPACES } from "../seam";

/** Kubernetes group each role's access entry carries; the Kubernetes layer binds its RBAC to these names. */
export const KUBERNETES_GROUPS: Readonly<Record<GroupRole, string>> = {
    admin: "openclaw:admins",
    operator: "openclaw:operators",
    developer: "openclaw:developers",
    auditor: "openclaw:auditors",
};

/** The EKS access policy of each role and where it applies (RBAC-1..4). */
export const ROLE_ACCESS: Readonly<Record<GroupRole, { readonly policy: EksAccessPolicy; readonly namespaces?: readonly string[] }>> = {
    admin: { policy: "AmazonEKSClusterAdminPolicy" },
    // View excludes Secrets; the operator's restart/scale rights come from the Kubernetes layer's Role for its group.
    operator: { policy: "AmazonEKSViewPolicy", namespaces: [APP_NAMESPACES.openclaw, APP_NAMESPACES.sandbox] },
    developer: { policy: "AmazonEKSEditPolicy", namespaces: [APP_NAMESPACES.sandbox] },
    auditor: { policy: "AmazonEKSViewPolicy" },
};

/** What the stack's resources are, for scoping the role policies. */
export interface StackResources {
    readonly clusterName: pulumi.Input<string>;
    readonly clusterArn: pulumi.Input<string>;
    readonly secretArns: pulumi.Input<string>[];
    /** The keys the admin administers fully (secrets, cluster): not the logs key. */
    readonly keyArns: pulumi.Input<string>[];
    /** The logs key: it protects the immutable archive, so no role of this stack may disable, delete or re-police it. */
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logGroupArns: pulumi.Input<string>[];
    readonly archiveBucketArn: pulumi.Input<string>;
    readonly trailArn: pulumi.Input<string>;
}

/** One line of the role-binding report: who holds what. */
export interface RoleBinding {
    readonly principal: string;
    readonly assumedBy?: readonly string[];
    readonly grants: readonly string[];
    readonly note?: string;
}

const SECRET_VALUE_ACTIONS = [
    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret",
    "secretsmanager:UpdateSecretVersionStage", "secretsmanager:RotateSecret", "secretsmanager:DeleteSecret", "secretsmanager:RestoreSecret",
];
/**
 * What would defeat the immutable archive through its key: deleting or disabling it, rewriting its policy, or
 * handing it out by grant. Denied on the logs key to every group role (the deployer, outside these roles, keeps them).
 */
// Action names: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
export const ARCHIVE_KEY_DESTRUCTIVE_ACTIONS = [
    "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:DisableKeyRotation", "kms:CreateGrant",
    "kms:RevokeGrant", "kms:RetireGrant", "kms:ImportKeyMaterial", "kms:DeleteImportedKeyMaterial", "kms:UpdatePrimaryRegion",
] as const;

const LOG_READ_ACTIONS = ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:GetLogGroupFields", "logs:GetDataProtectionPolicy"];

/** The IAM policy of each role, scoped to this stack's resources. */
export function rolePolicies(context: AwsContext, r: StackResources): Record<GroupRole, PolicyStatement[]> {
    const clusterScoped = (kind: string) => pulumi.interpolate`arn:${context.partition}:eks:${context.region}:${context.accountId}:${kind}/${r.clusterName}/*`;
    const clusterResources = [r.clusterArn, ...["nodegroup", "addon", "access-entry", "podidentityassociation"].map(clusterScoped)];
    const logGroups = [...r.logGroupArns, ...r.logGroupArns.map((arn) => pulumi.interpolate`${arn}:*`)];
    const readLogs: PolicyStatement[] = [
        { Sid: "ReadThisStacksLogs", Effect: "Allow", Action: LOG_READ_ACTIONS, Resource: logGroups },
        { Sid: "QueriesAndListing", Effect: "Allow", Action: ["logs:DescribeLogGroups", "logs:GetQueryResults", "logs:StopQuery", "logs:DescribeQueries"], Resource: "*" },
    ];
    const noUnmask: PolicyStatement = { Sid: "NeverUnmaskPii", Effect: "Deny", Action: "logs:Unmask", Resource: "*" };
    const noSecretValues: PolicyStatement = { Sid: "NoSecretValues", Effect: "Deny", Action: SECRET_VALUE_ACTIONS, Resource: "*" };
    const archiveKeyIntact: PolicyStatement = { Sid: "ArchiveKeyStaysIntact", Effect: "Deny", Action: [...ARCHIVE_KEY_DESTRUCTIVE_ACTIONS], Resource: r.logsKeyArn };
    return {
        admin: [
            { Sid: "ThisCluster", Effect: "Allow", Action: "eks:*", Resource: clusterResources },
            { Sid: "EksDiscovery", Effect: "Allow", Action: ["eks:ListClusters", "eks:DescribeAddonVersions", "eks:ListAccessPolicies"], Resource: "*" },
            { Sid: "ThisStacksSecrets", Effect: "Allow", Action: "secretsmanager:*", Resource: r.secretArns },
            { Sid: "ListSecrets", Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" },
            { Sid: "ThisStacksKeys", Effect: "Allow", Action: "kms:*", Resource: r.keyArns },
            { Sid: "InspectTheLogsKey", Effect: "Allow", Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListResourceTags"], Resource: r.logsKeyArn },
            ...readLogs,
            archiveKeyIntact,
        ],
        operator: [
            {
                Sid: "DescribeTheCluster",
                Effect: "Allow",
                Action: ["eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup", "eks:ListAddons", "eks:DescribeAddon", "eks:ListUpdates", "eks:DescribeUpdate"],
                Resource: clusterResources,
            },
            { Sid: "SecretMetadataOnly", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"], Resource: r.secretArns },
            { Sid: "AlarmsAndMetrics", Effect: "Allow", Action: ["cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics"], Resource: "*" },
            ...readLogs,
            noSecretValues,
            noUnmask,
            archiveKeyIntact,
        ],
        developer: [
            // Enough for `aws eks update-kubeconfig`; what they may do inside is the sandbox namespace only.
            { Sid: "DescribeTheCluster", Effect: "Allow", Action: "eks:DescribeCluster", Resource: r.clusterArn },
            noSecretValues,
            archiveKeyIntact,
        ],
        auditor: [
            ...readLogs,
            { Sid: "CloudTrail", Effect: "Allow", Action: ["cloudtrail:LookupEvents", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:DescribeTrails", "cloudtrail:ListTrails"], Resource: "*" },
            { Sid: "ReadTheArchive", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectRetention", "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketObjectLockConfiguration"], Resource: [r.archiveBucketArn, pulumi.interpolate`${r.archiveBucketArn}/*`] },
            {
                Sid: "DecryptTheArchive",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: r.logsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${context.region}.amazonaws.com` } },
            },
            { Sid: "FlowLogAndNetworkConfig", Effect: "Allow", Action: ["ec2:DescribeFlowLogs", "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules", "ec2:DescribeNetworkAcls"], Resource: "*" },
            {
                Sid: "ReviewAccess",
                Effect: "Allow",
                Action: ["eks:DescribeCluster", "eks:ListAccessEntries", "eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies", "eks:ListPodIdentityAssociations", "eks:DescribePodIdentityAssociation"],
                Resource: clusterResources,
            },
            {
                Sid: "ReviewRoles",
                Effect: "Allow",
                Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
                // Every role of this stack is named <prefix>-<purpose> (test: "names every IAM role of the stack with its prefix").
                Resource: pulumi.interpolate`arn:${context.partition}:iam::${context.accountId}:role/${context.prefix}-*`,
            },
            noSecretValues,
            noUnmask,
            archiveKeyIntact,
        ],
    };
}

/**
 * The trust policy of a group role: any principal whose ARN is exactly one of the configured role ARNs.
 * The ARNs sit in an `aws:PrincipalArn` condition rather than in `Principal`: IAM resolves a role named as
 * Principal to its unique id when the policy is saved, so it refuses a role that does not exist yet (the
 * example stack's placeholders) and silently stops matching once IAM Identity Center re-creates a permission
 * set's role; a condition on the ARN does neither.
 */
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles (unique id, "Invalid principal");
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn (the role's ARN for an assumed-role session)
export function groupTrust(principalArns: readonly string[]): pulumi.Output<string> {
    return policyDocument([
        {
            Sid: "ConfiguredGroupsOnly",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:PrincipalArn": [...principalArns] } },
        },
    ]);
}

export interface AccessArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** `groups`: the IAM role ARNs (SSO permission-set roles) that may assume each role. A role with none is not created. */
    readonly groups: Readonly<Record<GroupRole, readonly string[]>>;
    /** This stack's resources the role policies are scoped to. */
    readonly resources: StackResources;
}

/** The four roles, their access entries and policy associations. */
export class Access extends pulumi.ComponentResource {
    readonly roleArns: Readonly<Partial<Record<GroupRole, pulumi.Output<string>>>>;
    readonly bindings: pulumi.Output<RoleBinding[]>;

    constructor(name: string, args: AccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Access", name, {}, opts);
        const { context } = args;
        const policies = rolePolicies(context, args.resources);
        const roleArns: Partial<Record<GroupRole, pulumi.Output<string>>> = {};
        const bindings: pulumi.Output<RoleBinding>[] = [];
        for (const groupRole of GROUP_ROLES) {
            const principals = args.groups[groupRole];
            if (principals.length === 0) {
                continue;
            }
            const role = new iam.Role(`${name}-${groupRole}`, {
                name: `${context.prefix}-${groupRole}`,
                description: `OpenClaw ${groupRole}: assumed only by the configured ${groupRole} group roles`,
                maxSessionDuration: 3600,
                assumeRolePolicy: groupTrust(principals),
                tags: { ...tagsFor(context, `${context.prefix}-${groupRole}`), "openclaw:group-role": groupRole },
            }, { parent: this });
            new iam.RolePolicy(`${name}-${groupRole}`, { role: role.name, policy: policyDocument(policies[groupRole]) }, { parent: this });
            const entry = new eks.AccessEntry(`${name}-${groupRole}`, {
                clusterName: args.resources.clusterName,
                principalArn: role.arn,
                type: "STANDARD",
                kubernetesGroups: [KUBERNETES_GROUPS[groupRole]],
                tags: tagsFor(context, `${context.prefix}-${groupRole}`),
            }, { parent: this });
            const access = ROLE_ACCESS[groupRole];
            new eks.AccessPolicyAssociation(`${name}-${groupRole}`, {
                clusterName: args.resources.clusterName,
                principalArn: entry.principalArn,
                policyArn: accessPolicyArn(context, access.policy),
                accessScope: access.namespaces ? { type: "namespace", namespaces: [...access.namespaces] } : { type: "cluster" },
            }, { parent: this });
            roleArns[groupRole] = role.arn;
            bindings.push(role.arn.apply((arn) => ({
                principal: arn,
                assumedBy: [...principals],
                grants: [
                    `EKS ${access.policy} on ${access.namespaces ? `namespaces ${access.namespaces.join(", ")}` : "the whole cluster"}`,
                    `Kubernetes group ${KUBERNETES_GROUPS[groupRole]} (RBAC from the Kubernetes layer)`,
                    `IAM policy ${context.prefix}-${groupRole}: ${policies[groupRole].filter((s) => s.Effect === "Allow").map((s) => s.Sid).join(", ")}`,
                ],
            })));
        }
        this.roleArns = roleArns;
        this.bindings = pulumi.all(bindings);
        this.registerOutputs({});
    }
}
