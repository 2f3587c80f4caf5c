// The config contract: example stacks parse, every bad value fails before any resource with a line naming the key.
import * as assert from "assert";
import { ConfigError, validateConfig } from "../../config/read";
import { LOG_RETENTION_DAYS } from "../../config/schema";
import { FAKE_IDENTITY_CLIENT_SECRET, FAKE_SECRETS, ProgramFailure, rawNamespaceConfig, readStackConfig, runProgram } from "../harness/program";

function problemsOf(stack: string, overrides: Record<string, unknown>): readonly string[] {
    try {
        validateConfig(rawNamespaceConfig(stack, overrides));
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return err.problems;
    }
    return [];
}

const awsGroups = JSON.parse(readStackConfig("dev")["openclaw:groups"]) as Record<string, string[]>;
const network = JSON.parse(readStackConfig("dev")["openclaw:network"]) as Record<string, unknown>;
const openclaw = JSON.parse(readStackConfig("dev")["openclaw:openclaw"]) as Record<string, unknown>;
const identity = JSON.parse(readStackConfig("dev")["openclaw:identity"]) as Record<string, unknown>;
const azureIdentity = JSON.parse(readStackConfig("dev-azure")["openclaw:identity"]) as Record<string, unknown>;
const roleGroups = identity.roleGroups as Record<string, string[]>;

interface BadCase {
    readonly name: string;
    readonly stack?: string;
    readonly overrides: Record<string, unknown>;
    /** The one problem line expected: it starts with the key and contains each fragment. */
    readonly key: string;
    readonly mentions: readonly string[];
}

