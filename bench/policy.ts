// Policy-pack throughput: a pack through the offline runtime-faithful harness on the real stack and on synthetic
// stacks replicated from it. Runs inside a benchmark child process (one per pack and cloud).
import type { Policies, StackValidation } from "@pulumi/policy";
import type { AnalyzedResource } from "../policy-pack/testing/resources";
import { summarize } from "./stats";
import { replicate } from "./synthetic";

export type PackName = "ours" | "awsguard";

export interface SizeResult {
    readonly resources: number;
    /** Milliseconds per evaluation of the whole pack (resource and stack policies), one entry per run. */
    readonly ms: readonly number[];
    /** resources × enabled resource policies: every pair the runtime considers, type-filtered or not. */
    readonly resourceChecks: number;
    /** Pairs where the policy did not report "not applicable" (its type matched and it ran to a verdict). */
    readonly appliedChecks: number;
    /** Stack policies evaluated (each sees every resource). */
    readonly stackPolicies: number;
    readonly mandatory: number;
    /** Mandatory violations per policy name (a replicated stack can break stack-wide rules the real one keeps). */
    readonly mandatoryByPolicy: Readonly<Record<string, number>>;
    /** Milliseconds to build the synthetic stack (not part of the evaluation time). */
    readonly buildMs: number;
    /** Resident set size after the runs, KiB. */
    readonly rssKiB: number;
    /**
     * Peak RSS of the process up to the end of the first evaluation at this size, KiB: a preview evaluates once,
     * while repeated evaluations let V8 grow its heap further before collecting.
     */
    readonly peakRssFirstRunKiB: number;
    /** Milliseconds inside each stack policy's validateStack, median over the runs. */
    readonly stackPolicyMs: Readonly<Record<string, number>>;
}

export interface PackResult {
    readonly pack: PackName;
    /** The example stack the resources were recorded from. */
    readonly stack: string;
    readonly resourcePolicies: number;
    /**
     * Resource policies by how the runtime dispatches them: `typed` (one validation tagged with a Pulumi type, skipped
     * by the runtime for other types without a call), `array` (several validations, each called for every
     * resource), `untyped` (one untagged validation, called for every resource).
     */
    readonly dispatch: { readonly typed: number; readonly array: number; readonly untyped: number };
    readonly stackPolicies: number;
    readonly loadMs: number;
    /** The real recorded stack, evaluated once in this fresh process: what one preview pays, JIT included. */
    readonly cold: { readonly resources: number; readonly ms: number; readonly mandatory: number };
    /** Real-stack resources at least one of the pack's resource policies applied to, by type. */
    readonly applicableTypes: Readonly<Record<string, number>>;
    readonly applicableResources: number;
    readonly sizes: readonly SizeResult[];
    /** Peak RSS of the process (`process.resourceUsage().maxRSS`), KiB. */
    readonly maxRssKiB: number;
    readonly excluded: readonly string[];
}

interface Evaluator {
    (policies: Policies, resources: readonly AnalyzedResource[], options: { packEnforcementLevel: "mandatory" }): Promise<{
        readonly mandatory: readonly { readonly policyName: string }[];
        readonly applied: ReadonlyMap<string, number>;
        readonly notApplicable: readonly { readonly policyName: string; readonly urn?: string }[];
    }>;
}

/**
 * A full collection before each timed evaluation (the child runs with --expose-gc): every evaluation starts from
 * the heap a fresh analyzer would have, instead of paying for the garbage of the previous run.
 */
function collectGarbage(): void {
    (globalThis as { gc?: () => void }).gc?.();
}

export function isResourcePolicy(p: Policies[number]): boolean {
    return "validateResource" in p && p.validateResource !== undefined;
}

/** The same policies with each validateStack timed into `into` (resource policies untouched: too many calls). */
function timedStackPolicies(policies: Policies, into: Map<string, number>): Policies {
    return policies.map((p) => {
        if (!("validateStack" in p) || typeof p.validateStack !== "function") {
            return p;
        }
        const validate = p.validateStack;
        const timed: StackValidation = async (args, report) => {
            const start = performance.now();
            try {
                return await validate(args, report);
            } finally {
                into.set(p.name, (into.get(p.name) ?? 0) + performance.now() - start);
            }
        };
        // Keep the runtime's type pre-filter working.
        Object.assign(timed, { __pulumiType: (validate as { __pulumiType?: string }).__pulumiType });
        return { ...p, validateStack: timed };
    });
}

