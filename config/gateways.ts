// `openclaw:gateways`: the isolated OpenClaw gateways of a stack (one per team), their schema, the checks across
// them, and the plan every layer builds from. The first gateway is the stack's own, described by the stack-level keys.
import { z } from "zod";

/** A gateway's name: a DNS label short enough for every name derived from it (namespace, IAM role, vault secret). */
export const GATEWAY_NAME = /^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/;

/**
 * A Kubernetes namespace name is an RFC 1123 label of at most 63 characters
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names); each gateway also gets
 * `<namespace>-sandbox`, so its own namespace is at most 63 - 8 characters.
 */
const NAMESPACE_NAME = /^[a-z0-9]([a-z0-9-]{0,53}[a-z0-9])?$/;
/**
 * Every gateway namespace is `openclaw-<...>`: the policy pack treats such namespaces (sandboxes and the Azure
 * rotators' aside) as holding a runtime Secret (policy-pack/policies/rbac.ts isGatewayNamespace).
 */
const GATEWAY_NAMESPACE_PREFIX = "openclaw-";
export const SANDBOX_SUFFIX = "-sandbox";

/** The name of the only gateway when `openclaw:gateways` is unset. */
export const DEFAULT_GATEWAY_NAME = "default";

/**
 * Namespaces a gateway may not take: Kubernetes' own (`kube-*`, `default`: kubernetes.io/docs/concepts/overview/
 * working-with-objects/namespaces/#initial-namespaces), and every namespace this program creates outside the
 * gateways (components/kubernetes/charts.ts chart namespaces, components/seam.ts WORKLOADS and APP_NAMESPACES,
 * components/azure/rotation.ts ROTATOR; test/config/gateways.test.ts checks this list covers them).
 */
export const RESERVED_NAMESPACES: readonly string[] = [
    "default", "envoy-gateway-system", "cert-manager", "external-secrets", "reloader", "logging", "openclaw", "openclaw-sandbox", "openclaw-rotation",
];
const RESERVED_PREFIXES: readonly string[] = ["kube-", "openclaw-rotation-"];

const FQDN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;

/** One role's group identities; each is checked against the cloud's spelling by the config's cloud rules. */
const groupList = z.array(z.string(), { error: "must be a list of group identities" }).default([]);
const GROUP_VALUE = /^[^\s,"\p{Cc}][^,"\p{Cc}]{0,254}(?<!\s)$/u;
const idpGroupList = z
    .array(z.string().regex(GROUP_VALUE, { error: "is not a group value; accepted: the value the IdP puts in the groups claim (no comma, quote or control character)" }), { error: "must be a list of the IdP's group values" })
    .default([]);

export const gatewaySchema = z.strictObject(
    {
        name: z.string({ error: "is required; accepted: a lower-case name of 1-12 letters, digits and dashes, e.g. research" }).regex(GATEWAY_NAME, {
            error: "accepted: a lower-case name of 1-12 letters, digits and dashes, starting with a letter, e.g. research",
        }),
        hostname: z.string().regex(FQDN, { error: "is not a lower-case fully qualified domain name; accepted: e.g. research.openclaw.example.com" }).optional(),
        namespace: z.string().regex(NAMESPACE_NAME, { error: "is not a namespace name; accepted: lower-case letters, digits and dashes, at most 55 characters (the sandbox adds -sandbox)" }).optional(),
        groups: z
            .strictObject(
                { admin: groupList, operator: groupList, developer: groupList, auditor: groupList },
                { error: "accepted: { admin?, operator?, developer?, auditor? }, each a list of cloud group identities as in openclaw:groups" },
            )
            .optional(),
        roleGroups: z
            .strictObject(
                { admin: idpGroupList, operator: idpGroupList, developer: idpGroupList, auditor: idpGroupList },
                { error: "accepted: { admin, operator?, developer?, auditor? }, each a list of IdP group values as in openclaw:identity.roleGroups" },
            )
            .optional(),
        storageSize: z.string().regex(/^\d+Gi$/, { error: "accepted: a size in Gi, e.g. 10Gi" }).optional(),
    },
    { error: "accepted: { name, hostname, namespace?, groups?, roleGroups?, storageSize? }" },
);

