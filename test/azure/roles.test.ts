// The built-in role GUIDs the platform assigns, checked against Microsoft's published table. The expected values are
// copied from MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles.md ("ID" column, commit
// 00a583295ba737a5caf885472cb3bca3624e9cde, ms.date 04/09/2026), never from components/azure/roles.ts.
import * as assert from "assert";
import { BUILTIN_ROLES, roleDefinitionId } from "../../components/azure/roles";

/** Role name -> ID, as built-in-roles.md lists them (section in brackets). */
const PUBLISHED: Readonly<Record<string, string>> = {
    "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", // Containers
    "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb", // Containers
    "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db", // Containers
    "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f", // Containers
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Security
    "Key Vault Contributor": "f25e0fa2-a7c8-4377-a976-54943a77a395", // Security
    "Key Vault Crypto User": "12338af0-0e69-4776-bea7-57ae8d297424", // Security
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6", // Security
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6", // Security
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Security
    "Log Analytics Reader": "73c42c96-874c-492b-b04d-ab87d138a893", // Monitor
    "DNS Zone Contributor": "befefa01-2a29-4197-83a8-272ff33ce314", // Networking
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage
    "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7", // Networking
    Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7", // General
};

describe("Azure built-in role definitions", () => {
    for (const [role, id] of Object.entries(BUILTIN_ROLES)) {
        it(`uses Microsoft's published ID for ${role}`, () => {
            assert.ok(role in PUBLISHED, `${role} is not in the list checked against built-in-roles.md; add it from the page`);
            assert.strictEqual(id, PUBLISHED[role]);
        });
    }

    it("builds the subscription-scoped role definition id ARM expects", () => {
        assert.strictEqual(
            roleDefinitionId("00000000-0000-0000-0000-000000000001", "Reader"),
            "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
        );
    });
});
