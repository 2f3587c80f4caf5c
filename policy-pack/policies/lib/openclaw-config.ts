// Reading openclaw.json, OpenClaw's own configuration, out of the ConfigMap the program mounts into the gateway pod:
// the application layer's policies (policies/openclaw-*.ts) check the file OpenClaw will actually read.
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import { type ReportViolation, type ResourceValidation, type ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import type { Json } from "./kubernetes";
import { previewSafe, type Check } from "./preview";

/** The ConfigMap key the gateway mounts as its configuration file (components/kubernetes/openclaw.ts). */
export const OPENCLAW_CONFIG_KEY = "openclaw.json";

export const CONFIG_MESSAGES = {
    notJson: (where: string) => `${where} is not JSON: OpenClaw would refuse to start, and nothing in it can be checked`,
} as const;

/** `namespace/name` of a ConfigMap, as exceptions in the pack's config name it. */
export function configMapId(configMap: { metadata?: { namespace?: string; name?: string } }): string {
    return `${configMap.metadata?.namespace ?? "default"}/${configMap.metadata?.name ?? ""}`;
}

/** A nested object of the parsed file, or {} when absent (an absent section means OpenClaw's defaults). */
export function section(parent: Json | undefined, key: string): Json {
    const value = parent?.[key];
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * A resource validation for every ConfigMap that carries openclaw.json. The file is parsed once; `fn` gets the
 * parsed object, the ConfigMap's `namespace/name` and a `check` (previewSafe) for independent checks. A file whose
 * text is unknown during preview gives the runtime's advisory, never a verdict.
 */
export function validateOpenClawConfig(
    fn: (config: Json, where: string, check: Check, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
    return validateResourceOfType(ConfigMap, (configMap, args, report) => {
        const where = `ConfigMap ${configMapId(configMap)} ${OPENCLAW_CONFIG_KEY}`;
        previewSafe((check) => {
            let text: string | undefined;
            check(() => {
                const data = configMap.data ?? {};
                text = OPENCLAW_CONFIG_KEY in data ? String(data[OPENCLAW_CONFIG_KEY]) : undefined;
            });
            if (text === undefined) {
                return;
            }
            let config: Json;
            try {
                config = JSON.parse(text) as Json;
            } catch {
                report(CONFIG_MESSAGES.notJson(where));
                return;
            }
            fn(config, where, check, args, report);
        });
    });
}
