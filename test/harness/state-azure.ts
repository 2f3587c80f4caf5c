// Computed outputs of Azure resources under the mocks, shaped as azure-native returns them.

export const MOCK_AZURE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
export const MOCK_AZURE_TENANT = "00000000-0000-0000-0000-0000000000aa";

/** Outputs azure-native computes for a resource; extend per type as the program reads more of them. */
export function azureState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const [, module, resource] = /^azure-native:([^:]+):(.+)$/.exec(type) ?? [];
    const resourceName = typeof inputs.name === "string" ? inputs.name : name;
    const group = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg";
    return {
        id: `/subscriptions/${MOCK_AZURE_SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.${module ?? "Unknown"}/${resource ?? "resources"}/${resourceName}`,
        name: resourceName,
    };
}
