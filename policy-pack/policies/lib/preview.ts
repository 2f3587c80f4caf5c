// Reading values that may be unknown during preview without letting one unknown hide a violation already visible.
import * as policy from "@pulumi/policy";

/**
 * The error the runtime's proxy throws when a policy reads an unknown value. @pulumi/policy exports it at runtime
 * (index.js) but its proxy.d.ts is empty, so the type is stated here.
 */
export const UnknownValueError = (policy as unknown as { UnknownValueError: new (sentinel: string, props: string[]) => Error & { readonly props: string[] } }).UnknownValueError;
export type UnknownValueError = InstanceType<typeof UnknownValueError>;

/**
 * Runs one independent check; returns false when it stopped at an unknown value. A presence check ("some
 * resource has X") that could not read every candidate must not report X missing: it is uncertain, not violated.
 */
export type Check = (fn: () => void) => boolean;

/**
 * Runs independent checks; a check that reads an unknown value stops there, the others still run and report.
 * If any check hit an unknown, the first `UnknownValueError` is rethrown at the end: the policy runtime turns it
 * into its own advisory diagnostic ("can't run policy ... during preview"), after the violations already reported.
 * The decision: a value we cannot see yet is never a violation (the update re-runs the pack with real values),
 * but it is never silent either.
 */
export function previewSafe(body: (check: Check) => void): void {
    let first: Error | undefined;
    const check: Check = (fn) => {
        try {
            fn();
            return true;
        } catch (e) {
            if (e instanceof UnknownValueError) {
                first ??= e;
                return false;
            }
            throw e;
        }
    };
    body(check);
    if (first) {
        throw first;
    }
}

/** Each element of a possibly-unknown list, each in its own check; an unknown list is one failed check. */
export function eachChecked<T>(check: Check, list: () => readonly T[] | undefined | null, fn: (item: T, index: number) => void): void {
    let items: readonly T[] | undefined | null;
    check(() => {
        items = list();
        // touch the length so an unknown list throws here
        void items?.length;
    });
    for (let i = 0; i < (items?.length ?? 0); i++) {
        check(() => fn((items as readonly T[])[i], i));
    }
}

/**
 * Whether an optional setting is present. A value unknown during preview is present (it is computed from another
 * resource's output), so "is it set" is already answered.
 */
export function isSet(read: () => unknown): boolean {
    try {
        const value = read();
        return value !== undefined && value !== null && value !== "";
    } catch (e) {
        if (e instanceof UnknownValueError) {
            return true;
        }
        throw e;
    }
}

/** The object sentinel of the engine's unknown values (@pulumi/policy proxy.js `unknownObjectValue`). */
const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

/**
 * State of a resource the engine could not preview: every read throws the runtime's UnknownValueError, so the
 * policy treats it as it treats any unknown value (no violation, the runtime's advisory instead).
 */
function unpreviewedProps(): Record<string, unknown> {
    return new Proxy({} as Record<string, unknown>, {
        get: (_target, key) => {
            if (typeof key === "symbol" || key === "then" || key === "toJSON") {
                return undefined;
            }
            throw new UnknownValueError(UNKNOWN_OBJECT, [key]);
        },
    });
}

/**
 * In a preview, a custom resource whose provider's configuration is not known yet (in a first preview, the
 * Kubernetes provider's kubeconfig comes from a cluster that does not exist) has no state at all: the engine hands
 * back an empty property map so that every property is unknown (github.com/pulumi/pulumi/sdk/v3@v3.248.0
 * go/common/resource/plugin/provider_plugin.go, provider.Create with Preview). Stack policies read that state;
 * an empty one must read as unknown, not as "nothing set". A custom resource (one with a provider) never has empty
 * state after an update, so this changes nothing outside such previews. Marks `resources` in place, keeping the
 * objects (parents and dependencies point at them).
 */
export function markUnpreviewedResources(resources: readonly { readonly provider?: unknown; readonly props: Record<string, unknown> }[]): void {
    for (const r of resources) {
        if (r.provider !== undefined && Object.keys(r.props).length === 0) {
            (r as { props: Record<string, unknown> }).props = unpreviewedProps();
        }
    }
}
