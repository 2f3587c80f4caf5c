// Network policies (NET-1..NET-6): private control planes, separate firewall tiers, default-deny pod traffic,
// only 443 public and no SSH, least-privilege peering, private endpoints for secret and storage services.
import { Addon, Cluster, NodeGroup } from "@pulumi/aws/eks";
import { DefaultSecurityGroup, Route, RouteTable, SecurityGroup, SecurityGroupRule, Subnet as AwsSubnet, VpcEndpoint } from "@pulumi/aws/ec2";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import { AgentPool, ManagedCluster } from "@pulumi/azure-native/containerservice";
import { Vault } from "@pulumi/azure-native/keyvault";
import { NetworkSecurityGroup, SecurityRule, VirtualNetworkPeering } from "@pulumi/azure-native/network";
import { StorageAccount } from "@pulumi/azure-native/storage";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import { Service } from "@pulumi/kubernetes/core/v1";
import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { cidrWithin, isAnywhere } from "./lib/cidr";
import { isWorkloadType, Json, kubeObjects, namespaceOf, HELM_RELEASE_TYPE, validateKind } from "./lib/kubernetes";
import { exceptionSnippet, resourcePolicy, stackPolicy } from "./lib/meta";
import { eachChecked, previewSafe } from "./lib/preview";

export const MESSAGES = {
    privateAccessOff: "vpcConfig.endpointPrivateAccess is not true (the provider default is false): nodes would reach the API over the internet",
    publicEndpoint: (detail: string) => `the Kubernetes API is public ${detail}; set vpcConfig.endpointPublicAccess false, or list only allowed operator CIDRs`,
    aksPublicEndpoint: (detail: string) => `the AKS API server is public ${detail}; set apiServerAccessProfile.enablePrivateCluster true, or authorize only allowed operator CIDRs`,
    publicIpOnLaunch: "mapPublicIpOnLaunch is true: every instance in this subnet gets a public address",
    clusterOutsideStackNetwork: (cluster: string) => `cluster ${cluster} does not use a subnet or network created by this stack (no dependency on one): it is not in a dedicated network`,
    noNetwork: "the stack creates a Kubernetes cluster but no network of its own",
    tierMissing: (tier: string) => `no security group for the ${tier} tier: the EKS cluster and the interface endpoints must each have their own`,
    tierShared: (group: string, a: string, b: string) => `security group ${group} is shared by the ${a} and ${b} tiers`,
    subnetWithoutNsg: (subnet: string) => `subnet ${subnet} has no network security group`,
    nsgShared: (nsg: string, subnets: string) => `network security group ${nsg} is shared by subnets ${subnets}; each tier needs its own`,
    noDefaultDeny: (namespace: string) => `namespace ${namespace} runs pods but has no default-deny NetworkPolicy (podSelector {} with policyTypes Ingress and Egress and no rules)`,
    ingressFromAnywhere: (rule: number) => `ingress rule ${rule} has no "from": it admits every source`,
    ingressAllPorts: (rule: number) => `ingress rule ${rule} admits an ipBlock without "ports": every port is open to those addresses`,
    egressToAnywhere: (rule: number) => `egress rule ${rule} has no "to": it allows every destination`,
    egressAllPorts: (rule: number) => `egress rule ${rule} allows an ipBlock without "ports": every port to those addresses`,
    egressMetadata: (rule: number, peer: number) => `egress rule ${rule} peer ${peer} allows ${"0.0.0.0/0"} without excepting 169.254.0.0/16 (instance metadata)`,
    vpcCniWithoutNetworkPolicy: (cluster: string) => `cluster ${cluster} has no vpc-cni add-on with enableNetworkPolicy "true": NetworkPolicies would not be enforced`,
    aksNoNetworkPolicy: (value: string) => `networkProfile.networkPolicy is ${value}: NetworkPolicies would not be enforced; set cilium (or azure, calico)`,
    sshOpen: (rule: string, sources: string) => `${rule} opens port 22 to ${sources}, which is not a configured bastion CIDR`,
    publicPort: (rule: string, ports: string) => `${rule} opens ${ports} to the internet; only ${"allowedPublicPorts"} may be public`,
    defaultSgRules: (field: string) => `the default security group has ${field} rules; adopt it with none so nothing falls back to it`,
    servicePort: (port: number) => `LoadBalancer port ${port} is not an allowed public port`,
    listenerPort: (listener: string, port: number) => `Gateway listener ${listener} listens on ${port}, which is not an allowed public port`,
    nodePortService: "type NodePort opens a port on every node; expose through the ingress instead",
    remoteAccess: "remoteAccess is set: the node group opens SSH (22); reach nodes through SSM instead",
    aksSsh: (pool: string) => `agent pool ${pool} has securityProfile.sshAccess ${"not Disabled"} (the default is LocalUser): nodes accept SSH`,
    peeringDefaultRoute: (route: string) => `${route} sends ${"0.0.0.0/0"} through a peering connection: route only the peer's CIDRs`,
    peeringTransit: (field: string) => `${field} is true: the peering carries traffic beyond the two networks`,
    endpointMissing: (service: string, type: string) => `no ${type} VPC endpoint for ${service}: its traffic would leave the VPC`,
    endpointPrivateDns: "privateDnsEnabled is not true (the default is false): clients would still resolve the public endpoint",
    privateEndpointMissing: (kind: string, name: string) => `${kind} ${name} has no private endpoint`,
    vaultPublic: "properties.publicNetworkAccess is not Disabled (the default is Enabled)",
    vaultAclAllow: "properties.networkAcls.defaultAction is not Deny (the default is Allow)",
    storagePublic: "publicNetworkAccess is not Disabled (the default is Enabled) and networkRuleSet does not deny every network by default",
    storageBlobPublic: "allowBlobPublicAccess is true",
} as const;

