// The private EKS cluster (NET-1, RBAC-5) and cloud RBAC (RBAC-1..RBAC-7) on the AWS example stack.
import * as assert from "assert";
import { stackValues, type ProgramRun, type RecordedResource } from "../harness/program";
import { MOCK_DEPLOYER_ROLE_ARN } from "../harness/invokes-aws";
import { MOCK_AWS_ACCOUNT } from "../harness/state-aws";
import { API_CIDRS, devSeam, devStack, list, ofType, statements, weakenedStack } from "./run";

const groups = stackValues("dev").groups as Record<"admin" | "operator" | "developer" | "auditor", string[]>;
const accessPolicy = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

describe("AWS private EKS and cloud RBAC on the example stack", () => {
    let run: ProgramRun;
    let cluster: RecordedResource;
    before(async () => {
        run = await devStack();
        [cluster] = ofType(run, "aws:eks/cluster:Cluster");
    });

    describe("the cluster", () => {
        it("the cluster API is not public when apiAuthorizedCidrs is empty", () => {
            const vpc = cluster.inputs.vpcConfig as Record<string, unknown>;
            assert.strictEqual(vpc.endpointPrivateAccess, true);
            assert.strictEqual(vpc.endpointPublicAccess, false);
            assert.strictEqual(vpc.publicAccessCidrs, undefined);
        });

        it("opens the public endpoint to exactly apiAuthorizedCidrs when they are set", async () => {
            const [weak] = ofType(await weakenedStack(), "aws:eks/cluster:Cluster");
            const vpc = weak.inputs.vpcConfig as Record<string, unknown>;
            assert.strictEqual(vpc.endpointPrivateAccess, true);
            assert.strictEqual(vpc.endpointPublicAccess, true);
            assert.deepStrictEqual(vpc.publicAccessCidrs, API_CIDRS);
        });

        it("places the control plane in the private subnets behind the management group", () => {
            const vpc = cluster.inputs.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] };
            assert.ok(vpc.subnetIds.every((id) => id.includes("private")));
            assert.deepStrictEqual(vpc.securityGroupIds, ["openclaw-sg-management-id"]);
        });

        it("envelope-encrypts Kubernetes Secrets with the cluster key and turns on every control-plane log type", () => {
            assert.deepStrictEqual(cluster.inputs.encryptionConfig, { provider: { keyArn: `arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-cluster` }, resources: ["secrets"] });
            assert.deepStrictEqual([...list(cluster.inputs.enabledClusterLogTypes as string[])].sort(), ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === `/aws/eks/${String(cluster.inputs.name)}/cluster`);
            assert.ok(group, "the control-plane log group exists under the name EKS writes to");
            assert.ok(cluster.dependencies.includes(group.urn), "and before the cluster, so EKS does not create an unencrypted one");
        });

        it("authenticates with access entries only and gives the cluster creator no implicit admin", () => {
            assert.deepStrictEqual(cluster.inputs.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
        });

        it("gives the deployer (the role running pulumi, not its session) an explicit cluster-admin access entry, and the Kubernetes provider waits for it", () => {
            const entry = ofType(run, "aws:eks/accessEntry:AccessEntry").find((e) => e.inputs.principalArn === MOCK_DEPLOYER_ROLE_ARN);
            assert.ok(entry, "the deployer role has an access entry");
            const association = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").find((a) => a.inputs.principalArn === MOCK_DEPLOYER_ROLE_ARN);
            assert.strictEqual(association?.inputs.policyArn, accessPolicy("AmazonEKSClusterAdminPolicy"));
            assert.deepStrictEqual(association?.inputs.accessScope, { type: "cluster" });
            const provider = run.resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "openclaw-eks-k8s");
            assert.ok(provider && association, "the cluster has a Kubernetes provider and the deployer an association");
            assert.ok(provider.dependencies.includes(association.urn), "kubeconfig resolves only after the deployer's access exists");
            const kubeconfig = JSON.parse(String(provider.inputs.kubeconfig)) as { users: { user: { exec: { command: string; args: string[] } } }[] };
            assert.deepStrictEqual(kubeconfig.users[0].user.exec.command, "aws");
            assert.deepStrictEqual(kubeconfig.users[0].user.exec.args.slice(0, 2), ["eks", "get-token"]);
        });
    });

    describe("nodes and add-ons", () => {
        it("runs managed nodes in the private subnets with no remote access, IMDSv2 required at hop limit 1, and encrypted gp3 root volumes", () => {
            const [nodeGroup] = ofType(run, "aws:eks/nodeGroup:NodeGroup");
            assert.ok(list(nodeGroup.inputs.subnetIds as string[]).every((id) => id.includes("private")));
            assert.strictEqual(nodeGroup.inputs.remoteAccess, undefined);
            const [template] = ofType(run, "aws:ec2/launchTemplate:LaunchTemplate");
            assert.strictEqual(template.inputs.keyName, undefined);
            assert.deepStrictEqual(template.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
            const [root] = template.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[];
            assert.strictEqual(root.ebs.volumeType, "gp3");
            assert.strictEqual(root.ebs.encrypted, "true");
            assert.strictEqual(root.ebs.kmsKeyId, `arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-cluster`);
            assert.deepStrictEqual(template.inputs.vpcSecurityGroupIds, ["openclaw-sg-nodes-id"]);
        });

        it("installs vpc-cni with network policy enforcement, coredns, kube-proxy, the Pod Identity agent and the EBS CSI driver", () => {
            const addons = ofType(run, "aws:eks/addon:Addon");
            assert.deepStrictEqual(addons.map((a) => a.inputs.addonName).sort(), ["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
            const cni = addons.find((a) => a.inputs.addonName === "vpc-cni");
            assert.strictEqual((JSON.parse(String(cni?.inputs.configurationValues)) as Record<string, string>).enableNetworkPolicy, "true");
        });

        it("keeps the CNI's permissions off the node role (Pod Identity instead)", () => {
            const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === "openclaw-dev-nodes");
            assert.ok(attached.length > 0, "the node role has its managed policies");
            assert.ok(!attached.some((a) => String(a.inputs.policyArn).endsWith("AmazonEKS_CNI_Policy")));
            assert.ok(attached.some((a) => String(a.inputs.policyArn).endsWith("AmazonSSMManagedInstanceCore")), "nodes are reached through SSM");
        });

        it("creates an encrypted gp3 StorageClass (cluster key) on the cluster and hands its name to the Kubernetes layer", async () => {
            const [storageClass] = ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass");
            assert.deepStrictEqual(storageClass.inputs.parameters, {
                type: "gp3",
                encrypted: "true",
                kmsKeyId: `arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-cluster`,
                "csi.storage.k8s.io/fstype": "ext4",
            });
            assert.strictEqual(storageClass.provider?.split("::")[3], "openclaw-eks-k8s");
            const seam = await devSeam();
            assert.strictEqual(seam.storageClass, (storageClass.inputs.metadata as { name: string }).name);
        });
    });

    describe("Pod Identity (least privilege per workload)", () => {
        const policyOf = (role: string) => ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role);

        // The trust EKS documents (pods.eks.amazonaws.com, sts:AssumeRole and sts:TagSession), narrowed on the session
        // tags Pod Identity sets (eks-cluster-arn, kubernetes-namespace, kubernetes-service-account).
        // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html, .../pod-id-abac.html#pod-id-abac-tags
        it("lets each workload role be assumed only by EKS Pod Identity for one ServiceAccount of this cluster", () => {
            const roles = ofType(run, "aws:iam/role:Role").filter((r) => JSON.stringify(r.inputs.assumeRolePolicy).includes("pods.eks.amazonaws.com"));
            assert.strictEqual(roles.length, 6);
            const bound = new Set<string>();
            for (const role of roles) {
                const [trust, ...more] = statements(role.inputs.assumeRolePolicy);
                assert.deepStrictEqual(more, []);
                assert.deepStrictEqual(trust.Principal, { Service: "pods.eks.amazonaws.com" });
                assert.deepStrictEqual(list(trust.Action), ["sts:AssumeRole", "sts:TagSession"]);
                const tags = trust.Condition?.StringEquals as Record<string, string>;
                assert.deepStrictEqual(Object.keys(trust.Condition ?? {}), ["StringEquals"]);
                assert.deepStrictEqual(Object.keys(tags).sort(), ["aws:RequestTag/eks-cluster-arn", "aws:RequestTag/kubernetes-namespace", "aws:RequestTag/kubernetes-service-account"]);
                assert.strictEqual(tags["aws:RequestTag/eks-cluster-arn"], cluster.state.arn);
                bound.add(`${tags["aws:RequestTag/kubernetes-namespace"]}/${tags["aws:RequestTag/kubernetes-service-account"]}`);
            }
            assert.strictEqual(bound.size, roles.length, "no two roles share a ServiceAccount");
            const associations = ofType(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => `${String(a.inputs.namespace)}/${String(a.inputs.serviceAccount)}`);
            assert.deepStrictEqual(associations.sort(), ["cert-manager/cert-manager", "external-secrets/external-secrets", "kube-system/aws-load-balancer-controller", "logging/fluent-bit"]);
        });

        it("lets External Secrets read only this stack's secrets", () => {
            const secretArns = ofType(run, "aws:secretsmanager/secret:Secret").map((s) => s.state.arn);
            const allows = statements(policyOf("openclaw-dev-external-secrets")?.inputs.policy);
            const read = allows.find((s) => s.Sid === "ReadThisStacksSecrets");
            assert.deepStrictEqual(list(read?.Action).sort(), ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
            assert.deepStrictEqual(list(read?.Resource).sort(), [...secretArns].sort());
        });

        it("lets Fluent Bit write only the application and ingress access log groups", () => {
            const [write] = statements(policyOf("openclaw-dev-fluent-bit")?.inputs.policy);
            const groups = list(write.Resource).map((arn) => arn.replace(/:\*$/, ""));
            assert.deepStrictEqual([...new Set(groups)].sort(), [`arn:aws:logs:eu-central-1:${MOCK_AWS_ACCOUNT}:log-group:/openclaw-dev/application`, `arn:aws:logs:eu-central-1:${MOCK_AWS_ACCOUNT}:log-group:/openclaw-dev/ingress-access`]);
        });

        it("lets cert-manager write only _acme-challenge TXT records of the configured hosted zone", () => {
            const zone = `arn:aws:route53:::hostedzone/${String(stackValues("dev").dnsZoneId)}`;
            const all = statements(policyOf("openclaw-dev-cert-manager")?.inputs.policy);
            const change = all.find((s) => s.Action === "route53:ChangeResourceRecordSets");
            assert.strictEqual(change?.Resource, zone);
            assert.deepStrictEqual(change?.Condition, {
                "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
            });
            assert.ok(all.every((s) => list(s.Resource).every((arn) => arn === zone || arn === "arn:aws:route53:::change/*")));
        });

        it("the cert-manager seam solves DNS-01 in the configured hosted zone with ambient credentials", async () => {
            const seam = await devSeam();
            assert.deepStrictEqual(seam.dns01, { route53: { region: "eu-central-1", hostedZoneID: stackValues("dev").dnsZoneId } });
        });
    });

    describe("cloud RBAC (RBAC-1..RBAC-7)", () => {
        const groupRole = (role: string) => ofType(run, "aws:iam/role:Role").find((r) => r.inputs.name === `openclaw-dev-${role}`);

        // IAM: a role named as Principal is resolved to its unique id when the policy is saved ("Invalid principal" if it
        // does not exist); aws:PrincipalArn is the role's ARN for its sessions. Hence: any principal, pinned by ArnEquals
        // on aws:PrincipalArn to exactly the configured ARNs.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
        it("trust policies of the four roles admit exactly the configured role ARNs, matched by aws:PrincipalArn so a placeholder or re-created role never fails the save", () => {
            for (const [role, principals] of Object.entries(groups)) {
                const trust = statements(groupRole(role)?.inputs.assumeRolePolicy);
                assert.strictEqual(trust.length, 1, role);
                assert.strictEqual(trust[0].Effect, "Allow");
                assert.deepStrictEqual(trust[0].Principal, { AWS: "*" }, role);
                assert.deepStrictEqual(trust[0].Condition, { ArnEquals: { "aws:PrincipalArn": principals } }, role);
                assert.deepStrictEqual(list(trust[0].Action), ["sts:AssumeRole"]);
            }
        });

        it("maps admin to cluster admin, operator and developer to their namespaces, auditor to view, each with its Kubernetes group", () => {
            const expected: Record<string, [string, unknown, string]> = {
                admin: ["AmazonEKSClusterAdminPolicy", { type: "cluster" }, "openclaw:admins"],
                operator: ["AmazonEKSViewPolicy", { type: "namespace", namespaces: ["openclaw", "openclaw-sandbox"] }, "openclaw:operators"],
                developer: ["AmazonEKSEditPolicy", { type: "namespace", namespaces: ["openclaw-sandbox"] }, "openclaw:developers"],
                auditor: ["AmazonEKSViewPolicy", { type: "cluster" }, "openclaw:auditors"],
            };
            for (const [role, [policy, scope, group]] of Object.entries(expected)) {
                const arn = groupRole(role)?.state.arn;
                const entry = ofType(run, "aws:eks/accessEntry:AccessEntry").find((e) => e.inputs.principalArn === arn);
                assert.deepStrictEqual(entry?.inputs.kubernetesGroups, [group], role);
                const association = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").find((a) => a.inputs.principalArn === arn);
                assert.strictEqual(association?.inputs.policyArn, accessPolicy(policy), role);
                assert.deepStrictEqual(association?.inputs.accessScope, scope, role);
            }
        });

        it("lets neither operator, developer nor auditor read or change a secret value, nor unmask masked logs", () => {
            for (const role of ["operator", "developer", "auditor"]) {
                const policy = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === `openclaw-dev-${role}`);
                const all = statements(policy?.inputs.policy);
                const allowed = all.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action));
                assert.ok(!allowed.some((a) => ["secretsmanager:*", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "*"].includes(a)), role);
                const denied = all.filter((s) => s.Effect === "Deny").flatMap((s) => list(s.Action));
                assert.ok(denied.includes("secretsmanager:GetSecretValue") && denied.includes("secretsmanager:PutSecretValue"), role);
                assert.ok(!allowed.includes("logs:Unmask"), role);
                assert.ok(role === "developer" || denied.includes("logs:Unmask"), `${role} may read logs, never unmasked`);
            }
        });

        it("keeps the admin's full rights to this stack's cluster, secrets and keys, not the account's", () => {
            const policy = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === "openclaw-dev-admin");
            for (const statement of statements(policy?.inputs.policy)) {
                if (list(statement.Action).some((a) => a.endsWith(":*"))) {
                    assert.ok(list(statement.Resource).every((arn) => arn !== "*"), statement.Sid);
                }
            }
        });

        // Each service's own page for its role's trust: EKS cluster role and node role, Lambda execution role and
        // Firehose delivery role document no condition (a condition on a key the service does not send fails every
        // AssumeRole); VPC flow logs and CloudWatch Logs subscriptions document theirs.
        // https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html, .../create-node-role.html,
        // https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html,
        // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#firehose-assume-role,
        // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html#flow-logs-iam-role,
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample
        it("trusts each service exactly as its page documents: no condition where it documents none", () => {
            const expected: Record<string, [string, unknown]> = {
                "openclaw-dev-eks-cluster": ["eks.amazonaws.com", undefined],
                "openclaw-dev-nodes": ["ec2.amazonaws.com", undefined],
                "openclaw-dev-secret-rotation": ["lambda.amazonaws.com", undefined],
                "openclaw-dev-archive-firehose": ["firehose.amazonaws.com", undefined],
                "openclaw-dev-flow-logs": ["vpc-flow-logs.amazonaws.com", { StringEquals: { "aws:SourceAccount": MOCK_AWS_ACCOUNT } }],
                "openclaw-dev-archive-subscription": ["logs.eu-central-1.amazonaws.com", { StringLike: { "aws:SourceArn": `arn:aws:logs:eu-central-1:${MOCK_AWS_ACCOUNT}:*` } }],
            };
            for (const [roleName, [service, condition]] of Object.entries(expected)) {
                const role = ofType(run, "aws:iam/role:Role").find((r) => r.inputs.name === roleName);
                const [trust, ...more] = statements(role?.inputs.assumeRolePolicy);
                assert.deepStrictEqual(more, [], roleName);
                assert.deepStrictEqual([trust.Principal, trust.Condition], [{ Service: service }, condition], roleName);
            }
        });

        it("names every IAM role of the stack with its prefix, so the auditor's role review (role/<prefix>-*) covers all of them", () => {
            const roles = ofType(run, "aws:iam/role:Role");
            assert.deepStrictEqual(roles.filter((r) => !String(r.inputs.name).startsWith("openclaw-dev-")).map((r) => r.name), []);
            const auditor = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === "openclaw-dev-auditor");
            const review = statements(auditor?.inputs.policy).find((s) => s.Sid === "ReviewRoles");
            assert.strictEqual(review?.Resource, `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/openclaw-dev-*`);
            assert.ok(roles.every((r) => String(r.inputs.name).length <= 64), "IAM role names are at most 64 characters");
            assert.strictEqual(new Set(roles.map((r) => r.inputs.name)).size, roles.length, "IAM role names are unique in an account");
        });

        it("lets no group role delete, disable, re-police or grant out the logs key that the immutable archive depends on; the admin keeps full rights on the other keys", () => {
            const logsKey = `arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-logs`;
            for (const role of ["admin", "operator", "developer", "auditor"]) {
                const all = statements(ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === `openclaw-dev-${role}`)?.inputs.policy);
                const deny = all.find((s) => s.Effect === "Deny" && list(s.Resource).includes(logsKey));
                for (const action of ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant"]) {
                    assert.ok(list(deny?.Action).includes(action), `${role} ${action}`);
                }
            }
            const admin = statements(ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === "openclaw-dev-admin")?.inputs.policy);
            const full = admin.find((s) => s.Action === "kms:*");
            assert.deepStrictEqual([...list(full?.Resource)].sort(), [`arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-cluster`, `arn:aws:kms:eu-central-1:${MOCK_AWS_ACCOUNT}:key/openclaw-keys-secrets`]);
        });

        it("reports every role binding for review: the four roles and who assumes them, the deployer, every Pod Identity role", () => {
            const report = run.outputs.roleBindings as { principal: string; assumedBy?: string[]; grants: string[]; note?: string }[];
            for (const [role, principals] of Object.entries(groups)) {
                const line = report.find((b) => b.principal === groupRole(role)?.state.arn);
                assert.deepStrictEqual(line?.assumedBy, principals, role);
            }
            const deployer = report.find((b) => b.principal === MOCK_DEPLOYER_ROLE_ARN);
            assert.match(String(deployer?.note), /deployer/);
            assert.ok(deployer?.grants.some((g) => g.includes("AmazonEKSClusterAdminPolicy")));
            const podRoles = ofType(run, "aws:iam/role:Role").filter((r) => JSON.stringify(r.inputs.assumeRolePolicy).includes("pods.eks.amazonaws.com"));
            assert.ok(podRoles.every((r) => report.some((b) => b.principal === r.state.arn)), "every Pod Identity role is in the report");
        });

        it("hands the Kubernetes layer one group name per role", async () => {
            const seam = await devSeam();
            assert.deepStrictEqual(seam.groups, { admin: ["openclaw:admins"], operator: ["openclaw:operators"], developer: ["openclaw:developers"], auditor: ["openclaw:auditors"] });
        });
    });
});
