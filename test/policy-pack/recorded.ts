// Single-setting mutations of the recorded example stacks, for the pack's end-to-end tests.
import type { AnalyzedResource } from "../../policy-pack/testing/resources";
import { parsePath } from "./cases";

/**
 * A copy of `resources` where every resource of `type` that `where` accepts has `path` set to `value` in its
 * inputs and outputs (undefined deletes). Throws when nothing matched, so a renamed resource cannot make a
 * mutation test pass vacuously.
 */
export function mutate(
    resources: readonly AnalyzedResource[],
    type: string,
    where: (inputs: Record<string, unknown>) => boolean,
    path: string,
    value: unknown,
): AnalyzedResource[] {
    let matched = 0;
    const result = resources.map((r) => {
        if (r.type !== type || !where(r.inputs)) {
            return r;
        }
        matched++;
        const change = (props: Record<string, unknown>) => {
            const copy = structuredClone(props);
            const keys = parsePath(path);
            let node = copy as Record<string | number, unknown>;
            for (let i = 0; i < keys.length - 1; i++) {
                node[keys[i]] ??= typeof keys[i + 1] === "number" ? [] : {};
                node = node[keys[i]] as Record<string | number, unknown>;
            }
            if (value === undefined) {
                delete node[keys[keys.length - 1]];
            } else {
                node[keys[keys.length - 1]] = structuredClone(value);
            }
            return copy;
        };
        return { ...r, inputs: change(r.inputs), outputs: change(r.outputs) };
    });
    if (matched === 0) {
        throw new Error(`mutate: no ${type} matched`);
    }
    return result;
}

/** A copy of `resources` without those of `type` that `where` accepts (throws when none matched). */
export function without(resources: readonly AnalyzedResource[], type: string, where: (inputs: Record<string, unknown>) => boolean): AnalyzedResource[] {
    const kept = resources.filter((r) => !(r.type === type && where(r.inputs)));
    if (kept.length === resources.length) {
        throw new Error(`without: no ${type} matched`);
    }
    return kept;
}
