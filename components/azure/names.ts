// The Azure names the platform sets itself and the rule each must meet. Every name is explicit and deterministic:
// derived from the Pulumi project, the stack and, where Azure wants it unique beyond the stack's resource group, the
// subscription; so it is the same on every `pulumi up`, distinct per subscription and stack, and within its limit
// however long the stack is called. test/azure/names.test.ts checks every name the example stack generates.
import { createHash } from "crypto";

/** Where a name must be unique. */
export type NameScope = "global" | "subscription" | "resource group" | "parent resource";

export interface NameRule {
    /** The azure-native resource type and the input that carries the name. */
    readonly type: string;
    readonly property: string;
    readonly pattern: RegExp;
    readonly minLength: number;
    readonly maxLength: number;
    readonly scope: NameScope;
    /** The Azure/azure-rest-api-specs file (API version of the installed azure-native type) that states the rule. */
    readonly source: string;
}

const SPECS = "Azure/azure-rest-api-specs specification";

/**
 * The name rules of every resource type the platform names whose REST spec states a pattern or a length. Patterns
 * are the spec's, in JavaScript syntax (`\w` is narrower here than in .NET, which only makes the check stricter).
 */
export const NAME_RULES = {
    resourceGroup: {
        type: "azure-native:resources:ResourceGroup", property: "resourceGroupName", pattern: /^[-\w._()]+$/, minLength: 1, maxLength: 90, scope: "subscription",
        source: `${SPECS}/storage/resource-manager/Microsoft.Storage/stable/2024-01-01/storage.json #/parameters/ResourceGroupName (ARM's resource group rule)`,
    },
    keyVault: {
        type: "azure-native:keyvault:Vault", property: "vaultName", pattern: /^[a-zA-Z0-9-]{3,24}$/, minLength: 3, maxLength: 24, scope: "global",
        source: `${SPECS}/keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keyvault.json #/parameters/VaultName`,
    },
    keyVaultKey: {
        type: "azure-native:keyvault:Key", property: "keyName", pattern: /^[a-zA-Z0-9-]{1,127}$/, minLength: 1, maxLength: 127, scope: "parent resource",
        source: `${SPECS}/keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keys.json Keys_CreateIfNotExist keyName`,
    },
    keyVaultSecret: {
        type: "azure-native:keyvault:Secret", property: "secretName", pattern: /^[a-zA-Z0-9-]{1,127}$/, minLength: 1, maxLength: 127, scope: "parent resource",
        source: `${SPECS}/keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/secrets.json Secrets_CreateOrUpdate secretName`,
    },
    storageAccount: {
        type: "azure-native:storage:StorageAccount", property: "accountName", pattern: /^[a-z0-9]+$/, minLength: 3, maxLength: 24, scope: "global",
        source: `${SPECS}/storage/resource-manager/Microsoft.Storage/stable/2024-01-01/storage.json #/parameters/StorageAccountName`,
    },
    managedCluster: {
        type: "azure-native:containerservice:ManagedCluster", property: "resourceName", pattern: /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/, minLength: 1, maxLength: 63, scope: "resource group",
        source: `${SPECS}/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-09-01/managedClusters.json #/parameters/ResourceNameParameter`,
    },
    agentPool: {
        type: "azure-native:containerservice:ManagedCluster", property: "agentPoolProfiles[].name", pattern: /^[a-z][a-z0-9]{0,11}$/, minLength: 1, maxLength: 12, scope: "parent resource",
        source: `${SPECS}/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-09-01/managedClusters.json #/parameters/AgentPoolNameParameter`,
    },
    nodeResourceGroup: {
        type: "azure-native:containerservice:ManagedCluster", property: "nodeResourceGroup", pattern: /^[-\w._()]+$/, minLength: 1, maxLength: 90, scope: "subscription",
        source: `${SPECS}/storage/resource-manager/Microsoft.Storage/stable/2024-01-01/storage.json #/parameters/ResourceGroupName (it is a resource group)`,
    },
    workspace: {
        type: "azure-native:operationalinsights:Workspace", property: "workspaceName", pattern: /^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$/, minLength: 4, maxLength: 63, scope: "resource group",
        source: `${SPECS}/operationalinsights/resource-manager/common/v1/types.json #/parameters/WorkspaceNameParameter (used by Workspaces.json 2023-09-01)`,
    },
    federatedIdentityCredential: {
        type: "azure-native:managedidentity:FederatedIdentityCredential", property: "federatedIdentityCredentialResourceName", pattern: /^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$/, minLength: 3, maxLength: 120, scope: "parent resource",
        source: `${SPECS}/msi/resource-manager/Microsoft.ManagedIdentity/stable/2023-01-31/ManagedIdentity.json #/parameters/FederatedIdentityCredentialResourceNameParameter`,
    },
    dnsResolverPolicy: {
        type: "azure-native:dnsresolver:DnsResolverPolicy", property: "dnsResolverPolicyName", pattern: /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/, minLength: 1, maxLength: 80, scope: "resource group",
        source: `${SPECS}/dnsresolver/resource-manager/Microsoft.Network/preview/2023-07-01-preview/dnsresolverpolicy.json #/parameters/DnsResolverPolicyNameParameter`,
    },
    dnsResolverDomainList: {
        type: "azure-native:dnsresolver:DnsResolverDomainList", property: "dnsResolverDomainListName", pattern: /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/, minLength: 1, maxLength: 80, scope: "resource group",
        source: `${SPECS}/dnsresolver/resource-manager/Microsoft.Network/preview/2023-07-01-preview/dnsresolverpolicy.json #/parameters/DnsResolverDomainListNameParameter`,
    },
    dnsSecurityRule: {
        type: "azure-native:dnsresolver:DnsSecurityRule", property: "dnsSecurityRuleName", pattern: /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/, minLength: 1, maxLength: 80, scope: "parent resource",
        source: `${SPECS}/dnsresolver/resource-manager/Microsoft.Network/preview/2023-07-01-preview/dnsresolverpolicy.json #/parameters/DnsSecurityRuleNameParameter`,
    },
    dnsResolverPolicyVirtualNetworkLink: {
        type: "azure-native:dnsresolver:DnsResolverPolicyVirtualNetworkLink", property: "dnsResolverPolicyVirtualNetworkLinkName", pattern: /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/, minLength: 1, maxLength: 80, scope: "parent resource",
        source: `${SPECS}/dnsresolver/resource-manager/Microsoft.Network/preview/2023-07-01-preview/dnsresolverpolicy.json #/parameters/DnsResolverPolicyVirtualNetworkLinkNameParameter`,
    },
    roleAssignment: {
        // "The name of the role assignment. It can be any valid GUID." (the spec's text, in roleAssignment.d.ts).
        type: "azure-native:authorization:RoleAssignment", property: "roleAssignmentName", pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, minLength: 36, maxLength: 36, scope: "parent resource",
        source: "@pulumi/azure-native 3.28.0 authorization/roleAssignment.d.ts (REST API 2022-04-01) roleAssignmentName",
    },
    eventSubscription: {
        // "Event subscription names must be between 3 and 64 characters in length and use alphanumeric letters only."
        type: "azure-native:eventgrid:SystemTopicEventSubscription", property: "eventSubscriptionName", pattern: /^[A-Za-z0-9]{3,64}$/, minLength: 3, maxLength: 64, scope: "parent resource",
        source: "@pulumi/azure-native 3.28.0 eventgrid/systemTopicEventSubscription.d.ts (REST API 2025-02-15) eventSubscriptionName",
    },
} as const satisfies Readonly<Record<string, NameRule>>;

