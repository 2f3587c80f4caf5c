// Properties of the layer's pure planners: RBAC bindings and the HTTPS egress policy.
import * as assert from "assert";
import fc from "fast-check";
import { LINK_LOCAL_CIDR, allowHttpsEgressSpec } from "../../components/kubernetes/network-policies";
import { clientTlsSettings } from "../../components/kubernetes/public-endpoint";
import { planBindings, ROLE_NAMES } from "../../components/kubernetes/rbac";
import { GROUP_ROLES } from "../../config/schema";

const groupsArb = fc.record({
    admin: fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
    operator: fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
    developer: fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
    auditor: fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
});
const nsArb = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), { minLength: 1, maxLength: 4 });

describe("RBAC binding plan", () => {
    it("binds only roles that have groups, never cluster-admin, developers only in the sandbox, operators only in gateways", () => {
        fc.assert(
            fc.property(groupsArb, nsArb, (groups, namespaces) => {
                const [sandbox, ...gateways] = namespaces;
                const plan = planBindings(groups, gateways, sandbox);
                for (const binding of plan) {
                    assert.ok(groups[binding.role].length > 0);
                    assert.notStrictEqual(binding.roleRef.name, "cluster-admin");
                    if (binding.role === "developer") {
                        assert.strictEqual(binding.namespace, sandbox);
                    }
                    if (binding.role === "operator") {
                        assert.ok(binding.namespace !== undefined && gateways.includes(binding.namespace));
                        assert.strictEqual(binding.roleRef.name, ROLE_NAMES.operator);
                    }
                }
                for (const role of GROUP_ROLES) {
                    assert.strictEqual(plan.some((b) => b.role === role), groups[role].length > 0 && (role !== "operator" || gateways.length > 0));
                }
                assert.strictEqual(new Set(plan.map((b) => b.resourceName)).size, plan.length);
            }),
        );
    });
});

describe("HTTPS egress policy", () => {
    it("opens only TCP 443 and always excludes link-local and every range it is given", () => {
        const cidr = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 8, max: 24 })).map(([a, p]) => `${a}.0.0.0/${p}`);
        fc.assert(
            fc.property(fc.array(cidr, { maxLength: 5 }), (except) => {
                const spec = allowHttpsEgressSpec(except);
                const [rule] = spec.egress as { to: { ipBlock: { cidr: string; except: string[] } }[]; ports: unknown[] }[];
                assert.deepStrictEqual(rule.ports, [{ protocol: "TCP", port: 443 }]);
                const block = rule.to[0].ipBlock;
                for (const c of [...except, LINK_LOCAL_CIDR]) {
                    assert.ok(block.except.includes(c));
                }
                assert.strictEqual(new Set(block.except).size, block.except.length);
            }),
        );
    });
});

describe("client TLS settings", () => {
    it("pin TLS 1.3 unless the legacy exception is on, and never list a non-AEAD or non-ECDHE suite", () => {
        assert.deepStrictEqual([clientTlsSettings(false).minVersion, clientTlsSettings(false).maxVersion], ["1.3", "1.3"]);
        for (const cipher of (clientTlsSettings(true).ciphers as string[]) ?? []) {
            assert.match(cipher, /^ECDHE-.*-(GCM-SHA384|CHACHA20-POLY1305)$/);
        }
    });
});
