// The Azure platform on the example stack, checked against the checklist as it states each property.
import * as assert from "assert";
import { mustParseCidr, overlaps, contains } from "../../config/cidr";
import { CLUSTER_ADDRESSING } from "../../config/schema";
import { WORKLOADS } from "../../components/seam";
import { ROTATOR } from "../../components/azure/rotation";
import { ALERT_KINDS } from "../../components/azure/alerts";
import { PRIVATE_DNS_ZONES } from "../../components/azure/private-endpoints";
import { maskingTransformKql } from "../../components/azure/logging";
import { ARCHIVE_IMMUTABILITY_STATE } from "../../components/azure/archive";
import { AKS_ENTRA_SERVER_APP_ID, ENCRYPTED_STORAGE_CLASS } from "../../components/azure/cluster";
import { FAKE_SECRETS, stackValues, unwrap } from "../harness/program";
import { AzureRun, get, runAzure } from "./run";

const stack = stackValues("dev-azure") as {
    groups: Record<string, string[]>;
    network: { cidr: string };
    alertEmail: string;
    dnsZoneId: string;
    openclaw: { image: string };
};
const ROTATION_DAYS = 30; // the schema default; the example stack does not set it
const RETENTION_DAYS = 365;
const DEPLOYER = "00000000-0000-0000-0000-0000000000d1"; // getClientConfig's objectId in the mocks

interface Rule {
    name: string; access: string; direction: string; protocol: string; priority: number;
    sourceAddressPrefix?: string; sourceAddressPrefixes?: string[];
    destinationAddressPrefix?: unknown; destinationAddressPrefixes?: unknown[];
    destinationPortRange?: string; destinationPortRanges?: string[];
}
/** A rule's sources, destinations and ports, whichever of the singular or plural fields carries them. */
const sourcesOf = (r: Rule) => r.sourceAddressPrefixes ?? (r.sourceAddressPrefix === undefined ? [] : [r.sourceAddressPrefix]);
const destinationsOf = (r: Rule) => r.destinationAddressPrefixes ?? (r.destinationAddressPrefix === undefined ? [] : [r.destinationAddressPrefix]);
const portsOf = (r: Rule) => r.destinationPortRanges ?? (r.destinationPortRange === undefined ? [] : [r.destinationPortRange]);

const portsInclude = (ranges: string[], port: number) =>
    ranges.some((r) => r === "*" || r === String(port) || (/^\d+-\d+$/.test(r) && Number(r.split("-")[0]) <= port && port <= Number(r.split("-")[1])));

