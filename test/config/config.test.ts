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
        name: "a peering CIDR inside the cluster's service range",
        overrides: { network: { ...network, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["172.20.10.0/24"], ports: [5432] }] } },
        key: "openclaw:network.peerings.0.cidrs.0",
        // The service range is CLUSTER_ADDRESSING.serviceCidr; written out here as the AKS/EKS setting it is.
        mentions: ["overlaps the cluster's service range 172.20.0.0/16"],
    },
    {
        name: "a peering CIDR inside the Azure pod overlay range",
        overrides: { network: { ...network, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["100.64.0.0/20"], ports: [5432] }] } },
        key: "openclaw:network.peerings.0.cidrs.0",
        mentions: ["pod overlay range (Azure CNI overlay) 100.64.0.0/16"],
    },
    {
        name: "a peering CIDR over the link-local metadata range",
        overrides: { network: { ...network, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["169.254.0.0/16"], ports: [80] }] } },
        key: "openclaw:network.peerings.0.cidrs.0",
        mentions: ["link-local"],
    },
    {
        name: "a public peering CIDR",
        overrides: { network: { ...network, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["8.8.8.0/24"], ports: [53] }] } },
        key: "openclaw:network.peerings.0.cidrs.0",
        mentions: ["is a public range", "10.0.0.0/8"],
    },
    {
        name: "a network CIDR with host bits while a peering is set (used to crash validation)",
        overrides: { network: { cidr: "10.20.0.1/16", zones: 3, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["192.168.10.0/24"], ports: [5432] }] } },
        key: "openclaw:network.cidr",
        mentions: ["not an IPv4 CIDR"],
    },
    {
        name: "a /33 network CIDR while a peering is set",
        overrides: { network: { cidr: "10.20.0.0/33", zones: 3, peerings: [{ name: "lake", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["192.168.10.0/24"], ports: [5432] }] } },
        key: "openclaw:network.cidr",
        mentions: ["not an IPv4 CIDR"],
    },
    {
        name: "a nested key set without --path",
        overrides: { "network.zones": "2" },
        key: "openclaw:network.zones",
        mentions: ["without --path", "pulumi config set --path openclaw:network.zones <value>"],
    },
    {
        name: "a network that is not an object",
        overrides: { network: "10.0.0.0/16" },
        key: "openclaw:network",
        mentions: ["accepted: { cidr?, zones?, peerings? }", "--path"],
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

    describe("never echoes a credential typed into a non-secret key, in each provider's key format", () => {
        // Formats from each provider's documentation of its keys (written out, not taken from the recogniser):
        // Anthropic sk-ant-api03-..., OpenAI sk-proj-..., Google AI Studio (Gemini) AIza + 35, OpenRouter
        // sk-or-v1- + 64 hex, AWS access key id AKIA + 16 and secret key 40 base64, Entra client secret <3>8Q~<34>.
        const FORMATS: Readonly<Record<string, string>> = {
            anthropic: `sk-ant-api03-${"Ab3dEf6hIj9kLm2nOp5q".repeat(4)}-AA`,
            openai: `sk-proj-${"Xy7zAb1cDe4fGh8i".repeat(3)}`,
            gemini: `AIza${"SyAb3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv"}`,
            openrouter: `sk-or-v1-${"0123456789abcdef".repeat(4)}`,
            "aws access key id": "AKIAIOSFODNN7EXAMPLE",
            "aws secret access key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "entra client secret": `abc8Q~${"Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe.D"}`,
        };
        for (const [provider, value] of Object.entries(FORMATS)) {
            it(`${provider} key in openclaw:alertEmail`, () => {
                const problems = problemsOf("dev", { alertEmail: value });
                assert.strictEqual(problems.length, 1, problems.join("\n"));
                assert.ok(problems[0].startsWith("openclaw:alertEmail"), problems[0]);
                assert.ok(!problems[0].includes(value) && !problems[0].includes(value.slice(0, 12)), problems[0]);
                assert.match(problems[0], /value not shown/);
            });
        }
    });

    it("never echoes the value of a key the stack stores as a secret (pulumi.runtime.isConfigSecret), whatever it looks like", async () => {
        const error = await runProgram({ stack: "dev", config: { alertEmail: "not-an-address" }, secretKeys: ["alertEmail"] }).then(() => undefined, (err: unknown) => err);
        assert.ok(error instanceof ProgramFailure);
        assert.match(error.message, /openclaw:alertEmail: .*\(value not shown: the key is a secret\)/);
        assert.ok(!error.message.includes("not-an-address"), error.message);
    });

    it("still shows ordinary values, image digests and ids, so a mistake can be found", () => {
        assert.ok(problemsOf("dev", { alertEmail: "security" }).some((p) => p.includes('"security"')));
        const zone = problemsOf("dev", { dnsZoneId: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com" });
        assert.ok(zone.some((p) => p.includes("/subscriptions/")), zone.join("\n"));
        const image = problemsOf("dev", { openclaw: { ...openclaw, image: `ghcr.io/openclaw/OpenClaw:1@sha256:${"ab12".repeat(16)}` } });
        assert.ok(image.some((p) => p.includes("sha256:ab12")), image.join("\n"));
    });

    it("states the AWS stack-name rule in the stack's own terms, before any resource", async () => {
        const long = "production-eu-1";
        const problems = (() => {
            try {
                validateConfig(rawNamespaceConfig("dev"), { stack: long });
            } catch (err) {
                return (err as ConfigError).problems;
            }
            return [];
        })();
        // 23 characters for openclaw-<stack> (config/stack-name.ts, from the S3 bucket-name limit) leave 14.
        assert.deepStrictEqual(problems.length, 1);
        assert.match(problems[0], /^stack name "production-eu-1" \(Pulumi\.production-eu-1\.yaml\) is 15 characters; accepted on AWS: at most 14 /);
        assert.doesNotThrow(() => validateConfig(rawNamespaceConfig("dev"), { stack: "prod-eu-1" }));
        assert.doesNotThrow(() => validateConfig(rawNamespaceConfig("dev-azure"), { stack: long }), "Azure names resources without the stack prefix");
    });

    it("never throws anything but the problem list, whatever the shape of the input", () => {
        const shapes: unknown[] = [null, 5, "x", [], [1], { cidr: null }, { peerings: "x" }, { peerings: [null] }, { peerings: [{ cidrs: [5] }] }];
        for (const key of ["network", "groups", "openclaw", "cluster", "apiAuthorizedCidrs", "egressAllowedDomains"]) {
            for (const shape of shapes) {
                try {
                    validateConfig(rawNamespaceConfig("dev", { [key]: shape }));
                } catch (err) {
                    assert.ok(err instanceof ConfigError && /^invalid configuration \(\d+ problems?\)/.test(err.message), `${key} = ${JSON.stringify(shape)}: ${String(err)}`);
                }
            }
        }
    });

    it("never echoes the value of an unknown key, which may be a secret someone misspelt", () => {
        const problems = problemsOf("dev", { anthropicApiKye: FAKE_SECRETS.anthropicApiKey });
        assert.deepStrictEqual(problems.length, 1);
        assert.ok(!problems[0].includes(FAKE_SECRETS.anthropicApiKey), problems[0]);
    });
});
