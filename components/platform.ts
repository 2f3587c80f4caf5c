// Picks the cloud platform for `openclaw:cloud`: the only place that branches on the cloud.
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/read";
import type { Cloud } from "../config/schema";
import { AwsPlatform } from "./aws";
import { AzurePlatform } from "./azure";
import type { PlatformSeam } from "./seam";

/** Builds the platform for the configured cloud and returns its seam. */
export function createPlatform(name: string, config: StackConfig, opts?: pulumi.ComponentResourceOptions): PlatformSeam {
    const cloud: Cloud = config.cloud;
    switch (cloud) {
        case "aws":
            return new AwsPlatform(name, { config }, opts).seam;
        case "azure":
            return new AzurePlatform(name, { config }, opts).seam;
        default: {
            const unhandled: never = cloud;
            throw new Error(`unhandled cloud: ${String(unhandled)}`);
        }
    }
}
