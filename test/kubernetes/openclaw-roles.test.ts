// The checklist roles as OpenClaw role ceilings: every scope from OpenClaw's closed set, only admin administrative,
// the default role empty, and the header value the proxy derives from a person's groups.
import * as assert from "assert";
import fc from "fast-check";
import {
    CHECKLIST_ROLES,
    IDENTITY_HEADERS,
    openClawRoles,
    ROLE_DEFINITIONS,
    roleForGroups,
    scopesHeaderValue,
    type RoleGroups,
} from "../../components/kubernetes/openclaw-roles";

/** OpenClaw 2026.9.6 `openclaw config schema`: the enum of gateway.roles.definitions.*.scopes, copied from its output. */
const SCHEMA_SCOPES = [
    "operator.admin",
    "operator.read",
    "operator.write",
    "operator.sessions.read",
    "operator.sessions.write",
    "operator.approvals",
    "operator.questions",
    "operator.pairing",
    "operator.talk",
    "operator.talk.secrets",
];

describe("OpenClaw roles (RBAC-1..4 at the application layer)", () => {
    it("RBAC-5: uses only scopes of OpenClaw's closed scope set", () => {
        for (const [role, definition] of Object.entries(openClawRoles().definitions)) {
            for (const scope of definition.scopes) {
                assert.ok(SCHEMA_SCOPES.includes(scope), `${role}: ${scope}`);
            }
        }
    });

    it("RBAC-1: gives operator.admin (config, users.setRole) to the admin role only", () => {
        // docs/gateway/operator-scopes.md: operator.admin satisfies every scope and is required for config mutation.
        for (const [role, definition] of Object.entries(ROLE_DEFINITIONS)) {
            assert.strictEqual(definition.scopes.includes("operator.admin"), role === "admin", role);
        }
    });

    it("RBAC-2: lets operators run and approve but not read Talk secrets or pair devices", () => {
        const { scopes } = ROLE_DEFINITIONS.operator;
        assert.ok(scopes.includes("operator.write") && scopes.includes("operator.approvals"));
        assert.ok(!scopes.includes("operator.talk.secrets") && !scopes.includes("operator.pairing"));
    });

    it("RBAC-3: keeps developers to their own sessions on listed agents, without Gateway-wide write", () => {
        const developer = ROLE_DEFINITIONS.developer;
        assert.notStrictEqual(developer.agents, "*");
        assert.strictEqual(developer.sessions.others, "none");
        assert.ok(developer.scopes.every((s) => s.startsWith("operator.sessions.")), developer.scopes.join(", "));
    });

    it("RBAC-4: makes auditors read-only and lets them run nothing", () => {
        assert.deepStrictEqual(ROLE_DEFINITIONS.auditor.scopes, ["operator.read"]);
        assert.deepStrictEqual(ROLE_DEFINITIONS.auditor.agents, []);
    });

    it("gives the default role, which every unassigned person gets, nothing", () => {
        const roles = openClawRoles();
        assert.deepStrictEqual(roles.definitions[roles.default], { sessions: { others: "none" }, agents: [], scopes: [] });
        assert.ok(!(CHECKLIST_ROLES as readonly string[]).includes(roles.default));
    });

    it("sends the scopes in OpenClaw's own header name, comma-separated, and an empty value for no role", () => {
        // docs/gateway/trusted-proxy-auth.md "Operator scopes header": x-openclaw-scopes: operator.read,operator.write.
        assert.strictEqual(IDENTITY_HEADERS.scopes, "x-openclaw-scopes");
        assert.strictEqual(scopesHeaderValue("auditor"), "operator.read");
        assert.strictEqual(scopesHeaderValue(undefined), "");
    });

    it("picks the highest role a person's groups grant, and none when no group matches", () => {
        const group = fc.stringMatching(/^[a-z]{1,6}$/);
        fc.assert(
            fc.property(fc.record({ admin: fc.array(group), operator: fc.array(group), developer: fc.array(group), auditor: fc.array(group) }), fc.array(group), (roleGroups: RoleGroups, groups) => {
                const role = roleForGroups(groups, roleGroups);
                const granted = CHECKLIST_ROLES.filter((r) => roleGroups[r].some((g) => groups.includes(g)));
                assert.strictEqual(role, granted[0]);
            }),
        );
    });
});
