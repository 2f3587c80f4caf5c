// The whole pack on the example stacks as the program records them: both pass, and turning any one hardened
// setting insecure makes the offline check fail on the right checklist id. Also drives `npm run policy-check`.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkResources, CheckReport, main, parseArgs } from "../../scripts/policy-check";
import type { ChecklistId } from "../../policy-pack/policies";
import { loadPolicyConfigFile } from "../../policy-pack/testing/config";
import { AnalyzedResource, fromRecordedRun } from "../../policy-pack/testing/resources";
import { PROJECT_ROOT } from "../harness/program";
import { exampleRun, type ExampleStack } from "../harness/examples";
import { EXCEPTION_RECORD } from "./cases";
import { mutate, without } from "./recorded";

type Inputs = Record<string, unknown>;
const any = () => true;
const kube = (kind: string) => (inputs: Inputs) => inputs.kind === kind;
const named = (kind: string, name: string) => (inputs: Inputs) => inputs.kind === kind && (inputs.metadata as Inputs | undefined)?.name === name;

function failed(report: CheckReport): ChecklistId[] {
    return report.rows.filter((r) => r.status === "fail").map((r) => r.id);
}

function assertPasses(report: CheckReport): void {
    const violations = report.rows.flatMap((r) => r.violations).map((v) => `${v.policy} on ${v.resource}: ${v.message}`);
    assert.deepStrictEqual([...new Set(violations)], [], "the example stack must pass the whole pack");
}

interface Mutation {
    readonly name: string;
    readonly ids: readonly ChecklistId[];
    readonly change: (resources: readonly AnalyzedResource[]) => AnalyzedResource[];
}

