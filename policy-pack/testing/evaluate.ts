// Evaluates a policy list against resources the way @pulumi/policy's analyzer server does (server.js), offline.
import {
    EnforcementLevel,
    Policies,
    PolicyPackConfig,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as policy from "@pulumi/policy";
import { UnknownValueError } from "../policies/lib/preview";
import { resolvePolicyConfig, ResolvedPolicyConfig } from "./config";
import type { AnalyzedResource } from "./resources";

/** One diagnostic, as the analyzer returns it to the engine. */
export interface Diagnostic {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly policyPackVersion: string;
    /** What the engine prints: the policy description, a newline, then the reported message. */
    readonly message: string;
    /** What the policy passed to `reportViolation`; for the runtime's own preview diagnostic, the reason. */
    readonly detail: string;
    readonly urn?: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly severity?: Severity;
    /** True for the runtime's "can't run policy during preview" advisory (an unknown value was read). */
    readonly unknownDuringPreview: boolean;
}

export interface NotApplicable {
    readonly policyName: string;
    readonly urn?: string;
    readonly reason?: string;
}

export interface EvaluationResult {
    readonly diagnostics: readonly Diagnostic[];
    readonly notApplicable: readonly NotApplicable[];
    /** Mandatory (or remediate, reported as mandatory) violations: what makes `pulumi preview` fail. */
    readonly mandatory: readonly Diagnostic[];
    /** Per policy, how many evaluations (resources, or the stack) it applied to, i.e. did not call notApplicable. */
    readonly applied: ReadonlyMap<string, number>;
}

export interface EvaluateOptions {
    /** The `--policy-pack-config` content. Defaults to `{}` (schema defaults, the policies' own levels). */
    readonly config?: PolicyPackConfig;
    readonly packName?: string;
    readonly packVersion?: string;
    /** The PolicyPack's `enforcementLevel`; @pulumi/policy defaults it to advisory. */
    readonly packEnforcementLevel?: EnforcementLevel;
    readonly stackTags?: ReadonlyMap<string, string>;
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

function isResourcePolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is ResourceValidationPolicy {
    const v = (p as ResourceValidationPolicy).validateResource;
    return typeof v === "function" || (Array.isArray(v) && v.every((f) => typeof f === "function")) || typeof (p as ResourceValidationPolicy).remediateResource === "function";
}

function isStackPolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy {
    return typeof (p as StackValidationPolicy).validateStack === "function";
}

function pulumiTypeOf(obj: unknown): string | undefined {
    const t = (obj as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof t === "string" && t.length > 0 ? t : undefined;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const pulumiType = pulumiTypeOf(resourceClass);
    if (pulumiType) {
        return type === pulumiType;
    }
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: AnalyzedResource): PolicyResourceOptions {
    const opts: PolicyResourceOptions = {
        protect: r.protect,
        ignoreChanges: [...r.ignoreChanges],
        aliases: [...r.aliases],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [...r.additionalSecretOutputs],
    };
    if (r.deleteBeforeReplace !== undefined) {
        opts.deleteBeforeReplace = r.deleteBeforeReplace;
    }
    if (r.parent) {
        opts.parent = r.parent;
    }
    return opts;
}

/**
 * Props as the runtime hands them over, wrapped in the runtime's own unknown-checking proxy. The runtime
 * deserializes a fresh copy per validation; here one copy per resource and evaluation is shared by the policies
 * (a frozen copy would defeat the proxy, which must return non-writable members unwrapped). The pack's policies
 * only read their props; the parity tests compare verdicts with the runtime's server.
 */
function proxier(): (props: Record<string, unknown>) => Record<string, unknown> {
    const copies = new WeakMap<object, Record<string, unknown>>();
    // Exported at runtime by @pulumi/policy's index.js; its proxy.d.ts declares nothing.
    const proxy = (policy as unknown as { unknownCheckingProxy(o: object): object }).unknownCheckingProxy;
    return (props) => {
        let copy = copies.get(props);
        if (!copy) {
            copy = structuredCloneKeepingAssets(props);
            copies.set(props, copy);
        }
        return proxy(copy) as Record<string, unknown>;
    };
}

function structuredCloneKeepingAssets(value: unknown): Record<string, unknown> {
    const clone = (v: unknown): unknown => {
        if (v === null || typeof v !== "object") {
            return v;
        }
        if (Array.isArray(v)) {
            return v.map(clone);
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) {
            return v; // assets and archives are passed as runtime objects
        }
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, m]) => [k, clone(m)]));
    };
    return clone(value) as Record<string, unknown>;
}

