// The four checklist roles inside the real OpenClaw, behind a stand-in ingress proxy: the generated openclaw.json of
// each example stack boots in a network namespace (the pod), this process sends what the proxy sends from the host end
// of a veth pair, and every refusal the design relies on is asked of OpenClaw itself. The role reconciler runs beside
// the gateway as the pod runs it, asked what Envoy's ext_authz asks, with ID tokens of a stand-in IdP; nobody assigns
// a role by hand. Runs with `npm run test:e2e`.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as crypto from "crypto";
import { IDENTITY_HEADERS, scopesHeaderValue, type ChecklistRole } from "../components/kubernetes/openclaw-roles";
import { OPENCLAW_PORT, type OpenClawJson } from "../components/kubernetes/openclaw-json";
import { TestIdp } from "./idp";
import { canCreateNetworkNamespace, PodNetwork } from "./netns";
import { GatewayProcess, isOpenClawFixedTmp, jsonOutput, netEventsOf, nodeBinary, openclawEntry, outsideCalls, outsideEntries, rawRequest, runOpenClaw, Workspace, type Sandbox } from "./openclaw";
import { RoleReconcilerProcess } from "./role-reconciler";
import { deployedOpenClawJson, deployedRoleReconcilerConfig, EXAMPLE_STACKS, stackConfig } from "./stacks";

/** See openclaw.e2e.ts: a fresh state dir takes 15-66 s on 2 busy cores. */
const READY_TIMEOUT_MS = 180_000;

/**
 * The only change to the generated file: the admin HTTP RPC plugin (docs/plugins/admin-http-rpc.md), a
 * request/response window onto the Gateway methods whose scope checks the roles set, since this suite has no
 * WebSocket client. The pack forbids it in a deployed file (kubernetes-openclaw-config-enforce-plugin-allowlist).
 * The file trusts the pod CIDR; here the stand-in proxy's own address is that range.
 */
function underTest(config: OpenClawJson, proxyAddress: string): OpenClawJson {
    return {
        ...config,
        gateway: { ...config.gateway, trustedProxies: [`${proxyAddress}/32`] },
        plugins: { ...config.plugins, allow: [...config.plugins.allow, "admin-http-rpc"], entries: { "admin-http-rpc": { enabled: true } } },
    } as OpenClawJson;
}

/** A person at the IdP: the immutable subject the proxy forwards, and the checklist role their groups give. */
const PEOPLE: Readonly<Record<ChecklistRole, string>> = {
    admin: "00u1admin0subject",
    operator: "00u2operator0subject",
    developer: "00u3developer0subject",
    auditor: "00u4auditor0subject",
};

/** Tools whose presence would let an agent run a command (docs/gateway/config-tools/tool-policy.md group:runtime). */
const COMMAND_TOOLS = ["exec", "process", "code_execution", "bash"];

const describeIf = canCreateNetworkNamespace() ? describe : describe.skip;

