// One Entra group in several roles and teams (review B3): ARM keys a role assignment on (principal, role definition,
// scope) and refuses a second one under another name with 409 RoleAssignmentExists, so each triple is granted once.
import * as assert from "assert";
import { type AssignmentSpec, withoutDuplicateGrants } from "../../components/azure/role-assignments";
import { EXAMPLE_SECRETS, exampleRun } from "../harness/examples";
import { runProgram, type ProgramRun } from "../harness/program";

/** Pulumi.dev-azure.yaml's admin group, reused below as a team admin, a team auditor and another team's developer. */
const SRE = "11111111-1111-1111-1111-111111111111";
const RESEARCH = "55555555-5555-5555-5555-555555555555";

const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const triple = (r: ProgramRun["resources"][number]) => JSON.stringify([r.inputs.principalId, r.inputs.roleDefinitionId, r.inputs.scope]);

describe("Azure role assignments when one group holds several roles across gateways", function () {
    this.timeout(300_000);
    let run: ProgramRun;
    let single: ProgramRun;
    before(async () => {
        single = await exampleRun("dev-azure");
        run = await runProgram({
            stack: "dev-azure",
            secrets: EXAMPLE_SECRETS,
            config: {
                gateways: [
                    { name: "platform" },
                    { name: "research", hostname: "research.openclaw.example.com", groups: { admin: [SRE, RESEARCH], auditor: [SRE, RESEARCH] }, roleGroups: { admin: [SRE, RESEARCH], auditor: [RESEARCH] } },
                    { name: "finance", hostname: "finance.openclaw.example.com", groups: { developer: [SRE, RESEARCH] }, roleGroups: { admin: [SRE], developer: [SRE, RESEARCH] } },
                ],
            },
        });
    });

    it("creates each (principal, role definition, scope) once", () => {
        const all = run.resources.filter((r) => r.type === ROLE_ASSIGNMENT).map(triple);
        const repeated = all.filter((t, i) => all.indexOf(t) !== i);
        assert.deepStrictEqual(repeated, []);
        // Cluster User Role on the cluster: the stack's four groups plus RESEARCH, the one team group not among them.
        const clusterUser = run.resources.filter((r) => r.type === ROLE_ASSIGNMENT && String(r.inputs.description).includes("Cluster User Role on cluster"));
        assert.strictEqual(clusterUser.length, 5);
    });

    it("still grants every team role its namespace scope, and keeps the one-gateway stack's assignments under their names", () => {
        const scopes = (principal: string) => run.resources.filter((r) => r.type === ROLE_ASSIGNMENT && r.inputs.principalId === principal).map((r) => String(r.inputs.scope));
        for (const ns of ["openclaw-research", "openclaw-research-sandbox", "openclaw-finance-sandbox"]) {
            assert.ok(scopes(SRE).some((s) => s.endsWith(`/namespaces/${ns}`)), `${SRE} on ${ns}: ${scopes(SRE).join(", ")}`);
        }
        const urns = new Set(run.resources.map((r) => r.urn));
        assert.deepStrictEqual(single.resources.filter((r) => r.type === ROLE_ASSIGNMENT && !urns.has(r.urn)).map((r) => r.urn), []);
    });

    it("reports every reason a merged grant is held", () => {
        const rows = run.outputs.azureRoleAssignments as { principal: string; principalId: string; role: string; scope: string }[];
        const row = rows.find((r) => r.principalId === RESEARCH && r.role === "Azure Kubernetes Service Cluster User Role");
        assert.ok(row);
        assert.strictEqual(row.principal, "admin group 5555; auditor group 5555; developer group 5555".replace(/5555/g, RESEARCH));
    });
});

describe("withoutDuplicateGrants", () => {
    const grant = (key: string, principalId: AssignmentSpec["principalId"], scopeLabel = "cluster"): AssignmentSpec => ({
        key, who: key, kind: "Group", principalId, role: "Azure Kubernetes Service Cluster User Role", scope: `/x/${scopeLabel}`, scopeLabel,
    });

    it("keeps the first occurrence across the lists, in order, and leaves other scopes and principals alone", () => {
        const [first, second] = withoutDuplicateGrants([
            [grant("a", "g1"), grant("b", "g1"), grant("c", "g2")],
            [grant("d", "g1"), grant("e", "g1", "namespace openclaw-x"), grant("f", "g2")],
        ]);
        assert.deepStrictEqual(first.map((g) => [g.key, g.alsoWho]), [["a", ["b", "d"]], ["c", ["f"]]]);
        assert.deepStrictEqual(second.map((g) => [g.key, g.alsoWho]), [["e", undefined]]);
    });

    it("never merges a principal only known once deployed", () => {
        const [list] = withoutDuplicateGrants([[grant("a", Promise.resolve("g1")), grant("b", Promise.resolve("g1"))]]);
        assert.deepStrictEqual(list.map((g) => g.key), ["a", "b"]);
    });
});
