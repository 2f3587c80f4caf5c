// The generated openclaw.json against the real OpenClaw: validate, audit, boot, refuse strangers, stop cleanly;
// plus configs that must fail, so the suite is known to be able to fail. Runs with `npm run test:e2e`.
import * as assert from "assert";
import * as fs from "fs";
import { spawnSync } from "child_process";
import { type OpenClawJson } from "../components/kubernetes/openclaw-json";
import { MODEL_PROVIDER_NAMES, type ModelProvider } from "../config/providers";
import {
    descendants,
    freePort,
    GatewayProcess,
    installedOpenClaw,
    isAlive,
    isOpenClawFixedTmp,
    jsonOutput,
    netEvents,
    nodeBinary,
    OPENCLAW_FIXED_TMP,
    outsideCalls,
    outsideEntries,
    peakRssMiB,
    pinnedOpenClawVersion,
    portIsFree,
    redact,
    request,
    runNode,
    runOpenClaw,
    Workspace,
    type Sandbox,
} from "./openclaw";
import { EXPLAINED_AUDIT_FINDINGS, unexplainedFindings } from "./audit";
import { deployedOpenClawJson, EXAMPLE_STACKS, imageTag, type ExampleStack } from "./stacks";

/**
 * Readiness budget. A fresh state dir costs OpenClaw 15-30 s on 2 cores; measured up to 66 s with a load average of
 * 8 from other builds (docs/openclaw.md). A gateway that is not ready by then fails the suite with its log.
 */
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Each example stack with a set of model providers. Together they cover both ways web search is chosen: Gemini's
 * built-in search (dev: every provider) and search off because only OpenRouter could select it (dev-azure).
 */
const CASES: readonly { stack: ExampleStack; providers: readonly ModelProvider[] }[] = [
    { stack: "dev", providers: MODEL_PROVIDER_NAMES },
    { stack: "dev-azure", providers: ["anthropic", "openrouter"] },
];

interface ValidateResult {
    readonly valid: boolean;
    readonly issues?: readonly { path: string; message: string }[];
    readonly warnings?: readonly unknown[];
}

interface AuditFinding {
    readonly checkId: string;
    readonly severity: "info" | "warn" | "critical";
    readonly title: string;
    readonly detail?: string;
}

interface AuditResult {
    readonly summary: { critical: number; warn: number; info: number };
    readonly findings: readonly AuditFinding[];
}

/** Does `version` satisfy an npm engines range made of `||` alternatives of `>=`, `>`, `<`, `<=` comparators? */
function satisfies(version: string, range: string): boolean {
    const parse = (v: string) => v.replace(/^v/, "").split(".").map((part) => Number.parseInt(part, 10) || 0);
    const compare = (a: number[], b: number[]) => {
        for (let i = 0; i < 3; i++) {
            if ((a[i] ?? 0) !== (b[i] ?? 0)) {
                return (a[i] ?? 0) - (b[i] ?? 0);
            }
        }
        return 0;
    };
    const have = parse(version);
    return range.split("||").some((alternative) =>
        alternative
            .trim()
            .split(/\s+/)
            .every((comparator) => {
                const match = /^(>=|<=|>|<|=)?(.+)$/.exec(comparator);
                if (!match) {
                    return false;
                }
                const order = compare(have, parse(match[2]));
                switch (match[1] ?? "=") {
                    case ">=":
                        return order >= 0;
                    case ">":
                        return order > 0;
                    case "<=":
                        return order <= 0;
                    case "<":
                        return order < 0;
                    default:
                        return order === 0;
                }
            }),
    );
}

function validate(sandbox: Sandbox): ValidateResult {
    return jsonOutput<ValidateResult>(sandbox, runOpenClaw(sandbox, ["config", "validate", "--json"]), "openclaw config validate --json");
}

/** `security audit --json` exits 0 even when it reports a critical finding, so the findings are what counts. */
function audit(sandbox: Sandbox): AuditResult {
    const result = runOpenClaw(sandbox, ["security", "audit", "--json"]);
    for (const secret of sandbox.secretValues) {
        assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), "the audit printed a secret value");
    }
    return jsonOutput<AuditResult>(sandbox, result, "openclaw security audit --json");
}

