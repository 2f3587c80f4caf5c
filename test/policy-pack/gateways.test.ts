// The pack per gateway: both example stacks with two team gateways pass it, and a weakening in one team's gateway
// fails on that team's resource (openclaw.json policies, secret-reading cloud grants on its namespace).
import * as assert from "assert";
import { checkResources, type CheckReport } from "../../scripts/policy-check";
import { fromRecordedRun } from "../../policy-pack/testing/resources";
import type { ExampleStack } from "../harness/examples";
import { gatewaysRun } from "../harness/gateways";
import { mutate, without } from "./recorded";

type Inputs = Record<string, unknown>;
const violations = (report: CheckReport) => [...new Set(report.rows.flatMap((r) => r.violations).map((v) => `${v.policy} on ${v.resource}: ${v.message}`))];

/** The team ConfigMap's openclaw.json with `change` applied. */
function withOpenClawJson(inputs: Inputs, change: (json: Record<string, Record<string, unknown>>) => void): Inputs {
    const data = inputs.data as Record<string, string>;
    const json = JSON.parse(data["openclaw.json"]) as Record<string, Record<string, unknown>>;
    change(json);
    return { ...data, "openclaw.json": JSON.stringify(json) };
}

for (const stack of ["dev", "dev-azure"] as const satisfies readonly ExampleStack[]) {
    describe(`the pack on the ${stack} example stack with three gateways`, function () {
        this.timeout(300_000);

        it("passes every policy", async () => {
            const report = await checkResources(stack, fromRecordedRun(await gatewaysRun(stack)));
            assert.deepStrictEqual(violations(report), []);
        });

        it("flags a team gateway whose openclaw.json takes a shared token, naming that gateway's ConfigMap only", async () => {
            const resources = fromRecordedRun(await gatewaysRun(stack));
            const isResearch = (i: Inputs) => i.kind === "ConfigMap" && (i.metadata as Inputs).namespace === "openclaw-research" && (i.metadata as Inputs).name === "openclaw-config";
            const original = resources.find((r) => isResearch(r.inputs));
            assert.ok(original);
            const data = withOpenClawJson(original.inputs, (json) => {
                (json.gateway.auth as Record<string, unknown>).mode = "token";
            });
            const report = await checkResources(stack, mutate(resources, original.type, isResearch, "data", data));
            const found = violations(report).filter((v) => v.startsWith("kubernetes-openclaw-config-enforce-trusted-proxy-auth"));
            assert.strictEqual(found.length, 1, violations(report).join("\n"));
            assert.match(found[0], /research/);
        });

        it("flags a team Gateway left without its TLS 1.3 ClientTrafficPolicy, and only that Gateway", async () => {
            const resources = fromRecordedRun(await gatewaysRun(stack));
            const type = "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy";
            const found = violations(await checkResources(stack, without(resources, type, (i) => (i.metadata as Inputs).namespace === "openclaw-research"))).filter((v) => v.startsWith("kubernetes-gateway-missing-client-traffic-policy"));
            assert.strictEqual(found.length, 1, found.join("\n"));
            assert.match(found[0], /research/);
        });

        if (stack === "dev") {
            it("flags a team role given EKS Edit on its gateway namespace, which holds its runtime Secret", async () => {
                const resources = fromRecordedRun(await gatewaysRun(stack));
                const type = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
                const research = (r: { name: string }) => r.name === "openclaw-access-research-admin";
                const target = resources.find((r) => r.type === type && research(r));
                assert.ok(target, "the research admin's association");
                const changed = resources.map((r) => (r === target ? { ...r, inputs: { ...r.inputs, policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy" } } : r));
                const found = violations(await checkResources(stack, changed)).filter((v) => v.startsWith("aws-eks-access-policy-disallow-secret-read"));
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.match(found[0], /namespace openclaw-research\b/);
            });
        } else {
            it("flags a team group given AKS RBAC Writer on its gateway namespace, which holds its runtime Secret", async () => {
                const resources = fromRecordedRun(await gatewaysRun(stack));
                const target = resources.find((r) => r.type === "azure-native:authorization:RoleAssignment" && String(r.inputs.scope).endsWith("/namespaces/openclaw-research-sandbox") && /RBAC Writer/.test(String(r.inputs.description)));
                assert.ok(target, "the research developers' Writer on their sandbox");
                const scope = String(target.inputs.scope).replace(/-sandbox$/, "");
                const changed = resources.map((r) => (r === target ? { ...r, inputs: { ...r.inputs, scope } } : r));
                const found = violations(await checkResources(stack, changed)).filter((v) => v.startsWith("azure-aks-role-assignment-disallow-secret-read"));
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.match(found[0], /namespace openclaw-research\b/);
            });
        }
    });
}
