// The cloud-agnostic Kubernetes layer: everything that runs on the cluster, built only from the platform seam.
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/read";
import type { PlatformSeam } from "../seam";

export interface KubernetesLayerArgs {
    /** The validated stack config. */
    readonly config: StackConfig;
    /** What the cloud platform hands over. */
    readonly platform: PlatformSeam;
}

export class KubernetesLayer extends pulumi.ComponentResource {
    /** Stack outputs this layer contributes. No secrets. */
    readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>> = {};

    constructor(name: string, args: KubernetesLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:Layer", name, {}, opts);
        void args;
        this.registerOutputs({});
    }
}