const describeFinding = (f: AuditFinding) => `${f.severity} ${f.checkId}: ${f.title}${f.detail ? ` (${f.detail.split("\n")[0]})` : ""}`;

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await condition()) {
            return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return condition();
}

describe(`OpenClaw ${pinnedOpenClawVersion()} (npm) with the openclaw.json this program renders`, function () {
    const workspace = new Workspace();
    let outsideBefore: Set<string>;

    before(function () {
        outsideBefore = outsideEntries([workspace.root]);
    });

    after(function () {
        // OpenClaw writes a few files to fixed /tmp paths (see the last test); remove what this run added.
        for (const entry of outsideEntries([workspace.root])) {
            if (!outsideBefore.has(entry) && isOpenClawFixedTmp(entry) && fs.existsSync(entry) && fs.statSync(entry).isFile()) {
                fs.rmSync(entry, { force: true });
            }
        }
        for (const { dir } of OPENCLAW_FIXED_TMP) {
            if (!outsideBefore.has(dir) && fs.existsSync(dir) && fs.readdirSync(dir).length === 0) {
                fs.rmdirSync(dir);
            }
        }
        workspace.remove();
    });

    describe("the pinned release", function () {
        it("installs exactly the openclaw version e2e/package.json pins", function () {
            assert.strictEqual(installedOpenClaw().version, pinnedOpenClawVersion());
        });

        for (const stack of EXAMPLE_STACKS) {
            it(`pins the same OpenClaw version as the image tag of the ${stack} example stack`, function () {
                assert.strictEqual(
                    imageTag(stack),
                    pinnedOpenClawVersion(),
                    `Pulumi.${stack}.yaml deploys ghcr.io/openclaw/openclaw:${imageTag(stack)} but e2e/package.json tests openclaw@${pinnedOpenClawVersion()}; bump both together`,
                );
            });
        }

        it("runs on the Node from the npm registry, which satisfies openclaw's engines", function () {
            const version = spawnSync(nodeBinary(), ["--version"], { encoding: "utf8" }).stdout.trim();
            const engines = installedOpenClaw().engines?.node ?? "";
            console.log(`      node ${version} (${nodeBinary()}); openclaw engines.node "${engines}"`);
            assert.match(version, /^v24\./);
            assert.ok(satisfies(version, engines), `node ${version} does not satisfy openclaw's engines.node ${engines}`);
        });

        it("reports the pinned version from `openclaw --version`", function () {
            const sandbox = workspace.sandbox("version", {});
            const result = runOpenClaw(sandbox, ["--version"]);
            assert.strictEqual(result.status, 0, redact(sandbox, result.stderr));
            assert.ok(result.stdout.includes(pinnedOpenClawVersion()), result.stdout);
        });
    });

    for (const { stack, providers } of CASES) {
        describe(`the ${stack} example stack (providers: ${providers.join(", ")})`, function () {
            let config: OpenClawJson;
            let sandbox: Sandbox;

            before(async function () {
                config = await deployedOpenClawJson(stack, providers);
                sandbox = workspace.sandbox(stack, config);
            });

            it("passes `openclaw config validate`", function () {
                const result = validate(sandbox);
                assert.deepStrictEqual(result.issues ?? [], []);
                assert.strictEqual(result.valid, true);
                assert.deepStrictEqual(result.warnings ?? [], []);
            });

            for (const layout of ["private", "pod"] as const) {
                it(`has no finding in \`openclaw security audit\` but the explained ones, with the files as ${layout === "pod" ? "the pod mounts them (0400 config copy, 0700 state dir in the fsGroup volume)" : "0600/0700 private files"}`, function () {
                    const target = layout === "private" ? sandbox : workspace.sandbox(`${stack}-pod-layout`, config, "pod");
                    const result = audit(target);
                    console.log(`      audit: ${result.summary.critical} critical, ${result.summary.warn} warn, ${result.summary.info} info`);
                    for (const finding of result.findings.filter((f) => f.severity !== "info")) {
                        console.log(`        ${redact(target, describeFinding(finding))}`);
                    }
                    assert.deepStrictEqual(unexplainedFindings(result.findings).map(describeFinding), []);
                    // Each explained finding is still raised (so the list in e2e/audit.ts stays true, not stale).
                    for (const expected of EXPLAINED_AUDIT_FINDINGS) {
                        assert.ok(result.findings.some((f) => f.checkId === expected.checkId && f.severity === expected.severity), expected.checkId);
                    }
                });
            }

            describe("a gateway started with it on loopback", function () {
                let gateway: GatewayProcess;
                const invoke = (headers: Record<string, string>) =>
                    request(gateway.port, "POST", "/tools/invoke", headers, { tool: "sessions_list", action: "json", args: {} });
                const wrongToken = { authorization: "Bearer not-the-gateway-token" };

                before(async function () {
                    gateway = new GatewayProcess(sandbox, await freePort());
                    try {
                        const readyMs = await gateway.waitReady(READY_TIMEOUT_MS);
                        console.log(`      ready after ${(readyMs / 1000).toFixed(1)} s on port ${gateway.port}`);
                    } catch (error) {
                        console.log(`      gateway log:\n${gateway.log()}`);
                        throw error;
                    }
                });

                afterEach(function () {
                    if (this.currentTest?.state === "failed") {
                        console.log(`      gateway log:\n${gateway.log()}`);
                    }
                });

                after(function () {
                    gateway?.kill();
                });

                it("answers /healthz with ok: true", async function () {
                    const answer = await request(gateway.port, "GET", "/healthz");
                    assert.strictEqual(answer.status, 200);
                    assert.strictEqual((JSON.parse(answer.text) as { ok?: unknown }).ok, true);
                });

                it("refuses POST /tools/invoke without a credential with 401", async function () {
                    assert.strictEqual((await invoke({})).status, 401);
                });

                it("refuses identity headers from loopback with 401: in-pod processes cannot pose as the proxy (allowLoopback false)", async function () {
                    assert.strictEqual((await invoke({ "x-openclaw-user": "someone", "x-openclaw-scopes": "operator.admin" })).status, 401);
                });

                it("refuses a wrong password with 401 and lets the break-glass password through from loopback", async function () {
                    assert.strictEqual((await invoke(wrongToken)).status, 401);
                    // The right password also resets this client's failure count for the next test.
                    const answer = await invoke({ authorization: `Bearer ${sandbox.gatewaySecret}` });
                    console.log(`      break-glass password: ${answer.status} ${redact(sandbox, answer.text.slice(0, 120))}`);
                    assert.notStrictEqual(answer.status, 401);
                    assert.notStrictEqual(answer.status, 429);
                });

                it("answers 429 with Retry-After once the configured number of wrong credentials is spent, even to the right one", async function () {
                    const { maxAttempts } = config.gateway.auth.rateLimit;
                    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
                        assert.strictEqual((await invoke(wrongToken)).status, 401, `wrong token ${attempt} of ${maxAttempts}`);
                    }
                    const limited = await invoke(wrongToken);
                    assert.strictEqual(limited.status, 429);
                    assert.ok(Number(limited.headers.get("retry-after")) > 0, `Retry-After: ${limited.headers.get("retry-after")}`);
                    assert.strictEqual((await invoke({ authorization: `Bearer ${sandbox.gatewaySecret}` })).status, 429);
                });

                it("logs JSON lines to the console and never a secret value", function () {
                    const raw = gateway.rawLog();
                    for (const secret of sandbox.secretValues) {
                        assert.ok(!raw.includes(secret), "a secret value appears in the gateway log");
                    }
                    const lines = raw.split("\n").filter((line) => line.startsWith("{"));
                    assert.ok(lines.length > 0, "no JSON log line");
                    for (const line of lines) {
                        assert.ok(typeof (JSON.parse(line) as { message?: unknown }).message === "string", line);
                    }
                });

                it("stops on SIGTERM to its PID, with every process it started, and frees its port", async function () {
                    const peak = peakRssMiB(gateway.pid);
                    const { exit, children } = await gateway.stop(STOP_TIMEOUT_MS);
                    console.log(`      exit ${JSON.stringify(exit)}; gateway peak RSS ${peak} MiB; ${children.length} child process(es)`);
                    assert.deepStrictEqual(exit, { code: 0, signal: null });
                    assert.ok(await eventually(() => children.every((pid) => !isAlive(pid)), 10_000), `still running: ${children.filter(isAlive).join(", ")}`);
                    assert.ok(await eventually(() => portIsFree(gateway.port), 10_000), `port ${gateway.port} is still taken`);
                    assert.deepStrictEqual(descendants(gateway.pid), []);
                });

                it("made no network call outside loopback (update checks, catalog refresh, mDNS, plugin installs are off)", function () {
                    const events = netEvents(sandbox);
                    assert.ok(events.length > 0, "the network recorder saw nothing: it did not load, so this test would prove nothing");
                    assert.deepStrictEqual(outsideCalls(events), []);
                });
            });
        });
    }

    describe("configs that must fail", function () {
        let base: OpenClawJson;
        before(async function () {
            base = await deployedOpenClawJson("dev");
        });

        it("the network recorder reports a connection and a lookup beyond loopback (so its silence means something)", function () {
            const sandbox = workspace.sandbox("recorder", base);
            // 192.0.2.1 is TEST-NET-1 and .invalid never resolves: nothing leaves the machine either way.
            runNode(sandbox, "require('net').connect(443, '192.0.2.1').on('error', () => {}).destroy(); require('dns').lookup('openclaw-e2e.invalid', () => {});");
            const outside = outsideCalls(netEvents(sandbox)).map((e) => `${e.kind} ${e.target.host}`);
            assert.ok(outside.includes("tcp 192.0.2.1"), outside.join(", "));
            assert.ok(outside.includes("dns openclaw-e2e.invalid"), outside.join(", "));
        });

        it("an unknown key fails `openclaw config validate` and the gateway refuses to start", async function () {
            const broken = { ...base, gateway: { ...base.gateway, controlUi: { ...base.gateway.controlUi, allowedOrigin: "https://openclaw.example.com" } } };
            const sandbox = workspace.sandbox("unknown-key", broken);
            const result = validate(sandbox);
            assert.strictEqual(result.valid, false);
            assert.ok(
                (result.issues ?? []).some((issue) => issue.path.startsWith("gateway.controlUi") && issue.message.includes("allowedOrigin")),
                JSON.stringify(result.issues),
            );
            const gateway = new GatewayProcess(sandbox, await freePort());
            try {
                await assert.rejects(gateway.waitReady(READY_TIMEOUT_MS), /exited/);
                assert.notStrictEqual(gateway.exit?.code, 0);
            } finally {
                gateway.kill();
            }
        });

        it("the kubelet's own file modes (0440 ConfigMap file, state in the group-writable volume root) are audit warnings the init container removes", function () {
            const result = audit(workspace.sandbox("kubernetes-layout", base, "kubernetes"));
            const unexplained = unexplainedFindings(result.findings).map((f) => f.checkId).sort();
            console.log(`      unexplained: ${unexplained.join(", ")}`);
            assert.deepStrictEqual(unexplained, ["fs.config.perms_group_readable", "fs.state_dir.perms_group_writable"]);
        });

        it("bind lan with auth.mode none is a critical `openclaw security audit` finding", function () {
            const broken = { ...base, gateway: { ...base.gateway, bind: "lan", auth: { mode: "none" } } };
            const sandbox = workspace.sandbox("no-auth", broken);
            const result = audit(sandbox);
            const critical = result.findings.filter((f) => f.severity === "critical").map((f) => f.checkId);
            console.log(`      critical: ${critical.join(", ")}`);
            assert.ok(critical.includes("gateway.bind_no_auth"), critical.join(", "));
            assert.ok(result.summary.critical > 0);
        });
    });

    // Mocha runs a suite's own tests before its child suites, so this check is a suite of its own, declared last.
    describe("after every OpenClaw process has ended", function () {
        it("left no file outside its temp dirs but the ones OpenClaw writes to fixed /tmp paths", function () {
            const added = [...outsideEntries([workspace.root])].filter((entry) => !outsideBefore.has(entry));
            const fixed = added.filter(isOpenClawFixedTmp);
            if (fixed.length > 0) {
                console.log(`      OpenClaw's fixed /tmp files (an emptyDir in the pod; removed after the suite): ${fixed.join(", ")}`);
            }
            assert.deepStrictEqual(
                added.filter((entry) => !isOpenClawFixedTmp(entry)),
                [],
            );
        });
    });
});
