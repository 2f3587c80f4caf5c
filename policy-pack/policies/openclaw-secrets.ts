// Secrets at the application layer (SEC-1): every credential in openclaw.json is a SecretRef that OpenClaw resolves
// at runtime (docs/gateway/secrets.md), never a literal in the ConfigMap.
import { resourcePolicy } from "./lib/meta";
import { section, validateOpenClawConfig } from "./lib/openclaw-config";
import type { Json } from "./lib/kubernetes";

/** SecretRef sources OpenClaw 2026.9.6 accepts (`openclaw config schema`, secrets.providers.*.source). */
const SECRET_REF_SOURCES = ["env", "file", "exec", "store"] as const;

export const MESSAGES = {
    literalCredential: (where: string, path: string) => `${where}: ${path} is a literal, not a SecretRef: the credential sits in a ConfigMap anyone with read access sees`,
} as const;

const isSecretRef = (value: unknown) =>
    value !== null && typeof value === "object" && (SECRET_REF_SOURCES as readonly string[]).includes(String((value as Json).source)) && typeof (value as Json).id === "string";

export const kubernetesOpenclawConfigEnforceSecretRefs = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-enforce-secret-refs",
        description: "The gateway token or password and every model provider key in openclaw.json are SecretRefs (env, file, exec or store), never literals.",
        checklist: ["SEC-1"],
        severity: "critical",
        remediationSteps: 'Write { source: "env", provider: "default", id: "<ENV_VAR>" } and deliver the value through the Secret External Secrets maintains.',
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        check(() => {
            const auth = section(section(config, "gateway"), "auth");
            const credentials: [string, unknown][] = [
                ["gateway.auth.token", auth.token],
                ["gateway.auth.password", auth.password],
                ...Object.entries(section(section(config, "models"), "providers")).map(([id, p]) => [`models.providers.${id}.apiKey`, (p as Json | undefined)?.apiKey] as [string, unknown]),
            ];
            for (const [path, value] of credentials) {
                if (value !== undefined && !isSecretRef(value)) {
                    report(MESSAGES.literalCredential(where, path));
                }
            }
        });
    }),
);

export const openclawSecretsPolicies = [kubernetesOpenclawConfigEnforceSecretRefs];
