// The checklist's four application roles as OpenClaw operator role ceilings (`gateway.roles`), and the identity headers
// the ingress proxy sends OpenClaw. Sources: OpenClaw 2026.9.6 docs/gateway/operator-scopes.md ("Scope levels",
// "Named operator roles"), docs/gateway/trusted-proxy-auth.md ("Operator scopes header"), and its config schema
// (`openclaw config schema`: gateway.roles.definitions.*.scopes is a closed enum).
//
// CONTRACT with the ingress (components/kubernetes/ingress side, issue 14):
//  - The proxy overwrites IDENTITY_HEADERS.user with the verified, immutable subject of the person's ID token (never
//    an e-mail: the log masking rewrites e-mails) and removes any client-sent copy before any filter runs.
//  - The proxy overwrites IDENTITY_HEADERS.scopes with `scopesHeaderValue(roleForGroups(groups, roleGroups))`: the
//    scope ceiling of the highest checklist role the person's IdP groups grant, or "" (no scopes) when none does.
//    OpenClaw only ever narrows with this header (it caps what the person's role and grants allow); a client-sent
//    copy must be removed like the user header.
//  - Default deny: a request whose groups grant no role is refused at the proxy; OpenClaw refuses it again, as an
//    unassigned profile falls to DEFAULT_ROLE, whose ceiling is empty.
//  - Role assignment inside OpenClaw (`users.setRole`) names the roles in OPENCLAW_ROLE_NAMES; see docs/openclaw.md
//    "Roles and identity" for how assignment follows the IdP groups.

/** The checklist's application roles (RBAC-1..5), in precedence order: a person in several groups gets the first. */
export const CHECKLIST_ROLES = ["admin", "operator", "developer", "auditor"] as const;
export type ChecklistRole = (typeof CHECKLIST_ROLES)[number];

/**
 * OpenClaw's closed operator scope set, as the 2026.9.6 config schema enumerates it for
 * `gateway.roles.definitions.*.scopes` (run `openclaw config schema`); config validation rejects any other name.
 */
export const OPENCLAW_SCOPES = [
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
] as const;
export type OpenClawScope = (typeof OPENCLAW_SCOPES)[number];

/**
 * The identity headers the proxy sends. `user` is this project's name (OpenClaw takes any name in
 * `gateway.auth.trustedProxy.userHeader`); `scopes` is OpenClaw's own name, which it honours only on trusted-proxy
 * requests (docs/gateway/trusted-proxy-auth.md "Operator scopes header": present and empty means no scopes).
 * Header names are lower case, as Envoy and Node both normalise them.
 */
export const IDENTITY_HEADERS = { user: "x-openclaw-user", scopes: "x-openclaw-scopes" } as const;

/**
 * Agents the config defines. Production work runs on `main` (OpenClaw's default agent id, docs/concepts/multi-agent.md);
 * developers try prompts on `sandbox`, which has the same tool restrictions and no channel bindings.
 */
export const AGENTS = { production: "main", sandbox: "sandbox" } as const;

/** The role every profile without an assignment gets: no scopes, no agents, no other person's sessions. */
export const DEFAULT_ROLE = "unassigned";

/** One `gateway.roles.definitions` entry (schema: gateway.roles.definitions.*; docs/gateway/operator-scopes.md). */
export interface OpenClawRoleDefinition {
    /** Access to sessions other people created; a person always owns their own. */
    readonly sessions: { readonly others: "none" | "view" | "suggest" | "write" };
    /** Agents the role may create sessions on and run: "*" or a list of agent ids (empty: none). */
    readonly agents: "*" | readonly string[];
    /** The scope ceiling: grants, the proxy's scopes header and pairing are intersected with it. */
    readonly scopes: readonly OpenClawScope[];
}

/**
 * Each checklist role as an OpenClaw role ceiling. Scope meanings from docs/gateway/operator-scopes.md "Scope levels";
 * method scopes from dist/method-scopes-*.mjs of 2026.9.6 (config.* and users.setRole need operator.admin,
 * audit.* and users.list need operator.read, chat.send accepts operator.sessions.write on the caller's own session).
 */
export const ROLE_DEFINITIONS: Readonly<Record<ChecklistRole, OpenClawRoleDefinition>> = {
    // Everything, including config and role assignment (users.setRole is operator.admin); admin satisfies every scope.
    admin: { sessions: { others: "write" }, agents: "*", scopes: ["operator.admin"] },
    // Run and observe agents, answer approvals and questions; no operator.admin (config, secrets, role assignment),
    // no operator.talk.secrets, no operator.pairing (joining devices and nodes).
    operator: {
        sessions: { others: "view" },
        agents: "*",
        scopes: ["operator.read", "operator.write", "operator.approvals", "operator.questions"],
    },
    // Their own sessions on the sandbox agent only: session scopes, never operator.write (Gateway-wide tool invocation,
    // node relay) or operator.read (Gateway-wide logs, config reads); other people's sessions stay hidden.
    developer: {
        sessions: { others: "none" },
        agents: [AGENTS.sandbox],
        scopes: ["operator.sessions.read", "operator.sessions.write"],
    },
    // Read-only, including the audit ledger and execution identity (operator.read); runs nothing.
    auditor: { sessions: { others: "view" }, agents: [], scopes: ["operator.read"] },
};

/** `gateway.roles` as openclaw.json carries it: the four roles plus the empty default. */
export function openClawRoles(): {
    readonly default: typeof DEFAULT_ROLE;
    readonly definitions: Readonly<Record<ChecklistRole | typeof DEFAULT_ROLE, OpenClawRoleDefinition>>;
} {
    return {
        default: DEFAULT_ROLE,
        definitions: { ...ROLE_DEFINITIONS, [DEFAULT_ROLE]: { sessions: { others: "none" }, agents: [], scopes: [] } },
    };
}

/** The role names `users.setRole` accepts under this config. */
export const OPENCLAW_ROLE_NAMES = [...CHECKLIST_ROLES, DEFAULT_ROLE] as const;

/** For each checklist role, the IdP group values that grant it (`openclaw:identity.roleGroups`). */
export type RoleGroups = Readonly<Record<ChecklistRole, readonly string[]>>;

/**
 * The roles that have groups, in precedence order, with their groups: the table the proxy's Lua filter and the role
 * reconciler both take the first match from.
 */
export function rolesInPrecedence(roleGroups: RoleGroups): { readonly role: ChecklistRole; readonly groups: string[] }[] {
    return CHECKLIST_ROLES.filter((role) => roleGroups[role].length > 0).map((role) => ({ role, groups: [...roleGroups[role]] }));
}

/** The highest checklist role the person's groups grant, or undefined (the proxy then refuses the request). */
export function roleForGroups(groups: readonly string[], roleGroups: RoleGroups): ChecklistRole | undefined {
    return CHECKLIST_ROLES.find((role) => roleGroups[role].some((group) => groups.includes(group)));
}

/** The value of IDENTITY_HEADERS.scopes for a role: its ceiling comma-separated, or "" (no scopes) for no role. */
export function scopesHeaderValue(role: ChecklistRole | undefined): string {
    return role === undefined ? "" : ROLE_DEFINITIONS[role].scopes.join(",");
}
