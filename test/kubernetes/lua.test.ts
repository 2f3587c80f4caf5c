// The program's Lua run in a real Lua VM (wasmoon: Lua 5.4 compiled to WebAssembly; Envoy and Fluent Bit embed
// LuaJIT, Lua 5.1, and both scripts keep to what 5.1 has): the scope filter maps verified groups to OpenClaw's scope
// ceiling, and the user id in an access-log line survives Fluent Bit's masking on its way to the central store.
import * as assert from "assert";
import { LuaFactory, type LuaEngine } from "wasmoon";
import { MASK_LUA } from "../../components/kubernetes/fluent-bit-mask";
import { IDENTITY_HEADERS, ROLE_DEFINITIONS } from "../../components/kubernetes/openclaw-roles";
import { JWT_PROVIDER_NAME, scopesLua } from "../../components/kubernetes/sso";
import type { IdentityConfig } from "../../config/schema";
import { validateConfig } from "../../config/read";
import { EXAMPLE_STACKS } from "../harness/examples";
import { rawNamespaceConfig } from "../harness/program";

const factory = new LuaFactory();
const lua = (value: string) => JSON.stringify(value);

/** A stand-in for Envoy's request handle: jwt_authn's metadata holds `payload`, headers are a table. */
const FAKE_HANDLE = `
function fake_handle(metadata)
  local headers = {}
  local handle = {}
  function handle:headers() return { replace = function(_, k, v) headers[k] = v end } end
  function handle:streamInfo()
    return { dynamicMetadata = function() return { get = function(_, ns) if ns == "envoy.filters.http.jwt_authn" then return metadata end end } end }
  end
  return handle, headers
end`;

async function scopesFor(engine: LuaEngine, groupsLua: string | undefined): Promise<unknown> {
    const metadata = groupsLua === undefined ? "nil" : `{ [${lua(JWT_PROVIDER_NAME)}] = { __GROUPS__ } }`;
    return engine.doString(`
local handle, headers = fake_handle(${metadata.replace("__GROUPS__", groupsLua ?? "")})
envoy_on_request(handle)
return headers[${lua(IDENTITY_HEADERS.scopes)}]`);
}

// The ceilings as components/kubernetes/openclaw-roles.ts defines them, comma-joined (its scopesHeaderValue contract).
const ceiling = (role: keyof typeof ROLE_DEFINITIONS) => ROLE_DEFINITIONS[role].scopes.join(",");

for (const stack of EXAMPLE_STACKS) {
    describe(`the scopes filter of ${stack}, run in Lua`, () => {
        const identity = validateConfig(rawNamespaceConfig(stack)).identity as IdentityConfig;
        const claim = lua(identity.groupsClaim);
        let engine: LuaEngine;
        before(async () => {
            engine = await factory.createEngine();
            await engine.doString(FAKE_HANDLE);
            await engine.doString(scopesLua(identity));
        });
        after(() => engine.global.close());

        for (const role of ["admin", "operator", "developer", "auditor"] as const) {
            it(`gives a member of the ${role} group the ${role} ceiling`, async () => {
                assert.strictEqual(await scopesFor(engine, `[${claim}] = { ${lua(identity.roleGroups[role][0])} }`), ceiling(role));
            });
        }
        it("gives someone in several role groups the highest role", async () => {
            assert.strictEqual(await scopesFor(engine, `[${claim}] = { ${lua(identity.roleGroups.auditor[0])}, ${lua(identity.roleGroups.admin[0])} }`), ceiling("admin"));
        });
        it("gives no scopes to someone in no role group, with no groups claim, or with no verified token", async () => {
            assert.strictEqual(await scopesFor(engine, `[${claim}] = { "Everyone" }`), "");
            assert.strictEqual(await scopesFor(engine, ""), "");
            assert.strictEqual(await scopesFor(engine, undefined), "");
        });
        it("accepts a groups claim sent as a single string", async () => {
            assert.strictEqual(await scopesFor(engine, `[${claim}] = ${lua(identity.roleGroups.operator[0])}`), ceiling("operator"));
        });
    });
}

describe("the access log's user field through Fluent Bit's masking, run in Lua", () => {
    let engine: LuaEngine;
    before(async () => {
        engine = await factory.createEngine();
        await engine.doString(MASK_LUA);
    });
    after(() => engine.global.close());

    /** The `user` of an access-log line after mask_record, both as a parsed field and inside the raw `log` string. */
    async function afterMasking(user: string): Promise<{ field: unknown; line: unknown }> {
        const line = JSON.stringify({ start_time: "2026-12-01T12:00:00.000Z", user, path: "/chat", status: "200" });
        const field = await engine.doString(`local _, _, r = mask_record("kube.envoy", 0, { user = ${lua(user)} }) return r.user`);
        const masked = await engine.doString(`local _, _, r = mask_record("kube.envoy", 0, { log = ${lua(line)} }) return r.log`);
        return { field, line: (JSON.parse(String(masked)) as { user: string }).user };
    }

    // Shapes from each IdP's docs: an Okta user id (00u + 17 characters, developer.okta.com/docs/reference/api/users),
    // an Entra object id (a GUID, id-token-claims-reference "oid"), a Cognito sub (a UUID), a Google sub (a string of
    // digits, developers.google.com/identity/openid-connect/openid-connect "sub").
    for (const [idp, id] of [
        ["Okta sub", "00u1a2b3c4d5e6f7g8h9"],
        ["Entra ID oid", "9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"],
        ["Cognito sub", "d4f8a2c6-1b3e-4f5a-9c7d-2e6b8a0f1c3d"],
        ["Google sub", "110169484474386276334"],
    ] as const) {
        it(`keeps the ${idp} intact`, async () => {
            assert.deepStrictEqual(await afterMasking(id), { field: id, line: id });
        });
    }

    it("rewrites an e-mail and Entra's 43-character pairwise sub, which is why neither may be the user claim", async () => {
        assert.strictEqual((await afterMasking("ada@example.com")).field, "[EMAIL]");
        // The id-token-claims-reference's example shape of a pairwise sub (base64url, 43 characters).
        assert.strictEqual((await afterMasking("bPnSL00SVbZoFB97zHSwi9ksiT4bAzGxL2LKk2oaJcM")).field, "[TOKEN]");
    });
});
