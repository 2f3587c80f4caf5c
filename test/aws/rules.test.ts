// The AWS platform's small rules, on their own: AMI choice, endpoint exposure, egress actions, log routing.
import * as assert from "assert";
import { endpointAccess } from "../../components/aws/cluster";
import { allowedDomains, catchAllAction } from "../../components/aws/dns-firewall";
import { amiTypeFor } from "../../components/aws/node-group";
import { fluentBitOutputs } from "../../components/aws/workloads";

describe("AWS platform rules", () => {
    it("picks the ARM AMI for Graviton instance types and x86 otherwise", () => {
        for (const type of ["m7g.large", "c8g.xlarge", "r7gd.2xlarge", "t4g.medium"]) {
            assert.strictEqual(amiTypeFor(type), "AL2023_ARM_64_STANDARD", type);
        }
        for (const type of ["m7i.large", "c7a.xlarge", "m6id.large", "t3.medium"]) {
            assert.strictEqual(amiTypeFor(type), "AL2023_x86_64_STANDARD", type);
        }
    });

    it("keeps the API endpoint private without apiAuthorizedCidrs and opens it to exactly the listed CIDRs otherwise", () => {
        assert.deepStrictEqual(endpointAccess([]), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepStrictEqual(endpointAccess(["203.0.113.0/24"]), { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    });

    it("alerts on unknown names in alert mode and blocks them in enforce mode", () => {
        assert.strictEqual(catchAllAction("alert"), "ALERT");
        assert.strictEqual(catchAllAction("enforce"), "BLOCK");
    });

    it("allows the API domains of configured providers only, plus the extra domains, once each", () => {
        const domains = allowedDomains(["openai"], ["api.telegram.org", "api.telegram.org"]);
        assert.ok(domains.includes("api.openai.com") && !domains.includes("api.anthropic.com"));
        assert.strictEqual(domains.filter((d) => d === "api.telegram.org").length, 1);
        assert.ok(!domains.includes("*"), "never the whole internet");
    });

    it("routes each container log to exactly one group: Envoy's proxy containers to the access log, everything else to the application log", () => {
        const outputs = fluentBitOutputs("eu-central-1", "/s/application", "/s/ingress-access");
        const sections = outputs.split("[OUTPUT]").slice(1).map((s) => ({
            match: new RegExp(String(/Match_Regex\s+(\S+)/.exec(s)?.[1])),
            group: /log_group_name\s+(\S+)/.exec(s)?.[1],
        }));
        const id = "0123456789abcdef".repeat(4);
        const routed = (tag: string) => sections.filter((s) => s.match.test(tag)).map((s) => s.group);
        assert.deepStrictEqual(routed(`kube.var.log.containers.envoy-openclaw-gw-5d8f_envoy-gateway-system_envoy-${id}.log`), ["/s/ingress-access"]);
        assert.deepStrictEqual(routed(`kube.var.log.containers.openclaw-7c9f_openclaw_openclaw-${id}.log`), ["/s/application"]);
        assert.deepStrictEqual(routed(`kube.var.log.containers.envoy-gateway-6b7c_envoy-gateway-system_envoy-gateway-${id}.log`), ["/s/application"], "the Envoy Gateway controller is not an access log");
        assert.deepStrictEqual(routed(`kube.var.log.containers.envoy-openclaw-gw-5d8f_envoy-gateway-system_shutdown-manager-${id}.log`), ["/s/application"]);
        assert.deepStrictEqual(routed("host.syslog"), []);
    });
});
