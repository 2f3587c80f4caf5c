// The gateway token rotator against a fake Key Vault: when it rotates, what it writes, what it logs, how it
// authenticates; and that Node can run its file as is (erasable TypeScript only, no imports but Node's).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { keyVaultRestClient, main, rotateIfDue, SecretClient, SecretVersion, workloadIdentityToken } from "../../components/azure/rotator/rotate";
import { rotatorSource } from "../../components/azure/rotation";

const DAY = 86_400_000;
const NOW = new Date("2026-11-25T03:17:00Z");

/** An in-memory Key Vault secret store that keeps every version. */
class FakeVault implements SecretClient {
    readonly versions: { name: string; value: string; expiresOn: Date; contentType: string; version: string }[] = [];
    constructor(private readonly current?: SecretVersion) {}
    async getCurrent(): Promise<SecretVersion | undefined> {
        const latest = this.versions[this.versions.length - 1];
        return latest ? { version: latest.version, expiresOn: latest.expiresOn } : this.current;
    }
    async setNew(name: string, value: string, attributes: { expiresOn: Date; contentType: string }): Promise<SecretVersion> {
        const version = `v${this.versions.length + 1}`;
        this.versions.push({ name, value, version, ...attributes });
        return { version, expiresOn: attributes.expiresOn };
    }
}

const options = (overrides: Partial<Parameters<typeof rotateIfDue>[1]> = {}) => ({
    secretName: "openclaw-gateway-token", rotationDays: 30, rotateWithinDays: 3, contentType: "text/plain; openclaw-gateway-token",
    now: NOW, generate: () => "new-token-value-0000", ...overrides,
});

