// The real-engine suite (npm run test:engine): the real Pulumi CLI runs this program and its policy pack, and the
// Kubernetes layer is applied to a real (local) API server. See test/engine/README.md for what is real and what
// is a stand-in, and docs/benchmarks.md for the times.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { policies } from "../../policy-pack/policies";
import { policyCheck } from "../../scripts/policy-check";
import { EXAMPLE_SECRETS } from "../harness/examples";
import { FAKE_SECRETS, PROJECT_ROOT, runProgram } from "../harness/program";
import { buildLayer, kubernetesObjects } from "../kubernetes/layer-run";
import { STACK_OF, type FakePlatform } from "../kubernetes/fake-seam";
import { startCluster, type LocalCluster } from "./cluster";
import { applyTestCrds, verifyApplied } from "./kube-checks";
import { writeTinyCharts } from "./tiny-charts";
import { countVerdicts, differences, engineReport, offlineVerdicts } from "./verdicts";
import { createWorkspace, ok, projectDir, type Workspace } from "./workspace";

const BIN = process.env.OPENCLAW_ENGINE_BIN ?? path.join(process.env.OPENCLAW_ENGINE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? "/root", ".cache"), "openclaw-engine"), "bin");
const POLICY_PACK = path.join(PROJECT_ROOT, "policy-pack");
const PACK_CONFIGS = { default: "policy-pack/policy-config.default.json", soc2: "policy-pack/policy-config.soc2.json" } as const;
const POLICY_NAMES = policies.map((p) => p.name);

/** What the run did, printed at the end and written to .work/report.json for `npm run bench`. */
const report: {
    versions: Record<string, string>;
    previews: { stack: string; config: string; seconds: number; resources: number; verdicts: Record<string, number> }[];
    ups: { stack: string; seconds: number; resources: number; secondUpSeconds?: number; destroySeconds?: number }[];
} = { versions: {}, previews: [], ups: [] };

/** The own-stack shape: a stack a user creates with `pulumi stack init` and `pulumi config set`, required keys only. */
const OWN_STACK = "prod";
const OWN_STACK_CONFIG: readonly [string, string, boolean][] = [
    ["aws:region", "eu-west-1", false],
    ["openclaw:cloud", "aws", false],
    ["openclaw:hostname", "assistant.corp.example", false],
    ["openclaw:acmeEmail", "ops@corp.example", false],
    ["openclaw:dnsZoneId", "Z9876543210ZYXWVUTSRQ", false],
    // --path: nested keys, as the README's quick start sets the image.
    ["openclaw:groups.admin[0]", "arn:aws:iam::444455556666:role/platform-admins", true],
    ["openclaw:openclaw.image", "ghcr.io/openclaw/openclaw:2026.9.6@sha256:1111111111111111111111111111111111111111111111111111111111111111", true],
];