const apiCidrSchema = {
    properties: {
        allowedApiCidrs: {
            type: "array" as const,
            items: { type: "string" as const },
            default: [],
            description: "CIDRs from which a public Kubernetes API may be reached. Empty: the API must be private.",
        },
    },
};

export const awsEksClusterDisallowPublicEndpoint = resourcePolicy(
    {
        name: "aws-eks-cluster-disallow-public-endpoint",
        description: "The EKS API endpoint is private; public access, if any, only from allowed operator CIDRs and never 0.0.0.0/0.",
        checklist: ["NET-1", "NET-4"],
        severity: "critical",
        remediationSteps: "Leave openclaw:apiAuthorizedCidrs empty (private only), or list your operators' CIDRs there and in this policy's allowedApiCidrs.",
        configSchema: apiCidrSchema,
        exceptions: ["allowedApiCidrs"],
    },
    validateResourceOfType(Cluster, (cluster, args, report) => {
        const { allowedApiCidrs } = args.getConfig<{ allowedApiCidrs: string[] }>();
        previewSafe((check) => {
            check(() => {
                if (cluster.vpcConfig?.endpointPrivateAccess !== true) {
                    report(MESSAGES.privateAccessOff);
                }
            });
            check(() => {
                // The provider defaults endpointPublicAccess to true and publicAccessCidrs to 0.0.0.0/0.
                if (cluster.vpcConfig?.endpointPublicAccess === false) {
                    return;
                }
                const cidrs = cluster.vpcConfig?.publicAccessCidrs ?? ["0.0.0.0/0"];
                reportPublicCidrs("aws-eks-cluster-disallow-public-endpoint", cidrs, allowedApiCidrs, report, MESSAGES.publicEndpoint);
            });
        });
    }),
);

/** The detail of a public API reachable from CIDRs the config does not allow, with the snippet that would allow them. */
export function outsideAllowedApiCidrs(policy: string, outside: readonly string[]): string {
    return `to ${outside.join(", ")}, outside allowedApiCidrs (${exceptionSnippet(policy, "allowedApiCidrs", outside)})`;
}

function reportPublicCidrs(policy: string, cidrs: readonly string[], allowed: readonly string[], report: ReportViolation, message: (d: string) => string): void {
    const open = cidrs.filter((c) => isAnywhere(c));
    if (open.length > 0 || cidrs.length === 0) {
        report(message(`to ${open.length > 0 ? open.join(", ") : "the whole internet"}`));
        return;
    }
    const outside = cidrs.filter((c) => !allowed.some((a) => cidrWithin(c, a)));
    if (outside.length > 0) {
        report(message(outsideAllowedApiCidrs(policy, outside)));
    }
}

export const azureAksClusterDisallowPublicEndpoint = resourcePolicy(
    {
        name: "azure-aks-cluster-disallow-public-endpoint",
        description: "The AKS API server is private; public access, if any, only from allowed operator CIDRs and never 0.0.0.0/0.",
        checklist: ["NET-1", "NET-4"],
        severity: "critical",
        remediationSteps: "Leave openclaw:apiAuthorizedCidrs empty (private cluster), or list your operators' CIDRs there and in this policy's allowedApiCidrs.",
        configSchema: apiCidrSchema,
        exceptions: ["allowedApiCidrs"],
    },
    validateResourceOfType(ManagedCluster, (cluster, args, report) => {
        const { allowedApiCidrs } = args.getConfig<{ allowedApiCidrs: string[] }>();
        previewSafe((check) => {
            check(() => {
                const profile = cluster.apiServerAccessProfile;
                if (profile?.enablePrivateCluster === true) {
                    return;
                }
                // Without a private cluster, an empty authorizedIPRanges means the API answers everyone.
                reportPublicCidrs("azure-aks-cluster-disallow-public-endpoint", profile?.authorizedIPRanges ?? [], allowedApiCidrs, report, MESSAGES.aksPublicEndpoint);
            });
        });
    }),
);

export const awsSubnetDisallowPublicIpOnLaunch = resourcePolicy(
    {
        name: "aws-subnet-disallow-public-ip-on-launch",
        description: "No subnet gives instances public IP addresses.",
        checklist: ["NET-1"],
        severity: "high",
        remediationSteps: "Set mapPublicIpOnLaunch false; load balancers and NAT gateways do not need it.",
    },
    validateResourceOfType(AwsSubnet, (subnet, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (subnet.mapPublicIpOnLaunch === true) {
                    report(MESSAGES.publicIpOnLaunch);
                }
            });
        });
    }),
);

const deps = (r: PolicyResource, key: string): PolicyResource[] => r.propertyDependencies[key] ?? [];
const allDeps = (r: PolicyResource): PolicyResource[] => [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];

/** For each target, the resources (in stack order) that depend on it; targets nothing depends on are absent. */
function dependentsByTarget(resources: readonly PolicyResource[], targets: readonly PolicyResource[]): Map<PolicyResource, PolicyResource[]> {
    const wanted = new Set(targets);
    const out = new Map<PolicyResource, PolicyResource[]>();
    for (const r of resources) {
        for (const target of new Set(allDeps(r))) {
            if (wanted.has(target)) {
                const list = out.get(target);
                if (list) {
                    list.push(r);
                } else {
                    out.set(target, [r]);
                }
            }
        }
    }
    return out;
}

