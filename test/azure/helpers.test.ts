// The Azure platform's small pure helpers: names Azure constrains, ids it parses, the kubeconfig it builds.
import * as assert from "assert";
import { AKS_ENTRA_SERVER_APP_ID, certificateAuthorityOf, entraKubeconfig } from "../../components/azure/cluster";
import { egressAllowList, PLATFORM_EGRESS_DOMAINS } from "../../components/azure/egress";
import { fluentBitOutputs, parseDnsZoneId } from "../../components/azure";
import { peopleAssignments, PEOPLE_ROLES } from "../../components/azure/role-assignments";
import { MOCK_AKS_CA_DATA } from "../harness/invokes-azure";
import type * as pulumi from "@pulumi/pulumi";

describe("Azure platform helpers", () => {
    it("parses an Azure DNS zone id into what cert-manager's azureDNS solver needs", () => {
        assert.deepStrictEqual(parseDnsZoneId("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com"), {
            subscriptionId: "00000000-0000-0000-0000-000000000001", resourceGroupName: "dns", zoneName: "example.com",
        });
        assert.throws(() => parseDnsZoneId("Z0123456789ABCDEFGHIJ"), /not an Azure DNS zone id/);
    });

    it("allows egress to the configured providers and channels and the platform's registries, nothing else", () => {
        const list = egressAllowList({ modelProviderKeys: { openai: {} as pulumi.Output<string> }, egressAllowedDomains: ["api.telegram.org"] });
        assert.ok(list.includes("api.openai.com") && list.includes("api.telegram.org"));
        assert.ok(!list.includes("api.anthropic.com"), "an unconfigured provider is not allowed");
        assert.deepStrictEqual(list.filter((d) => d !== "api.openai.com" && d !== "api.telegram.org").sort(), [...PLATFORM_EGRESS_DOMAINS].sort());
    });

    it("builds a kubeconfig that authenticates only through kubelogin and Entra ID", () => {
        const config = JSON.parse(entraKubeconfig("https://api.example:443", certificateAuthorityOf(Buffer.from(`clusters:\n- cluster:\n    certificate-authority-data: ${MOCK_AKS_CA_DATA}\n`).toString("utf8"))));
        assert.strictEqual(config.clusters[0].cluster["certificate-authority-data"], MOCK_AKS_CA_DATA);
        assert.deepStrictEqual(Object.keys(config.users[0].user), ["exec"]);
        assert.deepStrictEqual(config.users[0].user.exec.args, ["get-token", "--login", "azurecli", "--server-id", AKS_ENTRA_SERVER_APP_ID]);
        assert.throws(() => certificateAuthorityOf("apiVersion: v1"), /no certificate-authority-data/);
    });

    it("grants every configured group its role's grants and nothing for an empty role", () => {
        const groups = { admin: ["a1"], operator: [], developer: ["d1", "d2"], auditor: [] };
        const specs = peopleAssignments(groups, { cluster: "c", openclawNamespace: "c/ns/openclaw", sandboxNamespace: "c/ns/sandbox", vault: "v", workspace: "w" });
        assert.strictEqual(specs.length, PEOPLE_ROLES.admin.length + 2 * PEOPLE_ROLES.developer.length);
        assert.ok(specs.every((s) => s.kind === "Group"));
        assert.ok(specs.filter((s) => s.principalId.toString().startsWith("d")).every((s) => s.scope === "c" ? s.role === "Azure Kubernetes Service Cluster User Role" : s.scope === "c/ns/sandbox"));
    });

    it("ships Fluent Bit's records without a credential and without its own namespace", () => {
        const outputs = fluentBitOutputs();
        assert.match(outputs, /^\[OUTPUT\]\n {4}Name {8}stdout\n/);
        const match = /Match_Regex (\S+)/.exec(outputs)?.[1] ?? "";
        const regex = new RegExp(match);
        assert.ok(regex.test("kube.var.log.containers.openclaw-0_openclaw_gateway-abc.log"));
        assert.ok(!regex.test("kube.var.log.containers.fluent-bit-x2k_logging_fluent-bit-abc.log"));
    });
});
