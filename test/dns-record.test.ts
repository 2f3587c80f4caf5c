// What users need after `pulumi up` (issue 15, item 6): the load balancer's address and the DNS record to create as
// stack outputs, and the record itself behind openclaw:manageDnsRecord, in the zone the stack already names.
import * as assert from "assert";
import { exampleRun } from "./harness/examples";
import { runProgram, stackValues } from "./harness/program";
import { planGateways } from "../config/gateways";
import { requireAddress } from "../components/kubernetes";
import { MOCK_AWS_NLB_HOSTNAME, MOCK_AZURE_INTERNAL_LB_IP, MOCK_AZURE_LB_IP } from "./harness/state";

describe("the public DNS record of the hostname", function () {
    this.timeout(120_000);

    it("the Gateway makes `pulumi up` wait for its load balancer's address (pulumi-kubernetes pulumi.com/waitFor)", async () => {
        const run = await exampleRun("dev");
        const gateway = run.resources.find((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway");
        const annotations = (gateway?.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
        // Gateway API: status.addresses[].value is the address bound to the Gateway (gateway-api site-src/api-types/gateway.md).
        assert.strictEqual(annotations["pulumi.com/waitFor"], "jsonpath={.status.addresses[0].value}");
    });

    for (const [stack, type, address] of [["dev", "CNAME", MOCK_AWS_NLB_HOSTNAME], ["dev-azure", "A", MOCK_AZURE_LB_IP]] as const) {
        it(`${stack}: outputs the load balancer address and the ${type} record to create, and creates none by default`, async () => {
            const run = await exampleRun(stack);
            const values = stackValues(stack);
            assert.strictEqual(run.outputs.loadBalancerAddress, address);
            assert.deepStrictEqual(run.outputs.dnsRecords, [{ name: values.hostname, type, value: address, zone: values.dnsZoneId, managedByStack: false }]);
            assert.ok(!run.resources.some((r) => r.type === "aws:route53/record:Record" || r.type === "azure-native:dns:RecordSet"));
        });
    }

    it("dev with openclaw:manageDnsRecord: a Route 53 CNAME to the NLB in the stack's hosted zone", async () => {
        const run = await runProgram({ stack: "dev", config: { manageDnsRecord: true } });
        const records = run.resources.filter((r) => r.type === "aws:route53/record:Record");
        assert.strictEqual(records.length, 1);
        const values = stackValues("dev");
        assert.deepStrictEqual(
            { zoneId: records[0].inputs.zoneId, name: records[0].inputs.name, type: records[0].inputs.type, records: records[0].inputs.records },
            { zoneId: values.dnsZoneId, name: values.hostname, type: "CNAME", records: [MOCK_AWS_NLB_HOSTNAME] },
        );
        assert.strictEqual((run.outputs.dnsRecords as { managedByStack: boolean }[])[0].managedByStack, true);
    });

    it("dev-azure with openclaw:manageDnsRecord: an A record set in the zone's resource group, named relative to the zone", async () => {
        const run = await runProgram({ stack: "dev-azure", config: { manageDnsRecord: true } });
        const records = run.resources.filter((r) => r.type === "azure-native:dns:RecordSet");
        assert.strictEqual(records.length, 1);
        // Pulumi.dev-azure.yaml: .../resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com, hostname openclaw.example.com.
        const { resourceGroupName, zoneName, recordType, relativeRecordSetName, aRecords } = records[0].inputs;
        assert.deepStrictEqual({ resourceGroupName, zoneName, recordType, relativeRecordSetName, aRecords }, { resourceGroupName: "dns", zoneName: "example.com", recordType: "A", relativeRecordSetName: "openclaw", aRecords: [{ ipv4Address: MOCK_AZURE_LB_IP }] });
    });

    it("dev-azure with egressMode enforce: the records and outputs take the firewall's public IP, never the internal load balancer's", async () => {
        const run = await runProgram({ stack: "dev-azure", config: { egressMode: "enforce", manageDnsRecord: true } });
        // Enforced egress: the Envoy Service is internal (azure-load-balancer-internal) and the firewall DNATs the
        // ingress public IP to it (components/azure/egress.ts), so only that public IP is reachable from the internet.
        const gateway = run.resources.find((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway");
        assert.strictEqual((gateway?.state.status as { addresses: { value: string }[] }).addresses[0].value, MOCK_AZURE_INTERNAL_LB_IP, "the mock reports the private address");
        const ingressIps = run.resources.filter((r) => r.type === "azure-native:network:PublicIPAddress" && r.name.endsWith("-ingress-ip"));
        assert.strictEqual(ingressIps.length, 1);
        const publicIp = String(ingressIps[0].state.ipAddress);
        const records = run.resources.filter((r) => r.type === "azure-native:dns:RecordSet");
        assert.strictEqual(records.length, 1);
        assert.deepStrictEqual(records[0].inputs.aRecords, [{ ipv4Address: publicIp }]);
        assert.strictEqual(run.outputs.loadBalancerAddress, publicIp);
        assert.deepStrictEqual((run.outputs.dnsRecords as { value: string }[]).map((r) => r.value), [publicIp]);
    });

    it("a managed record whose Gateway has no address fails naming the key and the Gateway instead of sending an empty target", () => {
        const [plan] = planGateways({ hostname: "openclaw.example.com", openclaw: { storageSize: "10Gi" } });
        for (const missing of [undefined, ""]) {
            assert.throws(() => requireAddress(missing, plan), (e: Error) => e.message.includes("openclaw:manageDnsRecord") && e.message.includes("openclaw/openclaw") && e.message.includes(plan.hostname));
        }
        assert.strictEqual(requireAddress(MOCK_AZURE_LB_IP, plan), MOCK_AZURE_LB_IP);
    });
});