export const awsVpcMissingDedicatedNetwork = stackPolicy(
    {
        name: "aws-vpc-missing-dedicated-network",
        description: "Every EKS cluster runs in subnets of a VPC this stack creates.",
        checklist: ["NET-1"],
        severity: "high",
        remediationSteps: "Create the VPC and subnets in this stack and pass their ids to the cluster's vpcConfig.",
    },
    (args, report) => {
        const clusters = args.resources.filter((r) => r.isType(Cluster));
        if (clusters.length === 0) {
            args.notApplicable("no EKS cluster");
        }
        if (!args.resources.some((r) => r.type === "aws:ec2/vpc:Vpc")) {
            report(MESSAGES.noNetwork);
        }
        for (const cluster of clusters) {
            const subnets = deps(cluster, "vpcConfig").filter((d) => d.type === "aws:ec2/subnet:Subnet");
            if (subnets.length === 0) {
                report(MESSAGES.clusterOutsideStackNetwork(cluster.name), cluster.urn);
            }
        }
    },
);

export const azureAksMissingDedicatedNetwork = stackPolicy(
    {
        name: "azure-aks-missing-dedicated-network",
        description: "Every AKS cluster's node pools run in a subnet of a VNet this stack creates.",
        checklist: ["NET-1"],
        severity: "high",
        remediationSteps: "Create the VNet and subnets in this stack and set each agent pool's vnetSubnetID from them.",
    },
    (args, report) => {
        const clusters = args.resources.filter((r) => r.isType(ManagedCluster));
        if (clusters.length === 0) {
            args.notApplicable("no AKS cluster");
        }
        if (!args.resources.some((r) => r.type === "azure-native:network:VirtualNetwork")) {
            report(MESSAGES.noNetwork);
        }
        const networkTypes = ["azure-native:network:VirtualNetwork", "azure-native:network:Subnet"];
        // Pools grouped by the clusters they depend on, in one pass: a scan per cluster is quadratic in large stacks.
        const poolsOf = dependentsByTarget(args.resources.filter((r) => r.isType(AgentPool)), clusters);
        for (const cluster of clusters) {
            const pools = poolsOf.get(cluster) ?? [];
            const sources = [...deps(cluster, "agentPoolProfiles"), ...pools.flatMap((p) => deps(p, "vnetSubnetID"))];
            if (!sources.some((d) => networkTypes.includes(d.type))) {
                report(MESSAGES.clusterOutsideStackNetwork(cluster.name), cluster.urn);
            }
        }
    },
);

const SG_TYPE = "aws:ec2/securityGroup:SecurityGroup";

export const awsSecurityGroupMissingTierSeparation = stackPolicy(
    {
        name: "aws-security-group-missing-tier-separation",
        description: "The management (EKS API), storage (interface endpoints) and inference (nodes, ingress) tiers each have their own security groups.",
        checklist: ["NET-2"],
        severity: "medium",
        remediationSteps: "Create one security group per tier and attach it only there: the cluster's vpcConfig.securityGroupIds, the endpoints' securityGroupIds, the launch template and the ingress load balancer.",
    },
    (args, report) => {
        const clusters = args.resources.filter((r) => r.isType(Cluster));
        if (clusters.length === 0) {
            args.notApplicable("no EKS cluster");
        }
        const sgs = (list: PolicyResource[]) => new Set(list.filter((d) => d.type === SG_TYPE));
        const tiers: Record<string, Set<PolicyResource>> = {
            management: sgs(clusters.flatMap((c) => deps(c, "vpcConfig"))),
            storage: sgs(args.resources.filter((r) => r.isType(VpcEndpoint)).flatMap((e) => deps(e, "securityGroupIds"))),
            inference: sgs(
                args.resources
                    .filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" || r.type.startsWith("kubernetes:"))
                    .flatMap((r) => allDeps(r)),
            ),
        };
        for (const tier of ["management", "storage"]) {
            if (tiers[tier].size === 0) {
                report(MESSAGES.tierMissing(tier));
            }
        }
        const names = Object.keys(tiers);
        for (let i = 0; i < names.length; i++) {
            for (let j = i + 1; j < names.length; j++) {
                for (const sg of tiers[names[i]]) {
                    if (tiers[names[j]].has(sg)) {
                        report(MESSAGES.tierShared(sg.name, names[i], names[j]), sg.urn);
                    }
                }
            }
        }
    },
);

/** Subnets Azure manages itself or that refuse an NSG. */
const AZURE_RESERVED_SUBNETS = ["AzureFirewallSubnet", "AzureFirewallManagementSubnet", "GatewaySubnet", "AzureBastionSubnet", "RouteServerSubnet"];

export const azureSubnetMissingNetworkSecurityGroup = stackPolicy(
    {
        name: "azure-subnet-missing-network-security-group",
        description: "Every subnet has a network security group, and no two subnets share one, so each tier is filtered on its own.",
        checklist: ["NET-2", "NET-4"],
        severity: "high",
        remediationSteps: "Create one NSG per subnet (nodes, private endpoints, ingress) and set the subnet's networkSecurityGroup.",
    },
    (args, report) => {
        previewSafe((check) => {
            const byNsg = new Map<string, string[]>();
            const add = (nsgKey: string, subnet: string) => byNsg.set(nsgKey, [...(byNsg.get(nsgKey) ?? []), subnet]);
            let subnets = 0;
            for (const r of args.resources) {
                if (r.type === "azure-native:network:Subnet") {
                    check(() => {
                        const name = String(r.props.subnetName ?? r.props.name ?? r.name);
                        subnets++;
                        if (AZURE_RESERVED_SUBNETS.includes(name)) {
                            return;
                        }
                        const nsgDeps = deps(r, "networkSecurityGroup").filter((d) => d.type === "azure-native:network:NetworkSecurityGroup");
                        const nsgId = (r.props.networkSecurityGroup as Json | undefined)?.id;
                        if (nsgDeps.length === 0 && nsgId === undefined) {
                            report(MESSAGES.subnetWithoutNsg(name), r.urn);
                        }
                        for (const nsg of nsgDeps) {
                            add(nsg.urn, name);
                        }
                    });
                } else if (r.type === "azure-native:network:VirtualNetwork") {
                    eachChecked(check, () => r.props.subnets as Json[] | undefined, (subnet) => {
                        subnets++;
                        const name = String(subnet.name);
                        if (AZURE_RESERVED_SUBNETS.includes(name)) {
                            return;
                        }
                        const nsgId = (subnet.networkSecurityGroup as Json | undefined)?.id;
                        if (nsgId === undefined) {
                            report(MESSAGES.subnetWithoutNsg(name), r.urn);
                        } else {
                            add(String(nsgId), name);
                        }
                    });
                }
            }
            if (subnets === 0) {
                args.notApplicable("no Azure subnet");
            }
            for (const [nsg, names] of byNsg) {
                if (names.length > 1) {
                    report(MESSAGES.nsgShared(nsg.split("::").pop() ?? nsg, names.join(", ")));
                }
            }
        });
    },
);

