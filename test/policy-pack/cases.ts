// Spec helpers for policy tests: a compliant world, one-field mutations, and assertions on diagnostics.
import * as assert from "assert";
import type { PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Diagnostic, evaluatePolicies } from "../../policy-pack/testing/evaluate";
import { FixtureResource, fromFixtures } from "../../policy-pack/testing/resources";
import { unknown } from "../../policy-pack/testing/unknown";

export type Policy = ResourceValidationPolicy | StackValidationPolicy;

/** The record an exception needs to be applied (policies/lib/meta.ts): reason, owner, and an expiry far ahead. */
export const EXCEPTION_RECORD = { reason: "legacy client of the finance team, replaced in Q3", owner: "platform-team@example.com", expires: "2999-12-31" } as const;
export type World = FixtureResource[];

/** A deep copy of a world, so each case changes only its own. */
export function clone(world: readonly FixtureResource[]): World {
    return world.map((r) => ({ ...r, inputs: structuredClone(r.inputs), outputs: r.outputs ? structuredClone(r.outputs) : undefined }));
}

function find(world: World, name: string): FixtureResource {
    const r = world.find((x) => x.name === name);
    if (!r) {
        throw new Error(`fixture: no resource ${name}`);
    }
    return r;
}

export function parsePath(path: string): (string | number)[] {
    return path.split(".").flatMap((part) => {
        const m = /^([^[]*)((\[\d+\])*)$/.exec(part);
        if (!m) {
            return [part];
        }
        const indexes = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
        return [...(m[1] ? [m[1]] : []), ...indexes];
    });
}

/** Sets `path` (`a.b[0].c`) in a resource's inputs (and outputs, when it has its own) to `value`; undefined deletes. */
export function set(world: World, name: string, path: string, value: unknown): World {
    const r = find(world, name);
    for (const target of [r.inputs, r.outputs]) {
        if (!target) {
            continue;
        }
        const keys = parsePath(path);
        let node = target as Record<string | number, unknown>;
        for (const key of keys.slice(0, -1)) {
            if (node[key] === undefined || node[key] === null) {
                node[key] = typeof keys[keys.indexOf(key) + 1] === "number" ? [] : {};
            }
            node = node[key] as Record<string | number, unknown>;
        }
        const last = keys[keys.length - 1];
        if (value === undefined) {
            if (Array.isArray(node) && typeof last === "number") {
                node.splice(last, 1);
            } else {
                delete node[last];
            }
        } else {
            node[last] = value;
        }
    }
    return world;
}

/** Removes resources by name (and any reference to them). */
export function remove(world: World, ...names: string[]): World {
    const kept = world.filter((r) => !names.includes(r.name));
    return kept.map((r) => ({
        ...r,
        dependsOn: r.dependsOn?.filter((d) => !names.includes(d)),
        parent: r.parent && names.includes(r.parent) ? undefined : r.parent,
        propertyDependencies: r.propertyDependencies
            ? Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.filter((d) => !names.includes(d))]))
            : undefined,
    }));
}

export async function diagnosticsOf(policy: Policy, world: readonly FixtureResource[], config?: PolicyPackConfig): Promise<readonly Diagnostic[]> {
    const result = await evaluatePolicies([policy], fromFixtures(world), { config });
    return result.diagnostics.filter((d) => d.policyName === policy.name);
}

export interface ViolationCase {
    /** What is wrong, as a test name: "flags a container that may run as root". */
    readonly name: string;
    readonly mutate: (world: World) => World;
    /** The messages the policy must report (imported from the policy's MESSAGES), at least these. */
    readonly expect: readonly string[];
    readonly config?: PolicyPackConfig;
}

export interface PolicySpec {
    readonly world: () => World;
    readonly violations: readonly ViolationCase[];
    /** A mutation that makes a value the policy reads unknown. */
    readonly unknown: { readonly name: string; readonly mutate: (world: World) => World };
    /**
     * Why this unknown needs no advisory, when it needs none: the policy checks relations (dependencies, which the
     * engine knows during preview), or scans for literals (a value unknown in preview is computed, not written).
     * It must still not crash the policy nor block the preview.
     */
    readonly unknownNeedsNoVerdict?: string;
    /** The unknown replaces the very field the first violation changes, so nothing is visible besides it. */
    readonly unknownHidesViolation?: boolean;
    /** More compliant variants: "passes when ..." */
    readonly passes?: readonly { readonly name: string; readonly mutate: (world: World) => World; readonly config?: PolicyPackConfig }[];
}

/** The mocha suite for one policy: compliant world, each violation, unknowns neither crash nor pass silently. */
export function describePolicy(policy: Policy, spec: PolicySpec): void {
    describe(policy.name, () => {
        it("reports nothing for the compliant fixture", async () => {
            assert.deepStrictEqual((await diagnosticsOf(policy, spec.world())).map((d) => d.detail), []);
        });
        for (const variant of spec.passes ?? []) {
            it(`passes ${variant.name}`, async () => {
                assert.deepStrictEqual((await diagnosticsOf(policy, variant.mutate(clone(spec.world())), variant.config)).map((d) => d.detail), []);
            });
        }
        for (const c of spec.violations) {
            it(c.name, async () => {
                const found = await diagnosticsOf(policy, c.mutate(clone(spec.world())), c.config);
                const mandatory = found.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.detail);
                for (const message of c.expect) {
                    assert.ok(mandatory.includes(message), `expected "${message}" among ${JSON.stringify(mandatory, null, 1)}`);
                }
            });
        }
        if (spec.unknownNeedsNoVerdict) {
            it(`does not crash or block when ${spec.unknown.name} is unknown during preview (${spec.unknownNeedsNoVerdict})`, async () => {
                const found = await diagnosticsOf(policy, spec.unknown.mutate(clone(spec.world())));
                assert.ok(found.every((d) => d.enforcementLevel !== "mandatory"), JSON.stringify(found.map((d) => d.detail)));
            });
        } else {
            it(`does not crash, pass silently or block when ${spec.unknown.name} is unknown during preview`, async () => {
                const found = await diagnosticsOf(policy, spec.unknown.mutate(clone(spec.world())));
                assert.ok(found.some((d) => d.unknownDuringPreview), "an unknown value must give the runtime's advisory, never silence");
                // A value the engine does not know yet is no evidence of a violation: it must not block the preview.
                assert.deepStrictEqual(found.filter((d) => !d.unknownDuringPreview).map((d) => d.detail), []);
            });
        }
        const first = spec.violations[0];
        if (first && !first.config && !spec.unknownHidesViolation) {
            it(`still reports a visible violation when ${spec.unknown.name} is unknown too`, async () => {
                const world = spec.unknown.mutate(first.mutate(clone(spec.world())));
                const found = await diagnosticsOf(policy, world);
                const mandatory = found.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.detail);
                assert.ok(first.expect.every((m) => mandatory.includes(m)), JSON.stringify(found.map((d) => d.detail)));
                if (!spec.unknownNeedsNoVerdict) {
                    assert.ok(found.some((d) => d.unknownDuringPreview), "the unknown is reported as well");
                }
            });
        }
    });
}

export { unknown };
