// Config the AWS platform judges before any resource: the identity that signs the cluster token, NACL and group rules.
import * as assert from "assert";
import { AwsPlatform } from "../../components/aws";
import { tokenCommand } from "../../components/aws/kubeconfig";
import { naclQuotaProblems, planNetworkAcls } from "../../components/aws/network";
import { ConfigError, readConfig, validateConfig } from "../../config/read";
import { ProgramFailure, rawNamespaceConfig, runProgram, stackValues, type ProgramRun } from "../harness/program";
import { named } from "./run";

const ROLE = "arn:aws:iam::111122223333:role/deployer";

/** Runs the AWS platform alone with extra `aws:` settings; resolves to the run or to the failure. */
function platformRun(providerConfig: Record<string, string>, config: Record<string, unknown> = {}): Promise<ProgramRun | ProgramFailure> {
    return runProgram({
        stack: "dev",
        config,
        providerConfig,
        program: () => new AwsPlatform("openclaw", { config: readConfig() }).seam.outputs,
    }).then(
        (run) => run,
        (err: unknown) => {
            if (err instanceof ProgramFailure) {
                return err;
            }
            throw err;
        },
    );
}

function expectConfigFailure(result: ProgramRun | ProgramFailure, pattern: RegExp): void {
    assert.ok(result instanceof ProgramFailure, "the run fails");
    assert.ok(result.cause instanceof ConfigError, `a config error, got ${String(result.cause)}`);
    assert.match(result.message, pattern);
    assert.deepStrictEqual(result.resources.filter((r) => r.type.startsWith("aws:")), [], "before any AWS resource");
}

describe("AWS: the kubeconfig's token is signed by the AWS provider's identity", () => {
    // awscli customizations/eks/get_token.py: get-token takes --cluster-name, --role-arn (and --cluster-id); --profile
    // and --region are the CLI's global options; AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name the files.
    it("passes aws:profile as --profile and the one aws:assumeRoles role as --role-arn", () => {
        const { command, problems } = tokenCommand("c", "eu-central-1", { profile: "deploy", assumeRoles: JSON.stringify([{ roleArn: ROLE, sessionName: "ci" }]) });
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(command.args, ["eks", "get-token", "--cluster-name", "c", "--region", "eu-central-1", "--output", "json", "--profile", "deploy", "--role-arn", ROLE]);
    });

    it("points the CLI at the provider's shared config and credentials files", () => {
        const { command } = tokenCommand("c", "eu-central-1", { sharedConfigFiles: JSON.stringify(["/ci/config"]), sharedCredentialsFiles: JSON.stringify(["/ci/credentials"]) });
        assert.deepStrictEqual(command.env, [{ name: "AWS_CONFIG_FILE", value: "/ci/config" }, { name: "AWS_SHARED_CREDENTIALS_FILE", value: "/ci/credentials" }]);
    });

    it("adds nothing when the provider uses the environment's credentials", () => {
        const { command, problems } = tokenCommand("c", "eu-central-1", {});
        assert.deepStrictEqual([command.args.slice(8), command.env, problems], [[], [], []]);
    });

    for (const [what, config, key] of [
        ["a chain of two roles", { assumeRoles: JSON.stringify([{ roleArn: ROLE }, { roleArn: ROLE }]) }, "aws:assumeRoles"],
        ["an external id", { assumeRoles: JSON.stringify([{ roleArn: ROLE, externalId: "x" }]) }, "aws:assumeRoles\\[0\\]"],
        ["static keys in stack config", { accessKey: "AKIA-not-read" }, "aws:accessKey"],
        ["two shared config files", { sharedConfigFiles: JSON.stringify(["/a", "/b"]) }, "aws:sharedConfigFiles"],
    ] as const) {
        it(`refuses ${what}, which aws eks get-token cannot reproduce, naming ${key.replace(/\\/g, "")}`, () => {
            const { problems } = tokenCommand("c", "eu-central-1", config);
            assert.strictEqual(problems.length, 1);
            assert.match(problems[0], new RegExp(`^${key}: `));
            assert.ok(!problems[0].includes("AKIA-not-read"), "never echoes a credential");
        });
    }

    it("writes that command into the cluster provider's kubeconfig on a stack with aws:profile and aws:assumeRoles", async () => {
        const run = await platformRun({ "aws:profile": "deploy", "aws:assumeRoles": JSON.stringify([{ roleArn: ROLE }]) });
        assert.ok(!(run instanceof ProgramFailure), String(run));
        const provider = named(run, "pulumi:providers:kubernetes", "openclaw-eks-k8s");
        const kubeconfig = JSON.parse(String(provider.inputs.kubeconfig)) as { users: { user: { exec: { args: string[] } } }[] };
        const args = kubeconfig.users[0].user.exec.args;
        assert.deepStrictEqual(args.slice(args.indexOf("--profile")), ["--profile", "deploy", "--role-arn", ROLE]);
    });

    it("fails a stack whose provider chains two roles with the config error, before any AWS resource", async () => {
        expectConfigFailure(await platformRun({ "aws:assumeRoles": JSON.stringify([{ roleArn: ROLE }, { roleArn: ROLE }]) }), /aws:assumeRoles: chains 2 roles/);
    });
});