describe("gateway token rotator", () => {
    it("writes a new version expiring rotationDays from now when the current one expires within the window", async () => {
        const vault = new FakeVault({ version: "v0", expiresOn: new Date(NOW.getTime() + 2 * DAY) });
        const result = await rotateIfDue(vault, options());
        assert.strictEqual(result.outcome, "rotated");
        assert.strictEqual(vault.versions.length, 1);
        assert.strictEqual(vault.versions[0].expiresOn.getTime(), NOW.getTime() + 30 * DAY);
        assert.strictEqual(vault.versions[0].contentType, "text/plain; openclaw-gateway-token");
    });

    it("rotates a version that has no expiry, or a secret that does not exist yet", async () => {
        assert.strictEqual((await rotateIfDue(new FakeVault({ version: "v0" }), options())).outcome, "rotated");
        assert.strictEqual((await rotateIfDue(new FakeVault(undefined), options())).outcome, "rotated");
    });

    it("leaves a version alone that expires after the window", async () => {
        const vault = new FakeVault({ version: "v0", expiresOn: new Date(NOW.getTime() + 10 * DAY) });
        assert.deepStrictEqual(await rotateIfDue(vault, options()), { outcome: "skipped", expiresOn: new Date(NOW.getTime() + 10 * DAY).toISOString() });
        assert.strictEqual(vault.versions.length, 0);
    });

    it("rotates at least every rotationDays when run daily", async () => {
        const vault = new FakeVault({ version: "v0", expiresOn: new Date(NOW.getTime() + 30 * DAY) });
        const written: number[] = [];
        for (let day = 0; day <= 120; day++) {
            const now = new Date(NOW.getTime() + day * DAY);
            if ((await rotateIfDue(vault, options({ now }))).outcome === "rotated") {
                written.push(day);
            }
        }
        const gaps = written.slice(1).map((d, i) => d - written[i]);
        assert.ok(written.length >= 4 && gaps.every((g) => g <= 30), `rotated on days ${written}`);
    });

    it("never writes the same token twice", async () => {
        let n = 0;
        const vault = new FakeVault(undefined);
        for (let day = 0; day < 100; day += 29) {
            await rotateIfDue(vault, options({ now: new Date(NOW.getTime() + day * DAY), generate: () => `token-${n++}` }));
        }
        assert.strictEqual(new Set(vault.versions.map((v) => v.value)).size, vault.versions.length);
    });

    describe("Key Vault REST client", () => {
        it("reads the current version and writes a new one with a bearer token", async () => {
            const calls: { url: string; method?: string; headers?: Record<string, string>; body?: string }[] = [];
            const fetchFn = async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
                calls.push({ url, ...init });
                const body = init?.method === "PUT"
                    ? { id: "https://kv.vault.azure.net/secrets/openclaw-gateway-token/abc123" }
                    : { id: "https://kv.vault.azure.net/secrets/openclaw-gateway-token/old", value: "old-token", attributes: { exp: 1_800_000_000 } };
                return { ok: true, status: 200, json: async () => body, text: async () => "" };
            };
            const client = keyVaultRestClient("https://kv.vault.azure.net/", async () => "entra-token", fetchFn);
            assert.deepStrictEqual(await client.getCurrent("openclaw-gateway-token"), { version: "old", expiresOn: new Date(1_800_000_000_000) });
            assert.deepStrictEqual(await client.setNew("openclaw-gateway-token", "new", { expiresOn: new Date(1_900_000_000_000), contentType: "text/plain" }), { version: "abc123", expiresOn: new Date(1_900_000_000_000) });
            assert.deepStrictEqual(calls.map((c) => [c.method, c.url]), [
                ["GET", "https://kv.vault.azure.net/secrets/openclaw-gateway-token?api-version=7.5"],
                ["PUT", "https://kv.vault.azure.net/secrets/openclaw-gateway-token?api-version=7.5"],
            ]);
            assert.ok(calls.every((c) => c.headers?.authorization === "Bearer entra-token"));
            assert.deepStrictEqual(JSON.parse(calls[1].body ?? "{}"), { value: "new", contentType: "text/plain", attributes: { enabled: true, exp: 1_900_000_000 } });
        });

        it("treats 404 as a secret that does not exist, and other errors as failures", async () => {
            const status = (code: number) => keyVaultRestClient("https://kv.vault.azure.net", async () => "t", async () => ({ ok: false, status: code, json: async () => ({}), text: async () => "" }));
            assert.strictEqual(await status(404).getCurrent("x"), undefined);
            await assert.rejects(status(403).getCurrent("x"), /HTTP 403/);
        });
    });

    it("exchanges the projected ServiceAccount token for a Key Vault token (workload identity)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotator-"));
        const tokenFile = path.join(dir, "token");
        fs.writeFileSync(tokenFile, "projected-sa-jwt\n");
        let seen: { url: string; body?: string } | undefined;
        const token = await workloadIdentityToken(
            { AZURE_CLIENT_ID: "client-1", AZURE_TENANT_ID: "tenant-1", AZURE_FEDERATED_TOKEN_FILE: tokenFile, AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/" },
            async (url, init) => {
                seen = { url, body: init?.body };
                return { ok: true, status: 200, json: async () => ({ access_token: "kv-token" }), text: async () => "" };
            },
        );
        assert.strictEqual(token, "kv-token");
        assert.strictEqual(seen?.url, "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token");
        const form = new URLSearchParams(seen?.body);
        assert.deepStrictEqual([form.get("client_id"), form.get("client_assertion"), form.get("scope"), form.get("grant_type")], ["client-1", "projected-sa-jwt", "https://vault.azure.net/.default", "client_credentials"]);
    });

    it("logs one JSON line per run with the outcome and never the token", async () => {
        const lines: string[] = [];
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotator-"));
        fs.writeFileSync(path.join(dir, "token"), "jwt");
        const env = { VAULT_URL: "https://kv.vault.azure.net/", SECRET_NAME: "openclaw-gateway-token", ROTATION_DAYS: "30", AZURE_CLIENT_ID: "c", AZURE_TENANT_ID: "t", AZURE_FEDERATED_TOKEN_FILE: path.join(dir, "token") };
        let written = "";
        let exchanges = 0;
        const fetchFn = async (url: string, init?: { method?: string; body?: string }) => {
            if (url.includes("oauth2")) {
                exchanges++;
                return { ok: true, status: 200, json: async () => ({ access_token: "a" }), text: async () => "" };
            }
            if (init?.method === "PUT") {
                written = JSON.parse(init.body ?? "{}").value;
                return { ok: true, status: 200, json: async () => ({ id: "https://kv/secrets/openclaw-gateway-token/v9" }), text: async () => "" };
            }
            return { ok: false, status: 404, json: async () => ({}), text: async () => "" };
        };
        assert.strictEqual(await main(env, fetchFn, (l) => lines.push(l)), 0);
        assert.strictEqual(lines.length, 1);
        const entry = JSON.parse(lines[0]) as Record<string, unknown>;
        assert.deepStrictEqual([entry.logger, entry.outcome, entry.version], ["openclaw-rotator", "rotated", "v9"]);
        assert.ok(written.length >= 40 && !lines[0].includes(written));
        assert.strictEqual(exchanges, 1, "one token exchange per run");
    });

    it("reports a failure with exit code 1 and a failed outcome", async () => {
        const lines: string[] = [];
        const code = await main({ VAULT_URL: "https://kv.vault.azure.net/", SECRET_NAME: "s", ROTATION_DAYS: "30" }, async () => { throw new Error("unreachable"); }, (l) => lines.push(l));
        assert.strictEqual(code, 1);
        assert.strictEqual(JSON.parse(lines[0]).outcome, "failed");
    });

    it("is a file Node can run directly: erasable TypeScript syntax, only node: imports", () => {
        const source = rotatorSource();
        const file = ts.createSourceFile("rotate.ts", source, ts.ScriptTarget.ES2022, true);
        const imports = file.statements.filter(ts.isImportDeclaration).map((i) => (i.moduleSpecifier as ts.StringLiteral).text);
        assert.ok(imports.every((m) => m.startsWith("node:")), `imports: ${imports}`);
        const host = ts.createCompilerHost({});
        const program = ts.createProgram({
            rootNames: ["rotate.ts"],
            options: { erasableSyntaxOnly: true, noEmit: true, noLib: true, noResolve: true, types: [] },
            host: { ...host, getSourceFile: (name) => (name === "rotate.ts" ? file : undefined), fileExists: (name) => name === "rotate.ts", readFile: () => source },
        });
        const erasable = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].filter((d) => d.code === 1294);
        assert.deepStrictEqual(erasable.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), []);
    });
});