/** Evaluates `policies` on `base` (cold), then `runs` times on each synthetic size. */
export async function measurePack(args: {
    readonly pack: PackName;
    readonly stack: string;
    readonly policies: Policies;
    readonly loadMs: number;
    readonly excluded: readonly string[];
    readonly base: readonly AnalyzedResource[];
    readonly sizes: readonly number[];
    readonly runs: number;
    readonly evaluate: Evaluator;
}): Promise<PackResult> {
    const { policies, base, evaluate } = args;
    const resourcePolicies = policies.filter(isResourcePolicy);
    const stackPolicies = policies.length - resourcePolicies.length;
    const resourcePolicyNames = new Set(resourcePolicies.map((p) => p.name));
    const options = { packEnforcementLevel: "mandatory" as const };

    collectGarbage();
    let start = performance.now();
    const first = await evaluate(policies, base, options);
    const cold = { resources: base.length, ms: performance.now() - start, mandatory: first.mandatory.length };

    // A pair is skipped when every validation of the policy said "not applicable" (the runtime's type filter says
    // it once for a single validation); a resource is covered when some resource policy's pair was not skipped.
    const validations = new Map(resourcePolicies.map((p) => [p.name, "validateResource" in p && Array.isArray(p.validateResource) ? p.validateResource.length : 1]));
    const skipped = new Map<string, Map<string, number>>();
    for (const na of first.notApplicable) {
        if (na.urn !== undefined && validations.has(na.policyName)) {
            const byPolicy = skipped.get(na.urn) ?? new Map<string, number>();
            byPolicy.set(na.policyName, (byPolicy.get(na.policyName) ?? 0) + 1);
            skipped.set(na.urn, byPolicy);
        }
    }
    const applicableTypes: Record<string, number> = {};
    let applicableResources = 0;
    for (const r of base) {
        const byPolicy = skipped.get(r.urn);
        const skippedPolicies = [...(byPolicy ?? [])].filter(([name, count]) => count >= (validations.get(name) ?? 1)).length;
        if (skippedPolicies < resourcePolicies.length) {
            applicableResources++;
            applicableTypes[r.type] = (applicableTypes[r.type] ?? 0) + 1;
        }
    }

    const sizes: SizeResult[] = [];
    for (const size of args.sizes) {
        start = performance.now();
        const resources = replicate(base, size);
        const buildMs = performance.now() - start;
        const ms: number[] = [];
        let last: Awaited<ReturnType<Evaluator>> | undefined;
        let peakRssFirstRunKiB = 0;
        // Stack policies are timed in every run (34 wrappers cost nothing measurable); medians resist GC pauses.
        const perRun: Map<string, number>[] = [];
        for (let i = 0; i < args.runs; i++) {
            const timings = new Map<string, number>();
            perRun.push(timings);
            const timed = timedStackPolicies(policies, timings);
            collectGarbage();
            start = performance.now();
            last = await evaluate(timed, resources, options);
            ms.push(performance.now() - start);
            if (i === 0) {
                peakRssFirstRunKiB = process.resourceUsage().maxRSS;
            }
        }
        const stackPolicyMs = new Map<string, number>();
        for (const name of perRun[0]?.keys() ?? []) {
            stackPolicyMs.set(name, summarize(perRun.map((t) => t.get(name) ?? 0)).median);
        }
        let appliedChecks = 0;
        for (const [name, count] of last?.applied ?? []) {
            if (resourcePolicyNames.has(name)) {
                appliedChecks += count;
            }
        }
        sizes.push({
            resources: resources.length,
            ms,
            resourceChecks: resources.length * resourcePolicies.length,
            appliedChecks,
            stackPolicies,
            mandatory: last?.mandatory.length ?? 0,
            mandatoryByPolicy: countBy((last?.mandatory ?? []).map((d) => d.policyName)),
            buildMs,
            rssKiB: Math.round(process.memoryUsage().rss / 1024),
            peakRssFirstRunKiB,
            stackPolicyMs: Object.fromEntries(stackPolicyMs),
        });
    }
    const dispatch = { typed: 0, array: 0, untyped: 0 };
    for (const p of resourcePolicies) {
        const v = (p as { validateResource?: unknown }).validateResource;
        dispatch[Array.isArray(v) ? "array" : typeof (v as { __pulumiType?: unknown }).__pulumiType === "string" ? "typed" : "untyped"]++;
    }
    return {
        pack: args.pack,
        dispatch,
        stack: args.stack,
        resourcePolicies: resourcePolicies.length,
        stackPolicies,
        loadMs: args.loadMs,
        cold,
        applicableTypes,
        applicableResources,
        sizes,
        maxRssKiB: process.resourceUsage().maxRSS,
        excluded: args.excluded,
    };
}

function countBy(names: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const name of names) {
        counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
}
