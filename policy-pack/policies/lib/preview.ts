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
