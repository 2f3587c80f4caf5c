// A local Kubernetes control plane for the real-engine suite: etcd, kube-apiserver and kube-controller-manager on
// 127.0.0.1, with certificates made at run time, and no nodes (Pods are admitted and created, never scheduled).
import { execFileSync, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import { CLUSTER_ADDRESSING } from "../../config/schema";

export interface LocalCluster {
    readonly server: string;
    /** A kubeconfig (YAML-compatible JSON) for the cluster admin (group system:masters), certificates inline. */
    readonly kubeconfig: string;
    readonly versions: Readonly<Record<string, string>>;
    /** GET/POST/DELETE against the API as the admin; resolves with status and parsed body. */
    request(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
    stop(): Promise<void>;
}

/** A free TCP port on loopback (the OS picks; released before the server binds it). */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

function openssl(dir: string, args: readonly string[]): void {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A CA, the API server's serving certificate, an admin client certificate and the service-account key pair. */
function makeCertificates(dir: string): void {
    openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=openclaw-engine-test-ca"]);
    const sign = (name: string, subject: string, extensions: string) => {
        fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
        openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
        openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`]);
    };
    // The service range's first address is the in-cluster `kubernetes` Service (kube-apiserver --service-cluster-ip-range).
    sign(
        "apiserver",
        "/CN=kube-apiserver",
        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc,IP:172.20.0.1\nextendedKeyUsage=serverAuth\n",
    );
    // system:masters is the group kube-apiserver's RBAC authorizer always allows (k8s.io/apiserver user.SystemPrivilegedGroup).
    sign("admin", "/O=system:masters/CN=openclaw-engine-admin", "extendedKeyUsage=clientAuth\n");
    openssl(dir, ["genrsa", "-out", "sa.key", "2048"]);
    openssl(dir, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
}

function kubeconfigFor(dir: string, server: string): string {
    const b64 = (file: string) => fs.readFileSync(path.join(dir, file)).toString("base64");
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "engine", cluster: { server, "certificate-authority-data": b64("ca.crt") } }],
        contexts: [{ name: "engine", context: { cluster: "engine", user: "admin" } }],
        "current-context": "engine",
        users: [{ name: "admin", user: { "client-certificate-data": b64("admin.crt"), "client-key-data": b64("admin.key") } }],
    });
}

interface Started {
    readonly name: string;
    readonly child: ChildProcess;
    readonly log: string;
}

function start(bin: string, name: string, args: readonly string[], dir: string): Started {
    const log = path.join(dir, `${name}.log`);
    const out = fs.openSync(log, "a");
    const child = spawn(path.join(bin, name), args, { cwd: dir, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    return { name, child, log };
}

async function waitFor(what: string, check: () => Promise<boolean>, started: readonly Started[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const dead = started.find((s) => s.child.exitCode !== null);
        if (dead) {
            throw new Error(`${dead.name} exited with ${dead.child.exitCode} while waiting for ${what}; log:\n${tail(dead.log)}`);
        }
        if (await check().catch(() => false)) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; logs:\n${started.map((s) => `--- ${s.name}\n${tail(s.log)}`).join("\n")}`);
        }
        await new Promise((r) => setTimeout(r, 500));
    }
}

const tail = (file: string) => fs.readFileSync(file, "utf8").split("\n").slice(-25).join("\n");

/** Starts the control plane in `dir` from the binaries in `bin`; stop() ends every process it started. */
export async function startCluster(bin: string, dir: string): Promise<LocalCluster> {
    fs.mkdirSync(dir, { recursive: true });
    makeCertificates(dir);
    const [etcdClient, etcdPeer, apiPort, kcmPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = kubeconfigFor(dir, server);
    fs.writeFileSync(path.join(dir, "admin.kubeconfig"), kubeconfig);
    const started: Started[] = [];
    // If the suite's process ends without stop() (killed, crashed), take the control plane with it.
    const killAll = () => started.forEach((s) => s.child.exitCode === null && s.child.kill("SIGKILL"));
    process.once("exit", killAll);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            killAll();
            process.exit(130);
        });
    }
    const stop = async () => {
        for (const s of [...started].reverse()) {
            if (s.child.exitCode === null && s.child.signalCode === null) {
                s.child.kill("SIGTERM");
                const exited = new Promise((r) => s.child.once("exit", r));
                const timer = setTimeout(() => s.child.kill("SIGKILL"), 10_000);
                await exited;
                clearTimeout(timer);
            }
        }
    };
    const ca = fs.readFileSync(path.join(dir, "ca.crt"));
    const cert = fs.readFileSync(path.join(dir, "admin.crt"));
    const key = fs.readFileSync(path.join(dir, "admin.key"));
    const request: LocalCluster["request"] = (method, apiPath, body) =>
        new Promise((resolve, reject) => {
            const req = https.request(`${server}${apiPath}`, { method, ca, cert, key, headers: { "content-type": "application/json" } }, (res) => {
                let data = "";
                res.on("data", (c) => (data += c));
                res.on("end", () => {
                    let parsed: Record<string, unknown>;
                    try {
                        parsed = JSON.parse(data) as Record<string, unknown>;
                    } catch {
                        parsed = { raw: data };
                    }
                    resolve({ status: res.statusCode ?? 0, body: parsed });
                });
            });
            req.on("error", reject);
            req.end(body === undefined ? undefined : JSON.stringify(body));
        });

    try {
        started.push(
            start(bin, "etcd", [
                "--name=engine",
                `--data-dir=${path.join(dir, "etcd-data")}`,
                `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
                `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
                `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
                `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
                `--initial-cluster=engine=http://127.0.0.1:${etcdPeer}`,
                // A throw-away test store: no fsync, so a shared disk does not slow every write.
                "--unsafe-no-fsync",
            ], dir),
        );
        started.push(
            start(bin, "kube-apiserver", [
                `--etcd-servers=http://127.0.0.1:${etcdClient}`,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                `--secure-port=${apiPort}`,
                `--cert-dir=${dir}`,
                "--tls-cert-file=apiserver.crt",
                "--tls-private-key-file=apiserver.key",
                "--client-ca-file=ca.crt",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=sa.pub",
                "--service-account-signing-key-file=sa.key",
                // The program's own service range (config/schema.ts CLUSTER_ADDRESSING).
                `--service-cluster-ip-range=${CLUSTER_ADDRESSING.serviceCidr}`,
                "--authorization-mode=Node,RBAC",
                // Privileged containers are allowed by the API server, so Pod Security admission alone judges them.
                "--allow-privileged=true",
                "--profiling=false",
            ], dir),
        );
        await waitFor("kube-apiserver /readyz", async () => (await request("GET", "/readyz")).status === 200, started, 180_000);
        started.push(
            start(bin, "kube-controller-manager", [
                "--kubeconfig=admin.kubeconfig",
                "--authentication-kubeconfig=admin.kubeconfig",
                "--authorization-kubeconfig=admin.kubeconfig",
                "--bind-address=127.0.0.1",
                `--secure-port=${kcmPort}`,
                `--cert-dir=${dir}`,
                "--leader-elect=false",
                "--service-account-private-key-file=sa.key",
                "--root-ca-file=ca.crt",
                "--use-service-account-credentials=false",
            ], dir),
        );
        // The service-account controller creates `default` in every namespace: the controller manager is working.
        await waitFor("kube-controller-manager (default ServiceAccount)", async () => (await request("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200, started, 180_000);
    } catch (err) {
        await stop();
        throw err;
    }
    const version = async () => String((await request("GET", "/version")).body.gitVersion);
    const versions = {
        "kube-apiserver": await version(),
        etcd: execFileSync(path.join(bin, "etcd"), ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "",
    };
    return { server, kubeconfig, versions, request, stop };
}
