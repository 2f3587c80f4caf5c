// The plain list of every policy in the pack, by checklist section.
import type { Policies } from "@pulumi/policy";
import { ciPolicies } from "./ci";
import { loggingPolicies } from "./logging";
import { networkPolicies } from "./network";
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
    ...ciPolicies,
];

export { CHECKLIST, CHECKLIST_IDS, SECTIONS } from "./checklist";
export type { ChecklistId } from "./checklist";
