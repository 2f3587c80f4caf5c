// Unknown values as the policy runtime receives them during `pulumi preview`, for fixtures and recorded runs.
import * as pulumi from "@pulumi/pulumi";

/**
 * The sentinels the engine sends for values it cannot know yet; `@pulumi/policy`'s `unknownCheckingProxy`
 * throws `UnknownValueError` when a policy reads one. They are internal to @pulumi/policy (proxy.js), so they are
 * repeated here; `test/policy-pack/testing.test.ts` proves the runtime's proxy still recognises each of them.
 */
export const UNKNOWN = {
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

export type UnknownKind = keyof typeof UNKNOWN;

/**
 * A value that is unknown during preview, for a fixture: `{ vpcConfig: { endpointPublicAccess: unknown("boolean") } }`.
 * The engine marshals most computed values as the string sentinel, so that is the default.
 */
export function unknown(kind: UnknownKind = "string"): never {
    // Typed `never` so a fixture can put it where any type is expected.
    return UNKNOWN[kind] as never;
}

const SENTINELS: ReadonlySet<string> = new Set(Object.values(UNKNOWN));

export function isUnknownSentinel(value: unknown): boolean {
    return typeof value === "string" && SENTINELS.has(value);
}

/**
 * Turns a value recorded from the Pulumi runtime into what the policy runtime deserializes: Pulumi's `unknown`
 * becomes the string sentinel, a serialized secret becomes its plain value, `undefined` object members disappear, `undefined` array elements become `null`
 * (protobuf `Struct` has no undefined), assets and archives stay as they are.
 */
export function toWire(value: unknown): unknown {
    if (isPulumiUnknown(value)) {
        return UNKNOWN.string;
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map((element: unknown) => (element === undefined ? null : toWire(element)));
    }
    const record = value as Record<string, unknown>;
    if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
        // The analyzer deserializes without secret proxies: a secret arrives as its plain value.
        return toWire(record.value);
    }
    if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
        return value;
    }
    const result: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
        if (member !== undefined) {
            result[key] = toWire(member);
        }
    }
    return result;
}

function isPulumiUnknown(value: unknown): boolean {
    return pulumi.isUnknown(value);
}
