// Resources the engine cannot preview (their provider's configuration is unknown, as the Kubernetes provider's is
// before the cluster exists) reach stack policies with empty state; the pack must read that as unknown.
// Source of the behaviour: github.com/pulumi/pulumi/sdk/v3@v3.248.0 go/common/resource/plugin/provider_plugin.go
// (provider.Create with Preview and unknown config: "hand back an empty property map"), seen in `npm run test:engine`.
import * as assert from "assert";
import { UnknownValueError, markUnpreviewedResources } from "../../policy-pack/policies/lib/preview";
import { anyResourceDisallowLiteralSecret } from "../../policy-pack/policies/secrets";
import { evaluatePolicies } from "../../policy-pack/testing/evaluate";
import { fromFixtures, fromRecordedRun } from "../../policy-pack/testing/resources";
import { policyCheck } from "../../scripts/policy-check";
import { exampleRun } from "../harness/examples";

describe("resources the engine could not preview", () => {
    it("are read as unknown when a custom resource's state is empty, and components are left alone", () => {
        const custom = { provider: {}, props: {} as Record<string, unknown> };
        const component = { props: {} as Record<string, unknown> };
        markUnpreviewedResources([custom, component]);
        assert.throws(() => custom.props.metadata, (e: unknown) => e instanceof UnknownValueError);
        assert.strictEqual(component.props.metadata, undefined);
    });

    it("have empty state in an offline preview when their provider's kubeconfig comes from the cluster", async () => {
        const run = await exampleRun("dev", { preview: true });
        const kube = fromRecordedRun(run, { preview: true }).filter((r) => r.type.startsWith("kubernetes:") && r.provider?.includes("openclaw-eks-k8s"));
        assert.ok(kube.length > 10);
        for (const r of kube) {
            assert.deepStrictEqual(r.outputs, {}, r.urn);
        }
    });

    for (const stack of ["dev", "dev-azure"] as const) {
        it(`do not fail the pack in a first preview of ${stack}`, async () => {
            const report = await policyCheck({ stack, preview: true, run: (s, preview) => exampleRun(s as typeof stack, { preview }) });
            assert.deepStrictEqual(report.result.mandatory.map((d) => `${d.policyName}: ${d.detail}`), []);
        });
    }
});

describe("the dynamic provider's default provider", () => {
    // The engine hands it the whole stack configuration, secrets marked secret (github.com/pulumi/pulumi/pkg/v3@v3.248.0
    // resource/deploy/target.go GetPackageConfig); the real preview of dev-azure showed the analyzer unwraps them.
    const key = "sk-ant-FAKE-KEY-0000-must-never-leak";
    const evaluate = (type: string) =>
        evaluatePolicies([anyResourceDisallowLiteralSecret], fromFixtures([{ type, name: "default", inputs: { "openclaw:anthropicApiKey": key } }]), { packEnforcementLevel: "mandatory" });

    it("is not judged on its inputs, which are the stack configuration", async () => {
        assert.deepStrictEqual((await evaluate("pulumi:providers:pulumi-nodejs")).mandatory, []);
    });

    it("while any other resource with a credential-shaped input is flagged", async () => {
        assert.strictEqual((await evaluate("aws:ssm/parameter:Parameter")).mandatory.length, 1);
    });
});
