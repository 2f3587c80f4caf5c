// The whole program for each example stack: the Kubernetes layer on the real platform seams keeps its guarantees.
import * as assert from "assert";
import { FAKE_SECRETS, type ProgramRun } from "../harness/program";
import { chartPods } from "./chart-pods";
import { exampleRun } from "../harness/examples";
import { kubernetesObjects, nameOf, namespaceOf, objectsOfKind } from "./layer-run";
import { checkRestricted, podSpecOf } from "../../scripts/lib/pss-restricted";
import { validateObjectStrict } from "../../scripts/lib/strict-schema";

/** Whether the resource is a descendant of the KubernetesLayer component. */
function underLayer(run: ProgramRun, urn: string | undefined): boolean {
    const resource = run.resources.find((r) => r.urn === urn);
    return resource !== undefined && (resource.type === "openclaw:kubernetes:Layer" || underLayer(run, resource.parent));
}

for (const stack of ["dev", "dev-azure"] as const) {
    describe(`Kubernetes layer in the whole program, stack ${stack}`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await exampleRun(stack);
        });

        it("creates every Kubernetes resource with the platform's cluster provider", () => {
            const providers = new Set(run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:")).map((r) => r.provider?.split("::")[2]));
            assert.strictEqual(providers.size, 1, [...providers].join(", "));
            assert.ok(![...providers][0]?.startsWith("default"), "not the default provider");
        });

        it("validates every Kubernetes object strictly, and holds every pod it controls to the restricted standard", async () => {
            for (const object of kubernetesObjects(run)) {
                const problems = await validateObjectStrict(object);
                assert.deepStrictEqual(problems ?? [], [], `${object.kind} ${nameOf(object)}`);
                if (podSpecOf(object) !== undefined) {
                    assert.deepStrictEqual(checkRestricted(podSpecOf(object)), [], `${object.kind} ${nameOf(object)}`);
                }
            }
            for (const pod of chartPods(run)) {
                assert.deepStrictEqual(checkRestricted(pod.spec, pod.exemptions), [], pod.name);
            }
        });

        it("has a default-deny NetworkPolicy in every namespace the Kubernetes layer creates", () => {
            const policies = objectsOfKind(run, "NetworkPolicy").filter((p) => nameOf(p) === "default-deny-all").map(namespaceOf);
            const layerNamespaces = run.resources
                .filter((r) => r.type === "kubernetes:core/v1:Namespace" && underLayer(run, r.urn))
                .map((r) => String((r.inputs.metadata as { name?: string }).name));
            assert.strictEqual(layerNamespaces.length, 7);
            assert.deepStrictEqual(layerNamespaces.filter((ns) => !policies.includes(ns)), []);
        });

        it("lets no model-provider key reach any Kubernetes object, Helm value or stack output", () => {
            const text = JSON.stringify([run.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs), run.outputs]);
            for (const value of [FAKE_SECRETS.anthropicApiKey, FAKE_SECRETS.openaiApiKey]) {
                assert.ok(!text.includes(value));
            }
        });
    });
}