export type NamedKind = keyof typeof NAME_RULES;

/** Checks a name against its rule; the problems, empty when it is valid. */
export function nameProblems(kind: NamedKind, name: string): string[] {
    const rule: NameRule = NAME_RULES[kind];
    const problems: string[] = [];
    if (name.length < rule.minLength || name.length > rule.maxLength) {
        problems.push(`${kind} name "${name}" has ${name.length} characters; accepted: ${rule.minLength}-${rule.maxLength}`);
    }
    if (!rule.pattern.test(name)) {
        problems.push(`${kind} name "${name}" does not match ${rule.pattern}`);
    }
    return problems;
}

/** Who the names are for: the Pulumi project and stack, and the subscription they are deployed to. */
export interface NameSeed {
    readonly project: string;
    readonly stack: string;
    readonly subscriptionId: string;
}

const hash = (seed: NameSeed) => createHash("sha256").update(`${seed.subscriptionId}/${seed.project}/${seed.stack}`).digest("hex");

/** Lower-case letters, digits and single dashes, at most `max` characters, no dash at either end. */
export function slug(text: string, max: number): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, max).replace(/-+$/, "");
}

/**
 * The stack's resource group: readable (project and stack, shortened), and unique per subscription and stack by a
 * hash that also separates stacks whose names differ only in characters the slug drops (`dev_a` and `dev.a`).
 */
export function resourceGroupName(seed: NameSeed): string {
    return `${slug(`${seed.project}-${seed.stack}`, 60) || "openclaw"}-${hash(seed).slice(0, 8)}`;
}

/**
 * The log archive's own resource group: `pulumi destroy` leaves it (and the account) in place, because Azure refuses
 * to delete an account with version-level immutability until it is empty (see archive.ts).
 */
export function archiveResourceGroupName(seed: NameSeed): string {
    return `${resourceGroupName(seed)}-archive`;
}

/** The resource group AKS creates for the nodes; named here so it is known and stays within the rule. */
export function nodeResourceGroupName(seed: NameSeed): string {
    return `${resourceGroupName(seed)}-nodes`;
}

/** Key Vault names are global DNS labels (`<name>.vault.azure.net`): a prefix and 21 hex digits of the stack's hash. */
export function keyVaultName(seed: NameSeed): string {
    return `kv-${hash(seed).slice(0, 21)}`;
}

/** Storage account names are global, lower-case letters and digits only. */
export function archiveAccountName(seed: NameSeed): string {
    return `oclog${hash(seed).slice(0, 19)}`;
}

/**
 * The VNet flow log lives under the subscription's shared regional Network Watcher (NetworkWatcherRG), so its name
 * must be unique per subscription, not only per resource group.
 */
export function flowLogName(seed: NameSeed): string {
    return `openclaw-${slug(seed.stack, 40) || "stack"}-${hash(seed).slice(0, 8)}`;
}

/**
 * A role assignment's name: a GUID derived from what it grants (scope, principal, role definition), as Bicep's
 * `guid()` does, so it is stable across runs and the same grant always has the same name.
 */
export function roleAssignmentName(scope: string, principalId: string, roleDefinitionId: string): string {
    const h = createHash("sha256").update(`${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleDefinitionId.toLowerCase()}`).digest("hex");
    // RFC 4122 layout: version 5-style nibble and variant bits, so the value is a well-formed GUID.
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