const BAD_CASES: readonly BadCase[] = [
    { name: "an unknown cloud", overrides: { cloud: "gcp" }, key: "openclaw:cloud", mentions: ["aws | azure", '"gcp"'] },
    { name: "no cloud", overrides: { cloud: undefined }, key: "openclaw:cloud", mentions: ["is required", "aws | azure"] },
    { name: "a hostname that is not an FQDN", overrides: { hostname: "https://openclaw" }, key: "openclaw:hostname", mentions: ["fully qualified"] },
    { name: "no ACME e-mail", overrides: { acmeEmail: undefined }, key: "openclaw:acmeEmail", mentions: ["is required"] },
    { name: "an ACME environment that does not exist", overrides: { acmeEnvironment: "test" }, key: "openclaw:acmeEnvironment", mentions: ["production | staging"] },
    { name: "a network CIDR that is not a CIDR", overrides: { network: { ...network, cidr: "10.0.0.0/33" } }, key: "openclaw:network.cidr", mentions: ["not an IPv4 CIDR"] },
    { name: "a public network CIDR", overrides: { network: { ...network, cidr: "8.8.0.0/16" } }, key: "openclaw:network.cidr", mentions: ["RFC 1918"] },
    { name: "a network too small for the subnets", overrides: { network: { ...network, cidr: "10.0.0.0/24" } }, key: "openclaw:network.cidr", mentions: ["/16 to /20"] },
    { name: "a network overlapping the service range", overrides: { network: { ...network, cidr: "172.20.0.0/16" } }, key: "openclaw:network.cidr", mentions: ["overlaps"] },
    { name: "one availability zone", overrides: { network: { ...network, zones: 1 } }, key: "openclaw:network.zones", mentions: ["2 or 3"] },
    { name: "an unknown key inside network", overrides: { network: { ...network, cidrs: "10.0.0.0/16" } }, key: "openclaw:network.cidrs", mentions: ["unknown key"] },
    { name: "the Kubernetes API open to the internet", overrides: { apiAuthorizedCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }, key: "openclaw:apiAuthorizedCidrs", mentions: ["0.0.0.0/0", "private only"] },
    { name: "an API CIDR with host bits", overrides: { apiAuthorizedCidrs: ["203.0.113.7/24"] }, key: "openclaw:apiAuthorizedCidrs.0", mentions: ["not an IPv4 CIDR"] },
    { name: "no ingress CIDR at all", overrides: { ingressAllowedCidrs: [] }, key: "openclaw:ingressAllowedCidrs", mentions: ["at least one"] },
    { name: "log retention of 30 days", overrides: { logRetentionDays: 30 }, key: "openclaw:logRetentionDays", mentions: ["at least 90", String(LOG_RETENTION_DAYS[0])] },
    { name: "rotation every 120 days", overrides: { rotationDays: 120 }, key: "openclaw:rotationDays", mentions: ["30 to 90"] },
    { name: "rotation every 7 days", overrides: { rotationDays: 7 }, key: "openclaw:rotationDays", mentions: ["30 to 90"] },
    { name: "an image without a digest", overrides: { openclaw: { ...openclaw, image: "ghcr.io/openclaw/openclaw:latest" } }, key: "openclaw:openclaw.image", mentions: ["pinned by digest"] },
    { name: "a malformed memory limit", overrides: { openclaw: { ...openclaw, resources: { limits: { memory: "4GB" } } } }, key: "openclaw:openclaw.resources.limits.memory", mentions: ["memory quantity"] },
    { name: "no admin group", overrides: { groups: { ...awsGroups, admin: [] } }, key: "openclaw:groups.admin", mentions: ["at least one group"] },
    { name: "an IAM user in a group", overrides: { groups: { ...awsGroups, operator: ["arn:aws:iam::111122223333:user/alice"] } }, key: "openclaw:groups.operator.0", mentions: ["IAM user", "role ARNs only"] },
    { name: "an Entra group id on AWS", overrides: { groups: { ...awsGroups, auditor: ["44444444-4444-4444-4444-444444444444"] } }, key: "openclaw:groups.auditor.0", mentions: ["IAM role ARN"] },
    { name: "an IAM role ARN on Azure", stack: "dev-azure", overrides: { groups: { admin: ["arn:aws:iam::111122223333:role/admin"] } }, key: "openclaw:groups.admin.0", mentions: ["Entra ID group object id"] },
    { name: "a Route 53 zone id on Azure", stack: "dev-azure", overrides: { dnsZoneId: "Z0123456789ABCDEFGHIJ" }, key: "openclaw:dnsZoneId", mentions: ["Azure DNS zone resource id"] },
    { name: "no model provider key", overrides: { anthropicApiKey: undefined }, key: "openclaw:anthropicApiKey | openclaw:openaiApiKey", mentions: ["at least one", "--secret"] },
    { name: "a misspelt top-level key", overrides: { hostnmae: "x.example.com" }, key: "openclaw:hostnmae", mentions: ["unknown key"] },
    { name: "an alert address that is not an e-mail", overrides: { alertEmail: "security" }, key: "openclaw:alertEmail", mentions: ["e-mail"] },
    { name: "a weakening TLS flag that is not a boolean", overrides: { allowLegacyTls12: "yes" }, key: "openclaw:allowLegacyTls12", mentions: ["true | false"] },
    { name: "no identity and no shared-token choice", overrides: { identity: undefined, identityClientSecret: undefined }, key: "openclaw:identity", mentions: ["is required", "allowSharedTokenAuth"] },
    { name: "identity and the shared token together", overrides: { allowSharedTokenAuth: true }, key: "openclaw:allowSharedTokenAuth", mentions: ["must be false", "trusted-proxy"] },
    { name: "identity without its client secret", overrides: { identityClientSecret: undefined }, key: "openclaw:identityClientSecret", mentions: ["is required", "--secret"] },
    { name: "a client secret without identity", overrides: { identity: undefined, allowSharedTokenAuth: true }, key: "openclaw:identityClientSecret", mentions: ["without openclaw:identity"] },
    { name: "an http issuer", overrides: { identity: { ...identity, issuer: "http://example.okta.com/oauth2/default" } }, key: "openclaw:identity.issuer", mentions: ["https"] },
    { name: "an issuer with a query", overrides: { identity: { ...identity, issuer: "https://example.okta.com/oauth2/default?x=1" } }, key: "openclaw:identity.issuer", mentions: ["without query"] },
    { name: "no client id", overrides: { identity: { ...identity, clientId: undefined } }, key: "openclaw:identity.clientId", mentions: ["is required"] },
    { name: "the e-mail as user id", overrides: { identity: { ...identity, userClaim: "email" } }, key: "openclaw:identity.userClaim", mentions: ["masking", "sub"] },
    { name: "Entra's pairwise sub as user id", stack: "dev-azure", overrides: { identity: { ...azureIdentity, userClaim: "sub" } }, key: "openclaw:identity.userClaim", mentions: ["oid"] },
    { name: "no admin group at the IdP", overrides: { identity: { ...identity, roleGroups: { ...roleGroups, admin: [] } } }, key: "openclaw:identity.roleGroups.admin", mentions: ["at least one group"] },
    { name: "a group value with a comma", overrides: { identity: { ...identity, roleGroups: { ...roleGroups, operator: ["ops,admins"] } } }, key: "openclaw:identity.roleGroups.operator.0", mentions: ["no comma"] },
    { name: "an Entra group that is not an object id", stack: "dev-azure", overrides: { identity: { ...azureIdentity, roleGroups: { admin: ["OpenClaw-Admins"] } } }, key: "openclaw:identity.roleGroups.admin.0", mentions: ["GUID"] },
    { name: "an unknown issuer without a JWKS URI", overrides: { identity: { ...identity, issuer: "https://sso.example.com" } }, key: "openclaw:identity.jwksUri", mentions: ["is required", "jwks_uri"] },
    { name: "a JWKS URI that is not the issuer's", overrides: { identity: { ...identity, jwksUri: "https://evil.example.com/keys" } }, key: "openclaw:identity.jwksUri", mentions: ["does not match"] },
    { name: "an unknown key inside identity", overrides: { identity: { ...identity, clientSecret: "x" } }, key: "openclaw:identity.clientSecret", mentions: ["unknown key"] },
    { name: "a public-route knob that is not a boolean", overrides: { allowPublicShareLinks: "yes" }, key: "openclaw:allowPublicShareLinks", mentions: ["true | false"] },
    {
        name: "a peering that overlaps the network",
        overrides: { network: { ...network, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["10.20.5.0/24"], ports: [5432] }] } },
        key: "openclaw:network.peerings.0.cidrs.0",
        mentions: ["overlaps network.cidr"],
    },
    {
        name: "a peering to the whole internet",
        overrides: { network: { ...network, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["0.0.0.0/0"], ports: [5432] }] } },
        key: "openclaw:network.peerings.0.cidrs",
        mentions: ["/0"],
    },
];

