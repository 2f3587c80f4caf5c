// Pulumi.yaml's config block and the README's config reference must agree with the schema the program enforces.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { SECRET_KEYS, validateConfig } from "../../config/read";
import { configSchema } from "../../config/schema";
import { FAKE_IDENTITY_CLIENT_SECRET, FAKE_SECRETS, PROJECT_ROOT, readStackConfig } from "../harness/program";

interface DeclaredKey {
    readonly type?: string;
    readonly default?: unknown;
    readonly secret?: boolean;
    readonly description?: string;
}

const project = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    main: string;
    config: Record<string, DeclaredKey>;
};
const declared = Object.fromEntries(
    Object.entries(project.config)
        .filter(([key]) => key.startsWith("openclaw:"))
        .map(([key, value]) => [key.slice("openclaw:".length), value]),
);
const schemaKeys = Object.keys(configSchema.shape);

describe("Pulumi.yaml", () => {
    it("is the openclaw project with index.ts as its program", () => {
        assert.strictEqual(project.name, "openclaw");
        assert.strictEqual(project.main, "index.ts");
    });

    it("declares every config key the schema accepts, and no other", () => {
        assert.deepStrictEqual(Object.keys(declared).sort(), [...schemaKeys, ...SECRET_KEYS].sort());
    });

    it("declares the model provider keys and the OIDC client secret as secrets and nothing else as one", () => {
        for (const [key, value] of Object.entries(declared)) {
            assert.strictEqual(value.secret === true, SECRET_KEYS.includes(key), key);
        }
    });

    it("states the defaults the schema applies", () => {
        // The smallest valid config: every key the schema defaults is left unset.
        const minimal: Record<string, string> = { anthropicApiKey: FAKE_SECRETS.anthropicApiKey, identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET };
        for (const key of ["cloud", "hostname", "acmeEmail", "dnsZoneId", "groups", "identity", "openclaw"]) {
            minimal[key] = readStackConfig("dev")[`openclaw:${key}`];
        }
        const parsed = validateConfig(minimal) as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(declared)) {
            if (value.default !== undefined) {
                assert.deepStrictEqual(parsed[key], value.default, `default of openclaw:${key}`);
            }
        }
    });

    it("gives every key a description", () => {
        for (const [key, value] of Object.entries(declared)) {
            assert.ok(value.description && value.description.length > 10, key);
        }
    });
});

describe("README config reference", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    it("documents every config key", () => {
        for (const key of [...schemaKeys, ...SECRET_KEYS]) {
            assert.ok(readme.includes(`\`openclaw:${key}\``), `README.md does not document openclaw:${key}`);
        }
    });
});
