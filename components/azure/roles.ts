// Azure built-in role definitions the platform assigns, by their fixed GUIDs (the same in every tenant).

/**
 * Built-in roles, keyed by their display names. The GUIDs are global constants published at
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (source: MicrosoftDocs/azure-docs
 * articles/role-based-access-control/built-in-roles.md, the "ID" column; every row below checked against it,
 * commit 00a58329). test/azure/roles.test.ts repeats the page's values independently.
 */
export const BUILTIN_ROLES = {
    "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
    "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
    "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Key Vault Contributor": "f25e0fa2-a7c8-4377-a976-54943a77a395",
    "Key Vault Crypto User": "12338af0-0e69-4776-bea7-57ae8d297424",
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    "Log Analytics Reader": "73c42c96-874c-492b-b04d-ab87d138a893",
    "DNS Zone Contributor": "befefa01-2a29-4197-83a8-272ff33ce314",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
    Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
} as const;

export type BuiltinRole = keyof typeof BUILTIN_ROLES;

/** The role definition resource id ARM expects in a role assignment. */
export function roleDefinitionId(subscriptionId: string, role: BuiltinRole): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLES[role]}`;
}