describe("AWS: network ACL quota (20 rules per direction by default)", () => {
    // "Inbound or outbound rules per network ACL: 20": https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
    const QUOTA = 20;
    const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${i}.0/24`);

    it("fits nine ingress CIDRs in the public NACL and refuses the tenth in config, naming openclaw:ingressAllowedCidrs", () => {
        const nine = planNetworkAcls({ vpcCidr: "10.20.0.0/16", ingressAllowedCidrs: cidrs(9), peeredDestinations: [] });
        assert.ok(nine.public.ingress.length <= QUOTA);
        const ten = planNetworkAcls({ vpcCidr: "10.20.0.0/16", ingressAllowedCidrs: cidrs(10), peeredDestinations: [] });
        assert.ok(ten.public.ingress.length > QUOTA, "ten would not fit");
        assert.throws(() => validateConfig(rawNamespaceConfig("dev", { ingressAllowedCidrs: cidrs(10) })), (err: unknown) => err instanceof ConfigError && /openclaw:ingressAllowedCidrs: lists 10 CIDRs; accepted: at most 9 on aws/.test(err.message));
        assert.doesNotThrow(() => validateConfig(rawNamespaceConfig("dev", { ingressAllowedCidrs: cidrs(9) })));
    });

    it("reports a peering plan over the quota, tier and direction named", () => {
        const peering = { cidrs: cidrs(8), ports: [5432, 6379] };
        const problems = naclQuotaProblems(planNetworkAcls({ vpcCidr: "10.20.0.0/16", ingressAllowedCidrs: ["0.0.0.0/0"], peeredDestinations: [peering] }));
        assert.deepStrictEqual(problems, [`the private subnets' network ACL would need ${2 + 8 * 2 + 8} egress rules; AWS allows ${QUOTA} by default`]);
    });

    it("fails such a stack before any AWS resource, naming openclaw:network.peerings", async () => {
        const network = stackValues("dev").network as Record<string, unknown>;
        const peering = { name: "many", peerNetworkId: "vpc-0123456789abcdef0", cidrs: cidrs(8).map((c) => c.replace("198.51", "10.60")), ports: [5432, 6379] };
        expectConfigFailure(await platformRun({}, { network: { ...network, peerings: [peering] } }), /openclaw:network\.peerings .*private subnets' network ACL would need 26 egress rules/);
    });
});

describe("AWS: group role ARNs in openclaw:groups", () => {
    it("refuses a role session ARN (what get-caller-identity prints) with the role ARN form as the accepted value", () => {
        const groups = { ...(stackValues("dev").groups as Record<string, string[]>), auditor: ["arn:aws:sts::111122223333:assumed-role/Auditor/jane"] };
        assert.throws(() => validateConfig(rawNamespaceConfig("dev", { groups })), (err: unknown) => err instanceof ConfigError && /openclaw:groups\.auditor\.0: is a role session .*accepted: the role's ARN/.test(err.message));
    });

    it("refuses a role name longer than IAM's 64 characters", () => {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
        const groups = { ...(stackValues("dev").groups as Record<string, string[]>), developer: [`arn:aws:iam::111122223333:role/${"r".repeat(65)}`] };
        assert.throws(() => validateConfig(rawNamespaceConfig("dev", { groups })), (err: unknown) => err instanceof ConfigError && /openclaw:groups\.developer\.0: has a role name longer than IAM's 64 characters/.test(err.message));
    });
});
