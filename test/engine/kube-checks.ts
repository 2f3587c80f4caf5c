// What the real-engine suite reads back from the local API server: test CRDs for the layer's custom resources, and
// every object of an applied stack as the API server stored it (after validation and admission).
import * as assert from "assert";
import type { LocalCluster } from "./cluster";
import type { KubernetesObject } from "../kubernetes/layer-run";

const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";

/** Plural of a kind for a test CRD (the provider finds it through discovery, so any plural would do). */
const plural = (kind: string) => {
    const lower = kind.toLowerCase();
    return /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : lower.endsWith("s") ? `${lower}es` : `${lower}s`;
};

/**
 * Creates a minimal CRD for each custom resource kind among `objects` (group not built into Kubernetes): schema
 * open (x-kubernetes-preserve-unknown-fields), scope from whether the object names a namespace. The real CRDs come
 * with the charts, which this run replaces with tiny ones; so their schemas are not checked here.
 */
export async function applyTestCrds(cluster: LocalCluster, objects: readonly KubernetesObject[]): Promise<string[]> {
    const kinds = new Map<string, { group: string; version: string; kind: string; namespaced: boolean }>();
    for (const o of objects) {
        const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
        // Kinds the API server serves already (built in) need no CRD.
        const served = await cluster.request("GET", group === "" ? `/api/${version}` : `/apis/${group}/${version}`);
        if (served.status === 200 && (served.body.resources as { kind: string }[]).some((r) => r.kind === o.kind)) {
            continue;
        }
        kinds.set(`${o.kind}.${group}`, { group, version, kind: o.kind, namespaced: o.metadata?.namespace !== undefined });
    }
    const created: string[] = [];
    for (const { group, version, kind, namespaced } of kinds.values()) {
        const name = `${plural(kind)}.${group}`;
        const crd = {
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: {
                name,
                labels: { "openclaw.test/engine": "minimal-test-crd" },
                // Groups under k8s.io need this annotation (KEP-1111); the value is the one Gateway API's own CRDs
                // carry (kubernetes-sigs/gateway-api config/crd/standard/*.yaml).
                ...(/\.k8s\.io$|\.kubernetes\.io$/.test(group) ? { annotations: { "api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api/pull/1538" } } : {}),
            },
            spec: {
                group,
                scope: namespaced ? "Namespaced" : "Cluster",
                names: { kind, plural: plural(kind), singular: kind.toLowerCase(), listKind: `${kind}List` },
                versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
            },
        };
        const res = await cluster.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        assert.ok(res.status === 201 || res.status === 409, `creating test CRD ${name}: ${res.status} ${JSON.stringify(res.body)}`);
        created.push(name);
    }
    for (const name of created) {
        await until(`CRD ${name} established`, async () => {
            const res = await cluster.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
            const conditions = ((res.body.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
            return conditions.some((c) => c.type === "Established" && c.status === "True");
        });
    }
    return created;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}

type Discovery = Map<string, { name: string; namespaced: boolean }>;

async function discover(cluster: LocalCluster, apiVersion: string, cache: Map<string, Discovery>): Promise<Discovery> {
    let found = cache.get(apiVersion);
    if (found === undefined) {
        const res = await cluster.request("GET", apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
        assert.strictEqual(res.status, 200, `discovery of ${apiVersion}: ${res.status}`);
        found = new Map();
        for (const r of res.body.resources as { name: string; kind: string; namespaced: boolean }[]) {
            if (!r.name.includes("/")) {
                found.set(r.kind, { name: r.name, namespaced: r.namespaced });
            }
        }
        cache.set(apiVersion, found);
    }
    return found;
}

/** The REST path of an object. */
export async function objectPath(cluster: LocalCluster, apiVersion: string, kind: string, name: string, namespace: string | undefined, cache = new Map<string, Discovery>()): Promise<string> {
    const resource = (await discover(cluster, apiVersion, cache)).get(kind);
    assert.ok(resource, `the API server serves no ${kind} in ${apiVersion}`);
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return `${base}${resource.namespaced ? `/namespaces/${namespace}` : ""}/${resource.name}/${name}`;
}

interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly outputs?: Record<string, unknown>;
    readonly inputs?: Record<string, unknown>;
}

/**
 * Reads back every Kubernetes object in the state from the API server and checks: each exists; each Namespace
 * carries the Pod Security labels the program declared; each Helm release's chart object exists; the OpenClaw
 * Deployment's ReplicaSet created Pods, which the API server's Pod Security admission admitted.
 */
export async function verifyApplied(cluster: LocalCluster, resources: readonly StateResource[]): Promise<{ objects: number; byKind: Record<string, number> }> {
    const cache = new Map<string, Discovery>();
    const byKind: Record<string, number> = {};
    let objects = 0;
    for (const r of resources) {
        const out = r.outputs ?? {};
        if (r.type === "kubernetes:helm.sh/v3:Release") {
            const status = out.status as { namespace: string; name: string } | undefined;
            assert.ok(status, `release ${r.urn} has no status`);
            const cm = await cluster.request("GET", `/api/v1/namespaces/${status.namespace}/configmaps/${status.name}-engine-test`);
            assert.strictEqual(cm.status, 200, `the tiny chart's ConfigMap of release ${status.name} is missing`);
            byKind.HelmRelease = (byKind.HelmRelease ?? 0) + 1;
            continue;
        }
        if (!r.type.startsWith("kubernetes:") || r.type.startsWith("pulumi:")) {
            continue;
        }
        const apiVersion = String(out.apiVersion);
        const kind = String(out.kind);
        const metadata = (out.metadata ?? {}) as { name: string; namespace?: string; labels?: Record<string, string> };
        const live = await cluster.request("GET", await objectPath(cluster, apiVersion, kind, metadata.name, metadata.namespace, cache));
        assert.strictEqual(live.status, 200, `${kind} ${metadata.namespace ?? ""}/${metadata.name} is not in the cluster`);
        if (kind === "Namespace") {
            const declared = Object.entries(((r.inputs?.metadata as { labels?: Record<string, string> } | undefined)?.labels) ?? {}).filter(([k]) => k.startsWith("pod-security.kubernetes.io/"));
            const labels = ((live.body.metadata as { labels?: Record<string, string> }).labels) ?? {};
            assert.ok(labels[PSA_ENFORCE], `namespace ${metadata.name} has no ${PSA_ENFORCE} label`);
            for (const [k, v] of declared) {
                assert.strictEqual(labels[k], v, `namespace ${metadata.name}: ${k}`);
            }
        }
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        objects++;
    }
    await verifyOpenClawPods(cluster);
    return { objects, byKind };
}

/** The ReplicaSet controller created the OpenClaw Pods, so Pod Security admission (enforce: restricted) let them in. */
async function verifyOpenClawPods(cluster: LocalCluster): Promise<void> {
    const ns = await cluster.request("GET", "/api/v1/namespaces/openclaw");
    assert.strictEqual(((ns.body.metadata as { labels: Record<string, string> }).labels)[PSA_ENFORCE], "restricted", "namespace openclaw does not enforce restricted");
    let detail = "";
    await until("OpenClaw pods created by the ReplicaSet", async () => {
        const pods = await cluster.request("GET", "/api/v1/namespaces/openclaw/pods?labelSelector=app.kubernetes.io%2Fname%3Dopenclaw");
        if (((pods.body.items as unknown[] | undefined) ?? []).length > 0) {
            return true;
        }
        const sets = await cluster.request("GET", "/apis/apps/v1/namespaces/openclaw/replicasets");
        detail = JSON.stringify((sets.body.items as { status?: unknown }[] | undefined)?.map((s) => s.status));
        return false;
    }).catch((err: Error) => {
        throw new Error(`${err.message}; ReplicaSet status: ${detail}`);
    });
}
