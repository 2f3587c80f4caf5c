// Answers to the azure-native functions the program calls, shaped as @pulumi/azure-native returns them.
import type { InvokeHandler } from "./invokes";
import { MOCK_AZURE_SUBSCRIPTION, MOCK_AZURE_TENANT } from "./state-azure";

export const AZURE_INVOKES: Readonly<Record<string, InvokeHandler>> = {
    "azure-native:authorization:getClientConfig": () => ({
        clientId: "00000000-0000-0000-0000-0000000000c1",
        objectId: "00000000-0000-0000-0000-0000000000d1",
        subscriptionId: MOCK_AZURE_SUBSCRIPTION,
        tenantId: MOCK_AZURE_TENANT,
    }),
};
