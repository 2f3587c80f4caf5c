// Waits, during the `pulumi up` that creates the cluster, until Kubernetes work can start: the deployer's Azure RBAC
// grant has reached the API server, a node is Ready (the kubelet reports Ready only once the CNI is up) and CoreDNS
// runs. Azure RBAC takes minutes to propagate, so without this the first Kubernetes request gets 403.
import * as pulumi from "@pulumi/pulumi";

/** One thing the wait checks, as a GET on the Kubernetes API and a test of the answer. */
export interface ReadinessProbe {
    readonly what: string;
    readonly path: string;
    /** True when the (JSON) body shows the condition. */
    readonly ready: (body: unknown) => boolean;
}

interface Condition { readonly type?: string; readonly status?: string }
interface Listed { readonly items?: readonly { readonly status?: { readonly conditions?: readonly Condition[] } }[] }
const anyReady = (body: unknown) => ((body as Listed).items ?? []).some((item) => (item.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"));

/**
 * The probes, in order. A 403 or 401 on any of them means the deployer's grant has not propagated yet (Azure RBAC
 * changes take up to about 10 minutes: learn.microsoft.com/azure/role-based-access-control/troubleshooting).
 * CoreDNS's pods carry `k8s-app=kube-dns` (the label the rotator's network policy also selects).
 */
export const READINESS_PROBES: readonly ReadinessProbe[] = [
    { what: "the deployer's access to the API (Azure RBAC grant propagated)", path: "/api/v1/namespaces?limit=1", ready: () => true },
    { what: "a Ready node (kubelet Ready implies the CNI is up)", path: "/api/v1/nodes", ready: anyReady },
    { what: "a Ready CoreDNS pod", path: "/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns", ready: anyReady },
];

/** What one probe got back: an HTTP status and the parsed body, or the connection error. */
export interface ProbeAnswer {
    readonly status?: number;
    readonly body?: unknown;
    readonly error?: string;
}

/** The probes not yet satisfied, each with why (for the progress and the timeout message). */
export function unmet(answers: readonly ProbeAnswer[]): string[] {
    return READINESS_PROBES.flatMap((probe, i) => {
        const answer = answers[i];
        if (answer?.error !== undefined) {
            return [`${probe.what}: ${answer.error}`];
        }
        if (answer?.status === 401 || answer?.status === 403) {
            return [`${probe.what}: HTTP ${answer.status} (the grant has not propagated yet)`];
        }
        if (answer?.status !== 200) {
            return [`${probe.what}: HTTP ${answer?.status ?? "no answer"}`];
        }
        return probe.ready(answer.body) ? [] : [`${probe.what}: not yet`];
    });
}

/** How the wait talks to the world; the real one is `defaultIo`, tests pass their own. */
export interface WaitIo {
    readonly token: () => string;
    readonly get: (path: string, token: string) => Promise<ProbeAnswer>;
    readonly sleep: (ms: number) => Promise<void>;
    readonly now: () => number;
    readonly log: (message: string) => void;
}

export interface WaitOptions {
    readonly timeoutSeconds: number;
    readonly intervalSeconds: number;
}

/** Probes until every condition holds; throws, naming what is still missing, when the timeout passes. */
export async function waitUntilReady(io: WaitIo, options: WaitOptions): Promise<void> {
    const deadline = io.now() + options.timeoutSeconds * 1000;
    for (;;) {
        let missing: string[];
        try {
            const token = io.token();
            const answers: ProbeAnswer[] = [];
            for (const probe of READINESS_PROBES) {
                answers.push(await io.get(probe.path, token));
            }
            missing = unmet(answers);
        } catch (err) {
            missing = [`a token from kubelogin: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`];
        }
        if (missing.length === 0) {
            return;
        }
        if (io.now() >= deadline) {
            throw new Error(`the cluster was not ready for Kubernetes work after ${options.timeoutSeconds} s; still missing:\n  - ${missing.join("\n  - ")}\n`
                + "If the API cannot be reached, run pulumi up where the private API resolves (docs/azure.md, Reaching the private API server).");
        }
        io.log(`waiting for the cluster: ${missing.join("; ")}`);
        await io.sleep(options.intervalSeconds * 1000);
    }
}

interface ReadyInputs {
    readonly server: string;
    readonly caData: string;
    readonly serverId: string;
    readonly timeoutSeconds: number;
}

/** The real IO: kubelogin for the deployer's Entra token (as the Kubernetes provider gets it), HTTPS with the cluster CA. */
function defaultIo(inputs: ReadyInputs): WaitIo {
    // Required here, not at the top: the dynamic provider is serialized with what its functions reference.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const childProcess = require("child_process") as typeof import("child_process");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const https = require("https") as typeof import("https");
    const url = new URL(inputs.server);
    return {
        token: () => {
            const out = childProcess.execFileSync("kubelogin", ["get-token", "--login", "azurecli", "--server-id", inputs.serverId], { encoding: "utf8", timeout: 60_000 });
            return String((JSON.parse(out) as { status?: { token?: string } }).status?.token ?? "");
        },
        get: (path, token) => new Promise((resolve) => {
            const req = https.request({
                host: url.hostname, port: url.port || 443, path, method: "GET", timeout: 15_000,
                ca: Buffer.from(inputs.caData, "base64"), headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
            }, (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => (text += chunk));
                res.on("end", () => {
                    let body: unknown;
                    try {
                        body = JSON.parse(text);
                    } catch {
                        body = undefined;
                    }
                    resolve({ status: res.statusCode, body });
                });
            });
            req.on("timeout", () => req.destroy(new Error("timed out")));
            req.on("error", (err) => resolve({ error: err.message }));
            req.end();
        }),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
        // The dynamic provider runs in its own process; its stderr reaches the engine log.
        log: (message) => process.stderr.write(`${message}\n`),
    };
}

const readyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ReadyInputs) {
        await waitUntilReady(defaultIo(inputs), { timeoutSeconds: inputs.timeoutSeconds, intervalSeconds: 15 });
        return { id: `ready-${new URL(inputs.server).hostname}`, outs: { ...inputs, readyAt: new Date().toISOString() } };
    },
    // Waiting is for the first up: a later run with the same cluster has nothing to wait for. A new server (a new
    // cluster) replaces the resource, so that up waits again.
    async diff(_id: string, olds: ReadyInputs, news: ReadyInputs) {
        const replace = olds.server !== news.server;
        return { changes: replace, replaces: replace ? ["server"] : [], deleteBeforeReplace: false };
    },
};

export interface ClusterReadinessArgs {
    /** The API server URL, as the Kubernetes provider's kubeconfig has it. */
    readonly server: pulumi.Input<string>;
    /** The cluster CA (base64), from the user credential. */
    readonly caData: pulumi.Input<string>;
    /** The Entra application the token is for (AKS_ENTRA_SERVER_APP_ID). */
    readonly serverId: string;
    /** How long to wait before failing the up. Defaults to 20 minutes (propagation takes up to about 10). */
    readonly timeoutSeconds?: number;
}

/** A resource whose creation completes when the cluster can take Kubernetes work (see READINESS_PROBES). */
export class ClusterReadiness extends pulumi.dynamic.Resource {
    declare readonly readyAt: pulumi.Output<string>;

    constructor(name: string, args: ClusterReadinessArgs, opts?: pulumi.CustomResourceOptions) {
        super(readyProvider, name, { server: args.server, caData: args.caData, serverId: args.serverId, timeoutSeconds: args.timeoutSeconds ?? 1200, readyAt: undefined }, opts);
    }
}
