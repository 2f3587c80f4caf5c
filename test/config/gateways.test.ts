// `openclaw:gateways`: the default is the one gateway of the stack-level keys; every bad list fails before any
// resource, one line per problem naming the key; the plan's namespaces are unique and never reserved.
import * as assert from "assert";
import fc from "fast-check";
import { CHARTS } from "../../components/kubernetes/charts";
import { ROTATOR } from "../../components/azure/rotation";
import { APP_NAMESPACES, WORKLOADS } from "../../components/seam";
import { MAX_PREFIX_LENGTH } from "../../components/aws";
import { SECRET_NAMES } from "../../components/azure/secrets";
import { GATEWAY_NAME, planGateways, RESERVED_NAMESPACES } from "../../config/gateways";
import { ConfigError, validateConfig } from "../../config/read";
import { ProgramFailure, rawNamespaceConfig, runProgram } from "../harness/program";

function problemsOf(stack: string, gateways: unknown, extra: Record<string, unknown> = {}): readonly string[] {
    try {
        validateConfig(rawNamespaceConfig(stack, { gateways, ...extra }));
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return err.problems;
    }
    return [];
}

const ARN = (name: string) => `arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_${name}_0123456789abcdef`;
const team = (name: string, more: Record<string, unknown> = {}) => ({ name, hostname: `${name}.openclaw.example.com`, roleGroups: { admin: [`${name}-admins`] }, ...more });

