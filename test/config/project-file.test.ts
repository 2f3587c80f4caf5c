// Pulumi.yaml's config block and the README's config reference must agree with the schema the program enforces.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { ConfigError, SECRET_KEYS, validateConfig } from "../../config/read";
import { configSchema } from "../../config/schema";
import { pulumiLoader } from "../../bench/pulumi-loader";
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

    // Pulumi requires every key of the project's own namespace declared here without a default
    // (github.com/pulumi/pulumi/sdk/v3@v3.248.0 go/common/workspace/config.go: "Stack '<stack>' is missing
    // configuration value"), which the real CLI showed (npm run test:engine). Optional keys without a default
    // cannot be declared.
    const minimalConfig = (): Record<string, string> => {
        const minimal: Record<string, string> = { anthropicApiKey: FAKE_SECRETS.anthropicApiKey, identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET };
        for (const key of ["cloud", "hostname", "acmeEmail", "dnsZoneId", "groups", "identity", "openclaw"]) {
            minimal[key] = readStackConfig("dev")[`openclaw:${key}`];
        }
        return minimal;
    };
    const parsedMinimal = () => validateConfig(minimalConfig()) as unknown as Record<string, unknown>;
    /** Required by default but absent under the allowSharedTokenAuth weakening, so Pulumi must not require it either. */
    const CONDITIONALLY_REQUIRED = ["identity"];
    /** Keys the program accepts unset and leaves unset: the secret keys (one model key is enough), alertEmail, identity. */
    const optionalWithoutDefault = () => [
        ...schemaKeys.filter((key) => !(key in minimalConfig()) && parsedMinimal()[key] === undefined),
        ...SECRET_KEYS,
        ...CONDITIONALLY_REQUIRED,
    ];

    it("declares every config key the schema accepts except the optional ones without a default, and no other", () => {
        const optional = optionalWithoutDefault();
        // gateways: unset means the one gateway of the stack-level keys (config/gateways.ts planGateways).
        assert.deepStrictEqual(optional.sort(), ["alertEmail", "gateways", ...CONDITIONALLY_REQUIRED, ...SECRET_KEYS].sort());
        assert.deepStrictEqual(Object.keys(declared).sort(), [...schemaKeys, ...SECRET_KEYS].filter((key) => !optional.includes(key)).sort());
    });

    it("declares only keys the program requires or that have a default (Pulumi requires every other declared key)", () => {
        for (const [key, value] of Object.entries(declared)) {
            if (value.default !== undefined) {
                continue;
            }
            const without = minimalConfig();
            delete without[key];
            assert.throws(() => validateConfig(without), ConfigError, `openclaw:${key} is declared without a default but the program does not require it`);
        }
    });

    it("declares no secret: the model provider keys and the OIDC client secret are optional, so they are not declared", () => {
        for (const [key, value] of Object.entries(declared)) {
            assert.notStrictEqual(value.secret, true, key);
        }
    });

    it("states the defaults the schema applies", () => {
        // The smallest valid config: every key the schema defaults is left unset.
        const parsed = parsedMinimal();
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

describe("how pulumi preview/up load the program (issue 15, item 7)", () => {
    // The language host passes runtime.options.tsconfig as PULUMI_NODEJS_TSCONFIG_PATH (pulumi/pulumi
    // sdk/nodejs/cmd/pulumi-language-nodejs/main.go parseOptions), and @pulumi/pulumi cmd/run/run.js gives ts-node
    // transpileOnly = that file's compilerOptions.noCheck, read with the SDK's own tsutils.loadTypeScriptCompilerOptions.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tsutils = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(file: string): { noCheck?: boolean } };
    const runtime = (project as unknown as { runtime: { name: string; options: Record<string, unknown> } }).runtime;

    it("loads transpile-only: Pulumi.yaml names a tsconfig whose own compilerOptions set noCheck", () => {
        assert.strictEqual(runtime.name, "nodejs");
        assert.notStrictEqual(runtime.options.typescript, false, "ts-node stays on: the program is TypeScript");
        const tsconfig = String(runtime.options.tsconfig);
        assert.strictEqual(tsutils.loadTypeScriptCompilerOptions(path.join(PROJECT_ROOT, tsconfig)).noCheck, true);
        assert.strictEqual(pulumiLoader(PROJECT_ROOT).transpileOnly, true);
    });

    it("still type-checks in npm test and CI: tsconfig.json has no noCheck, and npm test runs tsc -p tsconfig.json", () => {
        assert.strictEqual(tsutils.loadTypeScriptCompilerOptions(path.join(PROJECT_ROOT, "tsconfig.json")).noCheck, undefined);
        const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        assert.match(scripts.typecheck, /^tsc --noEmit -p tsconfig\.json$/);
        assert.match(scripts.check, /npm run typecheck/);
        assert.match(scripts.test, /^npm run check && /);
    });
});
