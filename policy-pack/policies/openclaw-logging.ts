// Logging at the application layer (LOG-1): OpenClaw's audit ledger records each run and tool action with its
// execution identity, the verified person behind it (docs/gateway/audit.md "Run identity inspection").
import { resourcePolicy } from "./lib/meta";
import { section, validateOpenClawConfig } from "./lib/openclaw-config";

export const MESSAGES = {
    auditOff: (where: string) => `${where}: logging.audit.enabled is false: OpenClaw records no run or tool action`,
    noExecutionIdentity: (where: string) => `${where}: logging.audit.executionIdentity is not true (OpenClaw's default is off): the audit ledger cannot say who ran what`,
} as const;

export const kubernetesOpenclawConfigEnableAuditIdentity = resourcePolicy(
    {
        name: "kubernetes-openclaw-config-enable-audit-identity",
        description: "OpenClaw's audit ledger is on and records execution identity, so every agent run names the person who started it.",
        checklist: ["LOG-1"],
        severity: "high",
        remediationSteps: "Set logging.audit.enabled true (the default) and logging.audit.executionIdentity true.",
    },
    validateOpenClawConfig((config, where, check, _args, report) => {
        check(() => {
            const audit = section(section(config, "logging"), "audit");
            // docs/gateway/audit.md: run and tool records default on; executionIdentity defaults off.
            if (audit.enabled === false) {
                report(MESSAGES.auditOff(where));
            }
            if (audit.executionIdentity !== true) {
                report(MESSAGES.noExecutionIdentity(where));
            }
        });
    }),
);

export const openclawLoggingPolicies = [kubernetesOpenclawConfigEnableAuditIdentity];
