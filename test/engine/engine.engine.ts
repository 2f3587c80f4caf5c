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
import { FAKE_IDENTITY_CLIENT_SECRET, FAKE_SECRETS, PROJECT_ROOT, runProgram } from "../harness/program";
import { buildLayer, kubernetesObjects, LAYER_SECRETS } from "../kubernetes/layer-run";
import { STACK_OF, type FakePlatform } from "../kubernetes/fake-seam";
import { startCluster, type LocalCluster } from "./cluster";
import { applyTestCrds, verifyApplied } from "./kube-checks";
import { writeTinyCharts } from "./tiny-charts";
import { countVerdicts, differences, engineReport, offlineVerdicts } from "./verdicts";
import { createWorkspace, ok, projectDir, writeStandInAws, type Workspace } from "./workspace";

const BIN = process.env.OPENCLAW_ENGINE_BIN ?? path.join(process.env.OPENCLAW_ENGINE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? "/root", ".cache"), "openclaw-engine"), "bin");
const POLICY_PACK = path.join(PROJECT_ROOT, "policy-pack");
const PACK_CONFIGS = { default: "policy-pack/policy-config.default.json", soc2: "policy-pack/policy-config.soc2.json" } as const;
const POLICY_NAMES = policies.map((p) => p.name);
const STACK_POLICIES = new Set(policies.filter((p) => "validateStack" in p).map((p) => p.name));

