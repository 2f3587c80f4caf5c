// The role reconciler's program on its own: ID-token verification (keys made here, claims per OpenID Connect Core
// 1.0 section 2 and RFC 7519), the group-to-role table against the proxy's, the background worker against a fake
// Gateway, the ext_authz answers over loopback, and the CLI caller with a stand-in CLI. The real OpenClaw and Node 24
// run it in e2e/identity.e2e.ts.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import fc from "fast-check";
import type { AddressInfo } from "net";
import * as path from "path";
import { CHECKLIST_ROLES, roleForGroups, type ChecklistRole, type RoleGroups } from "../../../components/kubernetes/openclaw-roles";
import { roleReconcilerConfig, roleReconcilerProgram, ROLE_RECONCILER } from "../../../components/kubernetes/role-reconciler";
import {
    bearerToken,
    cliGatewayCall,
    createKeyStore,
    createReconciler,
    createServer,
    parseJwks,
    roleFor,
    verifyIdToken,
    type GatewayCall,
    type KeyLookup,
    type RoleReconcilerConfig,
} from "../../../components/kubernetes/role-reconciler/program";
import type { IdentityConfig } from "../../../config/schema";
import { compactJws, jwsPart } from "../../harness/jws";

const IDENTITY: IdentityConfig = {
    issuer: "https://example.okta.com/oauth2/default",
    clientId: "0oa1client",
    groupsClaim: "groups",
    userClaim: "sub",
    roleGroups: { admin: ["oc-admins"], operator: ["oc-operators"], developer: ["oc-developers"], auditor: ["oc-auditors"] },
};
const CONFIG = roleReconcilerConfig(IDENTITY, ["openclaw"]);
const NOW = 1_790_000_000;

const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });

/** An ID token as the IdP signs it (test/harness/jws.ts), RS256 unless `alg` says otherwise, kid k1. */
function sign(payload: Record<string, unknown>, options: { alg?: string; kid?: string; key?: crypto.KeyObject } = {}): string {
    const alg = options.alg ?? "RS256";
    return compactJws({ alg, kid: options.kid ?? "k1", typ: "JWT" }, payload, options.key ?? (alg.startsWith("ES") ? ec.privateKey : rsa.privateKey));
}

const claims = (extra: Record<string, unknown> = {}) => ({ iss: IDENTITY.issuer, aud: IDENTITY.clientId, sub: "00u1person", exp: NOW + 3600, iat: NOW, groups: ["oc-operators"], ...extra });
const keys: KeyLookup = async (kid, kty) => (kid === "k1" ? (kty === "RSA" ? rsa.publicKey : ec.publicKey) : undefined);
const verify = (token: string) => verifyIdToken(token, CONFIG, keys, NOW);

