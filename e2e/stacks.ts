// What each example stack deploys as openclaw.json (read off a recorded run of the whole program), and which
// OpenClaw version its image pins. No OpenClaw needed, so the unit tests use it too.
import type { OpenClawJson } from "../components/kubernetes/openclaw-json";
import { ROLE_RECONCILER } from "../components/kubernetes/role-reconciler";
import type { RoleReconcilerConfig } from "../components/kubernetes/role-reconciler/program";
import { MODEL_PROVIDERS, MODEL_PROVIDER_NAMES, type ModelProvider } from "../config/providers";
import { configSchema, type OpenClawConfig } from "../config/schema";
import { EXAMPLE_SECRETS, exampleRun, type ExampleStack } from "../test/harness/examples";
import { runProgram, stackValues } from "../test/harness/program";

export { EXAMPLE_STACKS, type ExampleStack } from "../test/harness/examples";

/** The validated config of a stack file (the secret provider keys are not in stack files, so none is read). */
export function stackConfig(stack: ExampleStack): OpenClawConfig {
    return configSchema.parse(stackValues(stack));
}

/** The ConfigMap key the Kubernetes layer mounts as OpenClaw's configuration file. */
const CONFIG_KEY = "openclaw.json";

/**
 * The openclaw.json the program deploys for this stack with these model providers configured: the whole program
 * runs under the recording mocks (platform seam included) and the file is read from the ConfigMap it registers.
 * Stack files carry no provider keys (they are secrets), so recognisable fake keys stand in for the chosen ones.
 */
export async function deployedOpenClawJson(stack: ExampleStack, modelProviders: readonly ModelProvider[] = MODEL_PROVIDER_NAMES): Promise<OpenClawJson> {
    const keys = modelProviders.map((p) => MODEL_PROVIDERS[p].configKey);
    // Every provider: the shared run of the test process; a subset: a run of its own.
    const run =
        keys.length === MODEL_PROVIDER_NAMES.length
            ? await exampleRun(stack)
            : await runProgram({ stack, secrets: Object.fromEntries([...keys, "identityClientSecret"].map((key) => [key, EXAMPLE_SECRETS[key]])) });
    const files = run.resources
        .filter((r) => r.type === "kubernetes:core/v1:ConfigMap")
        .map((r) => (r.inputs.data as Record<string, string> | undefined)?.[CONFIG_KEY])
        .filter((file): file is string => file !== undefined);
    if (files.length !== 1) {
        throw new Error(`${stack}: expected one ConfigMap holding ${CONFIG_KEY}, found ${files.length}`);
    }
    return JSON.parse(files[0]) as OpenClawJson;
}

/** The role reconciler's config.json the program deploys for this stack (its ConfigMap in the recorded run). */
export async function deployedRoleReconcilerConfig(stack: ExampleStack): Promise<RoleReconcilerConfig> {
    const files = (await exampleRun(stack)).resources
        .filter((r) => r.type === "kubernetes:core/v1:ConfigMap")
        .map((r) => (r.inputs.data as Record<string, string> | undefined)?.[ROLE_RECONCILER.configFile])
        .filter((file): file is string => file !== undefined);
    if (files.length !== 1) {
        throw new Error(`${stack}: expected one ConfigMap holding the role reconciler's ${ROLE_RECONCILER.configFile}, found ${files.length}`);
    }
    return JSON.parse(files[0]) as RoleReconcilerConfig;
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
