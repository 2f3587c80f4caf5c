// NET-1..NET-6 on the AWS example stack: dedicated VPC, tiered security groups, no SSH, private endpoints, peering, egress control.
import * as assert from "assert";
import { contains, mustParseCidr } from "../../config/cidr";
import { stackValues, type ProgramRun, type RecordedResource } from "../harness/program";
import { MOCK_AWS_ACCOUNT } from "../harness/state-aws";
import { INTERFACE_ENDPOINTS } from "../../components/aws/endpoints";
import { PEERING, devSeam, devStack, list, named, ofType, statements, weakenedStack } from "./run";

const network = stackValues("dev").network as { cidr: string; zones: number };
const vpcCidr = mustParseCidr(network.cidr);
const SG_RULE_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** The logical name of the security group a rule belongs to (mock ids are `<name>-id`). */
const groupOf = (rule: RecordedResource) => String(rule.inputs.securityGroupId).replace(/-id$/, "");
const admits = (rule: RecordedResource, port: number) =>
    rule.inputs.ipProtocol === "-1" || (Number(rule.inputs.fromPort) <= port && port <= Number(rule.inputs.toPort));

describe("AWS network (NET-1..NET-6) on the example stack", () => {
    let run: ProgramRun;
    before(async () => {
        run = await devStack();
    });

    describe("NET-1 dedicated network", () => {
        it("has one VPC of network.cidr with DNS support and DNS hostnames", () => {
            const vpcs = ofType(run, "aws:ec2/vpc:Vpc");
            assert.strictEqual(vpcs.length, 1);
            assert.strictEqual(vpcs[0].inputs.cidrBlock, network.cidr);
            assert.strictEqual(vpcs[0].inputs.enableDnsSupport, true);
            assert.strictEqual(vpcs[0].inputs.enableDnsHostnames, true);
        });

        it("spreads public, private and isolated subnets over network.zones distinct availability zones, inside the VPC", () => {
            const subnets = ofType(run, "aws:ec2/subnet:Subnet");
            for (const tier of ["public", "private", "isolated"]) {
                const inTier = subnets.filter((s) => (s.inputs.tags as Record<string, string>)["openclaw:tier"] === tier);
                assert.strictEqual(inTier.length, network.zones, tier);
                assert.strictEqual(new Set(inTier.map((s) => s.inputs.availabilityZone)).size, network.zones, `${tier} zones`);
            }
            assert.ok(subnets.every((s) => contains(vpcCidr, mustParseCidr(String(s.inputs.cidrBlock)))));
        });

        it("every subnet has mapPublicIpOnLaunch false", () => {
            const subnets = ofType(run, "aws:ec2/subnet:Subnet");
            assert.ok(subnets.length > 0);
            for (const subnet of subnets) {
                assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false, subnet.name);
            }
        });

        it("routes only the public subnets to the internet gateway; private subnets leave through their zone's NAT; isolated subnets have no default route", () => {
            const routes = ofType(run, "aws:ec2/route:Route").filter((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0");
            const toIgw = routes.filter((r) => r.inputs.gatewayId !== undefined);
            assert.deepStrictEqual(toIgw.map((r) => r.inputs.routeTableId), ["openclaw-network-public-rt-id"]);
            const toNat = routes.filter((r) => r.inputs.natGatewayId !== undefined);
            assert.strictEqual(toNat.length, network.zones);
            toNat.forEach((r) => assert.strictEqual(r.inputs.natGatewayId, String(r.inputs.routeTableId).replace("private-rt", "nat")));
            assert.ok(!routes.some((r) => String(r.inputs.routeTableId).includes("isolated")));
            for (const nat of ofType(run, "aws:ec2/natGateway:NatGateway")) {
                assert.match(String(nat.inputs.subnetId), /public/);
            }
        });

        it("adopts the default security group with no rules and empties the default NACL", () => {
            const [defaultSg] = ofType(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            assert.deepStrictEqual([defaultSg.inputs.ingress ?? [], defaultSg.inputs.egress ?? []], [[], []]);
            const [defaultAcl] = ofType(run, "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl");
            assert.deepStrictEqual([defaultAcl.inputs.ingress ?? [], defaultAcl.inputs.egress ?? [], defaultAcl.inputs.subnetIds ?? []], [[], [], []]);
        });

        it("puts every subnet under a managed NACL of its tier", () => {
            const acls = ofType(run, "aws:ec2/networkAcl:NetworkAcl");
            const covered = acls.flatMap((acl) => list(acl.inputs.subnetIds as string[]));
            const subnets = ofType(run, "aws:ec2/subnet:Subnet").map((s) => `${s.name}-id`);
            assert.deepStrictEqual([...covered].sort(), [...subnets].sort());
        });

        it("lets the public NACL admit from outside the VPC only the listener ports from ingressAllowedCidrs, and return traffic on ephemeral ports", () => {
            const acl = ofType(run, "aws:ec2/networkAcl:NetworkAcl").find((a) => a.name === "openclaw-network-public-nacl");
            const external = (acl?.inputs.ingress as { cidrBlock: string; fromPort: number; toPort: number; protocol: string }[]).filter((r) => !contains(vpcCidr, mustParseCidr(r.cidrBlock)));
            for (const rule of external) {
                const listener = rule.fromPort === rule.toPort && [443, 80].includes(rule.fromPort);
                const ephemeral = rule.fromPort === 1024 && rule.toPort === 65535;
                assert.ok(rule.protocol === "tcp" && (listener || ephemeral), JSON.stringify(rule));
            }
            const isolated = ofType(run, "aws:ec2/networkAcl:NetworkAcl").find((a) => a.name === "openclaw-network-isolated-nacl");
            for (const rule of [...(isolated?.inputs.ingress as { cidrBlock: string }[]), ...(isolated?.inputs.egress as { cidrBlock: string }[])]) {
                assert.strictEqual(rule.cidrBlock, network.cidr, "isolated subnets talk to the VPC only");
            }
        });

        it("lets a peered network reach the private API endpoint: the private NACL admits 443 from, and answers on ephemeral ports to, each peering CIDR", async () => {
            const weak = await weakenedStack();
            const acl = ofType(weak, "aws:ec2/networkAcl:NetworkAcl").find((a) => a.name === "openclaw-network-private-nacl");
            type Rule = { cidrBlock: string; fromPort: number; toPort: number; protocol: string };
            const ingress = (acl?.inputs.ingress as Rule[]).filter((r) => PEERING.cidrs.includes(r.cidrBlock));
            const egress = (acl?.inputs.egress as Rule[]).filter((r) => PEERING.cidrs.includes(r.cidrBlock));
            assert.deepStrictEqual(ingress.map((r) => [r.protocol, r.fromPort, r.toPort]), [["tcp", 443, 443]]);
            assert.deepStrictEqual(egress.map((r) => [r.protocol, r.fromPort, r.toPort]).sort(), [["tcp", 1024, 65535], ["tcp", 5432, 5432]]);
            const devAcl = ofType(run, "aws:ec2/networkAcl:NetworkAcl").find((a) => a.name === "openclaw-network-private-nacl");
            const fromOutside = (devAcl?.inputs.ingress as Rule[]).filter((r) => !contains(vpcCidr, mustParseCidr(r.cidrBlock)));
            assert.deepStrictEqual(fromOutside.map((r) => [r.fromPort, r.toPort]), [[1024, 65535]], "without peerings, nothing but return traffic");
        });

        it("captures ALL VPC traffic in flow logs to a KMS-encrypted log group", () => {
            const [flowLog] = ofType(run, "aws:ec2/flowLog:FlowLog");
            assert.strictEqual(flowLog.inputs.trafficType, "ALL");
            assert.strictEqual(flowLog.inputs.logDestinationType, "cloud-watch-logs");
            const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.state.arn === flowLog.inputs.logDestination);
            assert.ok(group?.inputs.kmsKeyId, "flow log group is encrypted");
        });
    });

    describe("NET-2 and NET-4 security groups", () => {
        it("has separate groups for ingress (inference), nodes, management (Kubernetes API) and endpoints (storage and secrets)", () => {
            const names = ofType(run, "aws:ec2/securityGroup:SecurityGroup").map((g) => g.inputs.name);
            for (const tier of ["ingress", "nodes", "management", "endpoints"]) {
                assert.ok(names.includes(`openclaw-dev-${tier}`), tier);
            }
        });

        it("no security group rule allows port 22", () => {
            const rules = [...ofType(run, SG_RULE_INGRESS), ...ofType(run, SG_RULE_EGRESS)];
            assert.ok(rules.length > 0);
            const ssh = rules.filter((r) => (r.inputs.ipProtocol === "tcp" || r.inputs.ipProtocol === "-1") && admits(r, 22));
            assert.deepStrictEqual(ssh.map((r) => r.name), []);
            for (const group of ofType(run, "aws:ec2/securityGroup:SecurityGroup")) {
                assert.deepStrictEqual(group.inputs.ingress ?? [], [], `${group.name} has no inline rules`);
            }
        });

        it("admits traffic from outside the VPC only at the ingress group, only on 443 and the 80 redirect, only from ingressAllowedCidrs", () => {
            const fromCidrs = ofType(run, SG_RULE_INGRESS).filter((r) => r.inputs.cidrIpv4 !== undefined);
            const external = fromCidrs.filter((r) => !contains(vpcCidr, mustParseCidr(String(r.inputs.cidrIpv4))));
            assert.ok(external.length > 0);
            for (const rule of external) {
                assert.strictEqual(groupOf(rule), "openclaw-sg-ingress", rule.name);
                assert.ok([443, 80].includes(Number(rule.inputs.fromPort)) && rule.inputs.fromPort === rule.inputs.toPort, rule.name);
                assert.strictEqual(rule.inputs.cidrIpv4, "0.0.0.0/0", "the example stack keeps the default ingressAllowedCidrs");
            }
        });

        it("lets the management group (the Kubernetes API) admit only 443 from the nodes group", () => {
            const rules = ofType(run, SG_RULE_INGRESS).filter((r) => groupOf(r) === "openclaw-sg-management");
            assert.deepStrictEqual(rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]), [[443, 443, "openclaw-sg-nodes-id", undefined]]);
        });

        it("lets the endpoints group admit only 443 from inside the VPC and send nothing", () => {
            const ingress = ofType(run, SG_RULE_INGRESS).filter((r) => groupOf(r) === "openclaw-sg-endpoints");
            assert.deepStrictEqual(ingress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]), [[443, 443, network.cidr]]);
            assert.deepStrictEqual(ofType(run, SG_RULE_EGRESS).filter((r) => groupOf(r) === "openclaw-sg-endpoints"), []);
        });

        it("lets the ingress load balancer reach the nodes only on unprivileged target ports", () => {
            const fromIngress = ofType(run, SG_RULE_INGRESS).filter((r) => r.inputs.referencedSecurityGroupId === "openclaw-sg-ingress-id");
            assert.deepStrictEqual(fromIngress.map((r) => [groupOf(r), r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]), [["openclaw-sg-nodes", "tcp", 1024, 65535]]);
        });
    });

    describe("NET-6 private endpoints", () => {
        it("has an interface endpoint with private DNS in the isolated subnets for every AWS service the platform calls", () => {
            const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
            const services = endpoints.map((e) => String(e.inputs.serviceName).replace("com.amazonaws.eu-central-1.", ""));
            for (const service of ["secretsmanager", "kms", "logs", "sts", "ecr.api", "ecr.dkr", "ec2", "elasticloadbalancing", "eks", "eks-auth", "ssm", "ssmmessages", "ec2messages"]) {
                assert.ok(services.includes(service), service);
            }
            for (const endpoint of endpoints) {
                assert.strictEqual(endpoint.inputs.privateDnsEnabled, true, endpoint.name);
                assert.ok(list(endpoint.inputs.subnetIds as string[]).every((id) => id.includes("isolated")), endpoint.name);
                assert.deepStrictEqual(endpoint.inputs.securityGroupIds, ["openclaw-sg-endpoints-id"]);
            }
        });

        it("reaches S3 through a gateway endpoint on every private route table", () => {
            const [s3] = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Gateway");
            assert.strictEqual(s3.inputs.serviceName, "com.amazonaws.eu-central-1.s3");
            assert.strictEqual(list(s3.inputs.routeTableIds as string[]).length, network.zones);
        });

        // EKS: "VPC endpoint policies are not supported for Amazon EKS" (a policy would fail the endpoint's creation).
        // https://docs.aws.amazon.com/eks/latest/userguide/vpc-interface-endpoints.html
        it("sends no endpoint policy to the EKS endpoint, which does not support one", () => {
            const eks = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.serviceName === "com.amazonaws.eu-central-1.eks");
            assert.ok(eks, "the eks endpoint exists");
            assert.strictEqual(eks.inputs.policy, undefined);
        });

        it("every endpoint policy allows principals of this account only (S3 also serves ECR's own layer bucket, read-only)", () => {
            const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint");
            const withPolicy = endpoints.filter((e) => e.inputs.policy !== undefined);
            const expectedWithout = Object.entries(INTERFACE_ENDPOINTS).filter(([, spec]) => !spec.accountPolicy).length;
            assert.strictEqual(endpoints.length - withPolicy.length, expectedWithout);
            for (const endpoint of withPolicy) {
                for (const statement of statements(endpoint.inputs.policy)) {
                    const accountOnly = JSON.stringify(statement.Condition) === JSON.stringify({ StringEquals: { "aws:PrincipalAccount": MOCK_AWS_ACCOUNT } });
                    const ecrLayers = statement.Action === "s3:GetObject" && /^arn:aws:s3:::prod-eu-central-1-starport-layer-bucket\/\*$/.test(String(statement.Resource));
                    assert.ok(statement.Effect === "Allow" && (accountOnly || ecrLayers), `${endpoint.name}: ${JSON.stringify(statement)}`);
                }
            }
        });
    });

    describe("NET-5 peering", () => {
        // EKS private endpoint: reachable "from within your cluster's VPC or a connected network", the control plane's
        // security groups deciding. https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
        it("with a peering configured, admits the peer's CIDRs to the private API (443 on the management group) and to nothing else, so a peered runner can run the first up", async () => {
            const weak = await weakenedStack();
            const fromPeer = ofType(weak, SG_RULE_INGRESS).filter((r) => PEERING.cidrs.includes(String(r.inputs.cidrIpv4)));
            assert.deepStrictEqual(fromPeer.map((r) => [groupOf(r), r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]), [["openclaw-sg-management", "tcp", 443, 443]]);
            assert.ok(!ofType(run, SG_RULE_INGRESS).some((r) => groupOf(r) === "openclaw-sg-management" && r.inputs.cidrIpv4 !== undefined), "no peering, no CIDR on the API");
        });

        it("creates no peering by default", () => {
            assert.deepStrictEqual(ofType(run, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"), []);
            assert.ok(!ofType(run, "aws:ec2/route:Route").some((r) => r.inputs.vpcPeeringConnectionId !== undefined));
        });

        it("with a peering configured, routes only to its CIDRs from the private subnets and opens only its ports", async () => {
            const weak = await weakenedStack();
            const [peering] = ofType(weak, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection");
            assert.strictEqual(peering.inputs.peerVpcId, PEERING.peerNetworkId);
            const routes = ofType(weak, "aws:ec2/route:Route").filter((r) => r.inputs.vpcPeeringConnectionId !== undefined);
            assert.strictEqual(routes.length, network.zones * PEERING.cidrs.length);
            assert.ok(routes.every((r) => PEERING.cidrs.includes(String(r.inputs.destinationCidrBlock)) && String(r.inputs.routeTableId).includes("private-rt")));
            const toPeer = ofType(weak, SG_RULE_EGRESS).filter((r) => PEERING.cidrs.includes(String(r.inputs.cidrIpv4)));
            assert.deepStrictEqual(toPeer.map((r) => [groupOf(r), r.inputs.fromPort, r.inputs.toPort]), [["openclaw-sg-nodes", 5432, 5432]]);
        });
    });

    describe("egress to unknown destinations (DNS Firewall)", () => {
        it("allows the configured providers', channels' and AWS domains and ALERTs on every other name by default", () => {
            const [allowed] = ofType(run, "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList").filter((l) => l.name.endsWith("-allowed"));
            const domains = list(allowed.inputs.domains as string[]);
            for (const domain of ["api.anthropic.com", "api.telegram.org", "*.amazonaws.com"]) {
                assert.ok(domains.includes(domain), domain);
            }
            assert.ok(!domains.includes("api.openai.com"), "providers without a key are not allowed");
            const rules = ofType(run, "aws:route53/resolverFirewallRule:ResolverFirewallRule");
            const catchAll = rules.find((r) => r.name.endsWith("catch-all"));
            const allow = rules.find((r) => r.inputs.action === "ALLOW");
            assert.strictEqual(catchAll?.inputs.action, "ALERT");
            assert.ok(Number(allow?.inputs.priority) < Number(catchAll?.inputs.priority), "the allow-list is evaluated first");
            assert.strictEqual(ofType(run, "aws:route53/resolverFirewallConfig:ResolverFirewallConfig")[0].inputs.firewallFailOpen, "DISABLED");
            assert.strictEqual(ofType(run, "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation").length, 1);
        });

        // CreateFirewallRule, FirewallDomainRedirectionAction: INSPECT_REDIRECTION_DOMAIN (default) "inspects all domains in
        // the redirection chain. The individual domains in the redirection chain must be added to the domain list";
        // TRUST_REDIRECTION_DOMAIN "inspects only the first domain in the redirection chain".
        // https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateFirewallRule.html
        it("lets an allowed name's CNAME chain resolve (a model API behind a CDN is not an unknown destination), in both modes", async () => {
            for (const stack of [run, await weakenedStack()]) {
                const allow = ofType(stack, "aws:route53/resolverFirewallRule:ResolverFirewallRule").find((r) => r.inputs.action === "ALLOW");
                assert.strictEqual(allow?.inputs.firewallDomainRedirectionAction, "TRUST_REDIRECTION_DOMAIN");
            }
        });

        it("keeps the firewall's VPC association under mutation protection and exports its id for the teardown step", () => {
            const [association] = ofType(run, "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation");
            assert.strictEqual(association.inputs.mutationProtection, "ENABLED");
            assert.strictEqual(run.outputs.dnsFirewallAssociationId, `${association.name}-id`);
        });

        it("BLOCKs every other name (NXDOMAIN) with egressMode enforce", async () => {
            const weak = await weakenedStack();
            const catchAll = ofType(weak, "aws:route53/resolverFirewallRule:ResolverFirewallRule").find((r) => r.name.endsWith("catch-all"));
            assert.strictEqual(catchAll?.inputs.action, "BLOCK");
            assert.strictEqual(catchAll?.inputs.blockResponse, "NXDOMAIN");
        });

        it("logs every resolver query (where ALERT and BLOCK show) to an encrypted log group", () => {
            const [queryLog] = ofType(run, "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig");
            const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.state.arn === queryLog.inputs.destinationArn);
            assert.ok(group?.inputs.kmsKeyId);
            assert.strictEqual(ofType(run, "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation").length, 1);
        });
    });

    // kubernetes-sigs/aws-load-balancer-controller v2.14.0 docs/install/iam_policy.json (the chart 1.14.0 app version):
    // create load balancers and target groups only with the cluster tag; add tags while creating only; never add or
    // remove the cluster tag on an existing resource; discovery includes ec2:GetSecurityGroupsForVpc.
    it("gives the load balancer controller the upstream v2.14.0 policy, narrowed to this cluster's tag", () => {
        const all = statements(ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === "openclaw-dev-lb-controller")?.inputs.policy);
        const tag = "elbv2.k8s.aws/cluster";
        const byAction = (action: string) => all.filter((s) => list(s.Action).includes(action) || list(s.Action).some((a) => a.endsWith("*") && action.startsWith(a.slice(0, -1))));
        for (const action of ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]) {
            assert.deepStrictEqual(byAction(action).map((s) => s.Condition), [{ StringEquals: { [`aws:RequestTag/${tag}`]: "openclaw-dev" } }], action);
        }
        const addTags = byAction("elasticloadbalancing:AddTags").filter((s) => JSON.stringify(s.Resource).includes("loadbalancer/net"));
        assert.deepStrictEqual(addTags.map((s) => s.Condition).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
            { Null: { [`aws:RequestTag/${tag}`]: "true" }, StringEquals: { [`aws:ResourceTag/${tag}`]: "openclaw-dev" } },
            { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"], [`aws:RequestTag/${tag}`]: "openclaw-dev" } },
        ]);
        for (const action of ["elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:SetSecurityGroups"]) {
            assert.deepStrictEqual(byAction(action).map((s) => s.Condition), [{ StringEquals: { [`aws:ResourceTag/${tag}`]: "openclaw-dev" } }], action);
        }
        assert.ok(byAction("ec2:GetSecurityGroupsForVpc").length === 1);
        assert.deepStrictEqual(byAction("ec2:CreateSecurityGroup"), [], "this program owns the security groups");
    });

    it("the ingress seam puts an internet-facing NLB in the public subnets behind the ingress group, with PROXY protocol for real client IPs", async () => {
        const seam = await devSeam();
        const annotations = seam.loadBalancerAnnotations as Record<string, string>;
        const a = "service.beta.kubernetes.io/aws-load-balancer";
        assert.strictEqual(annotations[`${a}-scheme`], "internet-facing");
        assert.strictEqual(annotations[`${a}-security-groups`], "openclaw-sg-ingress-id");
        assert.ok(annotations[`${a}-subnets`].split(",").every((id) => id.includes("public")));
        assert.strictEqual(annotations[`${a}-subnets`].split(",").length, network.zones);
        assert.strictEqual(annotations[`${a}-proxy-protocol`], "*");
        assert.strictEqual(annotations[`${a}-manage-backend-security-group-rules`], "false");
        assert.strictEqual(seam.proxyProtocol, true);
        assert.strictEqual(seam.externalTrafficPolicy, "Local");
        const release = named(run, "kubernetes:helm.sh/v3:Release", "openclaw-lb-release");
        assert.strictEqual((release.inputs.values as Record<string, unknown>).enableServiceMutatorWebhook, false);
    });
});