const KUBERNETES_MUTATIONS: readonly Mutation[] = [
    { name: "TLS 1.2 accepted at the ingress", ids: ["TLS-4", "TLS-5"], change: (r) => mutate(r, "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy", any, "spec.tls.minVersion", "1.2") },
    { name: "HSTS max-age 300", ids: ["TLS-3"], change: (r) => mutate(r, "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy", any, "spec.headers.lateResponseHeaders.set[0].value", "max-age=300") },
    { name: "a 302 redirect", ids: ["TLS-2"], change: (r) => mutate(r, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", named("HTTPRoute", "openclaw-redirect"), "spec.rules[0].filters[0].requestRedirect.statusCode", 302) },
    {
        name: "a User subject in a RoleBinding",
        ids: ["RBAC-6"],
        change: (r) => mutate(r, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", named("RoleBinding", "openclaw:developer-openclaw-sandbox"), "subjects[0]", { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice@example.com" }),
    },
    {
        name: "a literal secret in a container env var",
        ids: ["SEC-1"],
        change: (r) => mutate(r, "kubernetes:apps/v1:Deployment", named("Deployment", "openclaw"), "spec.template.spec.containers[0].env[0]", { name: "OPENCLAW_GATEWAY_TOKEN", value: "literal-token-in-manifest" }),
    },
    { name: "no default deny in the OpenClaw namespace", ids: ["NET-3"], change: (r) => without(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy", (i) => named("NetworkPolicy", "default-deny-all")(i) && (i.metadata as Inputs).namespace === "openclaw") },
    { name: "an OpenClaw container that may escalate privileges", ids: ["RBAC-5"], change: (r) => mutate(r, "kubernetes:apps/v1:Deployment", named("Deployment", "openclaw"), "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation", true) },
    { name: "an image pinned by tag only", ids: ["CI-1"], change: (r) => mutate(r, "kubernetes:apps/v1:Deployment", named("Deployment", "openclaw"), "spec.template.spec.containers[0].image", "ghcr.io/openclaw/openclaw:latest") },
    { name: "an ExternalSecret that never refreshes", ids: ["SEC-5"], change: (r) => mutate(r, "kubernetes:external-secrets.io/v1:ExternalSecret", kube("ExternalSecret"), "spec.refreshInterval", "0") },
    { name: "a Gateway listener on port 8080", ids: ["NET-4"], change: (r) => mutate(r, "kubernetes:gateway.networking.k8s.io/v1:Gateway", kube("Gateway"), "spec.listeners[1].port", 8080) },
    { name: "request ids disabled", ids: ["LOG-3"], change: (r) => mutate(r, "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy", any, "spec.headers.requestID", "Disable") },
];

const AWS_MUTATIONS: readonly Mutation[] = [
    {
        name: "a public EKS API endpoint",
        ids: ["NET-1", "NET-4"],
        change: (r) => mutate(mutate(r, "aws:eks/cluster:Cluster", any, "vpcConfig.endpointPublicAccess", true), "aws:eks/cluster:Cluster", any, "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"]),
    },
    { name: "port 22 open to the internet", ids: ["NET-4"], change: (r) => mutate(mutate(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (i) => i.fromPort === 443 && i.cidrIpv4 === "0.0.0.0/0", "fromPort", 22), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (i) => i.fromPort === 22, "toPort", 22) },
    { name: "nodes answering IMDSv1", ids: ["RBAC-5", "NET-3"], change: (r) => mutate(r, "aws:ec2/launchTemplate:LaunchTemplate", any, "metadataOptions.httpTokens", "optional") },
    { name: "secret rotation every 365 days", ids: ["SEC-4"], change: (r) => mutate(r, "aws:secretsmanager/secretRotation:SecretRotation", any, "rotationRules.automaticallyAfterDays", 365) },
    { name: "KMS key rotation every 365 days", ids: ["SEC-4"], change: (r) => mutate(r, "aws:kms/key:Key", any, "rotationPeriodInDays", 365) },
    { name: "log retention of 30 days", ids: ["LOG-5"], change: (r) => mutate(r, "aws:cloudwatch/logGroup:LogGroup", any, "retentionInDays", 30) },
    { name: "a VPC without flow logs", ids: ["LOG-1"], change: (r) => without(r, "aws:ec2/flowLog:FlowLog", any) },
    { name: "no PII masking on the application logs", ids: ["LOG-2"], change: (r) => without(r, "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy", any) },
    { name: "an archive without Object Lock", ids: ["LOG-4"], change: (r) => mutate(r, "aws:s3/bucket:Bucket", (i) => i.objectLockEnabled === true, "objectLockEnabled", false) },
    { name: "no failed-authentication alarm", ids: ["LOG-6"], change: (r) => without(r, "aws:cloudwatch/metricAlarm:MetricAlarm", (i) => String(i.name).includes("failed-auth")) },
    { name: "a Secrets Manager secret without its rotation", ids: ["SEC-4"], change: (r) => without(r, "aws:secretsmanager/secretRotation:SecretRotation", any) },
    { name: "no Secrets Manager endpoint", ids: ["NET-6"], change: (r) => without(r, "aws:ec2/vpcEndpoint:VpcEndpoint", (i) => String(i.serviceName).endsWith(".secretsmanager")) },
    { name: "operators given EKS Edit on the OpenClaw namespace", ids: ["RBAC-2"], change: (r) => mutate(r, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", (i) => JSON.stringify(i.accessScope).includes('"openclaw"') && String(i.policyArn).endsWith("AmazonEKSViewPolicy"), "policyArn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy") },
    { name: "the developers' Edit policy at cluster scope", ids: ["RBAC-3"], change: (r) => mutate(r, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", (i) => String(i.policyArn).endsWith("AmazonEKSEditPolicy"), "accessScope", { type: "cluster" }) },
];

const AZURE_MUTATIONS: readonly Mutation[] = [
    { name: "a public AKS API server", ids: ["NET-1", "NET-4"], change: (r) => mutate(r, "azure-native:containerservice:ManagedCluster", any, "apiServerAccessProfile", { enablePrivateCluster: false }) },
    { name: "workspace retention of 30 days", ids: ["LOG-5"], change: (r) => mutate(r, "azure-native:operationalinsights:Workspace", any, "retentionInDays", 30) },
    { name: "a Key Vault open to public networks", ids: ["NET-6"], change: (r) => mutate(r, "azure-native:keyvault:Vault", any, "properties.publicNetworkAccess", "Enabled") },
    { name: "a role assignment to a user", ids: ["RBAC-6"], change: (r) => mutate(r, "azure-native:authorization:RoleAssignment", (i) => i.principalType === "Group", "principalType", "User") },
    { name: "a Key Vault key rotating yearly", ids: ["SEC-4"], change: (r) => mutate(r, "azure-native:keyvault:Key", any, "properties.rotationPolicy.lifetimeActions[0].trigger.timeAfterCreate", "P1Y") },
    { name: "local accounts on AKS", ids: ["RBAC-5"], change: (r) => mutate(r, "azure-native:containerservice:ManagedCluster", any, "disableLocalAccounts", false) },
];

for (const [stack, cloudMutations] of [["dev", AWS_MUTATIONS], ["dev-azure", AZURE_MUTATIONS]] as const) {
    describe(`the policy pack on the ${stack} example stack`, function () {
        // Running the program under mocks takes several seconds; it runs once per stack for the whole suite.
        this.timeout(120_000);
        let resources: AnalyzedResource[] = [];
        before(async () => {
            resources = fromRecordedRun(await exampleRun(stack as ExampleStack));
        });

        it("has no mandatory violation, with the default and the SOC 2 config", async () => {
            assertPasses(await checkResources(stack, resources));
            assertPasses(await checkResources(stack, resources, loadPolicyConfigFile(path.join(PROJECT_ROOT, "policy-pack", "policy-config.soc2.json"))));
        });

        it("has no mandatory violation as a preview, where computed outputs are unknown", async () => {
            const report = await checkResources(stack, fromRecordedRun(await exampleRun(stack as ExampleStack), { preview: true }));
            assertPasses(report);
        });

        it("finds a policy that applies for every checklist id but NET-5 (no peering configured)", async () => {
            const report = await checkResources(stack, resources);
            const notApplicable = report.rows.filter((r) => r.status === "not applicable").map((r) => r.id);
            assert.deepStrictEqual(notApplicable, ["NET-5"]);
        });

        for (const m of [...KUBERNETES_MUTATIONS, ...cloudMutations]) {
            it(`fails ${m.ids.join(", ")} when ${m.name}`, async () => {
                // Only the policies carrying these ids run: the full pack on the unchanged stack passes (above).
                const report = await checkResources(stack, m.change(resources), undefined, m.ids);
                assert.ok(!report.passed);
                for (const id of m.ids) {
                    assert.ok(failed(report).includes(id), `${id} should fail; failed: ${failed(report).join(", ")}`);
                }
            });
        }
    });
}

describe("npm run policy-check", function () {
    this.timeout(120_000);
    const cached = (stack: string) => exampleRun(stack as ExampleStack);

    it("prints one row per checklist id and exits 0 for the dev stack", async () => {
        let out = "";
        const code = await main(["--stack", "dev"], (t) => (out += t), cached);
        assert.strictEqual(code, 0);
        for (const id of ["NET-1", "SEC-4", "TLS-3", "LOG-5", "RBAC-6", "CI-1"]) {
            assert.match(out, new RegExp(`^pass\\s+${id}\\s`, "m"));
        }
        assert.match(out, /^n\/a\s+NET-5\s/m);
    });

    it("writes JSON with --json and reads a --config file", async () => {
        let out = "";
        const code = await main(["--stack", "dev-azure", "--json", "--config", "policy-pack/policy-config.soc2.json"], (t) => (out += t), cached);
        const parsed = JSON.parse(out) as { passed: boolean; rows: { id: string; status: string; violations: { policy: string }[] }[] };
        assert.strictEqual(code, 0);
        assert.strictEqual(parsed.passed, true);
        assert.strictEqual(parsed.rows.length, 32);
        assert.ok(parsed.rows.every((r) => r.violations.length === 0), out);
    });

    it("exits 1 on a mandatory violation (the SOC 2 retention on a 90-day stack)", async () => {
        let out = "";
        const ninetyDays = async (stack: string) => {
            const run = await exampleRun(stack as ExampleStack);
            return {
                ...run,
                resources: run.resources.map((r) => (r.type === "aws:cloudwatch/logGroup:LogGroup" ? { ...r, inputs: { ...r.inputs, retentionInDays: 90 }, state: { ...r.state, retentionInDays: 90 } } : r)),
            };
        };
        const code = await main(["--stack", "dev", "--config", "policy-pack/policy-config.soc2.json"], (t) => (out += t), ninetyDays);
        assert.strictEqual(code, 1);
        assert.match(out, /^FAIL\s+LOG-5\s/m);
        assert.match(out, /aws-cloudwatch-log-group-configure-retention on openclaw-logs-\w+: retentionInDays is 90, below 365/);
    });

    it("rejects unknown arguments", () => {
        assert.throws(() => parseArgs(["--stak", "dev"]), /unknown argument --stak/);
    });

    it("--help prints the usage and exits 0", async () => {
        let out = "";
        assert.strictEqual(await main(["--help"], (t) => (out += t)), 0);
        assert.match(out, /^usage: npm run policy-check -- --stack <name>/);
        assert.match(out, /--format <format>/);
    });

    it("refuses --config, --stack and --format without a value instead of ignoring them", () => {
        assert.throws(() => parseArgs(["--stack", "dev", "--config"]), /--config needs a policy config file/);
        assert.throws(() => parseArgs(["--config", "--stack", "dev"]), /--config needs a policy config file/);
        assert.throws(() => parseArgs(["--stack"]), /--stack needs a stack name/);
        assert.throws(() => parseArgs(["--format", "yaml"]), /--format yaml: accepted: text, json, markdown/);
    });

    it("names the missing stack file and the ones present, instead of a raw ENOENT", async () => {
        await assert.rejects(main(["--stack", "prdo"], () => undefined), (err: Error) => {
            assert.match(err.message, /no stack file Pulumi\.prdo\.yaml for stack "prdo"; present: .*Pulumi\.dev\.yaml/);
            assert.doesNotMatch(err.message, /ENOENT/);
            return true;
        });
    });

    it("names a missing policy config file and the ones present", async () => {
        await assert.rejects(main(["--stack", "dev", "--config", "policy-pack/policy-config.sox.json"], () => undefined, cached), /no policy config file policy-pack\/policy-config\.sox\.json; present: .*policy-config\.soc2\.json/);
    });

    describe("a finding whose policy carries several checklist ids", () => {
        // The developer association removed while the developer role is still granted: aws-eks-missing-role-access
        // carries RBAC-1..4 and used to be printed under each of them, while the summary counted one.
        const noDeveloperAccess = async (stack: string) => {
            const run = await exampleRun(stack as ExampleStack);
            return { ...run, resources: run.resources.filter((r) => !(r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation" && r.name.endsWith("-developer"))) };
        };

        it("is printed once, with its checklist ids and the openclaw: key behind it, and counted once", async () => {
            let out = "";
            assert.strictEqual(await main(["--stack", "dev"], (t) => (out += t), noDeveloperAccess), 1);
            assert.strictEqual(out.split("aws-eks-missing-role-access on").length - 1, 1, out);
            assert.match(out, /checklist RBAC-1, RBAC-2, RBAC-3, RBAC-4; caused by openclaw:groups/);
            assert.match(out, /^policy-check dev: FAIL · 1 violation \(RBAC-1, RBAC-2, RBAC-3, RBAC-4\)/m);
        });

        it("is one row of the --format markdown failure table, for a pull-request comment", async () => {
            let out = "";
            assert.strictEqual(await main(["--stack", "dev", "--format", "markdown"], (t) => (out += t), noDeveloperAccess), 1);
            assert.match(out, /^### ❌ policy-check dev: FAIL/m);
            assert.match(out, /^\| Policy \| Resource \| Checklist \| Config key \| Finding \|$/m);
            const rows = out.split("\n").filter((l) => l.startsWith("| `aws-eks-missing-role-access`"));
            assert.strictEqual(rows.length, 1, out);
            assert.match(rows[0], /\| RBAC-1, RBAC-2, RBAC-3, RBAC-4 \| `openclaw:groups` \| no Edit association scoped to openclaw-sandbox for the developer role \|$/);
        });

        it("is one entry of --format json's violations", async () => {
            let out = "";
            await main(["--stack", "dev", "--format", "json"], (t) => (out += t), noDeveloperAccess);
            const parsed = JSON.parse(out) as { violations: { policy: string; checklist: string[]; configKey: string }[]; summary: string };
            assert.deepStrictEqual(parsed.violations.map((v) => [v.policy, v.checklist.join(","), v.configKey]), [["aws-eks-missing-role-access", "RBAC-1,RBAC-2,RBAC-3,RBAC-4", "openclaw:groups"]]);
            assert.match(parsed.summary, /^policy-check dev: FAIL/);
        });
    });

    it("warns that it stood in for a missing model key and client secret, and that the image digest is the all-zero placeholder", async () => {
        let out = "";
        assert.strictEqual(await main(["--stack", "dev"], (t) => (out += t), cached), 0);
        assert.match(out, /Pulumi\.dev\.yaml sets no model provider key: this check ran with a stand-in openclaw:anthropicApiKey/);
        assert.match(out, /@sha256:0{64} carries the all-zero placeholder digest/);
        assert.match(out, /names openclaw:identity without openclaw:identityClientSecret: this check ran with a stand-in/);
        assert.match(out, /· \d+ warnings ·/);
    });

    it("lists an exception in force with its reason, owner and expiry, and its rows read pass with exception", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
        try {
            const config = { ...loadPolicyConfigFile(path.join(PROJECT_ROOT, "policy-pack", "policy-config.default.json")), "aws-security-group-disallow-public-ingress": { allowedPublicPorts: [443, 80], bastionCidrs: ["198.51.100.0/28"], exception: EXCEPTION_RECORD } };
            const file = path.join(dir, "with-exception.json");
            fs.writeFileSync(file, JSON.stringify(config));
            let out = "";
            assert.strictEqual(await main(["--stack", "dev", "--config", file], (t) => (out += t), cached), 0, out);
            assert.match(out, /^exc\s+NET-4\s/m);
            assert.match(out, /in force {2}aws-security-group-disallow-public-ingress: bastionCidrs \["198\.51\.100\.0\/28"\]/);
            assert.ok(out.includes(`reason: ${EXCEPTION_RECORD.reason}; owner: ${EXCEPTION_RECORD.owner}; expires: ${EXCEPTION_RECORD.expires}`), out);
            assert.match(out, /1 exception in force/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