describe("role reconciler: the program", function () {
    describe("ID-token verification", function () {
        it("accepts a token the IdP signed (RS256 and ES256) and returns the user claim and the groups", async function () {
            assert.deepStrictEqual(await verify(sign(claims())), { ok: true, user: "00u1person", groups: ["oc-operators"] });
            assert.deepStrictEqual(await verify(sign(claims(), { alg: "ES256" })), { ok: true, user: "00u1person", groups: ["oc-operators"] });
            // OIDC Core 2: aud may be an array holding the client id (then azp names it); a single-string groups claim
            // counts as one group.
            assert.deepStrictEqual(await verify(sign(claims({ aud: ["other", IDENTITY.clientId], azp: IDENTITY.clientId, groups: "oc-admins" }))), { ok: true, user: "00u1person", groups: ["oc-admins"] });
        });

        it("refuses what the proxy's jwt_authn would refuse: another issuer or audience, expiry past the 60 s skew, not yet valid", async function () {
            for (const [payload, reason] of [
                [claims({ iss: "https://evil.example" }), "issuer does not match"],
                [claims({ aud: "someone-else" }), "audience does not hold the client id"],
                [claims({ exp: NOW - 61 }), "expired or without exp"],
                [claims({ exp: undefined }), "expired or without exp"],
                [claims({ nbf: NOW + 61 }), "not yet valid"],
                [claims({ sub: undefined }), "no sub claim"],
            ] as const) {
                assert.deepStrictEqual(await verify(sign(payload)), { ok: false, reason });
            }
            // Within the skew both ways still passes (Envoy JwtProvider clock_skew_seconds default 60).
            assert.strictEqual((await verify(sign(claims({ exp: NOW - 30, nbf: NOW + 30 })))).ok, true);
        });

        it("refuses a forged signature, another key, an unknown kid, alg none and HMAC (no header is trusted, only the IdP's keys)", async function () {
            const token = sign(claims());
            const [h, p] = token.split(".");
            const forged = `${h}.${jwsPart(claims({ groups: ["oc-admins"] }))}.${token.split(".")[2]}`;
            assert.deepStrictEqual(await verify(forged), { ok: false, reason: "signature does not verify" });
            const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
            assert.deepStrictEqual(await verify(sign(claims(), { key: other })), { ok: false, reason: "signature does not verify" });
            assert.deepStrictEqual(await verify(sign(claims(), { kid: "k9" })), { ok: false, reason: "no signing key of the IdP matches the token's kid" });
            const none = `${jwsPart({ alg: "none" })}.${p}.`;
            assert.deepStrictEqual(await verify(none), { ok: false, reason: 'algorithm "none" is not accepted' });
            const hs = `${jwsPart({ alg: "HS256", kid: "k1" })}.${p}.${h}`;
            assert.deepStrictEqual(await verify(hs), { ok: false, reason: 'algorithm "HS256" is not accepted' });
            assert.deepStrictEqual(await verify("a.b"), { ok: false, reason: "not a compact JWS" });
        });

        it("refuses what is not an ID token for this client: an access token (typ at+jwt), unknown critical headers, another azp", async function () {
            const withHeader = (extra: Record<string, unknown>) => compactJws({ alg: "RS256", kid: "k1", ...extra }, claims(), rsa.privateKey);
            // RFC 9068 section 2.1: JWT access tokens are typed at+jwt; RFC 7519 section 5.1: JWT, any case, may be absent.
            assert.deepStrictEqual(await verify(withHeader({ typ: "at+jwt" })), { ok: false, reason: "not an ID token (typ)" });
            assert.strictEqual((await verify(withHeader({ typ: "jwt" }))).ok, true);
            assert.strictEqual((await verify(withHeader({ typ: "application/JWT" }))).ok, true);
            // RFC 7515 section 4.1.11: a recipient that does not understand a listed extension must refuse the token.
            assert.deepStrictEqual(await verify(withHeader({ crit: ["exp"] })), { ok: false, reason: "critical header extensions are not understood" });
            // OpenID Connect Core 1.0 section 3.1.3.7 steps 4-5.
            const azp = "authorized party (azp) is not the client id";
            assert.deepStrictEqual(await verify(sign(claims({ azp: "another-client" }))), { ok: false, reason: azp });
            assert.deepStrictEqual(await verify(sign(claims({ aud: [IDENTITY.clientId, "other"] }))), { ok: false, reason: azp });
            assert.strictEqual((await verify(sign(claims({ aud: [IDENTITY.clientId, "other"], azp: IDENTITY.clientId })))).ok, true);
            // A prototype key is no algorithm.
            const [, payload, signature] = sign(claims()).split(".");
            assert.deepStrictEqual(await verify(`${jwsPart({ alg: "constructor", kid: "k1" })}.${payload}.${signature}`), { ok: false, reason: 'algorithm "constructor" is not accepted' });
        });

        it("reads the bearer token of an Authorization header only, whatever the scheme's case (RFC 9110 section 11.1)", function () {
            assert.strictEqual(bearerToken("Bearer aa.bb.cc"), "aa.bb.cc");
            assert.strictEqual(bearerToken("bearer aa.bb.cc"), "aa.bb.cc");
            assert.strictEqual(bearerToken("Basic dXNlcjpwdw=="), undefined);
            assert.strictEqual(bearerToken(["Bearer aa.bb.cc", "Bearer dd.ee.ff"]), undefined);
            assert.strictEqual(bearerToken(undefined), undefined);
        });

        it("reads the IdP's JWKS (RFC 7517): signing keys only, and fetches again for an unknown kid at most every 30 s", async function () {
            const jwk = { ...rsa.publicKey.export({ format: "jwk" }), kid: "k1", use: "sig" };
            const enc = { ...ec.publicKey.export({ format: "jwk" }), kid: "k2", use: "enc" };
            assert.deepStrictEqual(parseJwks({ keys: [jwk, enc] }).map((k) => k.kid), ["k1"]);
            let fetches = 0;
            let clock = 0;
            const store = createKeyStore("https://idp.example/keys", async () => (fetches++, { keys: [jwk] }), () => clock, () => undefined);
            assert.ok(await store("k1", "RSA"));
            assert.strictEqual(await store("k9", "RSA"), undefined);
            assert.strictEqual(fetches, 1, "an unknown kid right after a fetch is not fetched again");
            clock = 31_000;
            assert.strictEqual(await store("k9", "RSA"), undefined);
            assert.strictEqual(fetches, 2);
        });

        it("serves a known key at once when its set is old and refreshes it in the background; a failing IdP is asked at most every 30 s", async function () {
            const jwk = { ...rsa.publicKey.export({ format: "jwk" }), kid: "k1" };
            let clock = 0;
            let answer: () => Promise<unknown> = async () => ({ keys: [jwk] });
            let fetches = 0;
            const store = createKeyStore("https://idp.example/keys", () => (fetches++, answer()), () => clock, () => undefined);
            assert.ok(await store("k1", "RSA"));
            // An hour and more later the IdP hangs: the check still gets the key without waiting.
            clock = 3_600_001;
            answer = () => new Promise(() => undefined);
            const started = Date.now();
            assert.ok(await store("k1", "RSA"));
            assert.ok(Date.now() - started < 100);
            assert.strictEqual(fetches, 2, "one background refresh started");
            // An IdP that fails: unknown kids within 30 s of the last attempt do not ask it again.
            let failures = 0;
            const failing = createKeyStore("https://idp.example/keys", async () => (failures++, Promise.reject(new Error("503"))), () => clock, () => undefined);
            await failing("k1", "RSA");
            await failing("k1", "RSA");
            await failing("k2", "RSA");
            assert.strictEqual(failures, 1);
            clock += 30_001;
            await failing("k1", "RSA");
            assert.strictEqual(failures, 2);
        });
    });

    describe("groups to role", function () {
        it("follows the proxy's table exactly (openclaw-roles.ts roleForGroups, which the Lua filter mirrors): same role for any groups", function () {
            const names = ["a", "b", "c", "d", "e"];
            fc.assert(
                fc.property(
                    fc.record(Object.fromEntries(CHECKLIST_ROLES.map((role) => [role, fc.subarray(names)])) as Record<ChecklistRole, fc.Arbitrary<string[]>>),
                    fc.subarray(names),
                    (roleGroups, groups) => {
                        const config = roleReconcilerConfig({ ...IDENTITY, roleGroups: roleGroups as IdentityConfig["roleGroups"] });
                        const table: RoleGroups = roleGroups;
                        assert.strictEqual(roleFor(groups, config.roles), roleForGroups(groups, table) ?? null);
                    },
                ),
            );
        });
    });

    describe("the background worker (a fake Gateway)", function () {
        /** OpenClaw's profiles as users.list returns them ({ profiles: [{ id, emails, role? }] }, 2026.9.6 users.list). */
        function fakeGateway() {
            const profiles: { id: string; emails: string[]; role?: string | null }[] = [];
            const calls: string[] = [];
            const call: GatewayCall = async (method, params) => {
                calls.push(method === "users.setRole" ? `${method} ${JSON.stringify(params)}` : method);
                if (method === "users.list") {
                    return { profiles: profiles.map((p) => ({ ...p })) };
                }
                const { profileId, role } = params as { profileId: string; role: string | null };
                const profile = profiles.find((p) => p.id === profileId);
                assert.ok(profile);
                profile.role = role;
                return { profile };
            };
            return { profiles, calls, call };
        }
        const quiet = () => undefined;
        const fast = { retryDelaysMs: [5, 5, 5], recheckAfterMs: 60_000, now: () => Date.now(), log: quiet };

        it("first request: waits for OpenClaw to create the profile, then assigns the role; later requests cost nothing", async function () {
            const gw = fakeGateway();
            const reconciler = createReconciler(gw.call, fast);
            reconciler.observe("00u1", "operator");
            setTimeout(() => gw.profiles.push({ id: "p1", emails: ["00u1"] }), 8);
            await reconciler.idle();
            assert.strictEqual(gw.profiles[0].role, "operator");
            const before = gw.calls.length;
            reconciler.observe("00u1", "operator");
            await reconciler.idle();
            assert.strictEqual(gw.calls.length, before);
        });

        it("a change of groups re-assigns; leaving every group clears the role (null); a stranger without a profile costs one list", async function () {
            const gw = fakeGateway();
            gw.profiles.push({ id: "p1", emails: ["00u1"], role: "developer" });
            const reconciler = createReconciler(gw.call, fast);
            reconciler.observe("00u1", "operator");
            await reconciler.idle();
            assert.strictEqual(gw.profiles[0].role, "operator");
            reconciler.observe("00u1", null);
            await reconciler.idle();
            assert.strictEqual(gw.profiles[0].role, null);
            const before = gw.calls.length;
            reconciler.observe("00u9stranger", null);
            await reconciler.idle();
            assert.deepStrictEqual(gw.calls.slice(before), ["users.list"]);
        });

        it("undoes a manual assignment once the applied role is older than recheckAfterMs", async function () {
            const gw = fakeGateway();
            gw.profiles.push({ id: "p1", emails: ["00u1"] });
            let clock = 0;
            const reconciler = createReconciler(gw.call, { ...fast, now: () => clock });
            reconciler.observe("00u1", "auditor");
            await reconciler.idle();
            gw.profiles[0].role = "admin";
            reconciler.observe("00u1", "auditor");
            await reconciler.idle();
            assert.strictEqual(gw.profiles[0].role, "admin", "within the window the cache answers");
            clock = 60_001;
            reconciler.observe("00u1", "auditor");
            await reconciler.idle();
            assert.strictEqual(gw.profiles[0].role, "auditor");
        });

        it("batches: many first requests share one users.list; a failing Gateway is retried, then given up until the next request", async function () {
            const gw = fakeGateway();
            for (let i = 0; i < 5; i++) {
                gw.profiles.push({ id: `p${i}`, emails: [`00u${i}`] });
            }
            const reconciler = createReconciler(gw.call, fast);
            for (let i = 0; i < 5; i++) {
                reconciler.observe(`00u${i}`, "auditor");
            }
            await reconciler.idle();
            assert.strictEqual(gw.calls.filter((c) => c === "users.list").length, 1);
            let failures = 0;
            const failing = createReconciler(async () => (failures++, Promise.reject(new Error("gateway down"))), fast);
            failing.observe("00u1", "admin");
            await failing.idle();
            assert.strictEqual(failures, 1 + fast.retryDelaysMs.length);
            assert.strictEqual(failing.pendingCount(), 0);
        });
    });

    describe("the ext_authz answers (loopback)", function () {
        let server: ReturnType<typeof createServer>;
        let base: string;
        const seen: [string, string | null][] = [];

        before(async function () {
            const config: RoleReconcilerConfig = { ...CONFIG, listen: { host: "127.0.0.1", port: 0 } };
            server = createServer(config, keys, { observe: (user, role) => seen.push([user, role]) }, () => undefined);
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        after(() => server.close());

        // Envoy's HTTP ext_authz keeps the original method; with pathOverride the path is the override.
        const check = (authorization?: string, method = "GET") => fetch(`${base}${ROLE_RECONCILER.checkPath}`, { method, headers: authorization ? { authorization } : {} }).then((r) => r.status);

        it("allows a person with a role (200) and hands the role over; denies one with none (403) and still hands over the removal", async function () {
            seen.length = 0;
            const now = Math.floor(Date.now() / 1000);
            assert.strictEqual(await check(`Bearer ${sign({ ...claims(), exp: now + 600 })}`, "POST"), 200);
            assert.strictEqual(await check(`Bearer ${sign({ ...claims(), groups: ["unrelated"], exp: now + 600 })}`), 403);
            assert.deepStrictEqual(seen, [["00u1person", "operator"], ["00u1person", null]]);
        });

        it("denies without a verifiable token (403) and hands nothing over; health 200; other paths 404", async function () {
            seen.length = 0;
            assert.strictEqual(await check(), 403);
            assert.strictEqual(await check(`Bearer ${sign(claims({ exp: 1 }))}`), 403);
            assert.deepStrictEqual(seen, []);
            assert.strictEqual((await fetch(`${base}${ROLE_RECONCILER.healthPath}`)).status, 200);
            assert.strictEqual((await fetch(`${base}/anything`)).status, 404);
        });
    });

    describe("the CLI caller (a stand-in CLI)", function () {
        const stand = (script: string) => [process.execPath, "-e", script];

        it("passes method and params as `gateway call <method> --params <json> --json` and parses the JSON after any notice", async function () {
            const echo = stand("const a=process.argv.slice(1);console.log('notice: plugins loaded');console.log(JSON.stringify({argv:a}))");
            const answer = (await cliGatewayCall(echo, {})("users.setRole", { profileId: "p1", role: null })) as { argv: string[] };
            assert.deepStrictEqual(answer.argv, ["gateway", "call", "users.setRole", "--params", '{"profileId":"p1","role":null}', "--json"]);
        });

        it("rejects on a failing CLI without ever repeating the password", async function () {
            const leaky = stand("console.error('bad auth for '+process.env.OPENCLAW_GATEWAY_PASSWORD);process.exit(3)");
            await assert.rejects(cliGatewayCall(leaky, { OPENCLAW_GATEWAY_PASSWORD: "s3cr3t-pw-value" })("users.list", {}), (error: Error) => {
                assert.match(error.message, /exit 3: bad auth for <redacted>/);
                assert.ok(!error.message.includes("s3cr3t-pw-value"));
                return true;
            });
        });
    });

    describe("what the pod gets", function () {
        it("ships the program file as is, and its config carries the identity's issuer, audience, claims and roles in precedence order", function () {
            assert.strictEqual(roleReconcilerProgram(), fs.readFileSync(path.join(__dirname, "../../../components/kubernetes/role-reconciler/program.ts"), "utf8"));
            const config = roleReconcilerConfig({ ...IDENTITY, roleGroups: { admin: ["x"], operator: [], developer: ["y"], auditor: ["z"] } });
            assert.deepStrictEqual(
                { issuer: config.issuer, audience: config.audience, userClaim: config.userClaim, groupsClaim: config.groupsClaim, roles: config.roles },
                { issuer: IDENTITY.issuer, audience: IDENTITY.clientId, userClaim: "sub", groupsClaim: "groups", roles: [{ role: "admin", groups: ["x"] }, { role: "developer", groups: ["y"] }, { role: "auditor", groups: ["z"] }] },
            );
            // Okta's custom authorization server keys (developer.okta.com/docs/reference/api/oidc/#keys).
            assert.strictEqual(config.jwksUri, "https://example.okta.com/oauth2/default/v1/keys");
        });

        it("the program starts on the env var the Kubernetes layer sets", function () {
            assert.ok(roleReconcilerProgram().includes(`process.env.${ROLE_RECONCILER.configEnv}`));
        });
    });
});