describe("openclaw:gateways", () => {
    it("defaults to one gateway built from the stack-level keys, in the namespaces a one-gateway stack has always used", () => {
        const config = validateConfig(rawNamespaceConfig("dev"));
        const [only, ...rest] = planGateways(config);
        assert.deepStrictEqual(rest, []);
        // The namespaces of components/seam.ts APP_NAMESPACES, which existing stacks run in.
        assert.deepStrictEqual([only.namespace, only.sandboxNamespace, only.hostname, only.primary], ["openclaw", "openclaw-sandbox", "openclaw.example.com", true]);
        assert.deepStrictEqual(only.roleGroups, config.identity?.roleGroups);
    });

    it("accepts a first entry with only a name and further teams with their own hostname, groups, role groups and storage", () => {
        const config = validateConfig(rawNamespaceConfig("dev", { gateways: [{ name: "platform" }, team("research", { groups: { admin: [ARN("ResearchAdmin")] }, storageSize: "20Gi" }), team("fin", { namespace: "openclaw-finance" })] }));
        assert.deepStrictEqual(planGateways(config).map((g) => [g.name, g.namespace, g.sandboxNamespace, g.hostname, g.storageSize]), [
            ["platform", "openclaw", "openclaw-sandbox", "openclaw.example.com", "10Gi"],
            ["research", "openclaw-research", "openclaw-research-sandbox", "research.openclaw.example.com", "20Gi"],
            ["fin", "openclaw-finance", "openclaw-finance-sandbox", "fin.openclaw.example.com", "10Gi"],
        ]);
    });

    const cases: readonly { name: string; gateways: unknown; extra?: Record<string, unknown>; key: string; mentions: readonly string[] }[] = [
        { name: "an empty list", gateways: [], key: "openclaw:gateways", mentions: ["at least one gateway"] },
        { name: "a name that is not a DNS label", gateways: [{ name: "Team_A" }], key: "openclaw:gateways.0.name", mentions: ["lower-case name of 1-12"] },
        { name: "a hostname on the first gateway", gateways: [{ name: "a", hostname: "a.example.com" }], key: "openclaw:gateways.0.hostname", mentions: ["openclaw:hostname", "accepted: unset"] },
        { name: "groups on the first gateway", gateways: [{ name: "a", groups: { admin: [ARN("X")] } }], key: "openclaw:gateways.0.groups", mentions: ["openclaw:groups"] },
        { name: "a further gateway without a hostname", gateways: [{ name: "a" }, { name: "b", roleGroups: { admin: ["b"] } }], key: "openclaw:gateways.1.hostname", mentions: ["is required"] },
        { name: "a further gateway without an admin IdP group", gateways: [{ name: "a" }, { name: "b", hostname: "b.example.com" }], key: "openclaw:gateways.1.roleGroups.admin", mentions: ["at least one IdP group"] },
        { name: "role groups without single sign-on", gateways: [{ name: "a" }, team("b")], extra: { identity: undefined, identityClientSecret: undefined, allowSharedTokenAuth: true }, key: "openclaw:gateways.1.roleGroups", mentions: ["without openclaw:identity"] },
        { name: "two gateways of the same name", gateways: [{ name: "a" }, team("b"), { ...team("b"), hostname: "b2.example.com", namespace: "openclaw-b2" }], key: "openclaw:gateways.2.name", mentions: ["also the name of gateway 1"] },
        { name: "a hostname the first gateway already serves", gateways: [{ name: "a" }, team("b", { hostname: "openclaw.example.com" })], key: "openclaw:gateways.1.hostname", mentions: ["first gateway (openclaw:hostname)"] },
        { name: "two gateways in one namespace", gateways: [{ name: "a" }, team("b"), team("c", { namespace: "openclaw-b" })], key: "openclaw:gateways.2.namespace", mentions: ["already taken by gateway 1"] },
        { name: "a namespace that is another gateway's sandbox", gateways: [{ name: "a" }, team("b", { namespace: "openclaw-sandbox" })], key: "openclaw:gateways.1.namespace", mentions: ["not ending in -sandbox"] },
        { name: "a reserved namespace", gateways: [{ name: "a" }, team("b", { namespace: "openclaw-rotation-b" })], key: "openclaw:gateways.1.namespace", mentions: ["reserved"] },
        { name: "a namespace outside openclaw-<team>", gateways: [{ name: "a" }, team("b", { namespace: "kube-system" })], key: "openclaw:gateways.1.namespace", mentions: ["openclaw-<team>"] },
        { name: "a namespace that is not a DNS label", gateways: [{ name: "a" }, team("b", { namespace: "openclaw_B" })], key: "openclaw:gateways.1.namespace", mentions: ["not a namespace name"] },
        { name: "a team group that is not an IAM role ARN", gateways: [{ name: "a" }, team("b", { groups: { admin: ["arn:aws:iam::111122223333:user/alice"] } })], key: "openclaw:gateways.1.groups.admin.0", mentions: ["IAM user"] },
        { name: "an unknown member", gateways: [{ name: "a" }, team("b", { image: "x" })], key: "openclaw:gateways.1.image", mentions: ["unknown key"] },
    ];
    for (const c of cases) {
        it(`refuses ${c.name} with one line naming ${c.key}`, () => {
            const problems = problemsOf("dev", c.gateways, c.extra);
            const lines = problems.filter((p) => p.startsWith(`${c.key}:`) || p.startsWith(`${c.key}.`));
            assert.strictEqual(lines.length, 1, problems.join("\n"));
            for (const fragment of c.mentions) {
                assert.ok(lines[0].includes(fragment), `${lines[0]} lacks ${fragment}`);
            }
        });
    }

    it("registers no resource but the stack itself when the gateways are bad", async () => {
        const error = await runProgram({ stack: "dev", config: { gateways: [{ name: "a" }, { name: "b" }] } }).then(() => undefined, (err: unknown) => err);
        assert.ok(error instanceof ProgramFailure && error.cause instanceof ConfigError, String(error));
        assert.ok(error.message.includes("openclaw:gateways.1.hostname"), error.message);
        assert.deepStrictEqual(error.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });

    it("holds a team's Entra role groups to object ids on an Entra stack", () => {
        const problems = problemsOf("dev-azure", [{ name: "a" }, { name: "b", hostname: "b.example.com", roleGroups: { admin: ["Research-Admins"] } }]);
        assert.ok(problems.some((p) => p.startsWith("openclaw:gateways.1.roleGroups.admin.0: is not an Entra ID group object id")), problems.join("\n"));
    });

    it("lists every problem at once", () => {
        const problems = problemsOf("dev", [{ name: "a", hostname: "x.example.com" }, { name: "b" }, { name: "b", hostname: "openclaw.example.com" }]);
        assert.ok(problems.length >= 4, problems.join("\n"));
    });

    it("keeps every name derived from the longest gateway name within its service's limit", () => {
        const longest = "a".repeat(12); // config/gateways.ts GATEWAY_NAME: at most 12 characters
        assert.ok(GATEWAY_NAME.test(longest) && !GATEWAY_NAME.test(`${longest}a`));
        // IAM role names: at most 64 characters (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names);
        // the stack prefix is at most MAX_PREFIX_LENGTH (components/aws/index.ts), the longest role "developer".
        assert.ok(`${"p".repeat(MAX_PREFIX_LENGTH)}-${longest}-developer`.length <= 64);
        // Key Vault secret names: 1-127 alphanumerics and dashes (learn.microsoft.com/en-us/azure/key-vault/general/about-keys-secrets-certificates#objects-identifiers-and-versioning).
        assert.ok(SECRET_NAMES.teamGatewayToken(longest).length <= 127);
        // Namespace names: DNS labels of at most 63 characters (kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names).
        assert.ok(`${ROTATOR.namespace}-${longest}`.length <= 63);
        assert.ok(`openclaw-${longest}-sandbox`.length <= 63);
    });

    it("reserves every namespace the program creates outside the gateways", () => {
        // The namespaces as the components name them (charts, workloads, the first gateway's, the Azure rotator).
        const created = [...Object.values(CHARTS).map((c) => c.namespace), ...Object.values(WORKLOADS).map((w) => w.namespace), ...Object.values(APP_NAMESPACES), ROTATOR.namespace];
        assert.deepStrictEqual(created.filter((ns) => !RESERVED_NAMESPACES.includes(ns)), []);
        // Kubernetes' initial namespaces (kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces).
        for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
            assert.ok(problemsOf("dev", [{ name: "a" }, team("b", { namespace: ns })]).some((p) => p.startsWith("openclaw:gateways.1.namespace")), ns);
        }
    });

    it("plans unique namespaces, sandboxes and hostnames, none reserved, for every list the config accepts", () => {
        const name = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
        fc.assert(
            fc.property(fc.array(fc.record({ name, ns: fc.option(fc.stringMatching(/^openclaw-[a-z]{1,3}(-sandbox)?$/), { nil: undefined }) }), { minLength: 1, maxLength: 4 }), (entries) => {
                const gateways = [{ name: "first" }, ...entries.map((e) => ({ ...team(e.name), ...(e.ns ? { namespace: e.ns } : {}) }))];
                let config;
                try {
                    config = validateConfig(rawNamespaceConfig("dev", { gateways }));
                } catch (err) {
                    assert.ok(err instanceof ConfigError);
                    return;
                }
                const plans = planGateways(config);
                const namespaces = plans.flatMap((p) => [p.namespace, p.sandboxNamespace]);
                assert.strictEqual(new Set(namespaces).size, namespaces.length);
                assert.strictEqual(new Set(plans.map((p) => p.hostname)).size, plans.length);
                assert.deepStrictEqual(plans.slice(1).flatMap((p) => [p.namespace, p.sandboxNamespace]).filter((ns) => RESERVED_NAMESPACES.includes(ns)), []);
            }),
            { numRuns: 200 },
        );
    });
});
