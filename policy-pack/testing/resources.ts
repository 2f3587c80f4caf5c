// The resources a policy evaluation sees: built from recorded program runs or from hand-written fixtures.
import { toWire, UNKNOWN } from "./unknown";

/** A resource as the engine would send it to the analyzer. */
export interface AnalyzedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** What `analyze` (resource policies) receives: the resource's inputs. */
    readonly inputs: Record<string, unknown>;
    /** What `analyzeStack` (stack policies) receives: the resource's outputs (inputs plus computed values). */
    readonly outputs: Record<string, unknown>;
    readonly parent?: string;
    /** Provider reference `urn::id`, as the engine records it. */
    readonly provider?: string;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
    readonly aliases: readonly string[];
    readonly additionalSecretOutputs: readonly string[];
    readonly deleteBeforeReplace?: boolean;
}

/** The fields of the foundation harness's `RecordedResource` this module reads (test/harness/program.ts). */
export interface RecordedLike {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly state: Record<string, unknown>;
    readonly custom: boolean;
    readonly parent?: string;
    readonly provider?: string;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
}

/** The fields of the foundation harness's `ProgramRun` this module reads. */
export interface RecordedRunLike {
    readonly resources: readonly RecordedLike[];
    readonly outputs: Record<string, unknown>;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Converts a recorded run into analyzed resources. With `preview`, the run is shown as `pulumi preview` of a new
 * stack shows it: outputs a provider computes (keys the mocks added beyond the inputs) are unknown, and so is every
 * input value derived from another custom resource's output (a string in an input property whose dependencies
 * include that resource and that contains its name, as the mocks' ids and ARNs do). The root stack resource's
 * outputs are the stack outputs, which is how `analyzeStack` sees them.
 */
export function fromRecordedRun(run: RecordedRunLike, options: { preview?: boolean } = {}): AnalyzedResource[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    return run.resources.map((recorded) => {
        let inputs = toWire(recorded.inputs) as Record<string, unknown>;
        let outputs: Record<string, unknown>;
        if (recorded.type === STACK_TYPE) {
            outputs = toWire(run.outputs) as Record<string, unknown>;
        } else if (options.preview) {
            inputs = withDerivedUnknowns(inputs, recorded, byUrn);
            outputs = { ...inputs };
            for (const key of Object.keys(recorded.state)) {
                if (!(key in recorded.inputs) && recorded.state[key] !== undefined) {
                    outputs[key] = UNKNOWN.string;
                }
            }
            // A provider whose configuration is not known yet previews nothing: the engine gives such a resource
            // empty state (github.com/pulumi/pulumi/sdk/v3@v3.248.0 go/common/resource/plugin/provider_plugin.go,
            // Create with Preview), as the real `pulumi preview` showed (test/engine).
            if (recorded.custom && providerConfigUnknown(recorded, byUrn)) {
                outputs = {};
            }
        } else {
            outputs = toWire(recorded.state) as Record<string, unknown>;
        }
        return {
            urn: recorded.urn,
            type: recorded.type,
            name: recorded.name,
            inputs,
            outputs,
            parent: recorded.parent,
            provider: recorded.provider,
            dependencies: recorded.dependencies,
            propertyDependencies: recorded.propertyDependencies,
            protect: recorded.protect,
            ignoreChanges: [],
            aliases: [],
            additionalSecretOutputs: [],
        };
    });
}

/**
 * Whether the explicit provider of `recorded` takes an input from another custom resource of the run (the
 * cluster's endpoint, say): in a preview of a new stack that input, so the provider's configuration, is unknown.
 */
function providerConfigUnknown(recorded: RecordedLike, byUrn: ReadonlyMap<string, RecordedLike>): boolean {
    const providerUrn = recorded.provider?.split("::").slice(0, -1).join("::");
    const provider = providerUrn === undefined ? undefined : byUrn.get(providerUrn);
    if (provider === undefined) {
        return false;
    }
    return Object.values(provider.propertyDependencies).some((urns) => urns.some((urn) => byUrn.get(urn)?.custom === true));
}

function withDerivedUnknowns(inputs: Record<string, unknown>, recorded: RecordedLike, byUrn: ReadonlyMap<string, RecordedLike>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(inputs)) {
        const names = (recorded.propertyDependencies[key] ?? [])
            .map((urn) => byUrn.get(urn))
            .filter((d): d is RecordedLike => d !== undefined && d.custom)
            .map((d) => d.name);
        const replace = (v: unknown): unknown => {
            if (typeof v === "string") {
                return names.some((n) => v.includes(n)) ? UNKNOWN.string : v;
            }
            if (Array.isArray(v)) {
                return v.map(replace);
            }
            if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
                return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, m]) => [k, replace(m)]));
            }
            return v;
        };
        result[key] = names.length > 0 ? replace(value) : value;
    }
    return result;
}

/** A hand-written resource for a policy test; references (parent, dependencies) are by resource name. */
export interface FixtureResource {
    readonly type: string;
    readonly name: string;
    readonly inputs?: Record<string, unknown>;
    /** Defaults to the inputs. */
    readonly outputs?: Record<string, unknown>;
    readonly parent?: string;
    readonly dependsOn?: readonly string[];
    /** Input name → names of the resources whose outputs flowed into it. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect?: boolean;
}

export const FIXTURE_PROJECT = "openclaw";
export const FIXTURE_STACK = "fixture";

export function fixtureUrn(type: string, name: string): string {
    return `urn:pulumi:${FIXTURE_STACK}::${FIXTURE_PROJECT}::${type}::${name}`;
}

/** Builds analyzed resources from fixtures; a reference to a name that is not in the list fails loudly. */
export function fromFixtures(fixtures: readonly FixtureResource[]): AnalyzedResource[] {
    const urns = new Map<string, string>();
    for (const f of fixtures) {
        if (urns.has(f.name)) {
            throw new Error(`fixture: duplicate resource name ${f.name}`);
        }
        urns.set(f.name, fixtureUrn(f.type, f.name));
    }
    const urnOf = (name: string): string => {
        const urn = urns.get(name);
        if (!urn) {
            throw new Error(`fixture: no resource named ${name}`);
        }
        return urn;
    };
    return fixtures.map((f) => {
        const inputs = toWire(f.inputs ?? {}) as Record<string, unknown>;
        const propertyDependencies: Record<string, string[]> = {};
        for (const [key, names] of Object.entries(f.propertyDependencies ?? {})) {
            propertyDependencies[key] = names.map(urnOf);
        }
        const dependencies = [...new Set([...(f.dependsOn ?? []).map(urnOf), ...Object.values(propertyDependencies).flat()])];
        return {
            urn: urnOf(f.name),
            type: f.type,
            name: f.name,
            inputs,
            outputs: f.outputs ? (toWire(f.outputs) as Record<string, unknown>) : inputs,
            parent: f.parent === undefined ? undefined : urnOf(f.parent),
            dependencies,
            propertyDependencies,
            protect: f.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            additionalSecretOutputs: [],
        };
    });
}
