// The role reconciler's program run as the pod runs it: Node 24 on the shipped .ts file, its config.json, the
// gateway's env (the break-glass password, the config and state paths) and the OpenClaw CLI, inside the pod's
// network namespace. Its console goes to a file; its network actions to a log of their own.
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROLE_RECONCILER } from "../components/kubernetes/role-reconciler";
import type { RoleReconcilerConfig } from "../components/kubernetes/role-reconciler/program";
import { descendants, nodeBinary, peakRssMiB, rawRequest, redact, type Sandbox } from "./openclaw";

const PROGRAM = path.join(__dirname, "..", "components", "kubernetes", "role-reconciler", ROLE_RECONCILER.programFile);

function withoutModelKeys(sandbox: Sandbox): Record<string, string> {
    return Object.fromEntries(Object.entries(sandbox.env).filter(([, value]) => value === sandbox.gatewaySecret || !sandbox.secretValues.includes(value)));
}

export class RoleReconcilerProcess {
    readonly logPath: string;
    readonly netLog: string;
    private readonly child: ChildProcess;
    /** Peak RSS seen of the program itself and of its largest CLI child (it runs one at a time), in MiB. */
    readonly peak = { self: 0, cli: 0 };
    private readonly sampler: NodeJS.Timeout;

    constructor(
        private readonly sandbox: Sandbox,
        readonly config: RoleReconcilerConfig,
        prefix: (command: string[]) => string[],
        extraEnv: Readonly<Record<string, string>>,
    ) {
        const configPath = path.join(sandbox.dir, "role-reconciler.json");
        fs.writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
        this.logPath = path.join(sandbox.dir, "role-reconciler.log");
        this.netLog = path.join(sandbox.dir, "role-reconciler-net.jsonl");
        const log = fs.openSync(this.logPath, "a", 0o600);
        const [program, ...args] = prefix([nodeBinary(), PROGRAM]);
        this.child = spawn(program, args, {
            cwd: sandbox.dir,
            // The gateway's env without the model keys, as the sidecar has it: the password is its only secret.
            env: { ...withoutModelKeys(sandbox), ...extraEnv, [ROLE_RECONCILER.configEnv]: configPath, E2E_NET_LOG: this.netLog },
            stdio: ["ignore", log, log],
        });
        fs.closeSync(log);
        this.sampler = setInterval(() => this.sample(), 200);
    }

    private sample(): void {
        if (this.child.pid === undefined) {
            return;
        }
        this.peak.self = Math.max(this.peak.self, peakRssMiB(this.child.pid) ?? 0);
        for (const pid of descendants(this.child.pid)) {
            this.peak.cli = Math.max(this.peak.cli, peakRssMiB(pid) ?? 0);
        }
    }

    /** The console so far with every secret value replaced; `raw` for leak checks. */
    log(raw = false): string {
        const text = fs.existsSync(this.logPath) ? fs.readFileSync(this.logPath, "utf8") : "";
        return raw ? text : redact(this.sandbox, text);
    }

    /** Waits for the health path to answer 200 from `from`. */
    async waitReady(from: string, timeoutMs = 30_000): Promise<void> {
        const started = Date.now();
        while (Date.now() - started < timeoutMs) {
            if (this.child.exitCode !== null) {
                throw new Error(`the role reconciler exited (${this.child.exitCode}):\n${this.log()}`);
            }
            const answer = await this.get(from, this.config.healthPath, {}).catch(() => undefined);
            if (answer?.status === 200) {
                return;
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`the role reconciler was not ready within ${timeoutMs / 1000} s:\n${this.log()}`);
    }

    /** What Envoy's HTTP ext_authz sends: the original method, the override path, Authorization among the headers. */
    check(from: string, idToken: string | undefined, method = "GET"): Promise<number> {
        return this.get(from, this.config.checkPath, idToken === undefined ? {} : { authorization: `Bearer ${idToken}` }, method).then((a) => a.status);
    }

    private get(from: string, urlPath: string, headers: Record<string, string>, method = "GET") {
        return rawRequest({ host: this.config.listen.host, port: this.config.listen.port, localAddress: from, method, path: urlPath, headers });
    }

    stop(): void {
        clearInterval(this.sampler);
        this.child.kill("SIGTERM");
    }
}
