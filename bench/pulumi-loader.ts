// How `pulumi preview/up` will load this program, resolved from Pulumi.yaml the way the Node.js language host does:
// pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go (parseOptions: `typescript` defaults to true, `tsconfig`
// becomes PULUMI_NODEJS_TSCONFIG_PATH) and @pulumi/pulumi cmd/run/run.js (transpileOnly from
// PULUMI_NODEJS_TRANSPILE_ONLY, else the tsconfig's own compilerOptions.noCheck, read without following `extends`).
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";

export interface PulumiLoader {
    /** ts-node registered at all (`runtime.options.typescript`, default true). */
    readonly typescript: boolean;
    /** The tsconfig ts-node is given, relative to the project root. */
    readonly tsconfig: string;
    /** ts-node's transpileOnly: no type-check at load. */
    readonly transpileOnly: boolean;
    /** Why, in one line. */
    readonly reason: string;
}

/** The loader Pulumi.yaml selects, ignoring PULUMI_NODEJS_TRANSPILE_ONLY (a user's environment, not the project). */
export function pulumiLoader(root: string): PulumiLoader {
    const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { runtime?: string | { options?: Record<string, unknown> } };
    const options = typeof project.runtime === "object" ? (project.runtime.options ?? {}) : {};
    const typescript = options.typescript !== false;
    const tsconfig = typeof options.tsconfig === "string" ? options.tsconfig : "tsconfig.json";
    const file = path.join(root, tsconfig);
    // Parsed like @pulumi/pulumi tsutils.loadTypeScriptCompilerOptions: the file's own compilerOptions only.
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "{}";
    const parsed = JSON.parse(text.replace(/^\s*\/\/.*$/gm, "")) as { compilerOptions?: { noCheck?: unknown } };
    const transpileOnly = parsed.compilerOptions?.noCheck === true;
    return {
        typescript,
        tsconfig,
        transpileOnly,
        reason: transpileOnly ? `${tsconfig} sets compilerOptions.noCheck` : `${tsconfig} has no compilerOptions.noCheck: ts-node type-checks (its default)`,
    };
}
