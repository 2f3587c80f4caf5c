// One least-privilege IAM role bound to one Kubernetes ServiceAccount through EKS Pod Identity (RBAC-5).
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import type { CredentialEndpoint, WorkloadIdentity } from "../seam";
import { AwsContext, arnOf, tagsFor } from "./context";
import { PolicyStatement, podIdentityTrust, policyDocument } from "./iam-policy";

/** The EKS Pod Identity agent on every node (link-local, port 80): pods fetch their credentials there. */
// The agent's address and port: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html
export const POD_IDENTITY_AGENT: CredentialEndpoint = { cidr: "169.254.170.23/32", port: 80 };

export interface PodIdentityRoleArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The EKS cluster's name. */
    readonly clusterName: pulumi.Input<string>;
    /** Suffix of the IAM role's name: `<prefix>-<roleName>`. */
    readonly roleName: string;
    /** Namespace and ServiceAccount the role is bound to; no other pod can obtain it. */
    readonly namespace: string;
    /** The ServiceAccount in `namespace`. */
    readonly serviceAccount: string;
    /** What the role may do, as IAM statements scoped to this stack's resources. */
    readonly statements: readonly PolicyStatement[];
    /** AWS managed policies to attach (for add-ons whose needs AWS maintains). */
    readonly managedPolicyArns?: readonly pulumi.Input<string>[];
    /** Create the association here (true) or let an EKS add-on create it (false). Defaults to true. */
    readonly associate?: boolean;
}

/** One entry of the role-binding report: which ServiceAccount holds which role, for what. */
export interface PodIdentityBinding {
    readonly workload: string;
    readonly role: PodIdentityRole;
    readonly purpose: string;
}

/** The role, its policy and (unless an add-on owns it) the Pod Identity association. */
export class PodIdentityRole extends pulumi.ComponentResource {
    readonly role: iam.Role;
    readonly association?: eks.PodIdentityAssociation;
    /** Resources a pod using the role must wait for. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: PodIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:PodIdentityRole", name, {}, opts);
        const { context } = args;
        this.role = new iam.Role(`${name}-role`, {
            name: `${context.prefix}-${args.roleName}`,
            description: `Pod Identity role of ${args.namespace}/${args.serviceAccount}`,
            assumeRolePolicy: podIdentityTrust({ clusterArn: arnOf(context, "eks", pulumi.interpolate`cluster/${args.clusterName}`), namespace: args.namespace, serviceAccount: args.serviceAccount }),
            tags: tagsFor(context, `${context.prefix}-${args.serviceAccount}`),
        }, { parent: this });
        this.ready = [];
        if (args.statements.length > 0) {
            this.ready.push(new iam.RolePolicy(`${name}-policy`, { role: this.role.name, policy: policyDocument(args.statements) }, { parent: this }));
        }
        (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
            this.ready.push(new iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: this.role.name, policyArn }, { parent: this }));
        });
        if (args.associate ?? true) {
            this.association = new eks.PodIdentityAssociation(`${name}-association`, {
                clusterName: args.clusterName,
                namespace: args.namespace,
                serviceAccount: args.serviceAccount,
                roleArn: this.role.arn,
                tags: tagsFor(context, `${context.prefix}-${args.serviceAccount}`),
            }, { parent: this, dependsOn: this.ready });
            this.ready.push(this.association);
        }
        this.registerOutputs({ roleArn: this.role.arn });
    }

    /** The seam's view: Pod Identity needs no annotation or label, only the association and the agent's address. */
    identity(): WorkloadIdentity {
        return { serviceAccountAnnotations: {}, podLabels: {}, dependsOn: [...this.ready], credentialEndpoints: [POD_IDENTITY_AGENT] };
    }
}