describeIf("OpenClaw behind a stand-in identity-aware proxy (a network namespace as the pod)", function () {
    const workspace = new Workspace();
    const outsideBefore = outsideEntries([workspace.root]);

    after(function () {
        for (const entry of outsideEntries([workspace.root])) {
            if (!outsideBefore.has(entry) && isOpenClawFixedTmp(entry) && fs.existsSync(entry) && fs.statSync(entry).isFile()) {
                fs.rmSync(entry, { force: true });
            }
        }
        workspace.remove();
    });

    for (const stack of EXAMPLE_STACKS) {
        describe(`the ${stack} example stack's openclaw.json in trusted-proxy mode`, function () {
            let network: PodNetwork;
            let sandbox: Sandbox;
            let gateway: GatewayProcess;
            let idp: TestIdp;
            let reconciler: RoleReconcilerProcess;
            const identity = stackConfig(stack).identity;
            if (identity === undefined) {
                throw new Error(`${stack}: the example stack has no openclaw:identity`);
            }
            /** The IdP group that grants each role in this stack (the first of its roleGroups). */
            const groupOf = (role: ChecklistRole) => {
                const group = identity.roleGroups[role][0];
                assert.ok(group, `${stack}: roleGroups.${role} is empty`);
                return group;
            };
            const inPod = (command: string[]) => network.exec(command);

            /** What the proxy sends: from its address, with X-Forwarded-For rebuilt, plus the given headers. */
            const viaProxy = (path: string, headers: Record<string, string | string[]>, body?: unknown, method = "POST") =>
                rawRequest({ host: network.podAddress, port: OPENCLAW_PORT, localAddress: network.proxyAddress, method, path, headers: { "x-forwarded-for": "203.0.113.7", ...headers }, body });
            const as = (role: ChecklistRole) => ({ [IDENTITY_HEADERS.user]: PEOPLE[role], [IDENTITY_HEADERS.scopes]: scopesHeaderValue(role) });
            const rpc = (headers: Record<string, string | string[]>, method: string, params: unknown = {}) => viaProxy("/api/v1/admin/rpc", headers, { method, params });
            const invoke = (headers: Record<string, string | string[]>, tool: string, agentId = "main") => viaProxy("/tools/invoke", headers, { tool, args: {}, agentId });
            /** A Gateway method called from inside the pod with the break-glass password (the CLI finds it in its env). */
            const breakGlass = <T>(method: string, params: unknown): T =>
                jsonOutput<T>(sandbox, runOpenClaw(sandbox, ["gateway", "call", method, "--params", JSON.stringify(params), "--json"], 60_000, inPod), `gateway call ${method}`);
            /** The admin RPC plugin answers a Gateway FORBIDDEN with HTTP 500 (docs/plugins/admin-http-rpc.md "Response"). */
            const forbidden = (answer: { status: number; text: string }, scope: string) =>
                answer.status === 500 && (JSON.parse(answer.text) as { error?: { code?: string; details?: { missingScope?: string } } }).error?.details?.missingScope === scope;

            before(async function () {
                network = PodNetwork.create();
                const config = underTest(await deployedOpenClawJson(stack), network.proxyAddress);
                assert.strictEqual(config.gateway.auth.mode, "trusted-proxy");
                sandbox = workspace.sandbox(`${stack}-identity`, config, "pod");
                gateway = new GatewayProcess(sandbox, OPENCLAW_PORT, { prefix: inPod, host: network.podAddress });
                try {
                    const readyMs = await gateway.waitReady(READY_TIMEOUT_MS);
                    console.log(`      ready after ${(readyMs / 1000).toFixed(1)} s at ${network.podAddress}:${OPENCLAW_PORT} (namespace ${network.name})`);
                } catch (error) {
                    console.log(`      gateway log:\n${gateway.log()}`);
                    throw error;
                }
                // The reconciler config the program deploys for this stack, with four changes: the stand-in IdP's issuer
                // and keys, the e2e's OpenClaw CLI (the pod: the image's), and the pod address to listen on (the pod:
                // 0.0.0.0, the same port).
                const deployed = await deployedRoleReconcilerConfig(stack);
                idp = new TestIdp(network.proxyAddress, { audience: deployed.audience, userClaim: deployed.userClaim, groupsClaim: deployed.groupsClaim }, sandbox.dir);
                await idp.start();
                const reconcilerConfig = { ...deployed, issuer: idp.issuer, jwksUri: idp.jwksUri, cli: [nodeBinary(), openclawEntry()], listen: { host: network.podAddress, port: deployed.listen.port } };
                reconciler = new RoleReconcilerProcess(sandbox, reconcilerConfig, inPod, { NODE_EXTRA_CA_CERTS: idp.certPath });
                await reconciler.waitReady(network.proxyAddress);
            });

            afterEach(function () {
                if (this.currentTest?.state === "failed") {
                    console.log(`      gateway log:\n${gateway.log()}`);
                    console.log(`      role reconciler log:\n${reconciler?.log() ?? ""}`);
                }
            });

            /** What ext_authz asks for a person whose ID token carries these groups, from the proxy's address. */
            const check = (subject: string, groups: readonly string[]) => reconciler.check(network.proxyAddress, idp.idToken(subject, groups));
            const profileRole = (subject: string): string | null | undefined => {
                const { profiles } = breakGlass<{ profiles: { id: string; emails: string[]; role?: string | null }[] }>("users.list", {});
                const profile = profiles.find((p) => p.emails.includes(subject));
                return profile === undefined ? undefined : (profile.role ?? null);
            };
            /** Polls OpenClaw until the person's profile has `role` (null: none); returns the seconds it took. */
            const roleBecomes = async (subject: string, role: string | null, timeoutMs = 90_000): Promise<number> => {
                const started = Date.now();
                let seen = profileRole(subject);
                while (seen !== role) {
                    assert.ok(Date.now() - started < timeoutMs, `${subject}: role ${String(seen)} after ${timeoutMs / 1000} s, expected ${String(role)}`);
                    await new Promise((resolve) => setTimeout(resolve, 500));
                    seen = profileRole(subject);
                }
                return (Date.now() - started) / 1000;
            };

            after(async function () {
                reconciler?.stop();
                idp?.stop();
                if (gateway !== undefined && gateway.exit === undefined) {
                    await gateway.stop(30_000).catch(() => gateway.kill());
                }
                network?.remove();
            });

            it("each person's first request assigns the role their IdP groups grant, with no manual step (the reconciler, asked as ext_authz asks)", async function () {
                const started = Date.now();
                for (const role of Object.keys(PEOPLE) as ChecklistRole[]) {
                    // Envoy asks the reconciler first, then forwards the request, which creates the profile.
                    assert.strictEqual(await check(PEOPLE[role], [groupOf(role)]), 200, role);
                    assert.strictEqual((await rpc(as(role), "health")).status, 200, role);
                }
                for (const [role, subject] of Object.entries(PEOPLE)) {
                    await roleBecomes(subject, role);
                }
                console.log(`      four first requests to four assigned roles: ${((Date.now() - started) / 1000).toFixed(1)} s`);
            });

            it("admin: reads and may administer (config.get 200); reaches no command tool (exec 404: denied by tool policy)", async function () {
                assert.strictEqual((await rpc(as("admin"), "config.get")).status, 200);
                assert.strictEqual((await invoke(as("admin"), "session_status")).status, 200);
                assert.strictEqual((await invoke(as("admin"), "exec")).status, 404);
            });

            it("operator: runs tools on agents (session_status 200); refused config changes (config.set: missing operator.admin)", async function () {
                assert.strictEqual((await invoke(as("operator"), "session_status")).status, 200);
                assert.ok(forbidden(await rpc(as("operator"), "config.set", { raw: "{}" }), "operator.admin"));
                assert.ok(forbidden(await rpc(as("operator"), "exec.approvals.get"), "operator.admin"));
            });

            it("developer: gets the Control UI (200); refused Gateway-wide tool invocation (403) and Gateway reads", async function () {
                assert.strictEqual((await viaProxy("/", as("developer"), undefined, "GET")).status, 200);
                assert.strictEqual((await invoke(as("developer"), "session_status", "sandbox")).status, 403);
                assert.ok(forbidden(await rpc(as("developer"), "status"), "operator.read"));
            });

            it("auditor: reads status and config (200, and no secret in it); refused any tool invocation (403)", async function () {
                assert.strictEqual((await rpc(as("auditor"), "status")).status, 200);
                const config = await rpc(as("auditor"), "config.get");
                assert.strictEqual(config.status, 200);
                assert.ok(!config.text.includes(sandbox.gatewaySecret), "config.get returned the password");
                assert.strictEqual((await invoke(as("auditor"), "session_status")).status, 403);
            });

            it("a verified person with no role gets nothing, even when the scopes header claims admin (the empty default role)", async function () {
                const stranger = { [IDENTITY_HEADERS.user]: "00u9nobody0subject", [IDENTITY_HEADERS.scopes]: "operator.admin" };
                assert.strictEqual((await invoke(stranger, "session_status")).status, 403);
                assert.ok(forbidden(await rpc(stranger, "status"), "operator.read"));
            });

            it("the proxy's scopes header only narrows: an admin capped to operator.read cannot invoke tools (403)", async function () {
                assert.strictEqual((await invoke({ [IDENTITY_HEADERS.user]: PEOPLE.admin, [IDENTITY_HEADERS.scopes]: "operator.read" }, "session_status")).status, 403);
                assert.strictEqual((await invoke({ [IDENTITY_HEADERS.user]: PEOPLE.auditor, [IDENTITY_HEADERS.scopes]: "operator.admin" }, "session_status")).status, 403);
            });

            it("no identity: 401, with or without a scopes header", async function () {
                assert.strictEqual((await invoke({}, "session_status")).status, 401);
                assert.strictEqual((await invoke({ [IDENTITY_HEADERS.scopes]: "operator.admin" }, "session_status")).status, 401);
            });

            it("a duplicated user header is read as one joined identity nobody has a role for: refused (403), never the admin", async function () {
                const answer = await invoke({ [IDENTITY_HEADERS.user]: [PEOPLE.auditor, PEOPLE.admin], [IDENTITY_HEADERS.scopes]: "operator.admin" }, "session_status");
                assert.strictEqual(answer.status, 403, answer.text.slice(0, 200));
            });

            it("a client that bypasses the proxy is refused, whatever user header it sends (not a trusted proxy address)", async function () {
                const direct = (headers: Record<string, string>) =>
                    rawRequest({ host: network.podAddress, port: OPENCLAW_PORT, localAddress: network.strangerAddress, method: "POST", path: "/tools/invoke", headers: { ...as("admin"), ...headers }, body: { tool: "session_status", args: {}, agentId: "main" } });
                const withoutForwarding = await direct({});
                const withForwarding = await direct({ "x-forwarded-for": "203.0.113.7" });
                console.log(`      from ${network.strangerAddress}: ${withoutForwarding.status}, with X-Forwarded-For ${withForwarding.status}`);
                assert.strictEqual(withoutForwarding.status, 401);
                assert.ok([401, 403].includes(withForwarding.status), withForwarding.text.slice(0, 200));
            });

            it("identity headers from inside the pod (loopback) are refused (401): nothing in the pod can pose as the proxy", function () {
                const script = `fetch('http://127.0.0.1:${OPENCLAW_PORT}/tools/invoke',{method:'POST',headers:{'content-type':'application/json','${IDENTITY_HEADERS.user}':'${PEOPLE.admin}','${IDENTITY_HEADERS.scopes}':'operator.admin'},body:JSON.stringify({tool:'session_status',args:{},agentId:'main'})}).then((r)=>console.log(r.status))`;
                const [program, ...args] = inPod([nodeBinary(), "-e", script]);
                const result = spawnSync(program, args, { encoding: "utf8", timeout: 30_000 });
                assert.strictEqual(result.stdout.trim(), "401", result.stderr);
            });

            it("a shared-secret request through the proxy is refused (401): no token exists, and the password works only inside the pod", async function () {
                assert.strictEqual((await invoke({ authorization: "Bearer some-shared-token" }, "session_status")).status, 401);
                assert.strictEqual((await invoke({ authorization: `Bearer ${sandbox.gatewaySecret}` }, "session_status")).status, 401);
            });

            it("no agent of either kind has a tool that runs a command, so no agent process can read the password or a model key", function () {
                for (const agentId of ["main", "sandbox"]) {
                    const session = breakGlass<{ key: string }>("sessions.create", { agentId });
                    const effective = breakGlass<{ profile: string; groups: { tools: { id: string }[] }[] }>("tools.effective", { sessionKey: session.key });
                    const tools = effective.groups.flatMap((g) => g.tools.map((t) => t.id));
                    console.log(`      ${agentId}: profile ${effective.profile}, tools ${tools.join(", ")}`);
                    assert.deepStrictEqual(tools.filter((t) => COMMAND_TOOLS.includes(t)), []);
                }
                assert.ok(!gateway.rawLog().includes(sandbox.gatewaySecret), "the gateway logged the password");
            });

            it("a change of groups moves the role: the developer promoted to operator may invoke tools, then demoted back may not", async function () {
                const promoted = { [IDENTITY_HEADERS.user]: PEOPLE.developer, [IDENTITY_HEADERS.scopes]: scopesHeaderValue("operator") };
                assert.strictEqual(await check(PEOPLE.developer, [groupOf("developer"), groupOf("operator")]), 200);
                console.log(`      promoted in ${(await roleBecomes(PEOPLE.developer, "operator")).toFixed(1)} s`);
                assert.strictEqual((await invoke(promoted, "session_status")).status, 200);
                assert.strictEqual(await check(PEOPLE.developer, [groupOf("developer")]), 200);
                await roleBecomes(PEOPLE.developer, "developer");
                assert.strictEqual((await invoke(promoted, "session_status")).status, 403);
            });

            it("leaving every role group: ext_authz is denied (403) and the role is cleared, so OpenClaw refuses the person too", async function () {
                assert.strictEqual((await rpc(as("auditor"), "status")).status, 200);
                assert.strictEqual(await check(PEOPLE.auditor, ["some-other-team"]), 403);
                console.log(`      cleared in ${(await roleBecomes(PEOPLE.auditor, null)).toFixed(1)} s`);
                assert.ok(forbidden(await rpc(as("auditor"), "status"), "operator.read"));
                // Back in the group: the next request restores the role.
                assert.strictEqual(await check(PEOPLE.auditor, [groupOf("auditor")]), 200);
                await roleBecomes(PEOPLE.auditor, "auditor");
            });

            it("no token, a token of another key, or a stranger in no group: denied (403), and nobody's role changes", async function () {
                const forger = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
                assert.strictEqual(await reconciler.check(network.proxyAddress, undefined), 403);
                assert.strictEqual(await reconciler.check(network.proxyAddress, idp.idToken(PEOPLE.auditor, [groupOf("admin")], forger)), 403);
                assert.strictEqual(await check("00u9stranger0subject", ["some-other-team"]), 403);
                await new Promise((resolve) => setTimeout(resolve, 2_000));
                assert.strictEqual(profileRole(PEOPLE.auditor), "auditor");
                assert.strictEqual(profileRole("00u9stranger0subject"), undefined);
            });

            it("the reconciler never prints the password or a token, and reaches only the IdP's keys and the gateway on loopback", function () {
                const log = reconciler.log(true);
                assert.ok(!log.includes(sandbox.gatewaySecret), "the reconciler logged the password");
                assert.ok(!/eyJ[\w-]+\.eyJ/.test(log), "the reconciler logged a token");
                // Beyond loopback: the IdP's JWKS (here on the proxy's address) and the pod's own address, which the CLI
                // resolves for the gateway's `bind: lan` before it calls on loopback.
                const outside = [...new Set(outsideCalls(netEventsOf(reconciler.netLog)).map((e) => `${e.kind} ${e.target.host}`))];
                console.log(`      beyond loopback: ${outside.join(", ")}; peak RSS ${reconciler.peak.self} MiB, its CLI calls ${reconciler.peak.cli} MiB`);
                assert.ok(outside.includes(`tcp ${network.proxyAddress}`), "the IdP's keys were never fetched");
                assert.deepStrictEqual(outside.filter((call) => ![`tcp ${network.proxyAddress}`, `dns ${network.podAddress}`, `tcp ${network.podAddress}`].includes(call)), []);
            });
        });
    }
});