/** What the run did, printed at the end and written to .work/report.json for `npm run bench`. */
const report: {
    versions: Record<string, string>;
    previews: { stack: string; config: string; seconds: number; resources: number; verdicts: Record<string, number>; differences?: string[] }[];
    ups: { stack: string; seconds: number; resources: number; kubernetesObjects: number; byKind: Record<string, number>; secondUpSeconds?: number; destroySeconds?: number }[];
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
    // Single sign-on (docs/identity.md), required unless the shared-token weakening is named.
    // An Okta issuer, whose jwks_uri the program derives (others need openclaw:identity.jwksUri).
    ["openclaw:identity.issuer", "https://corp.okta.com/oauth2/default", true],
    ["openclaw:identity.clientId", "corp-openclaw-gateway", true],
    ["openclaw:identity.roleGroups.admin[0]", "Platform-Admins", true],
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
        // --json with streaming: the engine's events, one JSON object a line (apitype.EngineEvent).
        const result = await ws.pulumi(
            dir,
            ["preview", "--stack", stack, "--non-interactive", "--json", "--policy-pack", POLICY_PACK, "--policy-pack-config", path.join(PROJECT_ROOT, configFile)],
            { ...extraEnv, PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" },
        );
        const eventLog = path.join(ws.root, `events-${stack}-${path.basename(configFile, ".json")}-${Date.now()}.jsonl`);
        fs.writeFileSync(eventLog, result.stdout);
        return { result, engine: engineReport(eventLog, POLICY_NAMES) };
    }

    type PreviewCase = { stack: string; stackFile?: string; secrets: Readonly<Record<string, string>> };
    const previewCases: PreviewCase[] = [
        { stack: "dev", stackFile: "dev", secrets: EXAMPLE_SECRETS },
        { stack: "dev-azure", stackFile: "dev-azure", secrets: EXAMPLE_SECRETS },
        { stack: OWN_STACK, secrets: { anthropicApiKey: FAKE_SECRETS.anthropicApiKey, identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET } },
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
                    let urns: string[] = [];
                    const offline = await policyCheck({
                        stack: c.stack,
                        // The stack file is the project copy's (with the stack's own config), the pack config the repository's.
                        root: dir,
                        configFile: path.join(PROJECT_ROOT, configFile),
                        preview: true,
                        run: async (stack, preview) => {
                            const run = await runProgram({ stack, preview, secrets: c.secrets, stackFile: path.join(dir, `Pulumi.${c.stack}.yaml`) });
                            urns = run.resources.map((r) => r.urn);
                            return run;
                        },
                    });
                    const expected = offlineVerdicts(offline.result, POLICY_NAMES, urns, (name) => STACK_POLICIES.has(name));
                    report.previews.push({ stack: c.stack, config: configName, seconds: result.seconds, resources: engine.resources, verdicts: countVerdicts(engine.verdicts) });
                    const diff = differences(engine.verdicts, expected);
                    report.previews[report.previews.length - 1].differences = diff;
                    // Blocking verdicts must agree exactly; the others (warn, pass, n/a) are reported, see test/engine/README.md.
                    const failing = (v: ReadonlyMap<string, string>) => [...v].filter(([, verdict]) => verdict === "fail").map(([name]) => name).sort();
                    assert.deepStrictEqual(failing(engine.verdicts), failing(expected), `mandatory verdicts differ:\n${diff.join("\n")}\nengine policy events:\n${engine.events.map((e) => `${e.level} ${e.policy} ${e.resource ?? ""}: ${e.message}`).join("\n")}`);
                    // The preview fails exactly when the offline check finds a mandatory violation.
                    assert.strictEqual(result.code === 0, offline.passed, `${result.command} exited ${result.code}; policy-check passed: ${offline.passed}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`);
                });
            }
        });
    }

    /** One stack to `pulumi up` against the local API server: how to make its project and environment. */
    interface UpCase {
        readonly title: string;
        readonly stack: string;
        readonly stackFile: string;
        readonly entry: string;
        readonly env: () => NodeJS.ProcessEnv;
        /** The fake model keys set with `pulumi config set --secret`. */
        readonly secrets: Readonly<Record<string, string>>;
        /** Whether the program puts the model keys in the state (as secrets): the whole program does, the layer not. */
        readonly holdsModelKeys: boolean;
        readonly mutation: boolean;
    }
    const clusterDir = () => path.join(ws.root, "cluster");
    const charts = () => path.join(ws.root, "charts");
    const upCases: UpCase[] = [
        ...(["aws-like", "azure-like"] as FakePlatform[]).map((platform): UpCase => ({
            title: `pulumi up of the Kubernetes layer against the local API server (${platform} seam)`,
            stack: `layer-${STACK_OF[platform]}`,
            stackFile: STACK_OF[platform],
            entry: "test/engine/layer-program.ts",
            env: () => ({ OPENCLAW_ENGINE_PLATFORM: platform, OPENCLAW_ENGINE_KUBECONFIG: path.join(clusterDir(), "admin.kubeconfig"), OPENCLAW_ENGINE_CHARTS: charts() }),
            // The fake seams name vault keys for these two providers only (test/kubernetes/layer-run.ts).
            secrets: LAYER_SECRETS,
            holdsModelKeys: false,
            mutation: platform === "aws-like",
        })),
        {
            title: "pulumi up of the whole program, stack dev, on the stand-in AWS provider, against the local API server",
            stack: "up-dev",
            stackFile: "dev",
            entry: "test/engine/program-up.ts",
            env: () => ({
                OPENCLAW_ENGINE_CHARTS: charts(),
                OPENCLAW_ENGINE_KUBE_SERVER: cluster!.server,
                OPENCLAW_ENGINE_KUBE_CA_DATA: fs.readFileSync(path.join(clusterDir(), "ca.crt")).toString("base64"),
            }),
            secrets: EXAMPLE_SECRETS,
            holdsModelKeys: true,
            mutation: false,
        },
    ];

    for (const c of upCases) {
        describe(c.title, () => {
            let dir: string;
            let env: NodeJS.ProcessEnv;
            before(async function () {
                this.timeout(5 * 60_000);
                assert.ok(cluster, "the cluster did not start");
                writeTinyCharts(charts());
                writeStandInAws(ws.plugins, clusterDir());
                // The CRDs of the custom resources the layer registers, from the layer's own recorded run.
                await applyTestCrds(cluster, kubernetesObjects(await buildLayer("aws-like")));
                env = c.env();
                dir = projectDir(ws, c.stack, c.entry, c.stack, c.stackFile);
                await stackInit(dir, c.stack);
                for (const [key, value] of Object.entries(c.secrets)) {
                    await setSecret(dir, c.stack, `openclaw:${key}`, value);
                }
            });

            it("creates every Kubernetes object, and the API server admits the OpenClaw pods", async () => {
                const up = ok(await ws.pulumi(dir, ["up", "--stack", c.stack, "--yes", "--skip-preview", "--non-interactive"], env));
                const state = JSON.parse(ok(await ws.pulumi(dir, ["stack", "export", "--stack", c.stack])).stdout) as { deployment: { resources: { urn: string; type: string; outputs?: Record<string, unknown> }[] } };
                const checked = await verifyApplied(cluster!, state.deployment.resources);
                report.ups.push({ stack: c.stack, seconds: up.seconds, resources: state.deployment.resources.length, kubernetesObjects: checked.objects, byKind: checked.byKind });
                assert.ok(checked.objects > 20, `only ${checked.objects} objects checked`);
            });

            it("keeps every secret out of the state file in plaintext", async () => {
                const exported = ok(await ws.pulumi(dir, ["stack", "export", "--stack", c.stack])).stdout;
                const kubeconfig = fs.readFileSync(path.join(clusterDir(), "admin.kubeconfig"), "utf8");
                const clientKey = (JSON.parse(kubeconfig) as { users: { user: Record<string, string> }[] }).users[0].user["client-key-data"];
                for (const [what, value] of [...Object.entries(EXAMPLE_SECRETS), ["the admin client key", clientKey]] as [string, string][]) {
                    assert.ok(!exported.includes(value), `${what} is in the state file in plaintext`);
                }
                if (c.holdsModelKeys) {
                    // The keys are in the state, as ciphertext: decrypted, they appear.
                    const decrypted = ok(await ws.pulumi(dir, ["stack", "export", "--stack", c.stack, "--show-secrets"])).stdout;
                    assert.ok(decrypted.includes(FAKE_SECRETS.anthropicApiKey), "the model key is not in the state at all, so the check above proves nothing");
                }
            });

            it("makes no change on a second up", async () => {
                const second = ok(await ws.pulumi(dir, ["up", "--stack", c.stack, "--yes", "--skip-preview", "--non-interactive", "--expect-no-changes"], env));
                const last = report.ups.find((u) => u.stack === c.stack);
                if (last) {
                    last.secondUpSeconds = second.seconds;
                }
            });

            if (c.mutation) {
                it("rolls the pod out when the role groups change: the provider replaces the reconciler's ConfigMap, the template's hash moves", async () => {
                    // Why the hash exists: pulumi-kubernetes replaces a ConfigMap whose data changes (a new object, a new
                    // uid), which Reloader (update events only) would not see. Checked here on the real provider.
                    const read = async () => {
                        const configMap = await cluster!.request("GET", "/api/v1/namespaces/openclaw/configmaps/openclaw-role-reconciler");
                        const deployment = await cluster!.request("GET", "/apis/apps/v1/namespaces/openclaw/deployments/openclaw");
                        const meta = (o: Record<string, unknown>) => (o.metadata ?? {}) as Record<string, unknown>;
                        const template = ((deployment.body.spec as Record<string, unknown>).template ?? {}) as Record<string, unknown>;
                        return {
                            uid: String(meta(configMap.body).uid),
                            config: String((configMap.body.data as Record<string, string>)["config.json"]),
                            hash: String((meta(template).annotations as Record<string, string>)["openclaw.io/config-sha256"]),
                        };
                    };
                    const before = await read();
                    ok(await ws.pulumi(dir, ["config", "set", "--stack", c.stack, "--path", "openclaw:identity.roleGroups.admin[0]", "OpenClaw-Owners", "--non-interactive"]));
                    ok(await ws.pulumi(dir, ["up", "--stack", c.stack, "--yes", "--skip-preview", "--non-interactive"], env));
                    const after = await read();
                    assert.ok(after.config.includes("OpenClaw-Owners") && !before.config.includes("OpenClaw-Owners"), "the new role group is not in the reconciler's config");
                    assert.notStrictEqual(after.uid, before.uid, "the ConfigMap was updated in place: the provider's replace behaviour changed, and Reloader could do the work");
                    assert.notStrictEqual(after.hash, before.hash, "the pod template did not change: the running reconciler would keep the old groups");
                });

                it("fails the real preview with the right policy, and the API server refuses the pod, when the container is privileged", async () => {
                    const { result, engine } = await previewWithPack(dir, c.stack, PACK_CONFIGS.default, { ...env, OPENCLAW_ENGINE_MUTATION: "privileged" });
                    assert.notStrictEqual(result.code, 0, "the preview of a privileged OpenClaw container passed");
                    const hits = engine.events.filter((e) => e.policy === "kubernetes-pod-enforce-restricted-security-context" && e.level === "mandatory");
                    assert.ok(hits.some((e) => e.resource === "openclaw-gateway-deployment" && /privileged/.test(e.message)), `no privileged violation on the deployment:\n${JSON.stringify(engine.events, null, 1)}`);
                    const refused = await cluster!.request("POST", "/api/v1/namespaces/openclaw/pods?dryRun=All", await privilegedPodFromLiveDeployment(cluster!));
                    assert.strictEqual(refused.status, 403, `the API server accepted a privileged pod: ${JSON.stringify(refused.body)}`);
                    assert.match(String(refused.body.message), /violates PodSecurity "restricted:latest": .*privileged/);
                });
            }

            it("removes everything on destroy", async () => {
                const destroyed = ok(await ws.pulumi(dir, ["destroy", "--stack", c.stack, "--yes", "--skip-preview", "--non-interactive"], env));
                const last = report.ups.find((u) => u.stack === c.stack);
                if (last) {
                    last.destroySeconds = destroyed.seconds;
                }
                const state = JSON.parse(ok(await ws.pulumi(dir, ["stack", "export", "--stack", c.stack])).stdout) as { deployment: { resources?: unknown[] } };
                assert.strictEqual((state.deployment.resources ?? []).length, 0, "resources left in the state after destroy");
                // The namespace controller finishes the deletion; the next case reuses the names.
                await waitGone(cluster!, "/api/v1/namespaces/openclaw");
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

async function waitGone(cluster: LocalCluster, apiPath: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    while ((await cluster.request("GET", apiPath)).status !== 404) {
        assert.ok(Date.now() < deadline, `${apiPath} still exists 120 s after destroy`);
        await new Promise((r) => setTimeout(r, 1000));
    }
}

function printReport(): void {
    const lines = ["", "real-engine run:", "  versions:"];
    for (const [k, v] of Object.entries(report.versions)) {
        lines.push(`    ${k}: ${v}`);
    }
    lines.push("  previews with the policy pack (stack, config, resources, seconds, verdicts fail/warn/pass/n-a):");
    for (const p of report.previews) {
        lines.push(`    ${p.stack.padEnd(10)} ${p.config.padEnd(8)} ${String(p.resources).padStart(4)} ${p.seconds.toFixed(1).padStart(6)} s  ${p.verdicts.fail}/${p.verdicts.warn}/${p.verdicts.pass}/${p.verdicts["n/a"]}`);
        for (const d of p.differences ?? []) {
            lines.push(`      differs (non-blocking): ${d}`);
        }
    }
    lines.push("  up against the local API server (stack, resources in state, Kubernetes objects read back, up s, second up s, destroy s):");
    for (const u of report.ups) {
        lines.push(`    ${u.stack.padEnd(16)} ${String(u.resources).padStart(4)} ${String(u.kubernetesObjects).padStart(4)} ${u.seconds.toFixed(1).padStart(6)} ${(u.secondUpSeconds ?? 0).toFixed(1).padStart(6)} ${(u.destroySeconds ?? 0).toFixed(1).padStart(6)}`);
        lines.push(`      ${Object.entries(u.byKind).map(([k, n]) => `${k} ${n}`).join(", ")}`);
    }
    console.log(lines.join("\n"));
}