/** Namespaces that run pods: workloads' namespaces and Helm releases' target namespaces. */
function podNamespaces(resources: readonly PolicyResource[], check: (fn: () => void) => void): Map<string, string> {
    const namespaces = new Map<string, string>();
    for (const r of resources) {
        check(() => {
            if (isWorkloadType(r.type)) {
                namespaces.set(namespaceOf({ namespace: (r.props.metadata as Json | undefined)?.namespace as string | undefined }), r.urn);
            } else if (r.type === HELM_RELEASE_TYPE) {
                namespaces.set(String(r.props.namespace ?? "default"), r.urn);
            }
        });
    }
    return namespaces;
}

/** True for a NetworkPolicy that selects every pod, covers both directions, and allows nothing. */
export function isDefaultDeny(spec: Json | undefined): boolean {
    const selector = spec?.podSelector as Json | undefined;
    const selectsAll = selector !== undefined && Object.keys(selector).every((k) => {
        const v = selector[k];
        return Array.isArray(v) ? v.length === 0 : v && typeof v === "object" ? Object.keys(v as Json).length === 0 : false;
    });
    const types = (spec?.policyTypes as string[] | undefined) ?? [];
    const ingress = (spec?.ingress as unknown[] | undefined) ?? [];
    const egress = (spec?.egress as unknown[] | undefined) ?? [];
    return selectsAll && types.includes("Ingress") && types.includes("Egress") && ingress.length === 0 && egress.length === 0;
}

export const kubernetesNamespaceMissingDefaultDeny = stackPolicy(
    {
        name: "kubernetes-namespace-missing-default-deny",
        description: "Every namespace that runs pods has a default-deny NetworkPolicy for ingress and egress.",
        checklist: ["NET-3"],
        severity: "high",
        remediationSteps: "Add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] and no rules to the namespace, then allow only the needed flows.",
        configSchema: {
            properties: {
                exemptNamespaces: {
                    type: "array",
                    items: { type: "string" },
                    default: ["kube-system", "kube-public", "kube-node-lease"],
                    description: "Namespaces the cloud provider manages (its system add-ons would break under default deny).",
                },
            },
        },
    },
    (args, report) => {
        const { exemptNamespaces } = args.getConfig<{ exemptNamespaces: string[] }>();
        previewSafe((check) => {
            const namespaces = podNamespaces(args.resources, check);
            for (const exempt of exemptNamespaces) {
                namespaces.delete(exempt);
            }
            if (namespaces.size === 0) {
                args.notApplicable("no pods in the stack");
            }
            // Namespaces with a default deny, or with a NetworkPolicy whose spec is unknown (it may be one).
            const denied = new Set<string>();
            let uncertain = false;
            for (const r of args.resources) {
                let namespace: string | undefined;
                const read = check(() => {
                    for (const o of kubeObjects([r])) {
                        if (o.kind === "NetworkPolicy") {
                            namespace = namespaceOf(o);
                            if (isDefaultDeny(o.object.spec as Json | undefined)) {
                                denied.add(namespace);
                            }
                        }
                    }
                });
                if (!read) {
                    if (namespace === undefined) {
                        uncertain = true;
                    } else {
                        denied.add(namespace);
                    }
                }
            }
            for (const [namespace, urn] of namespaces) {
                if (!denied.has(namespace) && !uncertain) {
                    report(MESSAGES.noDefaultDeny(namespace), urn);
                }
            }
        });
    },
);

export const kubernetesNetworkPolicyEnforceAllowList = resourcePolicy(
    {
        name: "kubernetes-network-policy-enforce-allow-list",
        description: "NetworkPolicy rules name their peers, rules reaching address blocks name their ports, and internet egress excludes instance metadata.",
        checklist: ["NET-3"],
        severity: "medium",
        remediationSteps: "Give every rule explicit from/to peers and ports; add 169.254.0.0/16 to the except list of any 0.0.0.0/0 ipBlock.",
    },
    validateResourceOfType(NetworkPolicy, (policy, _args, report) => {
        previewSafe((check) => {
            // A rule naming only in-cluster selectors may leave ports open: the peer's own policy narrows them.
            // A rule reaching addresses (ipBlock) or everyone must name its ports.
            eachChecked(check, () => policy.spec?.ingress, (rule, i) => {
                if (!rule.from || rule.from.length === 0) {
                    report(MESSAGES.ingressFromAnywhere(i));
                } else if (rule.from.some((peer) => peer.ipBlock) && (!rule.ports || rule.ports.length === 0)) {
                    report(MESSAGES.ingressAllPorts(i));
                }
            });
            eachChecked(check, () => policy.spec?.egress, (rule, i) => {
                if (!rule.to || rule.to.length === 0) {
                    report(MESSAGES.egressToAnywhere(i));
                } else if (rule.to.some((peer) => peer.ipBlock) && (!rule.ports || rule.ports.length === 0)) {
                    report(MESSAGES.egressAllPorts(i));
                }
                (rule.to ?? []).forEach((peer, p) => {
                    if (peer.ipBlock && isAnywhere(peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e) => cidrWithin("169.254.169.254/32", e))) {
                        report(MESSAGES.egressMetadata(i, p));
                    }
                });
            });
        });
    }),
);

