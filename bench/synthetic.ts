// Synthetic large stacks for the policy benchmark: the real recorded resources replicated to a target count,
// every copy with its own URNs and names and its engine references (parent, provider, dependencies) remapped.
import type { AnalyzedResource } from "../policy-pack/testing/resources";
import { STACK_TYPE } from "../policy-pack/testing/resources";

type Json = Record<string, unknown>;

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`: the name is the last segment, so it takes the suffix. */
function renameUrn(urn: string, suffix: string): string {
    return `${urn}${suffix}`;
}

/** A provider reference is `<provider urn>::<id>`. */
function remapProviderRef(ref: string, remap: (urn: string) => string): string {
    const cut = ref.lastIndexOf("::");
    const urn = ref.slice(0, cut);
    const id = ref.slice(cut + 2);
    const mapped = remap(urn);
    return mapped === urn ? ref : `${mapped}::${id}`;
}

/** Namespaces that exist in every cluster; the pack treats them specially, so copies keep sharing them. */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "default"]);

const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

/** Every string under a `namespace` key (metadata, subjects, parentRefs, a Helm release's target), suffixed. */
function renameNamespaces(value: unknown, suffix: string): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => renameNamespaces(v, suffix));
    }
    if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) {
        return value;
    }
    const out: Json = {};
    for (const [key, v] of Object.entries(value as Json)) {
        out[key] = key === "namespace" && typeof v === "string" && !SYSTEM_NAMESPACES.has(v) ? `${v}${suffix}` : renameNamespaces(v, suffix);
    }
    return out;
}

/**
 * Kubernetes objects are grouped by namespace inside the cluster (and the pack groups them that way), so each copy
 * gets its own application namespaces: a stack of 30 tenants, not one tenant with 30 duplicates of each object.
 * Object names stay, since they are unique within their (renamed) namespace and other objects refer to them.
 */
function renameKubeProps(type: string, props: Json, suffix: string): Json {
    if (!type.startsWith("kubernetes:")) {
        return props;
    }
    const out = renameNamespaces(props, suffix) as Json;
    const metadata = out.metadata as Json | undefined;
    if (type === NAMESPACE_TYPE && metadata && typeof metadata.name === "string" && !SYSTEM_NAMESPACES.has(metadata.name)) {
        out.metadata = { ...metadata, name: `${metadata.name}${suffix}` };
    }
    return out;
}

/**
 * Replicates `base` to exactly `count` resources. Copy 0 is the real stack; copy k renames every resource
 * (`name-ck`, URN likewise) and remaps parent, provider, dependencies and property dependencies to copy k's
 * resources. The root stack resource is not copied: every copy's top-level components stay its children. The last
 * copy may be partial; references to its resources left out are dropped the way the engine would never send them.
 * Property values other than Kubernetes namespaces are kept (ids, ARNs, CIDRs), so policies see the
 * same values in every copy.
 */
export function replicate(base: readonly AnalyzedResource[], count: number): AnalyzedResource[] {
    const root = base.find((r) => r.type === STACK_TYPE);
    const body = base.filter((r) => r.type !== STACK_TYPE);
    if (body.length === 0) {
        throw new Error("replicate: the base stack has no resources besides the stack");
    }
    const out: AnalyzedResource[] = root ? [root] : [];
    for (let k = 0; out.length < count; k++) {
        const suffix = k === 0 ? "" : `-c${k}`;
        const urns = new Map<string, string>(body.map((r) => [r.urn, renameUrn(r.urn, suffix)]));
        const remap = (urn: string) => urns.get(urn) ?? urn;
        for (const r of body) {
            if (out.length >= count) {
                break;
            }
            if (k === 0) {
                out.push(r);
                continue;
            }
            const propertyDependencies: Record<string, string[]> = {};
            for (const [key, deps] of Object.entries(r.propertyDependencies)) {
                propertyDependencies[key] = deps.map(remap);
            }
            out.push({
                ...r,
                urn: remap(r.urn),
                name: `${r.name}${suffix}`,
                inputs: renameKubeProps(r.type, r.inputs, suffix),
                outputs: renameKubeProps(r.type, r.outputs, suffix),
                parent: r.parent === undefined ? undefined : remap(r.parent),
                provider: r.provider === undefined ? undefined : remapProviderRef(r.provider, remap),
                dependencies: r.dependencies.map(remap),
                propertyDependencies,
            });
        }
    }
    return dropDangling(out);
}

/** Removes references to resources outside the set (possible only for a partial last copy) and checks uniqueness. */
function dropDangling(resources: AnalyzedResource[]): AnalyzedResource[] {
    const present = new Set<string>();
    for (const r of resources) {
        if (present.has(r.urn)) {
            throw new Error(`replicate: duplicate URN ${r.urn}`);
        }
        present.add(r.urn);
    }
    const keep = (urn: string) => present.has(urn);
    return resources.map((r) => {
        const dependencies = r.dependencies.filter(keep);
        const parent = r.parent !== undefined && keep(r.parent) ? r.parent : undefined;
        const provider = r.provider !== undefined && keep(r.provider.slice(0, r.provider.lastIndexOf("::"))) ? r.provider : undefined;
        const propertyDependencies: Record<string, string[]> = {};
        let dropped = dependencies.length !== r.dependencies.length || parent !== r.parent || provider !== r.provider;
        for (const [key, deps] of Object.entries(r.propertyDependencies)) {
            propertyDependencies[key] = deps.filter(keep);
            dropped ||= propertyDependencies[key].length !== deps.length;
        }
        if (!dropped) {
            return r;
        }
        return { ...r, dependencies, parent, provider, propertyDependencies };
    });
}
