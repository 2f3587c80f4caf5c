// Network policies (NET-1..NET-6) on fixtures: one compliant world per cloud, one changed field per case.
import * as net from "../../policy-pack/policies/network";
import { describePolicy, EXCEPTION_RECORD, remove, set, unknown } from "./cases";
import { awsWorld, azureWorld, kubernetesWorld } from "./fixtures";

const M = net.MESSAGES;

describe("network policies (NET-1..NET-6)", () => {
    describePolicy(net.awsEksClusterDisallowPublicEndpoint, {
        world: awsWorld,
        violations: [
            { name: "NET-1: flags an EKS API endpoint left public by default (endpointPublicAccess unset)", mutate: (w) => set(w, "openclaw-eks-cluster", "vpcConfig.endpointPublicAccess", undefined), expect: [M.publicEndpoint("to 0.0.0.0/0")] },
            { name: "NET-4: flags a public EKS API open to 0.0.0.0/0", mutate: (w) => set(set(w, "openclaw-eks-cluster", "vpcConfig.endpointPublicAccess", true), "openclaw-eks-cluster", "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"]), expect: [M.publicEndpoint("to 0.0.0.0/0")] },
            { name: "NET-1: flags operator CIDRs outside allowedApiCidrs", mutate: (w) => set(set(w, "openclaw-eks-cluster", "vpcConfig.endpointPublicAccess", true), "openclaw-eks-cluster", "vpcConfig.publicAccessCidrs", ["203.0.113.0/24"]), expect: [M.publicEndpoint(net.outsideAllowedApiCidrs("aws-eks-cluster-disallow-public-endpoint", ["203.0.113.0/24"]))] },
            { name: "NET-1: flags a cluster without private endpoint access", mutate: (w) => set(w, "openclaw-eks-cluster", "vpcConfig.endpointPrivateAccess", undefined), expect: [M.privateAccessOff] },
        ],
        passes: [
            {
                name: "when operator CIDRs lie inside allowedApiCidrs",
                mutate: (w) => set(set(w, "openclaw-eks-cluster", "vpcConfig.endpointPublicAccess", true), "openclaw-eks-cluster", "vpcConfig.publicAccessCidrs", ["203.0.113.0/24"]),
                config: { "aws-eks-cluster-disallow-public-endpoint": { allowedApiCidrs: ["203.0.113.0/24"], exception: EXCEPTION_RECORD } },
            },
        ],
        unknown: { name: "endpointPrivateAccess", mutate: (w) => set(w, "openclaw-eks-cluster", "vpcConfig.endpointPrivateAccess", unknown("boolean")) },
    });

    describePolicy(net.azureAksClusterDisallowPublicEndpoint, {
        world: azureWorld,
        violations: [
            { name: "NET-1: flags an AKS API server that is not private and has no authorized ranges", mutate: (w) => set(w, "openclaw-cluster", "apiServerAccessProfile.enablePrivateCluster", false), expect: [M.aksPublicEndpoint("to the whole internet")] },
            {
                name: "NET-4: flags an AKS API server authorized for 0.0.0.0/0",
                mutate: (w) => set(set(w, "openclaw-cluster", "apiServerAccessProfile.enablePrivateCluster", false), "openclaw-cluster", "apiServerAccessProfile.authorizedIPRanges", ["0.0.0.0/0"]),
                expect: [M.aksPublicEndpoint("to 0.0.0.0/0")],
            },
        ],
        unknown: { name: "apiServerAccessProfile", mutate: (w) => set(w, "openclaw-cluster", "apiServerAccessProfile", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(net.awsSubnetDisallowPublicIpOnLaunch, {
        world: awsWorld,
        violations: [{ name: "NET-1: flags a subnet that maps public IPs on launch", mutate: (w) => set(w, "openclaw-network-private-0", "mapPublicIpOnLaunch", true), expect: [M.publicIpOnLaunch] }],
        unknown: { name: "mapPublicIpOnLaunch", mutate: (w) => set(w, "openclaw-network-private-0", "mapPublicIpOnLaunch", unknown("boolean")) },
        unknownHidesViolation: true,
    });

    describePolicy(net.awsVpcMissingDedicatedNetwork, {
        world: awsWorld,
        violations: [
            { name: "NET-1: flags a cluster whose subnets are not created by the stack", mutate: (w) => remove(w, "openclaw-network-private-0"), expect: [M.clusterOutsideStackNetwork("openclaw-eks-cluster")] },
            { name: "NET-1: flags a stack with a cluster and no VPC", mutate: (w) => remove(w, "openclaw-network-vpc"), expect: [M.noNetwork] },
        ],
        // Stack policies read relations, not values: an unknown output of the cluster must not hide the missing subnet.
        unknown: { name: "the cluster's vpcConfig", mutate: (w) => set(w, "openclaw-eks-cluster", "vpcConfig", unknown("object")) },
        unknownNeedsNoVerdict: "the relation it checks is known",
    });

    describePolicy(net.azureAksMissingDedicatedNetwork, {
        world: azureWorld,
        violations: [{ name: "NET-1: flags an AKS cluster whose node pools use no subnet of the stack", mutate: (w) => remove(w, "openclaw-network-nodes"), expect: [M.clusterOutsideStackNetwork("openclaw-cluster")] }],
        unknown: { name: "the cluster's agentPoolProfiles", mutate: (w) => set(w, "openclaw-cluster", "agentPoolProfiles", unknown("array")) },
        unknownNeedsNoVerdict: "the relation it checks is known",
    });

    describePolicy(net.awsSecurityGroupMissingTierSeparation, {
        world: awsWorld,
        violations: [
            {
                name: "NET-2: flags one security group shared by the management and storage tiers",
                mutate: (w) => set(w, "openclaw-endpoints-kms", "securityGroupIds", ["openclaw-sg-management-id"]).map((r) => (r.name === "openclaw-endpoints-kms" ? { ...r, propertyDependencies: { securityGroupIds: ["openclaw-sg-management"] } } : r)),
                expect: [M.tierShared("openclaw-sg-management", "management", "storage")],
            },
        ],
        unknown: { name: "the endpoints' securityGroupIds", mutate: (w) => set(w, "openclaw-endpoints-kms", "securityGroupIds", unknown("array")) },
        unknownNeedsNoVerdict: "the relation it checks is known",
    });

    describePolicy(net.azureSubnetMissingNetworkSecurityGroup, {
        world: azureWorld,
        violations: [
            {
                name: "NET-2: flags a subnet without a network security group",
                mutate: (w) => set(w, "openclaw-network-nodes", "networkSecurityGroup", undefined).map((r) => (r.name === "openclaw-network-nodes" ? { ...r, propertyDependencies: {} } : r)),
                expect: [M.subnetWithoutNsg("nodes")],
            },
            {
                name: "NET-2: flags two subnets sharing one network security group",
                mutate: (w) => w.map((r) => (r.name === "openclaw-network-privateEndpoints" ? { ...r, propertyDependencies: { networkSecurityGroup: ["openclaw-network-nodes-nsg"] } } : r)),
                expect: [M.nsgShared("openclaw-network-nodes-nsg", "nodes, private-endpoints")],
            },
        ],
        unknown: { name: "a subnet's name", mutate: (w) => set(w, "openclaw-network-privateEndpoints", "subnetName", unknown()) },
    });

    describePolicy(net.kubernetesNamespaceMissingDefaultDeny, {
        world: kubernetesWorld,
        violations: [{ name: "NET-3: flags a namespace with pods and no default-deny policy", mutate: (w) => remove(w, "openclaw-openclaw-default-deny"), expect: [M.noDefaultDeny("openclaw")] }],
        passes: [{ name: "for kube-system, which the provider manages", mutate: (w) => set(w, "openclaw-deployment", "metadata.namespace", "kube-system") }],
        unknown: { name: "a default-deny policy's spec", mutate: (w) => set(w, "openclaw-logging-default-deny", "spec", unknown("object")) },
    });

    describePolicy(net.kubernetesNetworkPolicyEnforceAllowList, {
        world: kubernetesWorld,
        violations: [
            { name: "NET-3: flags internet egress that can reach instance metadata", mutate: (w) => set(w, "openclaw-allow-https-egress", "spec.egress[0].to[0].ipBlock.except", ["10.20.0.0/16"]), expect: [M.egressMetadata(0, 0)] },
            { name: "NET-3: flags an egress rule to every destination", mutate: (w) => set(w, "openclaw-allow-https-egress", "spec.egress[1].to", undefined), expect: [M.egressToAnywhere(1)] },
            { name: "NET-3: flags an ipBlock egress rule on every port", mutate: (w) => set(w, "openclaw-allow-https-egress", "spec.egress[0].ports", undefined), expect: [M.egressAllPorts(0)] },
            { name: "NET-3: flags an ingress rule from every source", mutate: (w) => set(w, "openclaw-allow-https-egress", "spec.ingress", [{ ports: [{ port: 18789 }] }]), expect: [M.ingressFromAnywhere(0)] },
        ],
        unknown: { name: "the second egress rule", mutate: (w) => set(w, "openclaw-allow-https-egress", "spec.egress[1]", unknown("object")) },
    });

    describePolicy(net.awsEksClusterEnableNetworkPolicy, {
        world: awsWorld,
        violations: [{ name: "NET-3: flags vpc-cni without network policy enforcement", mutate: (w) => set(w, "openclaw-addons-vpc-cni", "configurationValues", "{}"), expect: [M.vpcCniWithoutNetworkPolicy("openclaw-eks-cluster")] }],
        unknown: { name: "the add-on's configurationValues", mutate: (w) => set(w, "openclaw-addons-vpc-cni", "configurationValues", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(net.azureAksClusterEnableNetworkPolicy, {
        world: azureWorld,
        violations: [{ name: "NET-3: flags an AKS cluster without a network policy engine", mutate: (w) => set(w, "openclaw-cluster", "networkProfile.networkPolicy", undefined), expect: [M.aksNoNetworkPolicy("unset (none)")] }],
        unknown: { name: "networkProfile", mutate: (w) => set(w, "openclaw-cluster", "networkProfile", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(net.awsSecurityGroupDisallowPublicIngress, {
        world: awsWorld,
        violations: [
            { name: "NET-4: flags port 22 open to the internet", mutate: (w) => set(set(w, "openclaw-sg-ingress-https-0", "fromPort", 22), "openclaw-sg-ingress-https-0", "toPort", 22), expect: [M.sshOpen("the rule", "0.0.0.0/0"), M.publicPort("the rule", "port 22")] },
            { name: "NET-4: flags port 22 open to a private range that is not a bastion", mutate: (w) => set(set(set(w, "openclaw-sg-ingress-https-0", "fromPort", 22), "openclaw-sg-ingress-https-0", "toPort", 22), "openclaw-sg-ingress-https-0", "cidrIpv4", "10.0.0.0/8"), expect: [M.sshOpen("the rule", "10.0.0.0/8")] },
            { name: "NET-4: flags a port other than 443/80 open to the internet", mutate: (w) => set(set(w, "openclaw-sg-ingress-https-0", "fromPort", 8080), "openclaw-sg-ingress-https-0", "toPort", 8080), expect: [M.publicPort("the rule", "port 8080")] },
            {
                name: "NET-4: flags an inline all-traffic rule from the internet",
                mutate: (w) => set(w, "openclaw-sg-nodes", "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]),
                expect: [M.sshOpen("ingress[0]", "0.0.0.0/0"), M.publicPort("ingress[0]", "ports 0-65535")],
            },
        ],
        passes: [
            {
                name: "22 from a configured bastion CIDR",
                mutate: (w) => set(set(set(w, "openclaw-sg-ingress-https-0", "fromPort", 22), "openclaw-sg-ingress-https-0", "toPort", 22), "openclaw-sg-ingress-https-0", "cidrIpv4", "10.20.5.10/32"),
                config: { "aws-security-group-disallow-public-ingress": { bastionCidrs: ["10.20.5.0/24"], exception: EXCEPTION_RECORD } },
            },
        ],
        unknown: { name: "an inline rule's CIDRs", mutate: (w) => set(w, "openclaw-sg-nodes", "ingress", [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: unknown("array") }]) },
    });

    describePolicy(net.azureNetworkSecurityGroupDisallowPublicIngress, {
        world: azureWorld,
        violations: [
            { name: "NET-4: flags an NSG rule opening 22 to the internet", mutate: (w) => set(w, "openclaw-network-nodes-nsg", "securityRules[0].destinationPortRanges", ["22"]), expect: [M.sshOpen('securityRules[0] "allow-https-to-ingress"', "0.0.0.0/0")] },
            { name: "NET-4: flags an NSG rule opening 8443 to Internet", mutate: (w) => set(set(w, "openclaw-network-nodes-nsg", "securityRules[0].destinationPortRanges", ["8443"]), "openclaw-network-nodes-nsg", "securityRules[0].sourceAddressPrefixes", ["Internet"]), expect: [M.publicPort('securityRules[0] "allow-https-to-ingress"', "port 8443")] },
        ],
        unknown: { name: "a rule's source prefixes", mutate: (w) => set(w, "openclaw-network-privateEndpoints-nsg", "securityRules[0].sourceAddressPrefixes", unknown("array")) },
    });

    describePolicy(net.awsDefaultSecurityGroupDisallowRules, {
        world: awsWorld,
        violations: [{ name: "NET-4: flags rules on the default security group", mutate: (w) => set(w, "openclaw-network-default-sg", "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]), expect: [M.defaultSgRules("ingress")] }],
        unknown: { name: "egress", mutate: (w) => set(w, "openclaw-network-default-sg", "egress", unknown("array")) },
    });

    describePolicy(net.kubernetesServiceDisallowPublicPorts, {
        world: kubernetesWorld,
        violations: [
            { name: "NET-4: flags a NodePort Service", mutate: (w) => set(w, "openclaw-service", "spec.type", "NodePort"), expect: [M.nodePortService] },
            { name: "NET-4: flags a LoadBalancer Service on a non-public port", mutate: (w) => set(w, "openclaw-service", "spec.type", "LoadBalancer"), expect: [M.servicePort(18789)] },
            { name: "NET-4: flags a Gateway listener on a non-public port", mutate: (w) => set(w, "openclaw-gateway", "spec.listeners[1].port", 8080), expect: [M.listenerPort("http", 8080)] },
        ],
        unknown: { name: "spec", mutate: (w) => set(w, "openclaw-service", "spec", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(net.awsEksNodeGroupDisallowRemoteAccess, {
        world: awsWorld,
        violations: [{ name: "NET-4: flags SSH remote access on a node group", mutate: (w) => set(w, "openclaw-nodes", "remoteAccess", { ec2SshKey: "ops" }), expect: [M.remoteAccess] }],
        unknown: { name: "remoteAccess", mutate: (w) => set(w, "openclaw-nodes", "remoteAccess", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(net.azureAksClusterDisallowSsh, {
        world: azureWorld,
        violations: [{ name: "NET-4: flags an agent pool that keeps the default SSH access", mutate: (w) => set(w, "openclaw-cluster", "agentPoolProfiles[0].securityProfile", undefined), expect: [M.aksSsh("system")] }],
        unknown: { name: "an agent pool", mutate: (w) => set(w, "openclaw-cluster", "agentPoolProfiles[1]", unknown("object")) },
    });

    describePolicy(net.awsRouteDisallowDefaultPeeringRoute, {
        world: () => [...awsWorld(), { type: "aws:ec2/route:Route", name: "openclaw-peering-lake-route", inputs: { routeTableId: "rt", destinationCidrBlock: "10.50.0.0/16", vpcPeeringConnectionId: "pcx-1" } }],
        violations: [{ name: "NET-5: flags a default route through a peering connection", mutate: (w) => set(w, "openclaw-peering-lake-route", "destinationCidrBlock", "0.0.0.0/0"), expect: [M.peeringDefaultRoute("the route")] }],
        unknown: { name: "the peering connection id", mutate: (w) => set(w, "openclaw-peering-lake-route", "vpcPeeringConnectionId", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(net.azureVnetPeeringDisallowTransit, {
        world: () => [...azureWorld(), { type: "azure-native:network:VirtualNetworkPeering", name: "openclaw-peering-lake", inputs: { allowVirtualNetworkAccess: true, allowForwardedTraffic: false, allowGatewayTransit: false, useRemoteGateways: false } }],
        violations: [{ name: "NET-5: flags a peering that forwards traffic", mutate: (w) => set(w, "openclaw-peering-lake", "allowForwardedTraffic", true), expect: [M.peeringTransit("allowForwardedTraffic")] }],
        unknown: { name: "useRemoteGateways", mutate: (w) => set(w, "openclaw-peering-lake", "useRemoteGateways", unknown("boolean")) },
    });

    describePolicy(net.awsVpcMissingPrivateEndpoints, {
        world: awsWorld,
        violations: [
            { name: "NET-6: flags a VPC without a Secrets Manager endpoint", mutate: (w) => remove(w, "openclaw-endpoints-secretsmanager"), expect: [M.endpointMissing("secretsmanager", "Interface")] },
            { name: "NET-6: flags a VPC without an S3 endpoint", mutate: (w) => remove(w, "openclaw-endpoints-s3"), expect: [M.endpointMissing("s3", "Gateway")] },
        ],
        unknown: { name: "an endpoint's serviceName", mutate: (w) => set(w, "openclaw-endpoints-kms", "serviceName", unknown()) },
        // The unknown endpoint may be the missing one: only the advisory can be given.
        unknownHidesViolation: true,
    });

    describePolicy(net.awsVpcEndpointEnablePrivateDns, {
        world: awsWorld,
        violations: [{ name: "NET-6: flags an interface endpoint without private DNS", mutate: (w) => set(w, "openclaw-endpoints-kms", "privateDnsEnabled", undefined), expect: [M.endpointPrivateDns] }],
        unknown: { name: "privateDnsEnabled", mutate: (w) => set(w, "openclaw-endpoints-sts", "privateDnsEnabled", unknown("boolean")) },
    });

    describePolicy(net.azureServiceMissingPrivateEndpoint, {
        world: azureWorld,
        violations: [{ name: "NET-6: flags a Key Vault without a private endpoint", mutate: (w) => remove(w, "openclaw-kv-vault-endpoint"), expect: [M.privateEndpointMissing("Key Vault", "openclaw-kv-vault")] }],
        unknown: { name: "an endpoint's connections", mutate: (w) => set(w, "openclaw-archive-blob-endpoint", "privateLinkServiceConnections", unknown("array")) },
        unknownNeedsNoVerdict: "the relation it checks is known",
    });

    describePolicy(net.azureKeyVaultDisallowPublicNetworkAccess, {
        world: azureWorld,
        violations: [
            { name: "NET-6: flags a Key Vault with public network access left at its default", mutate: (w) => set(w, "openclaw-kv-vault", "properties.publicNetworkAccess", undefined), expect: [M.vaultPublic] },
            { name: "NET-6: flags a Key Vault firewall that allows by default", mutate: (w) => set(w, "openclaw-kv-vault", "properties.networkAcls.defaultAction", "Allow"), expect: [M.vaultAclAllow] },
        ],
        unknown: { name: "networkAcls", mutate: (w) => set(w, "openclaw-kv-vault", "properties.networkAcls", unknown("object")) },
    });

    describePolicy(net.azureStorageAccountDisallowPublicNetworkAccess, {
        world: azureWorld,
        violations: [
            { name: "NET-6: flags a storage account open to public networks", mutate: (w) => set(w, "openclaw-archive-account", "publicNetworkAccess", "Enabled"), expect: [M.storagePublic] },
            { name: "NET-6: flags anonymous blob access", mutate: (w) => set(w, "openclaw-archive-account", "allowBlobPublicAccess", true), expect: [M.storageBlobPublic] },
        ],
        passes: [
            {
                name: "public access Enabled behind a deny-by-default firewall with no rules (trusted services only)",
                mutate: (w) => set(set(w, "openclaw-archive-account", "publicNetworkAccess", "Enabled"), "openclaw-archive-account", "networkRuleSet", { bypass: "AzureServices", defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] }),
            },
        ],
        unknown: { name: "allowBlobPublicAccess", mutate: (w) => set(w, "openclaw-archive-account", "allowBlobPublicAccess", unknown("boolean")) },
    });
});
