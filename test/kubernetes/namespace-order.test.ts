// Every namespaced object the layer creates waits on the Namespace it lands in: the API server answers
// `namespaces "<name>" not found` to an object created first (the real-engine suite hit exactly this), and
// `dependsOn` on a component does not reach the resources inside it, so the wait must be on the object itself.
import * as assert from "assert";
import type { ProgramRun, RecordedResource } from "../harness/program";
import { FAKE_PLATFORMS } from "./fake-seam";
import { buildLayer, isKubernetesObject } from "./layer-run";

const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

/** Every URN a resource waits on, directly or through what it waits on (dependencies and parents' are not followed). */
function transitiveDependencies(run: ProgramRun, resource: RecordedResource): Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const queue = [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()];
    while (queue.length > 0) {
        const urn = queue.pop() as string;
        if (seen.has(urn)) {
            continue;
        }
        seen.add(urn);
        const next = byUrn.get(urn);
        if (next !== undefined) {
            queue.push(...next.dependencies, ...Object.values(next.propertyDependencies).flat());
        }
    }
    return seen;
}

for (const platform of FAKE_PLATFORMS) {
    describe(`namespaced objects on the ${platform} seam`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await buildLayer(platform);
        });

        it("each wait on the Namespace the program creates for them", () => {
            const namespaces = new Map(
                run.resources.filter((r) => r.type === NAMESPACE_TYPE).map((r) => [String((r.inputs.metadata as { name?: string } | undefined)?.name), r.urn]),
            );
            assert.ok(namespaces.size > 3, "the layer creates its namespaces");
            const late: string[] = [];
            let checked = 0;
            for (const resource of run.resources.filter(isKubernetesObject)) {
                const namespace = (resource.inputs.metadata as { namespace?: string } | undefined)?.namespace;
                const namespaceUrn = namespace === undefined ? undefined : namespaces.get(namespace);
                if (namespaceUrn === undefined) {
                    continue;
                }
                checked++;
                if (!transitiveDependencies(run, resource).has(namespaceUrn)) {
                    late.push(`${resource.name} (${namespace})`);
                }
            }
            assert.ok(checked > 20, `checked ${checked} namespaced objects`);
            assert.deepStrictEqual(late, [], "objects that may be created before their namespace");
        });
    });
}
