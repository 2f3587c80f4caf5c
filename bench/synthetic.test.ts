// The synthetic stacks are what the throughput figures are measured on: they must be well-formed stacks.
// Not in the default mocha spec: npx mocha --no-config -r ts-node/register/transpile-only bench/synthetic.test.ts
import * as assert from "assert";
import { fromFixtures, STACK_TYPE } from "../policy-pack/testing/resources";
import { replicate } from "./synthetic";

const fixtures = fromFixtures([
    { type: STACK_TYPE, name: "openclaw-dev" },
    { type: "openclaw:aws:Platform", name: "platform", parent: "openclaw-dev" },
    { type: "aws:ec2/vpc:Vpc", name: "vpc", parent: "platform" },
    { type: "aws:ec2/subnet:Subnet", name: "subnet", parent: "platform", inputs: { vpcId: "vpc-id" }, propertyDependencies: { vpcId: ["vpc"] } },
    { type: "pulumi:providers:kubernetes", name: "k8s", parent: "platform", dependsOn: ["subnet"] },
    { type: "kubernetes:core/v1:Namespace", name: "ns", inputs: { metadata: { name: "openclaw" } } },
    { type: "kubernetes:networking.k8s.io/v1:NetworkPolicy", name: "deny", parent: "ns", inputs: { metadata: { name: "default-deny", namespace: "openclaw" } } },
    { type: "kubernetes:helm.sh/v3:Release", name: "lb", inputs: { namespace: "kube-system", name: "aws-load-balancer-controller" } },
]);
// Fixtures carry no provider references; Kubernetes resources get the stack's own provider, as the engine records it.
const providerUrn = fixtures.find((r) => r.name === "k8s")?.urn;
const base = fixtures.map((r) => (r.type.startsWith("kubernetes:") ? { ...r, provider: `${providerUrn}::k8s-id` } : r));

describe("synthetic stacks for the policy benchmark", () => {
    it("has exactly the requested number of resources, every URN unique, one root stack", () => {
        for (const count of [base.length, 20, 101]) {
            const stack = replicate(base, count);
            assert.strictEqual(stack.length, count);
            assert.strictEqual(new Set(stack.map((r) => r.urn)).size, count);
            assert.strictEqual(stack.filter((r) => r.type === STACK_TYPE).length, 1);
        }
    });

    it("keeps the real stack as copy 0, unchanged", () => {
        const stack = replicate(base, 50);
        assert.deepStrictEqual(stack.slice(0, base.length), base);
    });

    it("resolves every parent, provider and dependency inside the stack, to a resource of the same copy", () => {
        const stack = replicate(base, 43);
        const byUrn = new Map(stack.map((r) => [r.urn, r]));
        const copyOf = (name: string) => /-c(\d+)$/.exec(name)?.[1] ?? "0";
        for (const r of stack) {
            const refs = [r.parent, r.provider?.slice(0, r.provider.lastIndexOf("::")), ...r.dependencies, ...Object.values(r.propertyDependencies).flat()].filter((u): u is string => u !== undefined);
            for (const urn of refs) {
                const target = byUrn.get(urn);
                assert.ok(target, `${r.urn} refers to ${urn}, which is not in the stack`);
                if (target.type !== STACK_TYPE) {
                    assert.strictEqual(copyOf(target.name), copyOf(r.name), `${r.urn} refers across copies to ${urn}`);
                }
            }
        }
    });

    it("gives each copy its own application namespaces and keeps system namespaces shared", () => {
        const stack = replicate(base, 3 * (base.length - 1) + 1);
        const namespaces = stack.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => (r.inputs.metadata as { name: string }).name);
        assert.deepStrictEqual(namespaces, ["openclaw", "openclaw-c1", "openclaw-c2"]);
        const policies = stack.filter((r) => r.type.endsWith(":NetworkPolicy")).map((r) => (r.inputs.metadata as { namespace: string }).namespace);
        assert.deepStrictEqual(policies, namespaces);
        const releases = stack.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.namespace);
        assert.deepStrictEqual(releases, ["kube-system", "kube-system", "kube-system"]);
    });
});