export const awsEksClusterEnableNetworkPolicy = stackPolicy(
    {
        name: "aws-eks-cluster-enable-network-policy",
        description: "Every EKS cluster has the vpc-cni add-on with network policy enforcement on.",
        checklist: ["NET-3"],
        severity: "high",
        remediationSteps: 'Install the vpc-cni add-on with configurationValues {"enableNetworkPolicy": "true"}.',
    },
    (args, report) => {
        const clusters = args.resources.filter((r) => r.isType(Cluster));
        if (clusters.length === 0) {
            args.notApplicable("no EKS cluster");
        }
        // Add-ons grouped by the clusters they depend on, in one pass: a scan per cluster is quadratic in large stacks.
        const addonsOf = dependentsByTarget(args.resources.filter((r) => r.isType(Addon)), clusters);
        previewSafe((check) => {
            for (const cluster of clusters) {
                check(() => {
                    const enforced = (addonsOf.get(cluster) ?? []).some((r) => {
                        if (r.props.addonName !== "vpc-cni") {
                            return false;
                        }
                        const raw = r.props.configurationValues as string | undefined;
                        const values = raw ? (JSON.parse(raw) as Json) : {};
                        return String(values.enableNetworkPolicy) === "true";
                    });
                    if (!enforced) {
                        report(MESSAGES.vpcCniWithoutNetworkPolicy(cluster.name), cluster.urn);
                    }
                });
            }
        });
    },
);

export const azureAksClusterEnableNetworkPolicy = resourcePolicy(
    {
        name: "azure-aks-cluster-enable-network-policy",
        description: "AKS enforces NetworkPolicies (Cilium, Azure or Calico).",
        checklist: ["NET-3"],
        severity: "high",
        remediationSteps: "Set networkProfile.networkPolicy to cilium (with networkDataplane cilium).",
    },
    validateResourceOfType(ManagedCluster, (cluster, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const policy = cluster.networkProfile?.networkPolicy;
                if (policy === undefined || !["cilium", "azure", "calico"].includes(String(policy))) {
                    report(MESSAGES.aksNoNetworkPolicy(policy === undefined ? "unset (none)" : String(policy)));
                }
            });
        });
    }),
);

const publicPortSchema = {
    properties: {
        allowedPublicPorts: {
            type: "array" as const,
            items: { type: "integer" as const },
            default: [443, 80],
            description: "Ports that may be open to the internet. 80 only answers with a 301 to https (TLS-2).",
        },
        bastionCidrs: {
            type: "array" as const,
            items: { type: "string" as const },
            default: [],
            description: "CIDRs of bastion hosts that may reach port 22. Empty: 22 from nowhere.",
        },
    },
};

interface IngressRule {
    readonly label: string;
    readonly from: number;
    readonly to: number;
    readonly sources: readonly string[];
}

/**
 * A rule opens SSH when it covers port 22 and either admits a public source, or names a port range (not every
 * port) from anything but a bastion. Every-port rules between private ranges are intra-network traffic, which
 * NET-2 and NET-3 judge; nodes run no SSH daemon that accepts logins (remote access and sshAccess are off).
 */
function checkIngress(rule: IngressRule, allowedPublic: readonly number[], bastions: readonly string[], report: ReportViolation): void {
    if (rule.from <= 22 && rule.to >= 22 && rule.sources.length > 0) {
        const everyPort = rule.from === 0 && rule.to === 65535;
        const outside = rule.sources.filter((s) => !bastions.some((b) => cidrWithin(s, b)) && (!everyPort || isPublicSource(s)));
        if (outside.length > 0) {
            report(MESSAGES.sshOpen(rule.label, outside.join(", ")));
        }
    }
    if (rule.sources.some(isAnywhere)) {
        const tooWide = rule.to - rule.from > 65535 / 2 || !allowedPublic.some((p) => p === rule.from && p === rule.to);
        if (tooWide) {
            report(MESSAGES.publicPort(rule.label, rule.from === rule.to ? `port ${rule.from}` : `ports ${rule.from}-${rule.to}`));
        }
    }
}