describe("Azure platform on the example stack", function () {
    let run: AzureRun;
    before(async function () {
        run = await runAzure();
    });

    describe("network isolation (NET-1..NET-6)", function () {
        it("builds one dedicated VNet with the configured CIDR", function () {
            assert.deepStrictEqual(get(run.one("azure-native:network:VirtualNetwork"), "addressSpace", "addressPrefixes"), [stack.network.cidr]);
        });

        it("disables default outbound access on every subnet", function () {
            const subnets = run.ofType("azure-native:network:Subnet");
            assert.ok(subnets.length >= 3);
            for (const s of subnets) {
                assert.strictEqual(s.inputs.defaultOutboundAccess, false, s.name);
            }
        });

        it("puts an NSG on every subnet that accepts one", function () {
            for (const s of run.ofType("azure-native:network:Subnet").filter((s) => s.inputs.subnetName !== "AzureFirewallSubnet")) {
                assert.ok(get(s, "networkSecurityGroup", "id"), `${s.name} has no NSG`);
            }
        });

        it("no NSG rule allows TCP 22 inbound, from anywhere", function () {
            for (const nsg of run.ofType("azure-native:network:NetworkSecurityGroup")) {
                for (const rule of nsg.inputs.securityRules as Rule[]) {
                    if (rule.access === "Allow" && rule.direction === "Inbound" && (rule.protocol === "Tcp" || rule.protocol === "*")) {
                        assert.ok(!portsInclude(portsOf(rule), 22), `${nsg.name}/${rule.name} allows 22 from ${sourcesOf(rule)}`);
                    }
                }
            }
        });

        it("never sends '*' or a service tag in a plural NSG field (Azure rejects it)", function () {
            const cidrOrRange = (v: unknown) => typeof v === "string" && (/^\d+(\.\d+){3}(\/\d+)?$/.test(v) || /^\d+(-\d+)?$/.test(v));
            for (const nsg of run.ofType("azure-native:network:NetworkSecurityGroup")) {
                for (const rule of nsg.inputs.securityRules as Rule[]) {
                    for (const plural of [rule.sourceAddressPrefixes, rule.destinationAddressPrefixes, rule.destinationPortRanges]) {
                        assert.ok((plural ?? []).every(cidrOrRange), `${nsg.name}/${rule.name}: ${JSON.stringify(plural)}`);
                    }
                }
            }
        });

        it("disables SSH on every node pool and gives nodes no public IP", function () {
            for (const pool of get(run.one("azure-native:containerservice:ManagedCluster"), "agentPoolProfiles") as Record<string, Record<string, unknown>>[]) {
                assert.strictEqual(pool.securityProfile.sshAccess, "Disabled");
                assert.strictEqual(pool.enableNodePublicIP, false);
            }
        });

        it("denies all other inbound traffic on the node and private-endpoint subnets", function () {
            for (const nsg of run.ofType("azure-native:network:NetworkSecurityGroup").filter((n) => /nodes|privateEndpoints/.test(n.name))) {
                const rules = nsg.inputs.securityRules as Rule[];
                const last = rules.filter((r) => r.direction === "Inbound").sort((a, b) => a.priority - b.priority).pop();
                assert.deepStrictEqual([last?.access, last?.sourceAddressPrefix, last?.destinationPortRange], ["Deny", "*", "*"], nsg.name);
            }
        });

        it("opens 443 from ingressAllowedCidrs to the ingress load balancer's IP only", function () {
            const ingressIp = run.ofType("azure-native:network:PublicIPAddress").find((p) => p.name.endsWith("ingress-ip"));
            const fromOutside = run.ofType("azure-native:network:NetworkSecurityGroup").flatMap((n) => (n.inputs.securityRules as Rule[]))
                .filter((r) => r.access === "Allow" && r.direction === "Inbound" && sourcesOf(r).includes("0.0.0.0/0"));
            assert.strictEqual(fromOutside.length, 1);
            assert.deepStrictEqual(portsOf(fromOutside[0]), ["443"]);
            assert.deepStrictEqual(destinationsOf(fromOutside[0]), [ingressIp?.state.ipAddress]);
        });

        it("lets only the VNet reach the private-endpoint subnet, on 443", function () {
            const nsg = run.ofType("azure-native:network:NetworkSecurityGroup").find((n) => n.name.includes("privateEndpoints"));
            const allows = (nsg?.inputs.securityRules as Rule[]).filter((r) => r.access === "Allow");
            assert.deepStrictEqual(allows.map((r) => [sourcesOf(r), portsOf(r)]), [[[stack.network.cidr], ["443"]]]);
        });

        it("sends egress through a NAT gateway when egress is not enforced", function () {
            const nodes = run.ofType("azure-native:network:Subnet").find((s) => s.inputs.subnetName === "nodes");
            assert.ok(get(nodes!, "natGateway", "id"));
            assert.strictEqual(get(run.one("azure-native:containerservice:ManagedCluster"), "networkProfile", "outboundType"), "userAssignedNATGateway");
        });

        it("logs DNS lookups and alerts on domains outside the allow-list (egressMode alert)", function () {
            const rules = run.ofType("azure-native:dnsresolver:DnsSecurityRule");
            const unknown = rules.find((r) => r.name.endsWith("dns-unknown"));
            assert.deepStrictEqual(get(unknown!, "action"), { actionType: "Alert" });
            const lists = run.ofType("azure-native:dnsresolver:DnsResolverDomainList");
            assert.ok(lists.some((l) => (l.inputs.domains as string[]).includes("api.anthropic.com.") && (l.inputs.domains as string[]).includes("api.telegram.org.")));
            // cert-manager's DNS-01 self-check looks up the zone's TXT records through the VNet's DNS: allowed, not flagged.
            assert.ok(lists.some((l) => (l.inputs.domains as string[]).includes("example.com.") && (l.inputs.domains as string[]).includes("openclaw.example.com.")));
            assert.strictEqual(run.ofType("azure-native:dnsresolver:DnsResolverPolicyVirtualNetworkLink").length, 1);
            assert.strictEqual(run.ofType("azure-native:network:AzureFirewall").length, 0);
        });

        it("creates no peering by default", function () {
            assert.strictEqual(run.ofType("azure-native:network:VirtualNetworkPeering").length, 0);
        });

        it("writes VNet flow logs with traffic analytics to the log archive", function () {
            const flowLog = run.one("azure-native:network:FlowLog");
            const archive = run.one("azure-native:storage:StorageAccount");
            assert.strictEqual(flowLog.inputs.targetResourceId, `${run.one("azure-native:network:VirtualNetwork").name}-id`);
            assert.strictEqual(flowLog.inputs.storageId, `${archive.name}-id`);
            assert.strictEqual(get(flowLog, "flowAnalyticsConfiguration", "networkWatcherFlowAnalyticsConfiguration", "enabled"), true);
            // The archive takes no shared key: the flow log writes with its own identity, granted on that account only.
            const writer = run.ofType("azure-native:managedidentity:UserAssignedIdentity").find((i) => i.name.includes("flow-log-writer"));
            assert.deepStrictEqual(get(flowLog, "identity"), { type: "UserAssigned", userAssignedIdentities: [`${writer?.name}-id`] });
            const grant = run.ofType("azure-native:authorization:RoleAssignment").filter((a) => a.inputs.principalId === writer?.state.principalId);
            assert.deepStrictEqual(grant.map((g) => g.inputs.scope), [`${archive.name}-id`]);
        });

        it("reaches Key Vault, the archive and Azure Monitor through private endpoints with linked privatelink zones", function () {
            const groups = run.ofType("azure-native:network:PrivateEndpoint").map((e) => (get(e, "privateLinkServiceConnections") as { groupIds: string[] }[])[0].groupIds[0]);
            assert.deepStrictEqual(groups.sort(), ["azuremonitor", "blob", "vault"]);
            const zones = run.ofType("azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName);
            assert.deepStrictEqual(zones.sort(), Object.values(PRIVATE_DNS_ZONES).sort());
            assert.strictEqual(run.ofType("azure-native:privatedns:VirtualNetworkLink").length, zones.length);
            assert.ok(run.ofType("azure-native:network:PrivateDnsZoneGroup").every((g) => (g.inputs.privateDnsZoneConfigs as unknown[]).length > 0));
        });

        it("keeps the VNet clear of the cluster's service and pod ranges", function () {
            const vnet = mustParseCidr(stack.network.cidr);
            assert.ok(!overlaps(vnet, mustParseCidr(CLUSTER_ADDRESSING.serviceCidr)) && !overlaps(vnet, mustParseCidr(CLUSTER_ADDRESSING.podCidr)));
            for (const s of run.ofType("azure-native:network:Subnet")) {
                assert.ok(contains(vnet, mustParseCidr(String(s.inputs.addressPrefix))), s.name);
            }
        });
    });

    describe("Key Vault and secrets (SEC-1..SEC-6)", function () {
        it("the Key Vault denies public network access and has purge protection", function () {
            const props = get(run.one("azure-native:keyvault:Vault"), "properties") as Record<string, unknown>;
            assert.strictEqual(props.publicNetworkAccess, "Disabled");
            assert.strictEqual(props.enablePurgeProtection, true);
            assert.strictEqual(props.enableRbacAuthorization, true);
            assert.strictEqual(props.softDeleteRetentionInDays, 90);
            assert.strictEqual((props.networkAcls as Record<string, unknown>).defaultAction, "Deny");
        });

        it("rotates the etcd and disk keys at most every 90 days; only the disk key's versions expire (notified before)", function () {
            for (const key of run.ofType("azure-native:keyvault:Key")) {
                const actions = get(key, "properties", "rotationPolicy", "lifetimeActions") as { trigger: Record<string, string>; action: { type: string } }[];
                const rotate = actions.find((a) => a.action.type === "rotate");
                assert.ok(rotate && /^P(\d+)D$/.test(rotate.trigger.timeAfterCreate) && Number(/^P(\d+)D$/.exec(rotate.trigger.timeAfterCreate)![1]) <= 90, key.name);
            }
            const byName = (n: string) => run.ofType("azure-native:keyvault:Key").find((k) => k.inputs.keyName === n)!;
            // use-kms-etcd-encryption.md: "If the key is expired, the KMS plugin will fail to decrypt the existing secrets";
            // AKS stays on its version until moved, so no etcd key version may expire.
            assert.strictEqual(get(byName("openclaw-etcd"), "properties", "rotationPolicy", "attributes"), undefined);
            const disk = get(byName("openclaw-disk"), "properties", "rotationPolicy") as { attributes: { expiryTime: string }; lifetimeActions: { trigger: Record<string, string>; action: { type: string } }[] };
            assert.ok(disk.attributes.expiryTime && disk.lifetimeActions.some((a) => a.action.type === "notify" && a.trigger.timeBeforeExpiry));
            // A refreshed key version must not reach AKS's KMS as a side effect of an unrelated up.
            assert.ok(run.one("azure-native:containerservice:ManagedCluster").ignoreChanges.includes("securityProfile.azureKeyVaultKms.keyId"));
        });

        it("alerts when Key Vault rotates the etcd key, so that AKS is moved to the new version", function () {
            const sub = run.ofType("azure-native:eventgrid:SystemTopicEventSubscription").find((s) => s.name.endsWith("etcd-key-new-version"));
            assert.deepStrictEqual(get(sub!, "filter", "includedEventTypes"), ["Microsoft.KeyVault.KeyNewVersionCreated"]);
            assert.deepStrictEqual(get(sub!, "filter", "advancedFilters"), [{ operatorType: "StringIn", key: "data.ObjectName", values: ["openclaw-etcd"] }]);
        });

        it("every secret expires within rotationDays and has a content type", function () {
            const now = Date.now() / 1000;
            const secrets = run.ofType("azure-native:keyvault:Secret");
            assert.strictEqual(secrets.length, 3); // the gateway token, the one configured provider key, the OIDC client secret
            for (const s of secrets) {
                const expires = Number(get(s, "properties", "attributes", "expires"));
                assert.ok(expires > now && expires <= now + ROTATION_DAYS * 86400 + 60, `${s.name} expires at ${expires}`);
                assert.ok(String(get(s, "properties", "contentType")).startsWith("text/plain"));
            }
        });

        it("generates the gateway token (never from config) and keeps every secret value a Pulumi secret", function () {
            const token = run.ofType("azure-native:keyvault:Secret").find((s) => s.inputs.secretName === "openclaw-gateway-token");
            assert.ok(token?.dependencies.some((urn) => urn.includes("RandomPassword")));
            for (const s of run.ofType("azure-native:keyvault:Secret")) {
                assert.ok(s.secretPaths.some((path) => path === "properties" || path === "properties.value"), s.name);
            }
        });

        it("lets the rotator, not Pulumi, own the gateway token's later versions", function () {
            // Pulumi must never write the token again: Secrets_CreateOrUpdate PUTs the whole properties block, so any
            // update (even of the content type alone) would put the first value and its past expiry back.
            const token = run.ofType("azure-native:keyvault:Secret").find((s) => s.inputs.secretName === "openclaw-gateway-token");
            assert.deepStrictEqual([...(token?.ignoreChanges ?? [])], ["properties"]);
            const cron = run.one("kubernetes:batch/v1:CronJob");
            assert.strictEqual(get(cron, "spec", "schedule"), ROTATOR.schedule);
            const env = (get(cron, "spec", "jobTemplate", "spec", "template", "spec", "containers") as { env: { name: string; value: string }[] }[])[0].env;
            assert.strictEqual(env.find((e) => e.name === "ROTATION_DAYS")?.value, String(ROTATION_DAYS));
            assert.strictEqual(env.find((e) => e.name === "SECRET_NAME")?.value, "openclaw-gateway-token");
        });

        it("runs the rotator with the digest-pinned OpenClaw image, as non-root on a read-only filesystem", function () {
            const pod = get(run.one("kubernetes:batch/v1:CronJob"), "spec", "jobTemplate", "spec", "template", "spec") as Record<string, unknown>;
            const container = (pod.containers as Record<string, Record<string, unknown>>[])[0];
            assert.strictEqual(container.image, stack.openclaw.image);
            assert.match(String(container.image), /@sha256:[0-9a-f]{64}$/);
            assert.strictEqual((pod.securityContext as Record<string, unknown>).runAsNonRoot, true);
            assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true);
            assert.strictEqual(container.securityContext.allowPrivilegeEscalation, false);
        });

        it("denies all traffic in the rotator's namespace except DNS, the private endpoints and HTTPS outside private ranges", function () {
            const policies = run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy");
            const deny = policies.find((p) => get(p, "metadata", "name") === "default-deny");
            assert.deepStrictEqual(get(deny!, "spec"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            const allow = policies.find((p) => get(p, "metadata", "name") === "allow-rotator-egress");
            const rules = get(allow!, "spec", "egress") as { to: { ipBlock?: { cidr: string; except?: string[] } }[]; ports: { port: number }[] }[];
            assert.deepStrictEqual(rules.map((r) => r.ports.map((p) => p.port)), [[53, 53], [443], [443]]);
            assert.ok(rules[2].to[0].ipBlock?.except?.includes("10.0.0.0/8"));
            assert.strictEqual(get(allow!, "spec", "ingress"), undefined);
        });

        it("lets the rotator write only the gateway token", function () {
            const grants = run.ofType("azure-native:authorization:RoleAssignment").filter((r) => String(r.inputs.description).includes("rotator"));
            assert.deepStrictEqual(grants.map((g) => String(g.inputs.scope).replace(/^.*\/secrets\//, "")), ["openclaw-gateway-token"]);
            assert.ok(String(grants[0].inputs.roleDefinitionId).endsWith("b86a8fe4-44ce-4948-aee5-eccb2c155cd7")); // Key Vault Secrets Officer
        });

        it("sends Key Vault audit events to Log Analytics and the archive", function () {
            const kv = run.ofType("azure-native:monitor:DiagnosticSetting").find((d) => d.name.includes("kv-diagnostics"));
            assert.deepStrictEqual(get(kv!, "logs"), [{ category: "AuditEvent", enabled: true }]);
            assert.ok(kv?.inputs.workspaceId && kv.inputs.storageAccountId);
        });

        it("delivers Key Vault events to the alert destination in the CloudEvents v1.0 schema, the only one it accepts", function () {
            // MicrosoftDocs/azure-docs articles/event-grid/handler-azure-monitor-alerts.md: "Cloud Events Schema v1.0.
            // It's the only schema type that's supported for Azure Monitor alerts destination".
            for (const sub of run.ofType("azure-native:eventgrid:SystemTopicEventSubscription")) {
                assert.strictEqual(sub.inputs.eventDeliverySchema, "CloudEventSchemaV1_0", sub.name);
            }
        });

        it("routes Key Vault expiry events to the action group", function () {
            // rotationDays 30: no near-expiry reminder, only the expiry subscription (and the etcd key's, above)
            const sub = run.ofType("azure-native:eventgrid:SystemTopicEventSubscription").find((s) => s.name.endsWith("vault-expiry"))!;
            assert.strictEqual(run.ofType("azure-native:eventgrid:SystemTopicEventSubscription").length, 2);
            assert.ok((get(sub, "filter", "includedEventTypes") as string[]).includes("Microsoft.KeyVault.SecretExpired"));
            assert.strictEqual(get(sub, "destination", "endpointType"), "MonitorAlert");
            assert.deepStrictEqual(get(sub, "destination", "actionGroups"), [`${run.one("azure-native:monitor:ActionGroup").name}-id`]);
        });

        it("never puts a provider key in a non-secret input or a stack output", function () {
            for (const r of run.resources) {
                for (const [key, value] of Object.entries(r.inputs)) {
                    if (!r.secretInputs.includes(key)) {
                        assert.ok(!JSON.stringify(value ?? null).includes(FAKE_SECRETS.anthropicApiKey), `${r.type} ${r.name}.${key}`);
                    }
                }
            }
            assert.ok(!JSON.stringify(run.outputs).includes(FAKE_SECRETS.anthropicApiKey));
            assert.deepStrictEqual(run.secretOutputs, []);
        });
    });

    describe("private AKS", function () {
        const cluster = () => run.one("azure-native:containerservice:ManagedCluster");

        it("the API server is private when apiAuthorizedCidrs is empty", function () {
            const api = get(cluster(), "apiServerAccessProfile") as Record<string, unknown>;
            assert.strictEqual(api.enablePrivateCluster, true);
            assert.strictEqual(api.enablePrivateClusterPublicFQDN, false);
            assert.strictEqual(api.authorizedIPRanges, undefined);
        });

        it("disables local accounts and uses Entra ID with Azure RBAC, admin groups from config", function () {
            assert.strictEqual(cluster().inputs.disableLocalAccounts, true);
            assert.deepStrictEqual(get(cluster(), "aadProfile"), { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: stack.groups.admin, tenantID: "00000000-0000-0000-0000-0000000000aa" });
        });

        it("takes its service, DNS and pod ranges from CLUSTER_ADDRESSING, not AKS's defaults", function () {
            const net = get(cluster(), "networkProfile") as Record<string, unknown>;
            assert.deepStrictEqual([net.serviceCidr, net.dnsServiceIP, net.podCidr], [CLUSTER_ADDRESSING.serviceCidr, CLUSTER_ADDRESSING.dnsServiceIp, CLUSTER_ADDRESSING.podCidr]);
            assert.deepStrictEqual([net.networkPlugin, net.networkPluginMode, net.networkDataplane, net.networkPolicy], ["azure", "overlay", "cilium", "cilium"]);
        });

        it("enables the OIDC issuer, workload identity, private KMS with the vault's key, Defender and the image cleaner", function () {
            assert.deepStrictEqual(get(cluster(), "oidcIssuerProfile"), { enabled: true });
            const security = get(cluster(), "securityProfile") as Record<string, Record<string, unknown>>;
            assert.strictEqual(security.workloadIdentity.enabled, true);
            assert.strictEqual(security.azureKeyVaultKms.enabled, true);
            assert.strictEqual(security.azureKeyVaultKms.keyVaultNetworkAccess, "Private");
            assert.match(String(security.azureKeyVaultKms.keyId), /\/keys\/.+\/[0-9a-f]+$/);
            assert.strictEqual((security.defender.securityMonitoring as Record<string, unknown>).enabled, true);
            assert.strictEqual(security.imageCleaner.enabled, true);
        });

        it("ships Container Insights with Entra ID auth and upgrades automatically", function () {
            assert.strictEqual(get(cluster(), "addonProfiles", "omsagent", "config", "useAADAuth"), "true");
            assert.deepStrictEqual(get(cluster(), "autoUpgradeProfile"), { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" });
        });

        it("gives the disk encryption set a versioned key URL, as the API requires, and lets Azure move it on rotation", function () {
            // KeyForDiskEncryptionSet.keyUrl (compute DiskRP 2024-03-02): "Fully versioned Key Url ... Version segment of
            // the Url is required regardless of rotationToLatestKeyVersionEnabled value".
            const set = run.one("azure-native:compute:DiskEncryptionSet");
            assert.match(String(get(set, "activeKey", "keyUrl")), /^https:\/\/[^/]+\.vault\.azure\.net\/keys\/[^/]+\/[0-9a-f]+$/);
            assert.strictEqual(set.inputs.rotationToLatestKeyVersionEnabled, true);
            assert.deepStrictEqual(set.ignoreChanges, ["activeKey.keyUrl"]);
        });

        it("encrypts disks with the vault's key and offers an encrypted StorageClass", function () {
            const set = run.one("azure-native:compute:DiskEncryptionSet");
            assert.strictEqual(cluster().inputs.diskEncryptionSetID, `${set.name}-id`);
            const sc = run.one("kubernetes:storage.k8s.io/v1:StorageClass");
            assert.strictEqual(get(sc, "metadata", "name"), ENCRYPTED_STORAGE_CLASS);
            assert.strictEqual(get(sc, "parameters", "diskEncryptionSetID"), `${set.name}-id`);
        });

        it("reaches the private API as the deployer through kubelogin, never with an admin credential", function () {
            const provider = run.one("pulumi:providers:kubernetes");
            const kubeconfig = JSON.parse(String(provider.inputs.kubeconfig)) as { clusters: { cluster: { server: string } }[]; users: { user: Record<string, Record<string, unknown>> }[] };
            assert.match(kubeconfig.clusters[0].cluster.server, /privatelink/);
            assert.deepStrictEqual(Object.keys(kubeconfig.users[0].user), ["exec"]);
            assert.strictEqual(kubeconfig.users[0].user.exec.command, "kubelogin");
            assert.ok((kubeconfig.users[0].user.exec.args as string[]).includes(AKS_ENTRA_SERVER_APP_ID));
            assert.ok(!run.invokes.some((i) => /listManagedClusterAdminCredentials/.test(i.token)));
        });

        it("federates each workload identity with exactly its ServiceAccount on this cluster's issuer", function () {
            const subjects = run.ofType("azure-native:managedidentity:FederatedIdentityCredential").map((c) => c.inputs.subject).sort();
            assert.deepStrictEqual(subjects, [
                `system:serviceaccount:${WORKLOADS.certManager.namespace}:${WORKLOADS.certManager.serviceAccount}`,
                `system:serviceaccount:${WORKLOADS.externalSecrets.namespace}:${WORKLOADS.externalSecrets.serviceAccount}`,
                `system:serviceaccount:${ROTATOR.namespace}:${ROTATOR.serviceAccount}`,
            ].sort());
            const issuer = (run.one("azure-native:containerservice:ManagedCluster").state.oidcIssuerProfile as { issuerURL: string }).issuerURL;
            assert.ok(run.ofType("azure-native:managedidentity:FederatedIdentityCredential").every((c) => c.inputs.issuer === issuer));
        });
    });

    describe("RBAC (RBAC-1..RBAC-7)", function () {
        const assignments = () => run.ofType("azure-native:authorization:RoleAssignment");
        const groupIds = () => Object.values(stack.groups).flat();

        it("states principalType Group or ServicePrincipal on every role assignment, never User", function () {
            assert.ok(assignments().every((a) => a.inputs.principalType === "Group" || a.inputs.principalType === "ServicePrincipal"));
        });

        it("every role assignment to people has principalType Group", function () {
            const people = assignments().filter((a) => groupIds().includes(String(a.inputs.principalId)));
            assert.ok(people.length >= 4);
            assert.ok(people.every((a) => a.inputs.principalType === "Group"));
        });

        it("grants nothing to anyone but the groups, this stack's managed identities and the deployer", function () {
            const identities = run.ofType("azure-native:managedidentity:UserAssignedIdentity").map((i) => i.state.principalId);
            for (const a of assignments()) {
                const p = String(a.inputs.principalId);
                assert.ok(groupIds().includes(p) || identities.includes(p) || p === DEPLOYER, `${a.name} -> ${p}`);
            }
        });

        it("gives the deployer, a service principal, cluster admin on this cluster only", function () {
            const deployer = assignments().filter((a) => a.inputs.principalId === DEPLOYER);
            assert.ok(deployer.every((a) => a.inputs.principalType === "ServicePrincipal"));
            assert.deepStrictEqual(deployer.map((a) => [String(a.inputs.roleDefinitionId).split("/").pop(), a.inputs.scope]), [["b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", `${run.one("azure-native:containerservice:ManagedCluster").name}-id`]]);
        });

        it("gives operators nothing on secrets and developers only the sandbox", function () {
            const vaultId = `${run.one("azure-native:keyvault:Vault").name}-id`;
            const of = (role: string) => assignments().filter((a) => stack.groups[role].includes(String(a.inputs.principalId)));
            assert.ok(of("operator").every((a) => !String(a.inputs.scope).startsWith(vaultId)));
            // Azure Kubernetes Service Cluster User Role (MicrosoftDocs/azure-docs built-in-roles.md, "ID" column)
            const developerAks = of("developer").filter((a) => !String(a.inputs.roleDefinitionId).endsWith("4abbcc35-e782-43d8-92c5-2d3f1bd2253f"));
            assert.deepStrictEqual(developerAks.map((a) => String(a.inputs.scope).split("/").slice(-2).join("/")), ["namespaces/openclaw-sandbox"]);
        });

        it("lets External Secrets read only this stack's secrets and cert-manager edit only the configured zone", function () {
            const es = assignments().filter((a) => String(a.inputs.description).includes("external-secrets"));
            // The gateway token, the provider key and the OIDC client secret, each scoped to its own secret.
            assert.ok(es.length === 3 && es.every((a) => /\/secrets\/openclaw-/.test(String(a.inputs.scope))));
            const cm = assignments().filter((a) => String(a.inputs.description).includes("cert-manager"));
            assert.deepStrictEqual(cm.map((a) => a.inputs.scope), [stack.dnsZoneId]);
        });

        it("reports every assignment for the quarterly review, the deployer marked as such", function () {
            const report = run.outputs.azureRoleAssignments as { principal: string; principalType: string; role: string }[];
            assert.strictEqual(report.length, assignments().length);
            assert.deepStrictEqual(report.filter((r) => r.principalType === "Deployer").map((r) => r.principal), ["deployer (the identity running pulumi up)"]);
            assert.ok(report.filter((r) => r.principalType === "Group").length >= 4);
        });
    });

    describe("central logging and alerts (LOG-1..LOG-6)", function () {
        it("the workspace keeps logs >= 90 days and disables local auth", function () {
            const ws = run.one("azure-native:operationalinsights:Workspace");
            assert.ok(Number(ws.inputs.retentionInDays) >= 90);
            assert.strictEqual(ws.inputs.retentionInDays, Math.min(RETENTION_DAYS, 730));
            assert.strictEqual(get(ws, "features", "disableLocalAuth"), true);
            assert.strictEqual(ws.inputs.publicNetworkAccessForIngestion, "Disabled");
        });

        it("links the workspace to a private link scope with private-only ingestion", function () {
            assert.strictEqual(get(run.one("azure-native:monitor:PrivateLinkScope"), "accessModeSettings", "ingestionAccessMode"), "PrivateOnly");
            const linked = run.ofType("azure-native:monitor:PrivateLinkScopedResource").map((r) => r.inputs.linkedResourceId);
            assert.ok(linked.includes(`${run.one("azure-native:operationalinsights:Workspace").name}-id`));
        });

        it("sends the AKS audit log of every request and the control-plane logs to the workspace and the archive", function () {
            const aks = run.ofType("azure-native:monitor:DiagnosticSetting").find((d) => d.name.includes("aks-diagnostics"));
            const categories = (get(aks!, "logs") as { category: string }[]).map((l) => l.category);
            for (const c of ["kube-audit", "kube-apiserver", "guard"]) {
                assert.ok(categories.includes(c), c);
            }
            assert.ok(aks?.inputs.storageAccountId);
        });

        it("sends every NSG's and the DNS policy's logs to the workspace", function () {
            const settings = run.ofType("azure-native:monitor:DiagnosticSetting");
            for (const nsg of run.ofType("azure-native:network:NetworkSecurityGroup")) {
                assert.ok(settings.some((s) => s.inputs.resourceUri === `${nsg.name}-id`), nsg.name);
            }
            assert.ok(settings.some((s) => s.inputs.resourceUri === `${run.one("azure-native:dnsresolver:DnsResolverPolicy").name}-id`));
        });

        it("keeps an immutable archive for logRetentionDays with no shared key and no open network", function () {
            const account = run.one("azure-native:storage:StorageAccount");
            assert.strictEqual(account.inputs.allowSharedKeyAccess, false);
            assert.strictEqual(account.inputs.allowBlobPublicAccess, false);
            assert.strictEqual(get(account, "networkRuleSet", "defaultAction"), "Deny");
            assert.deepStrictEqual(get(account, "networkRuleSet", "ipRules"), []);
            assert.strictEqual(get(account, "immutableStorageWithVersioning", "enabled"), true);
            // A policy is created Unlocked (or Disabled) and may only go Unlocked -> Locked (storage 2024-01-01 state docs);
            // the program must send the state the account is in, set in one place.
            assert.strictEqual(get(account, "immutableStorageWithVersioning", "immutabilityPolicy", "state"), ARCHIVE_IMMUTABILITY_STATE);
            assert.ok(["Unlocked", "Locked"].includes(ARCHIVE_IMMUTABILITY_STATE));
            assert.strictEqual(get(account, "immutableStorageWithVersioning", "immutabilityPolicy", "immutabilityPeriodSinceCreationInDays"), RETENTION_DAYS);
            assert.strictEqual(get(run.one("azure-native:storage:BlobServiceProperties"), "isVersioningEnabled"), true);
            assert.strictEqual(run.one("azure-native:operationalinsights:DataExport").inputs.resourceId, `${account.name}-id`);
        });

        it("keeps the immutable archive (account, blob service, its own resource group) through pulumi destroy, and nothing else", function () {
            // An account enabled for version-level immutability "can't be deleted until it's empty" (MicrosoftDocs/azure-docs
            // articles/storage/blobs/immutable-version-level-worm-policies.md, Deletion), locked or unlocked.
            const kept = run.resources.filter((r) => r.retainOnDelete).map((r) => r.type).sort();
            assert.deepStrictEqual(kept, ["azure-native:resources:ResourceGroup", "azure-native:storage:BlobServiceProperties", "azure-native:storage:StorageAccount"]);
            const account = run.one("azure-native:storage:StorageAccount");
            const groups = run.ofType("azure-native:resources:ResourceGroup");
            const archiveGroup = groups.find((g) => g.retainOnDelete);
            assert.strictEqual(account.inputs.resourceGroupName, archiveGroup?.state.name);
            assert.ok(groups.some((g) => !g.retainOnDelete), "the stack's own resource group is deleted by destroy");
        });

        it("masks PII at ingestion with a data collection rule transformation", function () {
            const flows = get(run.one("azure-native:monitor:DataCollectionRule"), "dataFlows") as { streams: string[]; transformKql?: string }[];
            const logs = flows.find((f) => f.streams.includes("Microsoft-ContainerLogV2"));
            // The transformation itself is evaluated over sample records in masking.test.ts.
            assert.strictEqual(logs?.transformKql, maskingTransformKql());
            assert.match(String(logs?.transformKql), /\[email\]/);
        });

        it("raises every LOG-6 alert to the action group that e-mails alertEmail", function () {
            const group = run.one("azure-native:monitor:ActionGroup");
            assert.deepStrictEqual((group.inputs.emailReceivers as { emailAddress: string }[]).map((r) => r.emailAddress), [stack.alertEmail]);
            const rules = run.ofType("azure-native:monitor:ScheduledQueryRule");
            assert.strictEqual(rules.length, ALERT_KINDS.length);
            for (const rule of rules) {
                assert.deepStrictEqual(get(rule, "actions", "actionGroups"), [`${group.name}-id`], rule.name);
                assert.deepStrictEqual(rule.inputs.scopes, [`${run.one("azure-native:operationalinsights:Workspace").name}-id`]);
            }
            const query = (kind: string) => String((get(rules.find((r) => r.name.endsWith(kind))!, "criteria", "allOf") as { query: string }[])[0].query);
            assert.match(query("failed-auth"), /401, 403/);
            assert.match(query("model-traffic-spike"), /api\.anthropic\.com/);
            assert.match(query("unknown-egress"), /DNSQueryLogs/);
            assert.match(query("rotation-failed"), new RegExp(ROTATOR.logTag));
        });
    });

    describe("the seam", function () {
        it("hands External Secrets an azurekv provider with workload identity and the External Secrets ServiceAccount", async function () {
            const provider = (await unwrap(run.seam.secretStore.provider)).value as { azurekv: Record<string, unknown> };
            assert.strictEqual(provider.azurekv.authType, "WorkloadIdentity");
            assert.match(String(provider.azurekv.vaultUrl), /^https:\/\/.+\.vault\.azure\.net\/$/);
            assert.deepStrictEqual(provider.azurekv.serviceAccountRef, { name: WORKLOADS.externalSecrets.serviceAccount, namespace: WORKLOADS.externalSecrets.namespace });
            assert.deepStrictEqual(run.seam.secretStore.identity.podLabels, { "azure.workload.identity/use": "true" });
            const annotations = (await unwrap(run.seam.secretStore.identity.serviceAccountAnnotations)).value as Record<string, string>;
            const esIdentity = run.ofType("azure-native:managedidentity:UserAssignedIdentity").find((i) => i.name.includes("externalSecrets"));
            assert.strictEqual(annotations["azure.workload.identity/client-id"], esIdentity?.state.clientId);
        });

        it("names the vault's secrets for the gateway token and each configured provider only", async function () {
            assert.strictEqual((await unwrap(run.seam.secretStore.gatewayTokenRemoteKey)).value, "openclaw-gateway-token");
            assert.deepStrictEqual(Object.keys(run.seam.secretStore.modelProviderRemoteKeys), ["anthropic"]);
        });

        it("gives cert-manager an azureDNS solver with its managed identity's client id", async function () {
            const dns01 = (await unwrap(run.seam.certManager.dns01)).value as { azureDNS: Record<string, unknown> };
            assert.strictEqual(dns01.azureDNS.hostedZoneName, "example.com");
            assert.strictEqual(dns01.azureDNS.resourceGroupName, "dns");
            const cm = run.ofType("azure-native:managedidentity:UserAssignedIdentity").find((i) => i.name.includes("certManager"));
            assert.deepStrictEqual(dns01.azureDNS.managedIdentity, { clientID: cm?.state.clientId });
        });

        it("gives Fluent Bit an output that carries no credential and skips its own logs", async function () {
            const outputs = String((await unwrap(run.seam.logShipping.fluentBitOutputs)).value);
            assert.match(outputs, /\[OUTPUT\]/);
            assert.doesNotMatch(outputs, /secret|shared_key|password|token/i);
            assert.match(outputs, new RegExp(`_${WORKLOADS.fluentBit.namespace}_`));
        });

        it("keeps client addresses at the Standard load balancer and pins it to the ingress IP", async function () {
            assert.strictEqual(run.seam.ingress.externalTrafficPolicy, "Local");
            assert.strictEqual(run.seam.ingress.proxyProtocol, false);
            const pip = run.ofType("azure-native:network:PublicIPAddress").find((p) => p.name.endsWith("ingress-ip"));
            assert.strictEqual((await unwrap(run.seam.ingress.loadBalancerAnnotations["service.beta.kubernetes.io/azure-pip-name"])).value, pip?.state.name);
        });

        it("binds Kubernetes roles to the Entra group object ids and names the encrypted StorageClass", async function () {
            assert.deepStrictEqual(run.seam.cluster.groups.admin, stack.groups.admin);
            assert.deepStrictEqual(run.seam.cluster.groups.auditor, stack.groups.auditor);
            assert.strictEqual((await unwrap(run.seam.cluster.encryptedStorageClassName)).value, ENCRYPTED_STORAGE_CLASS);
            assert.deepStrictEqual(run.seam.cluster.podCidrs, [CLUSTER_ADDRESSING.podCidr]);
        });

        it("exports the cluster, workspace and archive names and no secret", function () {
            for (const key of ["clusterName", "logAnalyticsWorkspace", "logArchiveStorageAccount", "azureRoleAssignments"]) {
                assert.ok(run.outputs[key], key);
            }
            assert.match(String(run.outputs.logArchiveStorageAccount), /^[a-z0-9]{3,24}$/);
        });
    });
});
