// The Azure platform: builds the network, vault, logging, cluster and identities, and returns the seam the
// Kubernetes layer consumes. Each concern lives in its own file; this one only wires them together.
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig } from "../../config/read";
import { MODEL_PROVIDERS, ModelProvider } from "../../config/providers";
import { planGateways } from "../../config/gateways";
import { CLUSTER_ADDRESSING, GROUP_ROLES, GroupRole } from "../../config/schema";
import { APP_NAMESPACES, PlatformSeam, WORKLOADS } from "../seam";
import { Alerts } from "./alerts";
import { Archive } from "./archive";
import { Cluster } from "./cluster";
import { DiskEncryption } from "./disk-encryption";
import { EgressControl } from "./egress";
import { WorkloadIdentityBinding } from "./identities";
import { KeyVault } from "./key-vault";
import * as names from "./names";
import { diagnosticSetting, Logging } from "./logging";
import { Network } from "./network";
import { VnetPeerings } from "./peering";
import { Prerequisites } from "./prerequisites";
import { PrivateDnsZones } from "./private-endpoints";
import { peopleAssignments, RoleAssignments, withoutDuplicateGrants } from "./role-assignments";
import { GatewayTokenRotation, ROTATOR } from "./rotation";
import { teamAssignments } from "./team-roles";
import { GATEWAY_TOKEN_CONTENT_TYPE, Secrets } from "./secrets";
import { azurePublicDns } from "./dns-record";

/**
 * Control-plane log categories of AKS sent to the workspace and the archive. `kube-audit` (every request, reads
 * included) rather than `kube-audit-admin` (writes only): failed authentication mostly arrives as reads, and
 * LOG-1 asks for every request. It is the largest log cost; kube-audit-admin is the cheaper, weaker choice.
 */
export const AKS_LOG_CATEGORIES = ["kube-audit", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "cloud-controller-manager", "guard", "csi-azuredisk-controller"] as const;

export interface AzurePlatformArgs {
    /** The validated stack config (`openclaw:` namespace). The region is the `azure-native:location` setting. */
    readonly config: StackConfig;
}

/** The parts of an Azure DNS zone resource id cert-manager's azureDNS solver needs. */
export function parseDnsZoneId(id: string): { subscriptionId: string; resourceGroupName: string; zoneName: string } {
    const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/dnszones\/([^/]+)$/i.exec(id);
    if (!match) {
        throw new Error(`not an Azure DNS zone id: ${id}`);
    }
    return { subscriptionId: match[1], resourceGroupName: match[2], zoneName: match[3] };
}

/**
 * Fluent Bit's output on Azure. The Logs Ingestion plugin (azure_logs_ingestion) authenticates only with a
 * client secret in released Fluent Bit, so it is not used: Fluent Bit writes the masked records to its own stdout
 * and Container Insights (Azure Monitor Agent, managed identity, no shared key) ships them through the private link
 * scope and the masking DCR. Fluent Bit's own namespace is excluded so it never re-reads its output.
 */
export function fluentBitOutputs(): string {
    return [
        "[OUTPUT]",
        "    Name        stdout",
        `    Match_Regex ^kube\\.(?!.*_${WORKLOADS.fluentBit.namespace}_).*`,
        "    Format      json_lines",
        "",
    ].join("\n");
}

export class AzurePlatform extends pulumi.ComponentResource {
    readonly seam: PlatformSeam;

