// The CrossGuard policy pack: `pulumi preview --policy-pack policy-pack` loads this file.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("openclaw-checklist", {
    description: "Blocks any deployment of OpenClaw that breaks the security checklist (NET, SEC, TLS, LOG, RBAC, CI).",
    displayName: "OpenClaw security checklist",
    enforcementLevel: "mandatory",
    provider: "aws, azure-native, kubernetes",
    tags: ["openclaw", "security", "checklist"],
    policies,
});
