// Picks the cloud platform for `openclaw:cloud`: the only place that branches on the cloud.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig } from "../config/read";
import type { Cloud } from "../config/schema";
import type { PlatformSeam } from "./seam";

/** Builds the platform for the configured cloud and returns its seam. */
export function createPlatform(name: string, config: StackConfig, opts?: pulumi.ComponentResourceOptions): PlatformSeam {
    const cloud: Cloud = config.cloud;
    switch (cloud) {
        case "aws":
            throw new ConfigError([`openclaw:cloud: the aws platform is not built yet; nothing was deployed`]);
        case "azure":
            throw new ConfigError([`openclaw:cloud: the azure platform is not built yet; nothing was deployed`]);
        default:
            return assertNever(cloud, name, opts);
    }
}

function assertNever(value: never, ..._unused: unknown[]): never {
    throw new Error(`unhandled cloud: ${String(value)}`);
}
