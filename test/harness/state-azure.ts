// Computed outputs of Azure resources under the mocks, shaped as azure-native returns them.
import { createHash } from "crypto";

export const MOCK_AZURE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
export const MOCK_AZURE_TENANT = "00000000-0000-0000-0000-0000000000aa";

/** A stable GUID per seed, so principal and client ids differ per identity but not between runs. */
export function mockGuid(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Outputs azure-native computes for a resource; extend per type as the program reads more of them. */
export function azureState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const [, module, resource] = /^azure-native:([^:]+):(.+)$/.exec(type) ?? [];
    const explicitName = [inputs.name, inputs.resourceName, inputs.vaultName && type.endsWith(":Vault") ? inputs.vaultName : undefined, inputs.accountName && type.endsWith(":StorageAccount") ? inputs.accountName : undefined]
        .find((v): v is string => typeof v === "string");
    const resourceName = explicitName ?? name;
    const group = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg";
    const id = `/subscriptions/${MOCK_AZURE_SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.${module ?? "Unknown"}/${resource ?? "resources"}/${resourceName}`;
    const state: Record<string, unknown> = { id, name: resourceName, ...(COMPUTED[type]?.(resourceName, inputs, id) ?? {}) };
    return state;
}

type Computed = (name: string, inputs: Record<string, unknown>, id: string) => Record<string, unknown>;

const COMPUTED: Readonly<Record<string, Computed>> = {
    "azure-native:resources:ResourceGroup": (name) => ({ name }),
    "azure-native:managedidentity:UserAssignedIdentity": (name) => ({
        principalId: mockGuid(`principal:${name}`), clientId: mockGuid(`client:${name}`), tenantId: MOCK_AZURE_TENANT,
    }),
    "azure-native:containerservice:ManagedCluster": (name) => ({
        oidcIssuerProfile: { enabled: true, issuerURL: `https://westeurope.oic.prod-aks.azure.com/${MOCK_AZURE_TENANT}/${mockGuid(`issuer:${name}`)}/` },
        privateFQDN: `openclaw-${name.slice(-8)}.privatelink.westeurope.azmk8s.io`,
        fqdn: `openclaw-${name.slice(-8)}.hcp.westeurope.azmk8s.io`,
        nodeResourceGroup: `MC_rg_${name}_westeurope`,
        identityProfile: { kubeletidentity: { clientId: mockGuid(`kubelet-client:${name}`), objectId: mockGuid(`kubelet-object:${name}`) } },
    }),
    "azure-native:keyvault:Vault": (name, inputs) => ({
        properties: { ...(inputs.properties as Record<string, unknown>), vaultUri: `https://${name}.vault.azure.net/` },
    }),
    "azure-native:keyvault:Key": (name, inputs) => {
        const vault = String(inputs.vaultName);
        return {
            keyUri: `https://${vault}.vault.azure.net/keys/${name}`,
            keyUriWithVersion: `https://${vault}.vault.azure.net/keys/${name}/${createHash("md5").update(name).digest("hex")}`,
        };
    },
    "azure-native:keyvault:Secret": (name, inputs) => ({
        properties: { ...(inputs.properties as Record<string, unknown>), secretUri: `https://${String(inputs.vaultName)}.vault.azure.net/secrets/${name}` },
    }),
    "azure-native:network:PublicIPAddress": (name) => {
        const n = parseInt(createHash("md5").update(name).digest("hex").slice(0, 2), 16);
        return { ipAddress: `20.50.${n}.${(n * 7) % 250 + 1}` };
    },
    "azure-native:network:AzureFirewall": (_name, inputs) => ({
        ipConfigurations: (inputs.ipConfigurations as Record<string, unknown>[] | undefined)?.map((c) => ({ ...c, privateIPAddress: "10.0.0.4" })),
    }),
    "azure-native:operationalinsights:Workspace": (name) => ({ customerId: mockGuid(`workspace:${name}`) }),
    "azure-native:monitor:DataCollectionRule": (name) => ({ immutableId: `dcr-${createHash("md5").update(name).digest("hex")}` }),
    "azure-native:monitor:DataCollectionEndpoint": (name) => ({ logsIngestion: { endpoint: `https://${name}.westeurope-1.ingest.monitor.azure.com` } }),
    "azure-native:storage:StorageAccount": (name) => ({ primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` } }),
};