/** Service tags and RFC 1918 / CGNAT ranges are inside the platform; anything else is the internet. */
function isPublicSource(source: string): boolean {
    if (isAnywhere(source)) {
        return true;
    }
    if (/^[A-Za-z]/.test(source)) {
        return source === "Internet";
    }
    return !["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].some((range) => cidrWithin(source, range));
}

function awsPortRange(protocol: string | undefined, from: number | undefined, to: number | undefined): [number, number] {
    if (protocol === "-1" || protocol === "all") {
        return [0, 65535];
    }
    return [from ?? 0, to ?? from ?? 65535];
}

export const awsSecurityGroupDisallowPublicIngress = resourcePolicy(
    {
        name: "aws-security-group-disallow-public-ingress",
        description: "Security groups open only the allowed public ports (443, and 80 for the redirect) to the internet, and 22 to nobody but a bastion.",
        checklist: ["NET-4"],
        severity: "critical",
        remediationSteps: "Remove rules that open other ports to 0.0.0.0/0 or ::/0 and every rule covering 22; reach nodes through SSM.",
        configSchema: publicPortSchema,
        exceptions: ["allowedPublicPorts", "bastionCidrs"],
    },
    [
        validateResourceOfType(SecurityGroup, (sg, args, report) => {
            const { allowedPublicPorts, bastionCidrs } = args.getConfig<{ allowedPublicPorts: number[]; bastionCidrs: string[] }>();
            previewSafe((check) => {
                eachChecked(check, () => sg.ingress, (rule, i) => {
                    const [from, to] = awsPortRange(rule.protocol, rule.fromPort, rule.toPort);
                    checkIngress({ label: `ingress[${i}]`, from, to, sources: [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])] }, allowedPublicPorts, bastionCidrs, report);
                });
            });
        }),
        validateResourceOfType(SecurityGroupIngressRule, (rule, args, report) => {
            const { allowedPublicPorts, bastionCidrs } = args.getConfig<{ allowedPublicPorts: number[]; bastionCidrs: string[] }>();
            previewSafe((check) => {
                check(() => {
                    const [from, to] = awsPortRange(rule.ipProtocol, rule.fromPort, rule.toPort);
                    const sources = [rule.cidrIpv4, rule.cidrIpv6].filter((s): s is string => typeof s === "string");
                    checkIngress({ label: "the rule", from, to, sources }, allowedPublicPorts, bastionCidrs, report);
                });
            });
        }),
        validateResourceOfType(SecurityGroupRule, (rule, args, report) => {
            const { allowedPublicPorts, bastionCidrs } = args.getConfig<{ allowedPublicPorts: number[]; bastionCidrs: string[] }>();
            previewSafe((check) => {
                check(() => {
                    if (rule.type !== "ingress") {
                        return;
                    }
                    const [from, to] = awsPortRange(rule.protocol, rule.fromPort, rule.toPort);
                    checkIngress({ label: "the rule", from, to, sources: [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])] }, allowedPublicPorts, bastionCidrs, report);
                });
            });
        }),
    ],
);

function azurePortRange(range: string): [number, number] {
    if (range === "*") {
        return [0, 65535];
    }
    const [a, b] = range.split("-").map((s) => Number(s.trim()));
    return [a, b ?? a];
}

function checkAzureRule(rule: Json, label: string, allowedPublic: readonly number[], bastions: readonly string[], report: ReportViolation): void {
    if (rule.direction !== "Inbound" || rule.access !== "Allow") {
        return;
    }
    const sources = [rule.sourceAddressPrefix, ...((rule.sourceAddressPrefixes as string[] | undefined) ?? [])].filter((s): s is string => typeof s === "string");
    const ranges = [rule.destinationPortRange, ...((rule.destinationPortRanges as string[] | undefined) ?? [])].filter((s): s is string => typeof s === "string");
    for (const range of ranges.length > 0 ? ranges : ["*"]) {
        const [from, to] = azurePortRange(range);
        checkIngress({ label, from, to, sources }, allowedPublic, bastions, report);
    }
}

export const azureNetworkSecurityGroupDisallowPublicIngress = resourcePolicy(
    {
        name: "azure-network-security-group-disallow-public-ingress",
        description: "NSG rules allow only the allowed public ports (443, and 80 for the redirect) from the internet, and 22 from nobody but a bastion.",
        checklist: ["NET-4"],
        severity: "critical",
        remediationSteps: "Remove inbound Allow rules that open other ports to * / Internet / 0.0.0.0/0 and every rule covering 22.",
        configSchema: publicPortSchema,
        exceptions: ["allowedPublicPorts", "bastionCidrs"],
    },
    [
        validateResourceOfType(NetworkSecurityGroup, (nsg, args, report) => {
            const { allowedPublicPorts, bastionCidrs } = args.getConfig<{ allowedPublicPorts: number[]; bastionCidrs: string[] }>();
            previewSafe((check) => {
                eachChecked(check, () => nsg.securityRules, (rule, i) => {
                    checkAzureRule(rule as Json, `securityRules[${i}] "${String(rule.name)}"`, allowedPublicPorts, bastionCidrs, report);
                });
            });
        }),
        validateResourceOfType(SecurityRule, (rule, args, report) => {
            const { allowedPublicPorts, bastionCidrs } = args.getConfig<{ allowedPublicPorts: number[]; bastionCidrs: string[] }>();
            previewSafe((check) => {
                check(() => checkAzureRule(rule as unknown as Json, `rule "${String(rule.securityRuleName ?? rule.name ?? "?")}"`, allowedPublicPorts, bastionCidrs, report));
            });
        }),
    ],
);

export const awsDefaultSecurityGroupDisallowRules = resourcePolicy(
    {
        name: "aws-default-security-group-disallow-rules",
        description: "The VPC's default security group is adopted with no rules, so inbound is denied by default.",
        checklist: ["NET-4"],
        severity: "medium",
        remediationSteps: "Declare aws.ec2.DefaultSecurityGroup for the VPC with ingress: [] and egress: [].",
    },
    validateResourceOfType(DefaultSecurityGroup, (sg, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if ((sg.ingress ?? []).length > 0) {
                    report(MESSAGES.defaultSgRules("ingress"));
                }
            });
            check(() => {
                if ((sg.egress ?? []).length > 0) {
                    report(MESSAGES.defaultSgRules("egress"));
                }
            });
        });
    }),
);

export const kubernetesServiceDisallowPublicPorts = resourcePolicy(
    {
        name: "kubernetes-service-disallow-public-ports",
        description: "Services and Gateway listeners exposed outside the cluster use only the allowed public ports, and no Service uses NodePort.",
        checklist: ["NET-4"],
        severity: "high",
        remediationSteps: "Expose applications through the Envoy gateway; give LoadBalancer Services only ports 443 and 80.",
        configSchema: { properties: { allowedPublicPorts: publicPortSchema.properties.allowedPublicPorts } },
    },
    [
        validateResourceOfType(Service, (service, args, report) => {
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            previewSafe((check) => {
                check(() => {
                    const type = service.spec?.type;
                    if (type === "NodePort") {
                        report(MESSAGES.nodePortService);
                    }
                    if (type !== "LoadBalancer") {
                        return;
                    }
                    for (const port of service.spec?.ports ?? []) {
                        if (!allowedPublicPorts.includes(Number(port.port))) {
                            report(MESSAGES.servicePort(Number(port.port)));
                        }
                    }
                });
            });
        }),
        // The ingress controller creates the proxy's LoadBalancer Service from the Gateway's listeners.
        validateKind("gateway.networking.k8s.io", "Gateway", (gateway, args, report) => {
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            previewSafe((check) => {
                eachChecked(check, () => (gateway.spec as Json | undefined)?.listeners as Json[] | undefined, (listener) => {
                    if (!allowedPublicPorts.includes(Number(listener.port))) {
                        report(MESSAGES.listenerPort(String(listener.name), Number(listener.port)));
                    }
                });
            });
        }),
    ],
);

