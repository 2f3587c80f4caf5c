// policy-check's table of which openclaw: key decides a policy's findings names real policies and real keys.
import * as assert from "assert";
import { configSchema } from "../../config/schema";
import { policies } from "../../policy-pack/policies";
import { POLICY_CONFIG_KEYS } from "../../scripts/policy-check/config-keys";

describe("policy-check's causing openclaw: keys", () => {
    it("name a policy of the pack and a key of the config schema (or a member of one)", () => {
        const names = new Set(policies.map((p) => p.name));
        const keys = Object.keys(configSchema.shape);
        for (const [policy, key] of Object.entries(POLICY_CONFIG_KEYS)) {
            assert.ok(names.has(policy), `${policy}: no such policy`);
            const [top] = key.replace(/^openclaw:/, "").split(".");
            assert.ok(key.startsWith("openclaw:") && keys.includes(top), `${policy}: ${key} is not an openclaw: key`);
        }
    });

    it("cover each knob that weakens the checklist", () => {
        // The knobs of test/weakening-knobs.test.ts and the policies they fail.
        assert.strictEqual(POLICY_CONFIG_KEYS["aws-eks-cluster-disallow-public-endpoint"], "openclaw:apiAuthorizedCidrs");
        assert.strictEqual(POLICY_CONFIG_KEYS["azure-aks-cluster-disallow-public-endpoint"], "openclaw:apiAuthorizedCidrs");
        assert.strictEqual(POLICY_CONFIG_KEYS["kubernetes-client-traffic-policy-enforce-tls13"], "openclaw:allowLegacyTls12");
    });
});
