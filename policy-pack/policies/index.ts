// The plain list of every policy in the pack, by checklist section.
import type { Policies } from "@pulumi/policy";
import { ciPolicies } from "./ci";
import { ingressAccessPolicies } from "./ingress-access";
import { loggingPolicies } from "./logging";
import { networkPolicies } from "./network";
import { openclawLoggingPolicies } from "./openclaw-logging";
import { openclawRbacPolicies } from "./openclaw-rbac";
import { openclawSecretsPolicies } from "./openclaw-secrets";
import { rbacPolicies } from "./rbac";
import { secretsPolicies } from "./secrets";
import { tlsPolicies } from "./tls";
import { workloadPolicies } from "./workload";

export const policies: Policies = [
    ...networkPolicies,
    ...secretsPolicies,
    ...tlsPolicies,
    ...loggingPolicies,
    ...rbacPolicies,
    ...workloadPolicies,
    // Access at the ingress: single sign-on, unforgeable identity headers, non-public paths kept off.
    ...ingressAccessPolicies,
    // The application layer: OpenClaw's own openclaw.json, by checklist section.
    ...openclawRbacPolicies,
    ...openclawSecretsPolicies,
    ...openclawLoggingPolicies,
    ...ciPolicies,
];

export { CHECKLIST, CHECKLIST_IDS, SECTIONS } from "./checklist";
export type { ChecklistId } from "./checklist";