export const awsEksNodeGroupDisallowRemoteAccess = resourcePolicy(
    {
        name: "aws-eks-node-group-disallow-remote-access",
        description: "Managed node groups have no SSH remote access.",
        checklist: ["NET-4"],
        severity: "high",
        remediationSteps: "Remove remoteAccess; use SSM Session Manager for node access.",
    },
    validateResourceOfType(NodeGroup, (group, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (group.remoteAccess !== undefined && group.remoteAccess !== null) {
                    report(MESSAGES.remoteAccess);
                }
            });
        });
    }),
);

export const azureAksClusterDisallowSsh = resourcePolicy(
    {
        name: "azure-aks-cluster-disallow-ssh",
        description: "AKS node pools do not accept SSH.",
        checklist: ["NET-4"],
        severity: "high",
        remediationSteps: 'Set securityProfile.sshAccess "Disabled" on every agent pool.',
    },
    [
        validateResourceOfType(ManagedCluster, (cluster, _args, report) => {
            previewSafe((check) => {
                eachChecked(check, () => cluster.agentPoolProfiles, (pool) => {
                    if (pool.securityProfile?.sshAccess !== "Disabled") {
                        report(MESSAGES.aksSsh(String(pool.name)));
                    }
                });
            });
        }),
        validateResourceOfType(AgentPool, (pool, args, report) => {
            previewSafe((check) => {
                check(() => {
                    if (pool.securityProfile?.sshAccess !== "Disabled") {
                        report(MESSAGES.aksSsh(String(pool.agentPoolName ?? args.name)));
                    }
                });
            });
        }),
    ],
);

export const awsRouteDisallowDefaultPeeringRoute = resourcePolicy(
    {
        name: "aws-route-disallow-default-peering-route",
        description: "Routes through a VPC peering connection cover only the peer's CIDRs, never the default route.",
        checklist: ["NET-5"],
        severity: "high",
        remediationSteps: "Route only openclaw:network.peerings[].cidrs through the peering connection.",
    },
    [
        validateResourceOfType(Route, (route, args, report) => {
            previewSafe((check) => {
                check(() => {
                    if (route.vpcPeeringConnectionId === undefined) {
                        args.notApplicable("not a peering route");
                    }
                    if (isAnywhere(String(route.destinationCidrBlock ?? route.destinationIpv6CidrBlock ?? "0.0.0.0/0"))) {
                        report(MESSAGES.peeringDefaultRoute("the route"));
                    }
                });
            });
        }),
        validateResourceOfType(RouteTable, (table, args, report) => {
            previewSafe((check) => {
                check(() => {
                    if (!(table.routes ?? []).some((route) => route.vpcPeeringConnectionId)) {
                        args.notApplicable("no peering route");
                    }
                });
                eachChecked(check, () => table.routes, (route, i) => {
                    if (route.vpcPeeringConnectionId && isAnywhere(String(route.cidrBlock ?? route.ipv6CidrBlock ?? "0.0.0.0/0"))) {
                        report(MESSAGES.peeringDefaultRoute(`routes[${i}]`));
                    }
                });
            });
        }),
    ],
);

export const azureVnetPeeringDisallowTransit = resourcePolicy(
    {
        name: "azure-vnet-peering-disallow-transit",
        description: "VNet peerings do not forward traffic or share gateways.",
        checklist: ["NET-5"],
        severity: "high",
        remediationSteps: "Set allowForwardedTraffic, allowGatewayTransit and useRemoteGateways false; filter the peer's CIDRs and ports with NSG rules.",
    },
    validateResourceOfType(VirtualNetworkPeering, (peering, _args, report) => {
        previewSafe((check) => {
            for (const field of ["allowForwardedTraffic", "allowGatewayTransit", "useRemoteGateways"] as const) {
                check(() => {
                    if (peering[field] === true) {
                        report(MESSAGES.peeringTransit(field));
                    }
                });
            }
        });
    }),
);

export const awsVpcMissingPrivateEndpoints = stackPolicy(
    {
        name: "aws-vpc-missing-private-endpoints",
        description: "The VPC reaches the secret, key, log and storage services through VPC endpoints.",
        checklist: ["NET-6"],
        severity: "high",
        remediationSteps: "Add interface endpoints (private DNS on) for each listed service and a gateway endpoint for S3.",
        configSchema: {
            properties: {
                interfaceServices: { type: "array", items: { type: "string" }, default: ["secretsmanager", "kms", "logs", "sts", "ecr.api", "ecr.dkr"] },
                gatewayServices: { type: "array", items: { type: "string" }, default: ["s3"] },
            },
        },
    },
    (args, report) => {
        if (!args.resources.some((r) => r.type === "aws:ec2/vpc:Vpc")) {
            args.notApplicable("no VPC");
        }
        const { interfaceServices, gatewayServices } = args.getConfig<{ interfaceServices: string[]; gatewayServices: string[] }>();
        previewSafe((check) => {
            const found: { service: string; type: string }[] = [];
            let uncertain = false;
            for (const e of args.resources.filter((r) => r.isType(VpcEndpoint))) {
                uncertain ||= !check(() => {
                    found.push({ service: String(e.props.serviceName), type: String(e.props.vpcEndpointType ?? "Gateway") });
                });
            }
            const has = (service: string, type: string) => uncertain || found.some((f) => f.type === type && f.service.endsWith(`.${service}`));
            for (const s of interfaceServices) {
                if (!has(s, "Interface")) {
                    report(MESSAGES.endpointMissing(s, "Interface"));
                }
            }
            for (const s of gatewayServices) {
                if (!has(s, "Gateway") && !has(s, "Interface")) {
                    report(MESSAGES.endpointMissing(s, "Gateway"));
                }
            }
        });
    },
);

