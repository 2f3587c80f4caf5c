// Answers to the azure-native functions the program calls, shaped as @pulumi/azure-native returns them.
import type { InvokeHandler } from "./invokes";
import { MOCK_AZURE_SUBSCRIPTION, MOCK_AZURE_TENANT } from "./state-azure";

/** A fake cluster CA (base64 of a PEM header), recognisable in tests. */
export const MOCK_AKS_CA_DATA = Buffer.from("-----BEGIN CERTIFICATE-----\nMOCK-AKS-CA\n-----END CERTIFICATE-----\n").toString("base64");

export const AZURE_INVOKES: Readonly<Record<string, InvokeHandler>> = {
    // Feature registrations as Microsoft.Features returns them; `harness:unregisteredFeatures` (a comma-separated
    // list, test-only config) makes those NotRegistered.
    "azure-native:features:getSubscriptionFeatureRegistration": (inputs, config) => ({
        id: `/subscriptions/${MOCK_AZURE_SUBSCRIPTION}/providers/Microsoft.Features/featureProviders/${String(inputs.providerNamespace)}/subscriptionFeatureRegistrations/${String(inputs.featureName)}`,
        name: String(inputs.featureName),
        properties: { state: (config["harness:unregisteredFeatures"] ?? "").split(",").includes(String(inputs.featureName)) ? "NotRegistered" : "Registered" },
    }),
    // The regional Network Watcher; `harness:missingNetworkWatcher` makes it absent (ResourceNotFound).
    "azure-native:network:getNetworkWatcher": (inputs, config) => {
        if (config["harness:missingNetworkWatcher"] === "true") {
            throw new Error(`ResourceNotFound: The Resource 'Microsoft.Network/networkWatchers/${String(inputs.networkWatcherName)}' under resource group '${String(inputs.resourceGroupName)}' was not found.`);
        }
        return { id: `/subscriptions/${MOCK_AZURE_SUBSCRIPTION}/resourceGroups/${String(inputs.resourceGroupName)}/providers/Microsoft.Network/networkWatchers/${String(inputs.networkWatcherName)}`, name: String(inputs.networkWatcherName), location: "westeurope" };
    },
    "azure-native:authorization:getClientConfig": () => ({
        clientId: "00000000-0000-0000-0000-0000000000c1",
        objectId: "00000000-0000-0000-0000-0000000000d1",
        subscriptionId: MOCK_AZURE_SUBSCRIPTION,
        tenantId: MOCK_AZURE_TENANT,
    }),
    // The user credential of a cluster with Entra ID integration: a kubeconfig with the CA and a kubelogin exec
    // user, no token or client certificate (AKS returns it base64-encoded).
    "azure-native:containerservice:listManagedClusterUserCredentials": (inputs) => {
        const cluster = String(inputs.resourceName);
        const kubeconfig = [
            "apiVersion: v1",
            "clusters:",
            "- cluster:",
            `    certificate-authority-data: ${MOCK_AKS_CA_DATA}`,
            `    server: https://${cluster}.privatelink.westeurope.azmk8s.io:443`,
            `  name: ${cluster}`,
            "users:",
            "- name: clusterUser",
            "  user:",
            "    exec:",
            "      apiVersion: client.authentication.k8s.io/v1beta1",
            "      command: kubelogin",
            "      args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]",
        ].join("\n");
        return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] };
    },
};