export const gatewaysSchema = z.array(gatewaySchema, { error: "must be a list of gateways; accepted: [{ name, hostname, ... }] (see the config reference in README.md)" }).min(1, {
    error: "must list at least one gateway; accepted: unset for one gateway, or a list whose first entry is the stack's own",
});

export type GatewayEntry = z.output<typeof gatewaySchema>;
type GroupRoleKey = "admin" | "operator" | "developer" | "auditor";
const ROLE_KEYS: readonly GroupRoleKey[] = ["admin", "operator", "developer", "auditor"];
type RoleLists = Readonly<Record<GroupRoleKey, readonly string[]>>;

/** One gateway as every layer builds it. */
export interface GatewayPlan {
    /** `openclaw:gateways[i].name`; the first gateway's is only a label (its resources keep the single-gateway names). */
    readonly name: string;
    /** True for the first gateway: the stack's own, whose resource names and vault entries are those of a stack without `gateways`. */
    readonly primary: boolean;
    readonly hostname: string;
    readonly namespace: string;
    /** The developers' namespace of this gateway. */
    readonly sandboxNamespace: string;
    /**
     * Cloud group identities per role for this gateway alone, bound only in its namespaces. Empty for the first
     * gateway: its people are `openclaw:groups`, which also hold the platform-wide admin and auditor grants.
     */
    readonly groups: RoleLists;
    /** IdP group values per role for this gateway's sign-on; undefined under the shared-token weakening. */
    readonly roleGroups?: RoleLists;
    readonly storageSize: string;
}

/** What the plan reads from the rest of the config. */
export interface GatewayStackKeys {
    readonly hostname: string;
    readonly gateways?: readonly GatewayEntry[];
    readonly identity?: { readonly roleGroups: RoleLists };
    readonly openclaw: { readonly storageSize: string };
}

const NO_GROUPS: RoleLists = { admin: [], operator: [], developer: [], auditor: [] };

/** The gateways of a valid config, first (the stack's own) first. */
export function planGateways(config: GatewayStackKeys): GatewayPlan[] {
    const entries = config.gateways ?? [{ name: DEFAULT_GATEWAY_NAME }];
    return entries.map((entry, index) => {
        if (index === 0) {
            return {
                name: entry.name,
                primary: true,
                hostname: config.hostname,
                namespace: "openclaw",
                sandboxNamespace: "openclaw-sandbox",
                groups: NO_GROUPS,
                roleGroups: config.identity?.roleGroups,
                storageSize: config.openclaw.storageSize,
            };
        }
        const namespace = entry.namespace ?? `openclaw-${entry.name}`;
        return {
            name: entry.name,
            primary: false,
            hostname: entry.hostname ?? "",
            namespace,
            sandboxNamespace: `${namespace}${SANDBOX_SUFFIX}`,
            groups: entry.groups ?? NO_GROUPS,
            roleGroups: config.identity === undefined ? undefined : (entry.roleGroups ?? NO_GROUPS),
            storageSize: entry.storageSize ?? config.openclaw.storageSize,
        };
    });
}

/** A problem found across the gateways: the path under `gateways`, the value (not a secret key) and the message. */
export interface GatewayProblem {
    readonly path: (string | number)[];
    readonly input: unknown;
    readonly message: string;
}

function reservedNamespace(ns: string): boolean {
    return RESERVED_NAMESPACES.includes(ns) || RESERVED_PREFIXES.some((prefix) => ns.startsWith(prefix));
}

/**
 * The checks across gateways and against the stack keys: the first entry takes only `name`; every other needs a
 * hostname and, with single sign-on, an admin IdP group; names, hostnames and namespaces (sandboxes included) are
 * unique and no namespace is reserved.
 */
