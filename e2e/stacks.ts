// What each example stack deploys as openclaw.json, and which OpenClaw version its image pins, read from the stack
// files the way the test harness reads them. Pure: no OpenClaw needed, so the unit tests use it too.
import { renderOpenClawJson, type OpenClawJson, type OpenClawJsonArgs } from "../components/kubernetes/openclaw-json";
import { MODEL_PROVIDER_NAMES, type ModelProvider } from "../config/providers";
import { CLUSTER_ADDRESSING, configSchema, type OpenClawConfig } from "../config/schema";
import { stackValues } from "../test/harness/program";

export const EXAMPLE_STACKS = ["dev", "dev-azure"] as const;
export type ExampleStack = (typeof EXAMPLE_STACKS)[number];

/** The validated config of a stack file (the secret provider keys are not in stack files, so none is read). */
export function stackConfig(stack: ExampleStack): OpenClawConfig {
    return configSchema.parse(stackValues(stack));
}

/**
 * The ranges the ingress proxies' pod addresses come from, as the platforms report them in `cluster.podCidrs`:
 * AWS VPC CNI gives pods addresses from the node subnets (inside the VPC CIDR); Azure CNI overlay uses the fixed
 * pod CIDR. The VPC CIDR is a superset of the AWS node subnets: same keys, same validation.
 */
function proxyPodCidrs(config: OpenClawConfig): string[] {
    switch (config.cloud) {
        case "aws":
            return [config.network.cidr];
        case "azure":
            return [CLUSTER_ADDRESSING.podCidr];
    }
}

/**
 * The args the Kubernetes layer passes for this stack with these model providers configured. The stack files carry
 * no provider keys (they are secrets); by default every provider is included, so the file holds every provider
 * entry any subset could have.
 */
export function openClawJsonArgs(stack: ExampleStack, modelProviders: readonly ModelProvider[] = MODEL_PROVIDER_NAMES): OpenClawJsonArgs {
    const config = stackConfig(stack);
    return { hostname: config.hostname, trustedProxyCidrs: proxyPodCidrs(config), modelProviders };
}

export function renderedOpenClawJson(stack: ExampleStack, modelProviders?: readonly ModelProvider[]): OpenClawJson {
    return renderOpenClawJson(openClawJsonArgs(stack, modelProviders));
}

/** The tag of the stack's OpenClaw image (`ghcr.io/openclaw/openclaw:<tag>@sha256:...`). */
export function imageTag(stack: ExampleStack): string {
    const image = stackConfig(stack).openclaw.image;
    const match = /:([\w][\w.-]{0,127})@sha256:[0-9a-f]{64}$/.exec(image);
    if (!match) {
        throw new Error(`${stack}: openclaw:openclaw.image ${image} has no tag; the tag names the OpenClaw version`);
    }
    return match[1];
}
