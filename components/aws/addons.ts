// EKS managed add-ons (VPC CNI with network policy, kube-proxy, Pod Identity agent, CoreDNS, EBS CSI) and the encrypted gp3 StorageClass.
import * as eks from "@pulumi/aws/eks";
import type { Provider } from "@pulumi/kubernetes/provider";
import { StorageClass } from "@pulumi/kubernetes/storage/v1";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, managedPolicyArn, tagsFor } from "./context";
import { PodIdentityBinding, PodIdentityRole } from "./pod-identity";

/** The StorageClass OpenClaw's state volume uses: gp3, encrypted with the cluster CMK, retained when released. */
export const ENCRYPTED_STORAGE_CLASS = "openclaw-encrypted-gp3";

/** The add-ons, in the order they can be installed: the first three before nodes join, the rest after. */
// Add-on names as `aws eks describe-addon-versions` lists them: https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html
export const ADDONS_BEFORE_NODES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const;
export const ADDONS_AFTER_NODES = ["coredns", "aws-ebs-csi-driver"] as const;
export type AddonName = (typeof ADDONS_BEFORE_NODES)[number] | (typeof ADDONS_AFTER_NODES)[number];

/** Add-on settings: NetworkPolicy enforcement in the VPC CNI (NET-3 needs an enforcing CNI). */
export const ADDON_CONFIGURATION: Readonly<Partial<Record<AddonName, Record<string, unknown>>>> = {
    // The add-on's configuration key for network policy: https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
    "vpc-cni": { enableNetworkPolicy: "true" },
};

export interface AddonsArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The EKS cluster's name. */
    readonly clusterName: pulumi.Input<string>;
    /** ARN of the cluster CMK: EBS volumes the CSI driver creates are encrypted with it. */
    readonly kmsKeyArn: pulumi.Input<string>;
}

/**
 * Add-ons are split in two phases because DaemonSet add-ons must exist before nodes can become Ready, while
 * Deployment add-ons only become healthy once nodes exist. Call `afterNodes` once the node group exists.
 */
export class Addons extends pulumi.ComponentResource {
    /** Add-ons nodes need to join (CNI, kube-proxy, the Pod Identity agent). */
    readonly beforeNodes: eks.Addon[];
    /** The add-ons' Pod Identity roles, for the role-binding report. */
    readonly bindings: PodIdentityBinding[] = [];
    private readonly args: AddonsArgs;
    private readonly name: string;

    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Addons", name, {}, opts);
        this.args = args;
        this.name = name;
        // The VPC CNI's permissions live on a Pod Identity role, not on the node role every pod could borrow.
        const cniRole = new PodIdentityRole(`${name}-vpc-cni`, {
            context: args.context,
            clusterName: args.clusterName,
            roleName: "vpc-cni",
            namespace: "kube-system",
            serviceAccount: "aws-node",
            statements: [],
            // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEKS_CNI_Policy.html
            managedPolicyArns: [managedPolicyArn(args.context, "AmazonEKS_CNI_Policy")],
            associate: false,
        }, { parent: this });
        this.bindings.push({ workload: "kube-system/aws-node", role: cniRole, purpose: "VPC CNI: manage node ENIs and pod IPs (AmazonEKS_CNI_Policy)" });
        const podIdentityAgent = this.addon("eks-pod-identity-agent", []);
        this.beforeNodes = [
            this.addon("vpc-cni", [{ roleArn: cniRole.role.arn, serviceAccount: "aws-node" }], [podIdentityAgent, ...cniRole.ready]),
            this.addon("kube-proxy", []),
            podIdentityAgent,
        ];
        this.registerOutputs({});
    }

    /** CoreDNS, the EBS CSI driver (with its Pod Identity role) and the encrypted StorageClass. */
    afterNodes(nodes: pulumi.Resource, provider: Provider): { storageClass: StorageClass; addons: eks.Addon[] } {
        const { context, kmsKeyArn, clusterName } = this.args;
        const ebsRole = new PodIdentityRole(`${this.name}-ebs-csi`, {
            context,
            clusterName,
            roleName: "ebs-csi",
            namespace: "kube-system",
            serviceAccount: "ebs-csi-controller-sa",
            // ARN path service-role/: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEBSCSIDriverPolicy.html
            managedPolicyArns: [managedPolicyArn(context, "service-role/AmazonEBSCSIDriverPolicy")],
            statements: [
                {
                    Sid: "EncryptVolumesWithTheClusterKey",
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: kmsKeyArn,
                },
                {
                    Sid: "GrantsForAttachedVolumesOnly",
                    Effect: "Allow",
                    Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                    Resource: kmsKeyArn,
                    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
                },
            ],
            associate: false,
        }, { parent: this });
        this.bindings.push({ workload: "kube-system/ebs-csi-controller-sa", role: ebsRole, purpose: "EBS CSI driver: create and attach volumes encrypted with the cluster key" });
        const coredns = this.addon("coredns", [], [nodes]);
        const ebs = this.addon("aws-ebs-csi-driver", [{ roleArn: ebsRole.role.arn, serviceAccount: "ebs-csi-controller-sa" }], [nodes, ...ebsRole.ready]);
        const storageClass = new StorageClass(`${this.name}-encrypted-gp3`, {
            metadata: { name: ENCRYPTED_STORAGE_CLASS },
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: kmsKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
            reclaimPolicy: "Retain",
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
        }, { parent: this, provider, dependsOn: [ebs] });
        return { storageClass, addons: [coredns, ebs] };
    }

    private addon(addonName: AddonName, podIdentityAssociations: { roleArn: pulumi.Input<string>; serviceAccount: string }[], dependsOn: pulumi.Resource[] = []): eks.Addon {
        const configuration = ADDON_CONFIGURATION[addonName];
        return new eks.Addon(`${this.name}-${addonName}`, {
            clusterName: this.args.clusterName,
            addonName,
            // The add-on's default version for the cluster's Kubernetes version at creation; pin with care on upgrades.
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
            ...(podIdentityAssociations.length > 0 ? { podIdentityAssociations } : {}),
            tags: tagsFor(this.args.context, `${this.args.context.prefix}-${addonName}`),
        }, { parent: this, dependsOn });
    }
}