describe("the real Pulumi engine", function () {
    this.timeout(30 * 60_000);
    let ws: Workspace;
    let cluster: LocalCluster | undefined;

    before(async function () {
        this.timeout(5 * 60_000);
        assert.ok(fs.existsSync(path.join(BIN, "pulumi")), `no pulumi in ${BIN}: run test/engine/build.sh first (npm run test:engine does)`);
        ws = createWorkspace("run", BIN);
        const versionsFile = path.join(BIN, "versions.json");
        report.versions = fs.existsSync(versionsFile) ? (JSON.parse(fs.readFileSync(versionsFile, "utf8")) as Record<string, string>) : {};
        report.versions["pulumi version"] = ok(await ws.pulumi(PROJECT_ROOT, ["version"])).stdout.trim();
        cluster = await startCluster(BIN, path.join(ws.root, "cluster"));
        Object.assign(report.versions, cluster.versions);
    });

    after(async function () {
        this.timeout(2 * 60_000);
        await cluster?.stop();
        if (ws) {
            fs.writeFileSync(path.join(ws.root, "report.json"), JSON.stringify(report, null, 2));
            printReport();
        }
    });

    /** Runs `pulumi stack init` in dir with the passphrase secrets provider. */
    const stackInit = async (dir: string, stack: string) => ok(await ws.pulumi(dir, ["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"]));
    const setSecret = async (dir: string, stack: string, key: string, value: string) => ok(await ws.pulumi(dir, ["config", "set", "--secret", "--stack", stack, key, value, "--non-interactive"]));

    /** A preview with the pack and one pack config; returns the engine's report and the CLI result. */
    async function previewWithPack(dir: string, stack: string, configFile: string, extraEnv: NodeJS.ProcessEnv = {}) {
        const eventLog = path.join(ws.root, `events-${stack}-${path.basename(configFile, ".json")}-${Date.now()}.jsonl`);
        const result = await ws.pulumi(
            dir,
            ["preview", "--stack", stack, "--non-interactive", "--policy-pack", POLICY_PACK, "--policy-pack-config", path.join(PROJECT_ROOT, configFile), "--event-log", eventLog],
            extraEnv,
        );
        assert.ok(fs.existsSync(eventLog), `${result.command} wrote no event log:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
        return { result, engine: engineReport(eventLog, POLICY_NAMES) };
    }

    type PreviewCase = { stack: string; stackFile?: string; secrets: Readonly<Record<string, string>> };
    const previewCases: PreviewCase[] = [
        { stack: "dev", stackFile: "dev", secrets: EXAMPLE_SECRETS },
        { stack: "dev-azure", stackFile: "dev-azure", secrets: EXAMPLE_SECRETS },
        { stack: OWN_STACK, secrets: { anthropicApiKey: FAKE_SECRETS.anthropicApiKey } },
    ];

    for (const c of previewCases) {
        describe(`pulumi preview --policy-pack of the program, stack ${c.stack}`, () => {
            let dir: string;
            before(async () => {
                dir = projectDir(ws, `program-${c.stack}`, "index.ts", c.stack, c.stackFile);
                await stackInit(dir, c.stack);
                if (c.stackFile === undefined) {
                    for (const [key, value, isPath] of OWN_STACK_CONFIG) {
                        ok(await ws.pulumi(dir, ["config", "set", "--stack", c.stack, ...(isPath ? ["--path"] : []), key, value, "--non-interactive"]));
                    }
                }
                for (const [key, value] of Object.entries(c.secrets)) {
                    await setSecret(dir, c.stack, `openclaw:${key}`, value);
                }
            });

            it("keeps the model keys out of the stack file in plaintext", () => {
                const text = fs.readFileSync(path.join(dir, `Pulumi.${c.stack}.yaml`), "utf8");
                for (const value of Object.values(c.secrets)) {
                    assert.ok(!text.includes(value), "a fake key is in the stack file in plaintext");
                }
                const doc = YAML.parse(text) as { config: Record<string, unknown> };
                for (const key of Object.keys(c.secrets)) {
                    assert.ok(typeof doc.config[`openclaw:${key}`] === "object", `openclaw:${key} is not stored as a secure value`);
                }
            });

            for (const [configName, configFile] of Object.entries(PACK_CONFIGS)) {
                it(`gives the same verdict as npm run policy-check on every policy (${configName} config)`, async () => {
                    const { result, engine } = await previewWithPack(dir, c.stack, configFile);
                    const offline = await policyCheck({
                        stack: c.stack,
                        configFile,
                        preview: true,
                        run: (stack, preview) => runProgram({ stack, preview, secrets: c.secrets, stackFile: path.join(dir, `Pulumi.${c.stack}.yaml`) }),
                    });
                    const expected = offlineVerdicts(offline.result, POLICY_NAMES);
                    report.previews.push({ stack: c.stack, config: configName, seconds: result.seconds, resources: engine.resources, verdicts: countVerdicts(engine.verdicts) });
                    const diff = differences(engine.verdicts, expected);
                    assert.deepStrictEqual(diff, [], `verdicts differ:\n${diff.join("\n")}\nengine policy events:\n${engine.events.map((e) => `${e.level} ${e.policy} ${e.resource ?? ""}: ${e.message}`).join("\n")}`);
                    // The preview fails exactly when the offline check finds a mandatory violation.
                    assert.strictEqual(result.code === 0, offline.passed, `${result.command} exited ${result.code}; policy-check passed: ${offline.passed}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`);
                });
            }
        });
    }

    const platforms: FakePlatform[] = ["aws-like", "azure-like"];
    for (const platform of platforms) {
        describe(`pulumi up of the Kubernetes layer against the local API server (${platform} seam)`, () => {
            const stack = `layer-${STACK_OF[platform]}`;
            let dir: string;
            let env: NodeJS.ProcessEnv;
            before(async function () {
                this.timeout(5 * 60_000);
                assert.ok(cluster, "the cluster did not start");
                const kubeconfigFile = path.join(ws.root, "cluster", "admin.kubeconfig");
                const charts = path.join(ws.root, "charts");
                writeTinyCharts(charts);
                // The CRDs of the custom resources the layer registers, from the layer's own recorded run.
                await applyTestCrds(cluster, kubernetesObjects(await buildLayer(platform)));
                env = { OPENCLAW_ENGINE_PLATFORM: platform, OPENCLAW_ENGINE_KUBECONFIG: kubeconfigFile, OPENCLAW_ENGINE_CHARTS: charts };
                dir = projectDir(ws, stack, "test/engine/layer-program.ts", stack, STACK_OF[platform]);
                await stackInit(dir, stack);
                for (const [key, value] of Object.entries(EXAMPLE_SECRETS)) {
                    await setSecret(dir, stack, `openclaw:${key}`, value);
                }
            });

            it("creates every object of the layer, and the API server admits the OpenClaw pods", async () => {
                const up = ok(await ws.pulumi(dir, ["up", "--stack", stack, "--yes", "--skip-preview", "--non-interactive"], env));
                const state = JSON.parse(ok(await ws.pulumi(dir, ["stack", "export", "--stack", stack])).stdout) as { deployment: { resources: { urn: string; type: string; outputs?: Record<string, unknown> }[] } };
                const checked = await verifyApplied(cluster!, state.deployment.resources);
                report.ups.push({ stack, seconds: up.seconds, resources: state.deployment.resources.length });
                assert.ok(checked.objects > 20, `only ${checked.objects} objects checked`);
            });

            it("keeps every secret out of the state file in plaintext", async () => {
                const exported = ok(await ws.pulumi(dir, ["stack", "export", "--stack", stack])).stdout;
                const kubeconfig = fs.readFileSync(path.join(ws.root, "cluster", "admin.kubeconfig"), "utf8");
                const clientKey = (JSON.parse(kubeconfig) as { users: { user: Record<string, string> }[] }).users[0].user["client-key-data"];
                for (const [what, value] of [...Object.entries(EXAMPLE_SECRETS), ["the admin client key", clientKey]] as [string, string][]) {
                    assert.ok(!exported.includes(value), `${what} is in the state file in plaintext`);
                }
            });

            it("makes no change on a second up", async () => {
                const second = ok(await ws.pulumi(dir, ["preview", "--stack", stack, "--non-interactive", "--expect-no-changes", "--diff"], env));
                const last = report.ups[report.ups.length - 1];
                if (last) {
                    last.secondUpSeconds = second.seconds;
                }
            });

            if (platform === "aws-like") {
                it("fails the real preview with the right policy, and the API server refuses the pod, when the container is privileged", async () => {
                    const { result, engine } = await previewWithPack(dir, stack, PACK_CONFIGS.default, { ...env, OPENCLAW_ENGINE_MUTATION: "privileged" });
                    assert.notStrictEqual(result.code, 0, "the preview of a privileged OpenClaw container passed");
                    const hits = engine.events.filter((e) => e.policy === "kubernetes-pod-enforce-restricted-security-context" && e.level === "mandatory");
                    assert.ok(hits.some((e) => e.resource === "openclaw-gateway-deployment" && /privileged/.test(e.message)), `no privileged violation on the deployment:\n${JSON.stringify(engine.events, null, 1)}`);
                    const refused = await cluster!.request("POST", "/api/v1/namespaces/openclaw/pods?dryRun=All", await privilegedPodFromLiveDeployment(cluster!));
                    assert.strictEqual(refused.status, 403, `the API server accepted a privileged pod: ${JSON.stringify(refused.body)}`);
                    assert.match(String(refused.body.message), /violates PodSecurity "restricted:latest": .*privileged/);
                });
            }

            it("removes everything on destroy", async () => {
                const destroyed = ok(await ws.pulumi(dir, ["destroy", "--stack", stack, "--yes", "--skip-preview", "--non-interactive"], env));
                const last = report.ups[report.ups.length - 1];
                if (last) {
                    last.destroySeconds = destroyed.seconds;
                }
                const state = JSON.parse(ok(await ws.pulumi(dir, ["stack", "export", "--stack", stack])).stdout) as { deployment: { resources?: unknown[] } };
                assert.strictEqual((state.deployment.resources ?? []).length, 0, "resources left in the state after destroy");
                const left = await cluster!.request("GET", "/api/v1/namespaces/openclaw");
                assert.ok(left.status === 404 || (left.body.status as { phase?: string } | undefined)?.phase === "Terminating", `namespace openclaw still exists: ${left.status}`);
            });
        });
    }
});

/** A Pod built from the live OpenClaw Deployment's template, with its container made privileged. */
async function privilegedPodFromLiveDeployment(cluster: LocalCluster): Promise<Record<string, unknown>> {
    const live = await cluster.request("GET", "/apis/apps/v1/namespaces/openclaw/deployments/openclaw");
    assert.strictEqual(live.status, 200, "the OpenClaw Deployment is not in the cluster");
    const template = (live.body.spec as { template: { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[] } } }).template;
    const containers = template.spec.containers.map((c, i) => (i === 0 ? { ...c, securityContext: { ...(c.securityContext as object), privileged: true, allowPrivilegeEscalation: true } } : c));
    return { apiVersion: "v1", kind: "Pod", metadata: { name: "openclaw-privileged-probe", labels: template.metadata.labels }, spec: { ...template.spec, containers } };
}

function printReport(): void {
    const lines = ["", "real-engine run:", "  versions:"];
    for (const [k, v] of Object.entries(report.versions)) {
        lines.push(`    ${k}: ${v}`);
    }
    lines.push("  previews with the policy pack (stack, config, resources, seconds, verdicts fail/warn/pass/n-a):");
    for (const p of report.previews) {
        lines.push(`    ${p.stack.padEnd(10)} ${p.config.padEnd(8)} ${String(p.resources).padStart(4)} ${p.seconds.toFixed(1).padStart(6)} s  ${p.verdicts.fail}/${p.verdicts.warn}/${p.verdicts.pass}/${p.verdicts["n/a"]}`);
    }
    lines.push("  up of the Kubernetes layer (stack, resources in state, up s, no-op preview s, destroy s):");
    for (const u of report.ups) {
        lines.push(`    ${u.stack.padEnd(16)} ${String(u.resources).padStart(4)} ${u.seconds.toFixed(1).padStart(6)} ${(u.secondUpSeconds ?? 0).toFixed(1).padStart(6)} ${(u.destroySeconds ?? 0).toFixed(1).padStart(6)}`);
    }
    console.log(lines.join("\n"));
}
