// A pause on the first `up` between Azure RBAC grants and the resource that relies on them, because role assignments
// take up to about 10 minutes to take effect (learn.microsoft.com/azure/role-based-access-control/troubleshooting).
import * as pulumi from "@pulumi/pulumi";

interface DelayInputs {
    readonly seconds: number;
    /** What the pause is for (shown in the state); a change does not pause again. */
    readonly reason: string;
}

/** Sleeps on create only; later runs (and changes of `reason`) do nothing. The methods capture nothing. */
const delayProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: DelayInputs) {
        await new Promise((resolve) => setTimeout(resolve, inputs.seconds * 1000));
        return { id: `delay-${inputs.seconds}s`, outs: inputs };
    },
    async diff() {
        return { changes: false };
    },
};

export interface PropagationDelayArgs {
    readonly seconds: number;
    readonly reason: string;
}

/** Created after the grants it is `dependsOn` them; whatever needs the grants in effect depends on this. */
export class PropagationDelay extends pulumi.dynamic.Resource {
    constructor(name: string, args: PropagationDelayArgs, opts: pulumi.CustomResourceOptions) {
        super(delayProvider, name, { seconds: args.seconds, reason: args.reason }, opts);
    }
}