describe("config", () => {
    for (const stack of ["dev", "dev-azure"]) {
        it(`parses the ${stack} example stack into the typed config with defaults applied`, () => {
            const config = validateConfig(rawNamespaceConfig(stack));
            assert.strictEqual(config.rotationDays, 30);
            assert.strictEqual(config.logRetentionDays, 365);
            assert.deepStrictEqual(config.apiAuthorizedCidrs, []);
            assert.strictEqual(config.allowLegacyTls12, false);
            assert.strictEqual(config.egressMode, "alert");
            assert.ok(config.groups.admin.length > 0);
            assert.strictEqual(config.allowSharedTokenAuth, false);
            assert.ok(config.identity !== undefined && config.identity.roleGroups.admin.length > 0);
            assert.strictEqual(config.identity.groupsClaim, "groups");
        });
    }

    describe("refuses bad values with one line naming the key and what is accepted", () => {
        for (const c of BAD_CASES) {
            it(`refuses ${c.name}`, () => {
                const problems = problemsOf(c.stack ?? "dev", c.overrides);
                assert.strictEqual(problems.length, 1, `expected one problem, got:\n${problems.join("\n")}`);
                const [line] = problems;
                assert.ok(line.startsWith(c.key), `expected "${line}" to start with ${c.key}`);
                assert.ok(!line.includes("\n"), "one line");
                for (const fragment of c.mentions) {
                    assert.ok(line.includes(fragment), `expected "${line}" to mention ${fragment}`);
                }
            });
        }
    });

    it("lists every problem at once", () => {
        const problems = problemsOf("dev", { cloud: "gcp", rotationDays: 120, logRetentionDays: 30 });
        assert.strictEqual(problems.length, 3, problems.join("\n"));
    });

    it("registers no resource but the stack itself when the config is bad", async () => {
        for (const c of BAD_CASES) {
            const error = await runProgram({ stack: c.stack ?? "dev", config: c.overrides }).then(
                () => undefined,
                (err: unknown) => err,
            );
            assert.ok(error instanceof ProgramFailure, `expected the program to fail, got ${String(error)}`);
            assert.ok(error.cause instanceof ConfigError && error.message.includes(c.key), `expected a config error naming ${c.key}, got ${error.message}`);
            assert.deepStrictEqual(error.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
        }
    });

    it("never puts a secret value in an error message", () => {
        const problems = problemsOf("dev", { cloud: "gcp", openaiApiKey: FAKE_SECRETS.openaiApiKey });
        for (const line of problems) {
            assert.ok(!line.includes(FAKE_SECRETS.openaiApiKey) && !line.includes(FAKE_SECRETS.anthropicApiKey), line);
        }
    });

    it("never puts the OIDC client secret in an error message", () => {
        const problems = problemsOf("dev", { identity: { ...identity, issuer: "http://x" }, identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET });
        assert.ok(problems.length > 0);
        for (const line of problems) {
            assert.ok(!line.includes(FAKE_IDENTITY_CLIENT_SECRET), line);
        }
    });

    it("accepts a generic OIDC issuer with its JWKS URI", () => {
        assert.deepStrictEqual(problemsOf("dev", { identity: { ...identity, issuer: "https://sso.example.com", jwksUri: "https://sso.example.com/jwks" } }), []);
    });

    it("runs without identity only under the named shared-token weakening", () => {
        assert.deepStrictEqual(problemsOf("dev", { identity: undefined, identityClientSecret: undefined, allowSharedTokenAuth: true }), []);
    });

    it("never echoes the value of an unknown key, which may be a secret someone misspelt", () => {
        const problems = problemsOf("dev", { anthropicApiKye: FAKE_SECRETS.anthropicApiKey });
        assert.deepStrictEqual(problems.length, 1);
        assert.ok(!problems[0].includes(FAKE_SECRETS.anthropicApiKey), problems[0]);
    });
});
