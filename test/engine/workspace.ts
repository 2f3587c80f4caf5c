// The real-engine suite's Pulumi workspace: the CLI from the build cache, a file:// backend and a Pulumi home in a
// scratch directory, a passphrase secrets provider, no update check, no plugin downloads, and plugins on PATH only.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../harness/program";

/** The scratch directory of one run: project copies, state, logs. Ignored by git and the linters. */
export const WORK_ROOT = path.join(PROJECT_ROOT, "test", "engine", ".work");

/** The fake passphrase of the test stacks' secrets provider. */
export const PASSPHRASE = "openclaw-engine-test-passphrase";

/** The plugin packages the program uses that the stand-in provider answers for, with the versions the SDKs request. */
export const STAND_IN_PACKAGES = ["aws", "azure-native", "random"] as const;

export interface Workspace {
    readonly root: string;
    /** The directory of the stand-in plugins (on PATH). */
    readonly plugins: string;
    readonly env: NodeJS.ProcessEnv;
    /** Runs `pulumi <args>` in `cwd`; resolves with exit code, output and seconds taken. Never rejects on exit code. */
    pulumi(cwd: string, args: readonly string[], extraEnv?: NodeJS.ProcessEnv): Promise<PulumiResult>;
}

export interface PulumiResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
    readonly command: string;
}

/** The version an installed SDK package asks the engine for (its package.json `pulumi.version`). */
export function sdkPluginVersion(pkg: string): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "node_modules", "@pulumi", pkg, "package.json"), "utf8")) as { version: string; pulumi?: { version?: string } };
    return manifest.pulumi?.version ?? manifest.version;
}

/** Writes `pulumi-resource-<pkg>` launchers of the stand-in provider into `dir`. */
function writeStandInPlugins(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const register = path.join(PROJECT_ROOT, "node_modules", "ts-node", "register", "transpile-only");
    const script = path.join(PROJECT_ROOT, "test", "engine", "stand-in-provider.ts");
    for (const pkg of STAND_IN_PACKAGES) {
        const launcher = path.join(dir, `pulumi-resource-${pkg}`);
        fs.writeFileSync(
            launcher,
            `#!/bin/sh\n# TEST DOUBLE: the project's stand-in for the ${pkg} provider (test/engine/stand-in-provider.ts).\nexec "${process.execPath}" -r "${register}" "${script}" ${pkg} ${sdkPluginVersion(pkg)} "$@"\n`,
            { mode: 0o755 },
        );
    }
}

/**
 * Writes a stand-in `aws` command into `dir` (TEST DOUBLE) that answers only `aws eks get-token`, with an
 * ExecCredential holding the local cluster admin's client certificate (client-go accepts certificate data from an
 * exec plugin: k8s.io/client-go/pkg/apis/clientauthentication ExecCredentialStatus).
 */
export function writeStandInAws(dir: string, clusterDir: string): void {
    const credential = {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        kind: "ExecCredential",
        status: {
            clientCertificateData: fs.readFileSync(path.join(clusterDir, "admin.crt"), "utf8"),
            clientKeyData: fs.readFileSync(path.join(clusterDir, "admin.key"), "utf8"),
        },
    };
    const file = path.join(clusterDir, "exec-credential.json");
    fs.writeFileSync(file, JSON.stringify(credential));
    fs.writeFileSync(
        path.join(dir, "aws"),
        `#!/bin/sh\n# TEST DOUBLE: answers only "aws eks get-token" (test/engine/workspace.ts).\nif [ "$1 $2" = "eks get-token" ]; then exec cat "${file}"; fi\necho "stand-in aws: only eks get-token is answered" >&2\nexit 1\n`,
        { mode: 0o755 },
    );
}

/** Creates a fresh workspace under WORK_ROOT/<name> using the binaries in `bin`. */
export function createWorkspace(name: string, bin: string): Workspace {
    const root = path.join(WORK_ROOT, name);
    fs.rmSync(root, { recursive: true, force: true });
    const home = path.join(root, "pulumi-home");
    const state = path.join(root, "state");
    const plugins = path.join(root, "plugins");
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(state, { recursive: true });
    writeStandInPlugins(plugins);
    // The dynamic-provider plugin ships with the Node SDK (the Azure platform's dynamic resources need it).
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs"), path.join(plugins, "pulumi-resource-pulumi-nodejs"));
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        // Plugins resolve from PATH only ("ambient" plugins): the built provider, the language host, the stand-ins.
        PATH: [bin, plugins, path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter),
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        // No colour codes in captured output.
        NO_COLOR: "1",
        PULUMI_COLOR: "never",
    };
    delete env.PULUMI_ACCESS_TOKEN;
    const logFile = path.join(root, "pulumi-commands.log");
    return {
        root,
        plugins,
        env,
        pulumi(cwd, args, extraEnv = {}) {
            const start = process.hrtime.bigint();
            const command = `pulumi ${args.join(" ")}`;
            return new Promise((resolve, reject) => {
                const child = spawn(path.join(bin, "pulumi"), args, { cwd, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
                child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
                child.on("error", reject);
                child.on("close", (code) => {
                    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
                    fs.appendFileSync(logFile, `\n$ (cd ${cwd} && ${command})  # exit ${code}, ${seconds.toFixed(1)} s\n${stdout}\n${stderr}\n`);
                    resolve({ code: code ?? -1, stdout, stderr, seconds, command });
                });
            });
        },
    };
}

/** Fails with the command's output when it did not exit 0. */
export function ok(result: PulumiResult): PulumiResult {
    if (result.code !== 0) {
        throw new Error(`${result.command} exited ${result.code}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
    }
    return result;
}

/**
 * A project directory for `stack` holding a copy of Pulumi.yaml whose `main` points at `entry` (relative to the
 * project root), and a copy of the stack file `Pulumi.<stackFile>.yaml` if given.
 */
export function projectDir(ws: Workspace, name: string, entry: string, stack: string, stackFile?: string): string {
    const dir = path.join(ws.root, "projects", name);
    fs.mkdirSync(dir, { recursive: true });
    const project = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8");
    const main = path.relative(dir, path.join(PROJECT_ROOT, entry));
    // `main` and the runtime's `tsconfig` are relative to the project directory: point them back at the repository.
    const copy = project.replace(/^main: .*$/m, `main: ${main}`).replace(/^(\s+tsconfig: )(\S+)$/m, (_m, key: string, file: string) => `${key}${path.join(PROJECT_ROOT, file)}`);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), copy);
    if (stackFile !== undefined) {
        fs.copyFileSync(path.join(PROJECT_ROOT, `Pulumi.${stackFile}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
    }
    return dir;
}
