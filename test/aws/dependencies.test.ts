// Orderings on the AWS example stack, read off the recorded dependencies: `dependsOn` on a component does not reach
// its children, so every ordering must sit on the resource that does the work.
import * as assert from "assert";
import type { ProgramRun, RecordedResource } from "../harness/program";
import { devSeam, devStack, named, ofType } from "./run";

describe("AWS orderings on the example stack (recorded dependencies of the resources that do the work)", () => {
    let run: ProgramRun;
    const urnOf = (type: string, name: string) => named(run, type, name).urn;
    const dependsOnAll = (resource: RecordedResource, urns: readonly string[], what: string) => {
        const missing = urns.filter((u) => !resource.dependencies.includes(u));
        assert.deepStrictEqual(missing.map((u) => u.split("::").pop()), [], `${resource.name} waits for ${what}`);
    };
    /** The rules that involve a security group (on either side), by the group's mock id. */
    const rulesOf = (groupId: string) =>
        run.resources.filter((r) => r.type.startsWith("aws:vpc/securityGroup") && (r.inputs.securityGroupId === groupId || r.inputs.referencedSecurityGroupId === groupId)).map((r) => r.urn);
    const nacl = (tier: string) => urnOf("aws:ec2/networkAcl:NetworkAcl", `openclaw-network-${tier}-nacl`);
    before(async () => {
        run = await devStack();
    });

    describe("the rotation Lambda and its first rotation (rotateImmediately) wait for their network path to Secrets Manager", () => {
        let path: string[];
        before(() => {
            path = [
                urnOf("aws:ec2/vpcEndpoint:VpcEndpoint", "openclaw-endpoints-secretsmanager"),
                ...rulesOf("openclaw-sg-rotation-id"),
                ...rulesOf("openclaw-sg-endpoints-id"),
                nacl("private"),
                nacl("isolated"),
            ];
        });

        it("the function", () => {
            dependsOnAll(named(run, "aws:lambda/function:Function", "openclaw-secrets-rotation-function"), path, "the endpoint, its security group rules and both NACLs");
        });

        it("every SecretRotation, and the function and the invoke permission of its secret", () => {
            const rotations = ofType(run, "aws:secretsmanager/secretRotation:SecretRotation");
            assert.strictEqual(rotations.length, ofType(run, "aws:secretsmanager/secret:Secret").length);
            const fn = urnOf("aws:lambda/function:Function", "openclaw-secrets-rotation-function");
            for (const rotation of rotations) {
                const key = rotation.name.replace(/^openclaw-secrets-/, "");
                dependsOnAll(rotation, [...path, fn, urnOf("aws:lambda/permission:Permission", `openclaw-secrets-rotation-${key}`)], "its network path, the function and its permission");
            }
        });
    });

    it("the node group waits for the endpoints, the node, management and endpoint security group rules, the NACLs and NAT routes, and the CNI, kube-proxy and Pod Identity agent", () => {
        const nodeGroup = ofType(run, "aws:eks/nodeGroup:NodeGroup")[0];
        const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.urn);
        const natRoutes = ofType(run, "aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId !== undefined).map((r) => r.urn);
        const addons = ofType(run, "aws:eks/addon:Addon").filter((a) => ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].includes(String(a.inputs.addonName))).map((a) => a.urn);
        assert.strictEqual(addons.length, 3);
        dependsOnAll(nodeGroup, [
            ...endpoints,
            ...rulesOf("openclaw-sg-nodes-id"),
            ...rulesOf("openclaw-sg-management-id"),
            ...rulesOf("openclaw-sg-endpoints-id"),
            nacl("private"),
            nacl("isolated"),
            ...natRoutes,
            ...addons,
        ], "what a joining node reaches");
    });

    it("the load balancer controller's release waits for nodes, the CNI, CoreDNS and the deployer's access entry and policy", () => {
        const release = named(run, "kubernetes:helm.sh/v3:Release", "openclaw-lb-release");
        const addon = (name: string) => ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === name)?.urn ?? name;
        dependsOnAll(release, [
            ofType(run, "aws:eks/nodeGroup:NodeGroup")[0].urn,
            addon("vpc-cni"),
            addon("coredns"),
            urnOf("aws:eks/accessEntry:AccessEntry", "openclaw-eks-deployer"),
            urnOf("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "openclaw-eks-deployer"),
            urnOf("aws:eks/podIdentityAssociation:PodIdentityAssociation", "openclaw-lb-identity-association"),
        ], "nodes, add-ons, the deployer's access and its own credentials");
    });

    it("hands the Kubernetes layer, as readyResources, the node group, every add-on, the StorageClass, the deployer's access, and the load balancer controller with its credentials", async () => {
        const ready = (await devSeam()).readyResources as string[];
        const expected = [
            ofType(run, "aws:eks/nodeGroup:NodeGroup")[0].urn,
            ...ofType(run, "aws:eks/addon:Addon").map((a) => a.urn),
            ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass")[0].urn,
            urnOf("aws:eks/accessEntry:AccessEntry", "openclaw-eks-deployer"),
            urnOf("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "openclaw-eks-deployer"),
            urnOf("kubernetes:helm.sh/v3:Release", "openclaw-lb-release"),
            urnOf("aws:eks/podIdentityAssociation:PodIdentityAssociation", "openclaw-lb-identity-association"),
            urnOf("aws:iam/rolePolicy:RolePolicy", "openclaw-lb-identity-policy"),
        ];
        assert.deepStrictEqual([...ready].sort(), [...expected].sort());
    });

    it("creates the control-plane log group before the cluster, and the flow log after its role's policy", () => {
        dependsOnAll(ofType(run, "aws:eks/cluster:Cluster")[0], [urnOf("aws:cloudwatch/logGroup:LogGroup", "openclaw-logs-cluster")], "its log group");
        dependsOnAll(ofType(run, "aws:ec2/flowLog:FlowLog")[0], [urnOf("aws:iam/rolePolicy:RolePolicy", "openclaw-network-flow-logs")], "its role's policy");
    });

    // S3 Object Lock: a bucket's default retention applies to objects placed after it is configured.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
    it("lets neither archive writer (trail, Firehose) write before the bucket's default retention and encryption are set", () => {
        const lockAndSse = [
            urnOf("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "openclaw-archive-object-lock"),
            urnOf("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "openclaw-archive-sse"),
        ];
        dependsOnAll(ofType(run, "aws:cloudtrail/trail:Trail")[0], lockAndSse, "Object Lock and SSE");
        dependsOnAll(ofType(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")[0], [...lockAndSse, urnOf("aws:iam/rolePolicy:RolePolicy", "openclaw-archive-firehose")], "Object Lock, SSE and its role's policy");
    });

    it("associates the DNS Firewall with the VPC only once both its rules exist (a group with only the catch-all would block every name)", () => {
        const rules = ofType(run, "aws:route53/resolverFirewallRule:ResolverFirewallRule").map((r) => r.urn);
        assert.strictEqual(rules.length, 2);
        dependsOnAll(ofType(run, "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation")[0], rules, "the allow and catch-all rules");
    });
});
