// Own stacks are first-class: every Pulumi.<stack>.yaml present passes the config, the program and the pack with
// its own policy config, and a new stack of a different shape works with no code change (issue 15's "done when").
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { ConfigError, validateConfig } from "../config/read";
import { discoverStacks, stackNames } from "../scripts/stacks";
import { CheckReport, main as policyCheckCli, policyCheck } from "../scripts/policy-check";
import { formatText } from "../scripts/policy-check/format";
import { exampleRun, EXAMPLE_STACKS, ExampleStack } from "./harness/examples";
import { PROJECT_ROOT, readStackConfig, stackFileOf } from "./harness/program";

/** The check a stack file must pass; its failure message is the report, which says what to change. */
async function assertStackPasses(stack: string, dir: string): Promise<CheckReport> {
    const raw = Object.fromEntries(Object.entries(readStackConfig(stack, stackFileOf(stack, dir))).filter(([k]) => k.startsWith("openclaw:")).map(([k, v]) => [k.slice("openclaw:".length), v]));
    try {
        // Stand-ins for secrets the file cannot hold in clear: a model key, and the client secret an identity needs.
        validateConfig({ anthropicApiKey: "stand-in", ...(raw.identity !== undefined ? { identityClientSecret: "stand-in" } : {}), ...raw }, { stack });
    } catch (err) {
        assert.fail(`Pulumi.${stack}.yaml: ${err instanceof ConfigError ? err.message : String(err)}`);
    }
    const cached = (EXAMPLE_STACKS as readonly string[]).includes(stack) && dir === PROJECT_ROOT ? () => exampleRun(stack as ExampleStack) : undefined;
    const report = await policyCheck({ stack, root: dir, run: cached });
    assert.ok(report.passed, `Pulumi.${stack}.yaml fails the pack:\n${formatText(report)}`);
    return report;
}

describe("every stack file present", function () {
    this.timeout(180_000);
    for (const stack of stackNames()) {
        it(`Pulumi.${stack}.yaml passes the config, the program and the pack with its policy config`, async () => {
            await assertStackPasses(stack, PROJECT_ROOT);
        });
    }
});

/** A stack of another shape than the examples: other region, two zones, a peering, enforce mode, no developers, two gateways. */
const PROD = {
    config: {
        "aws:region": "eu-west-1",
        "openclaw:cloud": "aws",
        "openclaw:hostname": "assistant.prod.example.com",
        "openclaw:acmeEmail": "platform-team@example.com",
        "openclaw:dnsZoneId": "Z0987654321ZYXWVUTSRQ",
        "openclaw:egressMode": "enforce",
        "openclaw:network": {
            cidr: "10.40.0.0/16",
            zones: 2,
            peerings: [{ name: "vector-db", peerNetworkId: "vpc-0fedcba9876543210", peerAccountId: "444455556666", peerRegion: "eu-west-1", cidrs: ["10.60.0.0/24"], ports: [5432] }],
        },
        "openclaw:groups": {
            admin: ["arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OpenClawAdmin_fedcba9876543210"],
            operator: ["arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OpenClawOperator_fedcba9876543210"],
            developer: [],
            auditor: ["arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OpenClawAuditor_fedcba9876543210"],
        },
        // Single sign-on as docs/identity.md describes it, with no developer group on the IdP side either.
        "openclaw:identity": {
            issuer: "https://example-prod.okta.com/oauth2/default",
            clientId: "0oa1b2c3d4e5f6g7h8i9",
            groupsClaim: "groups",
            userClaim: "sub",
            roleGroups: { admin: ["OpenClaw-Admins"], operator: ["OpenClaw-Operators"], developer: [], auditor: ["OpenClaw-Auditors"] },
        },
        // Two gateways: the stack's own (its people above) and a research team's, isolated in its own namespaces.
        "openclaw:gateways": [
            { name: "platform" },
            {
                name: "research",
                hostname: "research.prod.example.com",
                groups: {
                    admin: ["arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ResearchAdmin_0a1b2c3d4e5f6a7b"],
                    operator: [],
                    developer: ["arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ResearchDeveloper_0a1b2c3d4e5f6a7b"],
                    auditor: [],
                },
                roleGroups: { admin: ["Research-Admins"], developer: ["Research-Developers"] },
                storageSize: "20Gi",
            },
        ],
        "openclaw:openclaw": { image: `ghcr.io/openclaw/openclaw:2026.9.6@sha256:${"4f".repeat(32)}` },
        // What `pulumi config set --secret` writes: ciphertext the offline check cannot read and stands in for.
        "openclaw:anthropicApiKey": { secure: "v1:AAAAAAAAAAAAAAAA:stand-in-ciphertext" },
        "openclaw:identityClientSecret": { secure: "v1:AAAAAAAAAAAAAAAA:stand-in-ciphertext" },
    },
};