    constructor(name: string, args: AzurePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered: a config error must leave nothing behind.
        const location = new pulumi.Config("azure-native").get("location");
        if (!location) {
            throw new ConfigError([
                "azure-native:location: is required when openclaw:cloud is azure; accepted: an Azure region such as westeurope (pulumi config set azure-native:location westeurope)",
            ]);
        }
        super("openclaw:azure:Platform", name, {}, opts);
        const { config } = args;
        const client = authorization.getClientConfigOutput({ parent: this });
        const subscriptionId = client.subscriptionId;
        const tenantId = client.tenantId;
        const zones = ["1", "2", "3"].slice(0, config.network.zones);
        const child = { parent: this };
        // Preview features and the Network Watcher: checked first, every problem listed (the resource's check fails),
        // and what needs them (the cluster, the flow log) waits for that resource, so it is never sent without them.
        const prerequisites = new Prerequisites(`${name}-prerequisites`, location, child);

        // Explicit, deterministic names (names.ts): the same on every up, unique per subscription and stack.
        const seed: pulumi.Output<names.NameSeed> = subscriptionId.apply((s) => ({ project: pulumi.getProject(), stack: pulumi.getStack(), subscriptionId: s }));
        const group = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: seed.apply(names.resourceGroupName), location }, child);
        const resourceGroupName = group.name;

        const net = new Network(`${name}-network`, { config, resourceGroupName, location }, child);
        const subnet = (role: keyof typeof net.subnetIds) => net.subnetIds[role] as pulumi.Output<string>;
        const dns = new PrivateDnsZones(`${name}-dns`, { resourceGroupName, vnetId: net.vnet.id }, child);
        const egress = new EgressControl(`${name}-egress`, {
            config, resourceGroupName, location, vnetId: net.vnet.id, zones,
            dnsLookupDomains: [parseDnsZoneId(config.dnsZoneId).zoneName, config.hostname],
            firewallSubnetId: config.egressMode === "enforce" ? subnet("firewall") : undefined,
            ingress: config.egressMode === "enforce"
                ? { publicIpId: net.ingressIp.id, publicIpAddress: net.ingressIp.ipAddress.apply((ip) => ip ?? ""), privateIp: net.plan.ingressPrivateIp, allowedCidrs: config.ingressAllowedCidrs }
                : undefined,
            // Orderings go on the resources that do the work: a component's dependsOn does not reach its children.
            dependsOn: net.subnets,
        }, child);
        new VnetPeerings(`${name}-peering`, { peerings: config.network.peerings, resourceGroupName, vnetName: net.vnet.name, dependsOn: net.subnets }, child);

        const vault = new KeyVault(`${name}-kv`, {
            resourceGroupName, location, tenantId, vaultName: seed.apply(names.keyVaultName), privateEndpointSubnetId: subnet("privateEndpoints"), privateDnsZoneId: dns.zoneIds.keyVault,
        }, child);
        // The gateways beyond the first (openclaw:gateways): each its own token, rotator and namespace-scoped roles.
        const teamGateways = planGateways(config).filter((g) => !g.primary);
        const secrets = new Secrets(`${name}-secrets`, { config, resourceGroupName, vaultName: vault.vault.name, teamGatewayNames: teamGateways.map((g) => g.name) }, child);

        const logging = new Logging(`${name}-logging`, {
            resourceGroupName, location, retentionDays: config.logRetentionDays, privateEndpointSubnetId: subnet("privateEndpoints"), privateDnsZoneIds: dns.zoneIds,
        }, child);
        // The archive's account lives in its own resource group, which `pulumi destroy` keeps (archive.ts).
        const archiveGroup = new resources.ResourceGroup(`${name}-archive-rg`, { resourceGroupName: seed.apply(names.archiveResourceGroupName), location }, { parent: this, retainOnDelete: true });
        const archive = new Archive(`${name}-archive`, {
            resourceGroupName, accountResourceGroupName: archiveGroup.name, location, retentionDays: config.logRetentionDays, privateEndpointSubnetId: subnet("privateEndpoints"),
            blobDnsZoneId: dns.zoneIds.blob, workspace: logging.workspace, vnetId: net.vnet.id, subscriptionId,
            accountName: seed.apply(names.archiveAccountName), flowLogName: seed.apply(names.flowLogName), networkWatcher: prerequisites.networkWatcher, prerequisites,
        }, child);

        const disks = new DiskEncryption(`${name}-disks`, {
            resourceGroupName, location, subscriptionId, vaultId: vault.vault.id, keyId: vault.diskKey.keyUriWithVersion, keyResourceId: vault.diskKey.id,
        }, child);
        const cluster = new Cluster(`${name}-cluster`, {
            config, resourceGroupName, location, subscriptionId, tenantId, deployerObjectId: client.objectId,             nodeResourceGroup: seed.apply(names.nodeResourceGroupName),
            vnetId: net.vnet.id, nodesSubnetId: subnet("nodes"), apiServerSubnetId: subnet("apiServer"), ingressAddressId: net.ingressIp.id,
            vaultId: vault.vault.id, kmsKeyVersionedId: vault.kmsKey.keyUriWithVersion, kmsKeyResourceId: vault.kmsKey.id,
            diskEncryptionSetId: disks.encryptionSet.id, workspaceId: logging.workspace.id,
            containerInsightsRuleId: logging.containerInsightsRule.id, dataCollectionEndpointId: logging.endpoint.id,
            dependsOn: [net, prerequisites, ...(egress.firewall ? [egress.firewall] : [])],
            grants: [disks.assignments],
        }, child);

        // Workload identities: External Secrets reads this stack's secrets only; cert-manager edits the zone only.
        const bind = (workload: "externalSecrets" | "certManager") => new WorkloadIdentityBinding(`${name}-${workload}`, {
            resourceGroupName, location, issuerUrl: cluster.issuerUrl, tenantId, namespace: WORKLOADS[workload].namespace, serviceAccount: WORKLOADS[workload].serviceAccount,
        }, child);
        const externalSecrets = bind("externalSecrets");
        const certManager = bind("certManager");
        const storedSecrets = [secrets.gatewayToken, ...Object.values(secrets.providerKeys), ...(secrets.identityClientSecret ? [secrets.identityClientSecret] : []), ...Object.values(secrets.teamGatewayTokens)];
        const workloadRoles = new RoleAssignments(`${name}-workload-roles`, {
            subscriptionId,
            assignments: [
                ...storedSecrets.map((s) => ({
                    key: `external-secrets-${s.name}`, who: "external-secrets workload", kind: "ServicePrincipal" as const, principalId: externalSecrets.principalId,
                    role: "Key Vault Secrets User" as const, scope: pulumi.interpolate`${vault.vault.id}/secrets/${s.name}`, scopeLabel: `secret ${s.name}`,
                })),
                {
                    key: "cert-manager-dns-zone", who: "cert-manager workload", kind: "ServicePrincipal", principalId: certManager.principalId,
                    role: "DNS Zone Contributor", scope: config.dnsZoneId, scopeLabel: `dns zone ${parseDnsZoneId(config.dnsZoneId).zoneName}`,
                },
            ],
            // A grant scoped to a secret needs the secret to exist; set on each assignment (see RoleAssignmentsArgs).
            dependsOn: storedSecrets.map((s) => s.secret),
        }, child);

        const clusterId = cluster.cluster.id;
        // One Entra group may hold several roles, in several gateways: each (group, role, scope) is granted once, by
        // the first list that asks for it (the first gateway's, then the teams' in config order).
        const [primaryGrants, ...teamGrants] = withoutDuplicateGrants([
            peopleAssignments(config.groups, {
                cluster: clusterId,
                openclawNamespace: pulumi.interpolate`${clusterId}/namespaces/${APP_NAMESPACES.openclaw}`,
                sandboxNamespace: pulumi.interpolate`${clusterId}/namespaces/${APP_NAMESPACES.sandbox}`,
                vault: vault.vault.id,
                workspace: logging.workspace.id,
            }),
            ...teamGateways.map((gateway) => teamAssignments(gateway, clusterId)),
        ]);
        const people = new RoleAssignments(`${name}-people-roles`, { subscriptionId, assignments: primaryGrants }, child);

        const rotation = new GatewayTokenRotation(`${name}-rotation`, {
            resourceGroupName, location, subscriptionId, tenantId, issuerUrl: cluster.issuerUrl,
            vaultId: vault.vault.id, vaultUri: vault.vaultUri, secretName: secrets.gatewayToken.name, contentType: GATEWAY_TOKEN_CONTENT_TYPE,
            rotationDays: config.rotationDays, image: config.openclaw.image, privateEndpointCidr: net.plan.subnets.privateEndpoints.cidr, provider: cluster.provider,
            secret: secrets.gatewayToken.secret,
        }, child);

        const teamRotations = teamGateways.map((gateway) => new GatewayTokenRotation(`${name}-rotation-${gateway.name}`, {
            resourceGroupName, location, subscriptionId, tenantId, issuerUrl: cluster.issuerUrl,
            vaultId: vault.vault.id, vaultUri: vault.vaultUri, secretName: secrets.teamGatewayTokens[gateway.name].name, contentType: GATEWAY_TOKEN_CONTENT_TYPE,
            rotationDays: config.rotationDays, image: config.openclaw.image, privateEndpointCidr: net.plan.subnets.privateEndpoints.cidr, provider: cluster.provider,
            secret: secrets.teamGatewayTokens[gateway.name].secret,
            namespace: `${ROTATOR.namespace}-${gateway.name}`,
        }, child));
        const teamPeople = teamGateways
            .map((gateway, i) => ({ gateway, assignments: teamGrants[i] }))
            .filter(({ assignments }) => assignments.length > 0)
            .map(({ gateway, assignments }) => new RoleAssignments(`${name}-people-roles-${gateway.name}`, { subscriptionId, assignments }, child));

        const providerDomains = (Object.keys(config.modelProviderKeys) as ModelProvider[]).flatMap((p) => MODEL_PROVIDERS[p].apiDomains);
        new Alerts(`${name}-alerts`, {
            resourceGroupName, location, alertEmail: config.alertEmail, workspaceId: logging.workspace.id, vaultId: vault.vault.id, providerDomains,
            providerSecretNames: Object.values(secrets.providerKeys).map((s) => s.name), rotationDays: config.rotationDays, kmsKeyName: vault.kmsKeyName,
        }, child);

        // Audit trails (LOG-1, SEC-6, NET-4): every source to the workspace and the immutable archive.
        const audit = { workspaceId: logging.workspace.id, archiveAccountId: archive.account.id };
        diagnosticSetting(`${name}-aks-diagnostics`, { ...audit, resourceUri: clusterId, logs: { categories: AKS_LOG_CATEGORIES }, dedicatedTables: true }, this);
        diagnosticSetting(`${name}-kv-diagnostics`, { ...audit, resourceUri: vault.vault.id, logs: { categories: ["AuditEvent"] } }, this);
        diagnosticSetting(`${name}-dns-policy-diagnostics`, { ...audit, resourceUri: egress.dnsPolicy.id, logs: { categoryGroup: "allLogs" } }, this);
        for (const [role, nsg] of Object.entries(net.securityGroups)) {
            diagnosticSetting(`${name}-${role}-nsg-diagnostics`, { ...audit, resourceUri: nsg.id, logs: { categoryGroup: "allLogs" } }, this);
        }
        if (egress.firewall) {
            diagnosticSetting(`${name}-firewall-diagnostics`, { ...audit, resourceUri: egress.firewall.id, logs: { categoryGroup: "allLogs" }, dedicatedTables: true }, this);
        }

        const report = pulumi.all([...cluster.assignments, disks.assignments, archive.assignments, workloadRoles, people, rotation.assignments, ...teamRotations.map((r) => r.assignments), ...teamPeople].map((a) => a.report)).apply((rows) => rows.flat());
        const zone = parseDnsZoneId(config.dnsZoneId);
        const groups = Object.fromEntries(GROUP_ROLES.map((role) => [role, [...config.groups[role]]])) as Record<GroupRole, string[]>;

        this.seam = {
            cluster: {
                provider: cluster.provider,
                name: cluster.cluster.name,
                encryptedStorageClassName: cluster.storageClassName,
                privateCidrs: [config.network.cidr, CLUSTER_ADDRESSING.podCidr, CLUSTER_ADDRESSING.serviceCidr],
                // Azure CNI overlay: pods (the ingress proxies among them) take addresses from the overlay range.
                podCidrs: [CLUSTER_ADDRESSING.podCidr],
                // With Entra ID integration, Kubernetes sees a user's groups as their object ids.
                groups,
                gatewayGroups: Object.fromEntries(teamGateways.map((gateway) => [gateway.name, Object.fromEntries(GROUP_ROLES.map((role) => [role, [...gateway.groups[role]]])) as Record<GroupRole, string[]>])),
                // The cluster, the deployer's grant and the wait for its propagation, a Ready node and CoreDNS.
                readyResources: cluster.readyResources,
            },
            secretStore: {
                provider: {
                    azurekv: {
                        authType: "WorkloadIdentity",
                        vaultUrl: vault.vaultUri,
                        tenantId,
                        serviceAccountRef: { name: WORKLOADS.externalSecrets.serviceAccount, namespace: WORKLOADS.externalSecrets.namespace },
                    },
                },
                identity: externalSecrets.seam(tenantId, [workloadRoles]),
                gatewayTokenRemoteKey: secrets.gatewayToken.name,
                gatewayTokenRemoteKeys: Object.fromEntries(Object.entries(secrets.teamGatewayTokens).map(([gateway, secret]) => [gateway, secret.name])),
                modelProviderRemoteKeys: Object.fromEntries(Object.entries(secrets.providerKeys).map(([p, s]) => [p, s.name])),
                identityClientSecretRemoteKey: secrets.identityClientSecret?.name,
            },
            logShipping: {
                fluentBitOutputs: fluentBitOutputs(),
                // Fluent Bit needs no Azure identity: it writes to stdout and the cluster's monitoring agent ships.
                identity: { serviceAccountAnnotations: {}, podLabels: {}, dependsOn: [] },
            },
            ingress: config.egressMode === "enforce"
                ? {
                    // Behind the firewall's DNAT (egress.ts FirewallIngress): an internal load balancer at a fixed
                    // address (cloud-provider-azure annotations azure-load-balancer-internal and -ipv4).
                    loadBalancerAnnotations: {
                        "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
                        "service.beta.kubernetes.io/azure-load-balancer-ipv4": net.plan.ingressPrivateIp,
                    },
                    proxyProtocol: false,
                    externalTrafficPolicy: "Local",
                }
                : {
                    loadBalancerAnnotations: {
                        "service.beta.kubernetes.io/azure-load-balancer-resource-group": resourceGroupName,
                        "service.beta.kubernetes.io/azure-pip-name": net.ingressIp.name,
                        "service.beta.kubernetes.io/azure-allowed-ip-ranges": config.ingressAllowedCidrs.join(","),
                    },
                    proxyProtocol: false,
                    externalTrafficPolicy: "Local",
                },
            certManager: {
                dns01: {
                    azureDNS: {
                        subscriptionID: zone.subscriptionId,
                        resourceGroupName: zone.resourceGroupName,
                        hostedZoneName: zone.zoneName,
                        environment: "AzurePublicCloud",
                        managedIdentity: { clientID: certManager.clientId },
                    },
                },
                identity: certManager.seam(tenantId, [workloadRoles]),
            },
            // Enforced egress: the Envoy Service is an internal load balancer (the ingress seam above), reached from
            // the internet only through the firewall's DNAT on the ingress public IP (egress.ts).
            publicDns: azurePublicDns(config.dnsZoneId, config.egressMode === "enforce" ? net.ingressIp.ipAddress : undefined),
            outputs: {
                clusterName: cluster.cluster.name,
                azureResourceGroup: resourceGroupName,
                logAnalyticsWorkspace: logging.workspace.name,
                logAnalyticsWorkspaceId: logging.workspace.customerId,
                logArchiveStorageAccount: archive.account.name,
                azureRoleAssignments: report,
            },
        };
        this.registerOutputs({ clusterName: cluster.cluster.name });
    }
}