export const awsVpcEndpointEnablePrivateDns = resourcePolicy(
    {
        name: "aws-vpc-endpoint-enable-private-dns",
        description: "Interface VPC endpoints have private DNS on, so clients use them without configuration.",
        checklist: ["NET-6"],
        severity: "medium",
        remediationSteps: "Set privateDnsEnabled true on every Interface endpoint.",
    },
    validateResourceOfType(VpcEndpoint, (endpoint, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (endpoint.vpcEndpointType === "Interface" && endpoint.privateDnsEnabled !== true) {
                    report(MESSAGES.endpointPrivateDns);
                }
            });
        });
    }),
);

export const azureServiceMissingPrivateEndpoint = stackPolicy(
    {
        name: "azure-service-missing-private-endpoint",
        description: "Every Key Vault and storage account has a private endpoint.",
        checklist: ["NET-6"],
        severity: "high",
        remediationSteps: "Create a PrivateEndpoint in the private-endpoint subnet whose privateLinkServiceConnections target the vault (groupIds vault) or account (groupIds blob), with its privatelink DNS zone.",
    },
    (args, report) => {
        const services = args.resources.filter((r) => r.isType(Vault) || r.isType(StorageAccount));
        if (services.length === 0) {
            args.notApplicable("no Key Vault or storage account");
        }
        const endpoints = args.resources.filter((r) => r.type === "azure-native:network:PrivateEndpoint");
        for (const service of services) {
            const covered = endpoints.some((e) => deps(e, "privateLinkServiceConnections").includes(service));
            if (!covered) {
                report(MESSAGES.privateEndpointMissing(service.isType(Vault) ? "Key Vault" : "storage account", service.name), service.urn);
            }
        }
    },
);

export const azureKeyVaultDisallowPublicNetworkAccess = resourcePolicy(
    {
        name: "azure-key-vault-disallow-public-network-access",
        description: "Key Vault refuses public network access and denies by default.",
        checklist: ["NET-6"],
        severity: "high",
        remediationSteps: 'Set properties.publicNetworkAccess "Disabled" and properties.networkAcls.defaultAction "Deny".',
    },
    validateResourceOfType(Vault, (vault, _args, report) => {
        previewSafe((check) => {
            check(() => {
                if (vault.properties?.publicNetworkAccess !== "Disabled") {
                    report(MESSAGES.vaultPublic);
                }
            });
            check(() => {
                if (vault.properties?.networkAcls?.defaultAction !== "Deny") {
                    report(MESSAGES.vaultAclAllow);
                }
            });
        });
    }),
);

export const azureStorageAccountDisallowPublicNetworkAccess = resourcePolicy(
    {
        name: "azure-storage-account-disallow-public-network-access",
        description: "Storage accounts refuse public network access (disabled, or deny-by-default with no IP or VNet rules) and anonymous blob access.",
        checklist: ["NET-6"],
        severity: "high",
        remediationSteps: 'Set publicNetworkAccess "Disabled" and allowBlobPublicAccess false; reach the account through its private endpoint.',
    },
    validateResourceOfType(StorageAccount, (account, _args, report) => {
        previewSafe((check) => {
            check(() => {
                // "Enabled" with a deny-by-default firewall and no IP or VNet rules admits only trusted Azure
                // services (needed by workspace data export); anything else is public.
                const rules = account.networkRuleSet;
                const denyAll = rules?.defaultAction === "Deny" && (rules.ipRules ?? []).length === 0 && (rules.virtualNetworkRules ?? []).length === 0;
                if (account.publicNetworkAccess !== "Disabled" && !denyAll) {
                    report(MESSAGES.storagePublic);
                }
            });
            check(() => {
                if (account.allowBlobPublicAccess === true) {
                    report(MESSAGES.storageBlobPublic);
                }
            });
        });
    }),
);

export const networkPolicies = [
    awsEksClusterDisallowPublicEndpoint,
    azureAksClusterDisallowPublicEndpoint,
    awsSubnetDisallowPublicIpOnLaunch,
    awsVpcMissingDedicatedNetwork,
    azureAksMissingDedicatedNetwork,
    awsSecurityGroupMissingTierSeparation,
    azureSubnetMissingNetworkSecurityGroup,
    kubernetesNamespaceMissingDefaultDeny,
    kubernetesNetworkPolicyEnforceAllowList,
    awsEksClusterEnableNetworkPolicy,
    azureAksClusterEnableNetworkPolicy,
    awsSecurityGroupDisallowPublicIngress,
    azureNetworkSecurityGroupDisallowPublicIngress,
    awsDefaultSecurityGroupDisallowRules,
    kubernetesServiceDisallowPublicPorts,
    awsEksNodeGroupDisallowRemoteAccess,
    azureAksClusterDisallowSsh,
    awsRouteDisallowDefaultPeeringRoute,
    azureVnetPeeringDisallowTransit,
    awsVpcMissingPrivateEndpoints,
    awsVpcEndpointEnablePrivateDns,
    azureServiceMissingPrivateEndpoint,
    azureKeyVaultDisallowPublicNetworkAccess,
    azureStorageAccountDisallowPublicNetworkAccess,
];