export function gatewayProblems(config: GatewayStackKeys): GatewayProblem[] {
    if (config.gateways === undefined || config.gateways.length === 0) {
        return []; // an empty list is reported once, by the list's own minimum
    }
    const problems: GatewayProblem[] = [];
    const [first, ...rest] = config.gateways;
    for (const key of ["hostname", "namespace", "groups", "roleGroups", "storageSize"] as const) {
        if (first[key] !== undefined) {
            const from = { hostname: "openclaw:hostname", namespace: "the namespace openclaw", groups: "openclaw:groups", roleGroups: "openclaw:identity.roleGroups", storageSize: "openclaw:openclaw.storageSize" }[key];
            problems.push({ path: [0, key], input: key === "groups" || key === "roleGroups" ? undefined : first[key], message: `is set on the first gateway, the stack's own, which takes it from ${from}; accepted: unset (describe other teams as further entries)` });
        }
    }
    rest.forEach((entry, i) => {
        const index = i + 1;
        if (entry.hostname === undefined) {
            problems.push({ path: [index, "hostname"], input: undefined, message: "is required for every gateway but the first; accepted: the gateway's own public FQDN, e.g. research.openclaw.example.com" });
        }
        if (config.identity === undefined && entry.roleGroups !== undefined) {
            problems.push({ path: [index, "roleGroups"], input: undefined, message: "is set without openclaw:identity; accepted: unset under openclaw:allowSharedTokenAuth" });
        }
        if (config.identity !== undefined && (entry.roleGroups?.admin.length ?? 0) === 0) {
            problems.push({ path: [index, "roleGroups", "admin"], input: undefined, message: "must list at least one IdP group: without one nobody can administer this gateway's OpenClaw" });
        }
    });
    const plans = planGateways(config);
    const seen = { name: new Map<string, number>(), hostname: new Map<string, number>(), namespace: new Map<string, string>() };
    plans.forEach((plan, index) => {
        const nameAt = seen.name.get(plan.name);
        if (nameAt !== undefined) {
            problems.push({ path: [index, "name"], input: plan.name, message: `is also the name of gateway ${nameAt}; accepted: a name unique among the gateways` });
        }
        seen.name.set(plan.name, index);
        if (plan.hostname !== "") {
            const hostAt = seen.hostname.get(plan.hostname);
            if (hostAt !== undefined) {
                problems.push({ path: [index, "hostname"], input: plan.hostname, message: `is also the hostname of ${hostAt === 0 ? "the first gateway (openclaw:hostname)" : `gateway ${hostAt}`}; accepted: a hostname unique among the gateways` });
            }
            seen.hostname.set(plan.hostname, index);
        }
        if (plan.primary) {
            seen.namespace.set(plan.namespace, "the first gateway").set(plan.sandboxNamespace, "the first gateway's sandbox");
            return;
        }
        const where: (string | number)[] = [index, config.gateways?.[index]?.namespace === undefined ? "name" : "namespace"];
        if (!NAMESPACE_NAME.test(plan.namespace)) {
            return; // reported once, by the namespace's own check
        }
        if (!plan.namespace.startsWith(GATEWAY_NAMESPACE_PREFIX) || plan.namespace.endsWith(SANDBOX_SUFFIX)) {
            problems.push({ path: where, input: plan.namespace, message: `gives the namespace ${plan.namespace}; accepted: ${GATEWAY_NAMESPACE_PREFIX}<team>, not ending in ${SANDBOX_SUFFIX} (the policy pack knows gateway namespaces by this form)` });
            return;
        }
        for (const [ns, what] of [[plan.namespace, "namespace"], [plan.sandboxNamespace, "sandbox namespace"]] as const) {
            // One line per gateway: its sandbox clashes whenever its namespace does.
            if (reservedNamespace(ns)) {
                problems.push({ path: where, input: ns, message: `gives the ${what} ${ns}, which is reserved; accepted: a namespace outside ${[...RESERVED_NAMESPACES, ...RESERVED_PREFIXES.map((p) => `${p}*`)].join(", ")}` });
                break;
            }
            const owner = seen.namespace.get(ns);
            if (owner !== undefined) {
                problems.push({ path: where, input: ns, message: `gives the ${what} ${ns}, which is already taken by ${owner}; accepted: a namespace unique among the gateways and their sandboxes` });
                break;
            }
            seen.namespace.set(ns, what === "namespace" ? `gateway ${index}` : `gateway ${index}'s sandbox`);
        }
    });
    return problems;
}

/** Every role's group values of a gateway, for the per-gateway group limits. */
export function groupValueCount(lists: RoleLists): number {
    return ROLE_KEYS.reduce((n, role) => n + lists[role].length, 0);
}
