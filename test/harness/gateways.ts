// Both example stacks with two team gateways besides their own, run once per test process and shared by the
// gateway isolation tests and the pack's per-gateway tests.
import { EXAMPLE_SECRETS, type ExampleStack } from "./examples";
import { runProgram, type ProgramRun } from "./program";

type Obj = Record<string, unknown>;

/** Two team gateways per cloud, with group identities spelt as each cloud's `openclaw:groups` are. */
export const TEAMS: Readonly<Record<ExampleStack, readonly Obj[]>> = {
    dev: [
        {
            name: "research",
            hostname: "research.openclaw.example.com",
            groups: { admin: ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_ResearchAdmin_0123456789abcdef"], developer: ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_ResearchDev_0123456789abcdef"] },
            roleGroups: { admin: ["Research-Admins"], developer: ["Research-Developers"] },
            storageSize: "20Gi",
        },
        {
            name: "finance",
            hostname: "finance.openclaw.example.com",
            namespace: "openclaw-fin",
            groups: { admin: ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_FinanceAdmin_0123456789abcdef"], auditor: ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_FinanceAudit_0123456789abcdef"] },
            roleGroups: { admin: ["Finance-Admins"], auditor: ["Finance-Auditors"] },
        },
    ],
    "dev-azure": [
        {
            name: "research",
            hostname: "research.openclaw.example.com",
            groups: { admin: ["55555555-5555-5555-5555-555555555555"], developer: ["66666666-6666-6666-6666-666666666666"] },
            roleGroups: { admin: ["55555555-5555-5555-5555-555555555555"], developer: ["66666666-6666-6666-6666-666666666666"] },
            storageSize: "20Gi",
        },
        {
            name: "finance",
            hostname: "finance.openclaw.example.com",
            namespace: "openclaw-fin",
            groups: { admin: ["77777777-7777-7777-7777-777777777777"], auditor: ["88888888-8888-8888-8888-888888888888"] },
            roleGroups: { admin: ["77777777-7777-7777-7777-777777777777"], auditor: ["88888888-8888-8888-8888-888888888888"] },
        },
    ],
};

const runs = new Map<ExampleStack, Promise<ProgramRun>>();

/** The example stack's program with `openclaw:gateways` = its own gateway, research and finance. */
export function gatewaysRun(stack: ExampleStack): Promise<ProgramRun> {
    let run = runs.get(stack);
    if (run === undefined) {
        run = runProgram({ stack, secrets: EXAMPLE_SECRETS, config: { gateways: [{ name: "platform" }, ...TEAMS[stack]] } });
        runs.set(stack, run);
    }
    return run;
}
