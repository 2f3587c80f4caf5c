// Answers to the azure-native functions the program calls, shaped as @pulumi/azure-native returns them.
import type { InvokeHandler } from "./invokes";
import { MOCK_AZURE_SUBSCRIPTION, MOCK_AZURE_TENANT } from "./state-azure";

/** A fake cluster CA (base64 of a PEM header), recognisable in tests. */
export const MOCK_AKS_CA_DATA = Buffer.from("-----BEGIN CERTIFICATE-----\nMOCK-AKS-CA\n-----END CERTIFICATE-----\n").toString("base64");

export const AZURE_INVOKES: Readonly<Record<string, InvokeHandler>> = {
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
