// A point in time recorded once per value: lets a secret carry `expires` = set time + rotationDays without the
// program recomputing "now" on every `pulumi up` (which would be a perpetual diff).
import * as pulumi from "@pulumi/pulumi";

interface StampInputs {
    readonly keeper: string;
    readonly expiresOn: number;
}

/**
 * Creating records the proposed time; a later run keeps the recorded time unless the keeper changed, in which case
 * the stamp is replaced and records the new proposal. The methods capture nothing: Pulumi serializes them.
 */
const stampProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: StampInputs) {
        return { id: `stamp-${inputs.expiresOn}`, outs: { keeper: inputs.keeper, expiresOn: inputs.expiresOn } };
    },
    async diff(_id: string, olds: StampInputs, news: StampInputs) {
        const changed = olds.keeper !== news.keeper;
        return { changes: changed, replaces: changed ? ["keeper"] : [], deleteBeforeReplace: false };
    },
};

export interface ExpiryStampArgs {
    /** A value that changes exactly when the secret's value does (a hash of it); kept secret. */
    readonly keeper: pulumi.Input<string>;
    /** Days from the time the value is set to its expiry. */
    readonly days: number;
}

/** `expiresOn` (seconds since the epoch) = the time the keeper last changed + days. */
export class ExpiryStamp extends pulumi.dynamic.Resource {
    declare readonly expiresOn: pulumi.Output<number>;

    constructor(name: string, args: ExpiryStampArgs, opts?: pulumi.CustomResourceOptions) {
        const expiresOn = Math.floor(Date.now() / 1000) + args.days * 86400;
        super(stampProvider, name, { keeper: pulumi.secret(args.keeper), expiresOn }, { ...opts, additionalSecretOutputs: ["keeper"] });
    }
}