function providerOf(r: AnalyzedResource, byUrn: ReadonlyMap<string, AnalyzedResource>, proxied: (p: Record<string, unknown>) => Record<string, unknown>): PolicyProviderResource | undefined {
    if (!r.provider) {
        return undefined;
    }
    const urn = r.provider.split("::").slice(0, -1).join("::") || r.provider;
    const provider = byUrn.get(urn);
    if (!provider) {
        return undefined;
    }
    return { type: provider.type, props: proxied(provider.inputs), urn: provider.urn, name: provider.name };
}

/**
 * Runs every policy against the resources: resource policies once per resource on its inputs, stack policies
 * once on all outputs, with config resolved like the CLI resolves it. Exceptions other than unknown values and
 * `notApplicable` propagate, as the runtime turns them into an error that fails the preview.
 */
export async function evaluatePolicies(policies: Policies, resources: readonly AnalyzedResource[], options: EvaluateOptions = {}): Promise<EvaluationResult> {
    const packName = options.packName ?? "openclaw-checklist";
    const packVersion = options.packVersion ?? "0.0.0";
    const packLevel = options.packEnforcementLevel ?? "advisory";
    const stackTags = options.stackTags ?? new Map<string, string>();
    const config = resolvePolicyConfig(policies, options.config ?? {}, packLevel);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const proxied = proxier();
    const diagnostics: Diagnostic[] = [];
    const notApplicable: NotApplicable[] = [];
    const applied = new Map<string, number>();
    const countApplied = (p: { name: string }) => applied.set(p.name, (applied.get(p.name) ?? 0) + 1);

    const reporter = (p: ResourceValidationPolicy | StackValidationPolicy, level: EnforcementLevel, defaultUrn?: string): ReportViolation =>
        (message: string, urn?: string) => {
            diagnostics.push({
                policyName: p.name,
                policyPackName: packName,
                policyPackVersion: packVersion,
                message: message ? `${p.description}\n${message}` : p.description,
                detail: message,
                urn: defaultUrn ?? urn,
                description: p.description,
                enforcementLevel: level,
                severity: p.severity,
                unknownDuringPreview: false,
            });
        };

    const handle = (p: ResourceValidationPolicy | StackValidationPolicy, e: unknown, urn?: string) => {
        const from = `policy '${p.name}' from policy pack '${packName}@v${packVersion}'`;
        if (e instanceof UnknownValueError) {
            diagnostics.push({
                policyName: p.name,
                policyPackName: packName,
                policyPackVersion: packVersion,
                message: `can't run ${from} during preview: ${e.message}`,
                detail: e.message,
                urn,
                description: p.description,
                enforcementLevel: "advisory",
                severity: p.severity,
                unknownDuringPreview: true,
            });
        } else if (e instanceof NotApplicableError) {
            notApplicable.push({ policyName: p.name, urn, reason: e.reason });
        } else {
            const error = new Error(`Error validating resource with ${from}: ${e instanceof Error ? e.message : String(e)}`);
            (error as Error & { cause?: unknown }).cause = e;
            throw error;
        }
    };

    const levelOf = (p: ResourceValidationPolicy | StackValidationPolicy): EnforcementLevel => {
        const level = (config.get(p.name) as ResolvedPolicyConfig).enforcementLevel;
        return level === "remediate" ? "mandatory" : level;
    };
    const getConfigOf = (p: { name: string }) => <T extends object>(): T => ({ ...(config.get(p.name) as ResolvedPolicyConfig).properties }) as T;

    // analyze: one call per resource, every resource policy.
    for (const r of resources) {
        for (const p of policies) {
            if ((config.get(p.name) as ResolvedPolicyConfig).enforcementLevel === "disabled" || !isResourcePolicy(p)) {
                continue;
            }
            if (!p.validateResource) {
                notApplicable.push({ policyName: p.name, urn: r.urn, reason: "Policy does not implement validateResource" });
                continue;
            }
            if (!Array.isArray(p.validateResource)) {
                const pulumiType = pulumiTypeOf(p.validateResource);
                if (pulumiType && r.type !== pulumiType) {
                    notApplicable.push({ policyName: p.name, urn: r.urn, reason: `Policy only applies to resources of type '${pulumiType}'` });
                    continue;
                }
            }
            const report = reporter(p, levelOf(p), r.urn);
            const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            for (const validation of validations) {
                try {
                    const props = proxied(r.inputs);
                    const args: ResourceValidationArgs = {
                        type: r.type,
                        props,
                        urn: r.urn,
                        name: r.name,
                        opts: optionsOf(r),
                        stackTags,
                        isType: (resourceClass) => isTypeOf(r.type, resourceClass),
                        asType: ((resourceClass: unknown) => (isTypeOf(r.type, resourceClass) ? props : undefined)) as ResourceValidationArgs["asType"],
                        getConfig: getConfigOf(p),
                        notApplicable: throwNotApplicable,
                    };
                    const provider = providerOf(r, byUrn, proxied);
                    if (provider) {
                        args.provider = provider;
                    }
                    await Promise.resolve(validation(args, report));
                    countApplied(p);
                } catch (e) {
                    if (!(e instanceof NotApplicableError)) {
                        countApplied(p);
                    }
                    handle(p, e, r.urn);
                }
            }
        }
    }

    // analyzeStack: one call, every stack policy, resources linked by parent and dependencies.
    for (const p of policies) {
        if ((config.get(p.name) as ResolvedPolicyConfig).enforcementLevel === "disabled" || !isStackPolicy(p)) {
            continue;
        }
        const pulumiType = pulumiTypeOf(p.validateStack);
        if (pulumiType && !resources.some((r) => r.type === pulumiType)) {
            notApplicable.push({ policyName: p.name, reason: `Policy only applies to resources of type '${pulumiType}'` });
            continue;
        }
        try {
            const linked = new Map<string, PolicyResource>();
            for (const r of resources) {
                const props = proxied(r.outputs);
                const resource: PolicyResource = {
                    type: r.type,
                    props,
                    urn: r.urn,
                    name: r.name,
                    opts: optionsOf(r),
                    dependencies: [],
                    propertyDependencies: {},
                    isType: (resourceClass) => isTypeOf(r.type, resourceClass),
                    asType: ((resourceClass: unknown) => (isTypeOf(r.type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
                };
                const provider = providerOf(r, byUrn, proxied);
                if (provider) {
                    resource.provider = provider;
                }
                linked.set(r.urn, resource);
            }
            for (const r of resources) {
                const resource = linked.get(r.urn) as PolicyResource;
                const parent = r.parent ? linked.get(r.parent) : undefined;
                if (parent) {
                    resource.parent = parent;
                }
                resource.dependencies = r.dependencies.map((d) => linked.get(d)).filter((d): d is PolicyResource => d !== undefined);
                for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                    resource.propertyDependencies[key] = urns.map((d) => linked.get(d)).filter((d): d is PolicyResource => d !== undefined);
                }
            }
            const args: StackValidationArgs = {
                resources: [...linked.values()],
                getConfig: getConfigOf(p),
                stackTags,
                notApplicable: throwNotApplicable,
            };
            await Promise.resolve(p.validateStack(args, reporter(p, levelOf(p))));
            countApplied(p);
        } catch (e) {
            if (!(e instanceof NotApplicableError)) {
                countApplied(p);
            }
            handle(p, e);
        }
    }

    const mandatory = diagnostics.filter((d) => d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate");
    return { diagnostics, notApplicable, mandatory, applied };
}