describe("a new Pulumi.prod.yaml of a different shape, in a copy of the project's stack files", function () {
    this.timeout(180_000);
    let dir = "";
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-own-stack-"));
        for (const file of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..*\.yaml$/.test(f))) {
            fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(dir, file));
        }
        fs.mkdirSync(path.join(dir, "policy-pack"));
        for (const file of fs.readdirSync(path.join(PROJECT_ROOT, "policy-pack")).filter((f) => /^policy-config\..*\.json$/.test(f))) {
            fs.copyFileSync(path.join(PROJECT_ROOT, "policy-pack", file), path.join(dir, "policy-pack", file));
        }
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), YAML.stringify(PROD));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("joins the CI matrix with its cloud, region and the default policy config", () => {
        assert.deepStrictEqual(discoverStacks(dir).find((s) => s.stack === "prod"), {
            stack: "prod",
            file: "Pulumi.prod.yaml",
            cloud: "aws",
            region: "eu-west-1",
            policyConfig: "policy-pack/policy-config.default.json",
        });
    });

    it("uses its own policy-pack/policy-config.prod.json once one is added", () => {
        fs.copyFileSync(path.join(dir, "policy-pack", "policy-config.soc2.json"), path.join(dir, "policy-pack", "policy-config.prod.json"));
        try {
            assert.strictEqual(discoverStacks(dir).find((s) => s.stack === "prod")?.policyConfig, "policy-pack/policy-config.prod.json");
        } finally {
            fs.rmSync(path.join(dir, "policy-pack", "policy-config.prod.json"));
        }
    });

    it("passes the config, the program and the pack (empty developer group included), with no warning about its key", async () => {
        const report = await assertStackPasses("prod", dir);
        // The peering makes NET-5 apply; the stack file sets a (secure) model key, so no stand-in warning.
        assert.strictEqual(report.rows.find((r) => r.id === "NET-5")?.status, "pass");
        assert.deepStrictEqual(report.warnings.filter((w) => w.includes("stand-in")), []);
    });

    it("npm run policy-check -- --stack prod exits 0 with a summary line", async () => {
        let out = "";
        const code = await policyCheckCli(["--stack", "prod"], (t) => (out += t), undefined, dir);
        assert.strictEqual(code, 0, out);
        assert.match(out, /^policy-check prod: PASS · 0 violations · 0 exceptions in force · \d+ warnings · checklist: 32 pass/m);
    });

    it("fails with lines that say exactly what to change when the new stack is wrong", async () => {
        const broken = { config: { ...PROD.config, "openclaw:network": { ...PROD.config["openclaw:network"], cidr: "10.40.0.1/16" }, "openclaw:network.zones": "2" } };
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), YAML.stringify(broken));
        try {
            const problems = (() => {
                try {
                    validateConfig(Object.fromEntries(Object.entries(readStackConfig("prod", stackFileOf("prod", dir))).filter(([k]) => k.startsWith("openclaw:")).map(([k, v]) => [k.slice(9), v])), { stack: "prod" });
                } catch (err) {
                    return (err as ConfigError).problems;
                }
                return [];
            })();
            assert.ok(problems.some((p) => p.startsWith("openclaw:network.cidr: is not an IPv4 CIDR")), problems.join("\n"));
            assert.ok(problems.some((p) => p.startsWith("openclaw:network.zones: unknown key: without --path")), problems.join("\n"));
        } finally {
            fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), YAML.stringify(PROD));
        }
    });
});
