// Renders each Helm Release a recorded program run asks for with a real Helm, and checks what the charts would
// apply: Pod Security "restricted", strict Kubernetes schemas, and the policy pack's Kubernetes resource policies.
// `pulumi preview --policy-pack` sees only a Release's values; this sees the objects inside the chart.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PolicyPackConfig, ResourceValidationPolicy } from "@pulumi/policy";
import YAML from "yaml";
import { chartNameOf, chartOfRelease, CHARTS, tagOnlyImages, vendoredChartMismatch, type ChartName } from "../../components/kubernetes/charts";
import { policies } from "../../policy-pack/policies";
import { DIGEST } from "../../policy-pack/policies/ci";
import { evaluatePolicies } from "../../policy-pack/testing/evaluate";
import type { AnalyzedResource, RecordedRunLike } from "../../policy-pack/testing/resources";
import { checkRestricted, podSpecOf, type PssControl, type PssViolation } from "./pss-restricted";
import { validateObjectStrict, type SchemaProblem } from "./strict-schema";

/** One Release the program registered, as charts:render renders it. */
export interface ReleaseToRender {
    /** The chart of record it installs, or undefined for a Release this project does not pin. */
    readonly chart?: ChartName;
    readonly releaseName: string;
    readonly namespace: string;
    readonly version: string;
    /** The Release's `chart` input: a repository chart name, an `oci://` reference, or a local directory. */
    readonly chartRef: string;
    /** True when the chart comes from a repository (not a local directory set with `openclaw:charts.<chart>.path`). */
    readonly fromRepository: boolean;
    readonly values: Record<string, unknown>;
}

/** The Helm Releases of a recorded run, with exactly the inputs the program gave them. */
export function releasesToRender(run: RecordedRunLike): ReleaseToRender[] {
    return run.resources
        .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
        .map((r) => {
            const chartRef = String(r.inputs.chart);
            return {
                chart: chartOfRelease(r.inputs.name),
                releaseName: String(r.inputs.name),
                namespace: String(r.inputs.namespace),
                version: String(r.inputs.version),
                chartRef,
                fromRepository: r.inputs.repositoryOpts !== undefined || chartRef.startsWith("oci://"),
                values: (r.inputs.values ?? {}) as Record<string, unknown>,
            };
        });
}

/**
 * Pod Security controls a chart's pods are knowingly not held to. Fluent Bit reads root-owned node log files
 * through read-only hostPath mounts as uid 0: the one exception, recorded on the `logging` namespace
 * (components/kubernetes/fluent-bit.ts).
 */
export const PSS_EXEMPTIONS: Readonly<Partial<Record<ChartName, readonly PssControl[]>>> = {
    fluentBit: ["HostPath Volumes", "Volume Types", "Running as Non-root", "Running as Non-root user"],
};

const TOKEN_POLICY = "kubernetes-pod-disallow-service-account-token";
const RELOAD_POLICY = "kubernetes-workload-enable-secret-reload";

/**
 * Pack findings a chart's objects are expected to carry, each with its reason; any other finding fails the row.
 * Image digests are not here: they are reported as tag-only images, with the config key that pins them.
 */
export const POLICY_EXCEPTIONS: Readonly<Record<ChartName, Readonly<Record<string, string>>>> = {
    envoyGateway: {
        [TOKEN_POLICY]: "the controller watches Gateway API objects and writes the proxies' Deployments and Services; certgen writes its certificate Secrets",
        [RELOAD_POLICY]: "the controller reads the xDS certificates certgen writes at install and upgrade from a Secret volume, which the kubelet updates in place",
    },
    certManager: {
        [TOKEN_POLICY]: "the controller, webhook and cainjector read and write cert-manager objects and Secrets; startupapicheck calls the API to test the webhook",
    },
    externalSecrets: {
        [TOKEN_POLICY]: "the controller writes Secrets, the webhook and the cert controller read and write their certificate Secret and webhook configurations",
        [RELOAD_POLICY]: "the webhook reads its serving certificate from a Secret volume, which the kubelet updates in place when the cert controller rotates it",
    },
    reloader: {
        [TOKEN_POLICY]: "Reloader watches Secrets and ConfigMaps and patches Deployments",
    },
    fluentBit: {
        [TOKEN_POLICY]: "the kubernetes filter reads pod metadata from the API",
        "kubernetes-pod-enforce-restricted-security-context": "runs as uid 0 to read root-owned node log files (the logging namespace's recorded exception)",
        "kubernetes-pod-disallow-host-access": "mounts /var/log/containers and /var/log/pods read-only, and its state directory, from the node",
    },
};

/**
 * The pack's digest policy: on chart objects its findings are the tag-only images listed per chart (a warning with
 * the key that pins each), since no digest is known until the user sets one.
 */
const IMAGE_DIGEST_POLICY = "kubernetes-container-enforce-image-digest";

export type RowStatus = "pass" | "fail" | "error";

/** What one chart rendered to and what the checks found. */
export interface ChartRow {
    readonly release: string;
    readonly chart?: ChartName;
    readonly version: string;
    readonly chartDir?: string;
    readonly status: RowStatus;
    /** Why the chart could not be rendered (missing directory, wrong chart, Helm's own error). */
    readonly error?: string;
    readonly objects: number;
    readonly pods: number;
    /** Objects the schema check could not cover (API groups without a model package). */
    readonly unvalidated: readonly string[];
    readonly pss: readonly { readonly object: string; readonly violation: PssViolation }[];
    readonly schema: readonly { readonly object: string; readonly problem: SchemaProblem }[];
    readonly policyViolations: readonly { readonly object: string; readonly policy: string; readonly message: string }[];
    readonly policyExcepted: readonly { readonly object: string; readonly policy: string; readonly reason: string }[];
    /** Chart images pinned by tag alone, with the key that pins them. A warning, not a failure. */
    readonly tagOnlyImages: readonly string[];
}

export interface RenderOptions {
    readonly helm: string;
    /** Where `helm pull --untar` put the charts: `<dir>/<chart name>` for each chart from a repository. */
    readonly chartsDir?: string;
    /** Directory local chart paths are relative to (the project directory). */
    readonly projectRoot: string;
    /** `--kube-version` for `.Capabilities.KubeVersion`, from `openclaw:cluster.kubernetesVersion`. */
    readonly kubeVersion: string;
    readonly stack: string;
    readonly policyConfig?: PolicyPackConfig;
}

type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } };

const label = (o: KubeObject) => `${o.kind}/${o.metadata?.name ?? "?"}`;

/** The chart directory a Release renders from, or why there is none. */
export function chartDirOf(release: ReleaseToRender, options: Pick<RenderOptions, "chartsDir" | "projectRoot">): { dir?: string; error?: string } {
    if (!release.fromRepository) {
        return { dir: path.resolve(options.projectRoot, release.chartRef) };
    }
    if (options.chartsDir === undefined) {
        return { error: `no --charts-dir given and openclaw:charts.${release.chart ?? "?"}.path is unset` };
    }
    const name = release.chart === undefined ? (release.chartRef.split("/").pop() ?? release.chartRef) : chartNameOf(release.chart);
    return { dir: path.resolve(options.chartsDir, name) };
}

/** `helm template` with the Release's name, namespace and values; the objects it renders, CRDs included. */
export function helmTemplate(helm: string, release: ReleaseToRender, dir: string, kubeVersion: string): KubeObject[] {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "charts-render-"));
    try {
        const valuesFile = path.join(work, "values.json");
        fs.writeFileSync(valuesFile, JSON.stringify(release.values));
        const out = execFileSync(helm, ["template", release.releaseName, dir, "--namespace", release.namespace, "--values", valuesFile, "--kube-version", kubeVersion, "--include-crds"], {
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const isObject = (o: unknown): o is KubeObject => o !== null && typeof o === "object" && typeof (o as KubeObject).kind === "string";
        return (
            YAML.parseAllDocuments(out)
                .map((doc) => doc.toJS({ maxAliasCount: -1 }) as unknown)
                .filter(isObject)
                // A `v1 List` is applied item by item (some charts use one to order their objects); check the items.
                .flatMap((o) => (o.apiVersion === "v1" && o.kind === "List" && Array.isArray(o.items) ? (o.items as unknown[]).filter(isObject) : [o]))
        );
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** The type token the policy pack reads a Kubernetes object by (`kubernetes:apps/v1:Deployment`, `kubernetes:core/v1:Pod`). */
export function pulumiTypeOf(o: { apiVersion: string; kind: string }): string {
    return `kubernetes:${o.apiVersion.includes("/") ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
}

/** The pack's Kubernetes resource policies (stack policies need the whole stack, which a chart alone is not). */
export function kubernetesResourcePolicies(): ResourceValidationPolicy[] {
    return policies.filter((p): p is ResourceValidationPolicy => p.name.startsWith("kubernetes-") && "validateResource" in p);
}

/** Runs every check over one chart's rendered objects. */
export async function checkRendered(release: ReleaseToRender, objects: readonly KubeObject[], options: Pick<RenderOptions, "stack" | "policyConfig">): Promise<Omit<ChartRow, "release" | "chart" | "version" | "chartDir" | "status">> {
    const exemptions = (release.chart && PSS_EXEMPTIONS[release.chart]) ?? [];
    const exceptions: Readonly<Record<string, string>> = release.chart === undefined ? {} : POLICY_EXCEPTIONS[release.chart];
    const pss: ChartRow["pss"][number][] = [];
    const schema: ChartRow["schema"][number][] = [];
    const unvalidated: string[] = [];
    const tagOnly = new Set<string>();
    let pods = 0;
    for (const o of objects) {
        const spec = podSpecOf(o);
        if (spec !== undefined) {
            pods++;
            for (const group of ["initContainers", "containers"] as const) {
                for (const container of ((spec as Record<string, unknown>)[group] ?? []) as { image?: unknown }[]) {
                    if (!DIGEST.test(String(container.image ?? ""))) {
                        tagOnly.add(String(container.image ?? "(none)"));
                    }
                }
            }
            pss.push(...checkRestricted(spec, exemptions).map((violation) => ({ object: label(o), violation })));
        }
        const problems = await validateObjectStrict(o);
        if (problems === undefined) {
            unvalidated.push(`${o.apiVersion} ${label(o)}`);
        } else {
            schema.push(...problems.map((problem) => ({ object: label(o), problem })));
        }
    }

    const urnOf = (o: KubeObject, i: number) => `urn:pulumi:${options.stack}::openclaw::kubernetes:helm.sh/v3:Release$${pulumiTypeOf(o)}::${release.releaseName}/${i}/${label(o)}`;
    const resources: AnalyzedResource[] = objects.map((o, i) => ({
        urn: urnOf(o, i),
        type: pulumiTypeOf(o),
        name: label(o),
        inputs: o,
        outputs: o,
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        ignoreChanges: [],
        aliases: [],
        additionalSecretOutputs: [],
    }));
    const byUrn = new Map(resources.map((r) => [r.urn, r.name]));
    const result = await evaluatePolicies(kubernetesResourcePolicies(), resources, { config: options.policyConfig, packEnforcementLevel: "mandatory" });
    const policyViolations: ChartRow["policyViolations"][number][] = [];
    const policyExcepted: ChartRow["policyExcepted"][number][] = [];
    for (const d of result.mandatory) {
        const object = byUrn.get(d.urn ?? "") ?? "?";
        if (d.policyName === IMAGE_DIGEST_POLICY) {
            continue;
        }
        if (exceptions[d.policyName] !== undefined) {
            policyExcepted.push({ object, policy: d.policyName, reason: exceptions[d.policyName] });
        } else {
            policyViolations.push({ object, policy: d.policyName, message: d.detail });
        }
    }
    const known = release.chart === undefined ? [] : tagOnlyImages(release.chart, release.values);
    const repositoryOf = (image: string) => image.split(/[:@ ]/)[0];
    const tagOnlyImagesFound = [...tagOnly].sort().map((image) => {
        const key = known.find((i) => repositoryOf(i.reference) === repositoryOf(image))?.configKey;
        return key === undefined ? image : `${image} (pin with ${key})`;
    });
    return { objects: objects.length, pods, unvalidated, pss, schema, policyViolations, policyExcepted, tagOnlyImages: tagOnlyImagesFound };
}

/** Renders and checks one Release; never throws for a chart problem, which becomes the row's error. */
export async function renderRelease(release: ReleaseToRender, options: RenderOptions): Promise<ChartRow> {
    const head = { release: release.releaseName, chart: release.chart, version: release.version };
    const empty = { objects: 0, pods: 0, unvalidated: [], pss: [], schema: [], policyViolations: [], policyExcepted: [], tagOnlyImages: [] };
    const { dir, error } = chartDirOf(release, options);
    if (dir === undefined) {
        return { ...head, status: "error", error, ...empty };
    }
    if (!fs.existsSync(path.join(dir, "Chart.yaml"))) {
        return { ...head, chartDir: dir, status: "error", error: `${dir} holds no Chart.yaml (helm pull ${release.chartRef} --version ${release.version} --untar --untardir <charts-dir>)`, ...empty };
    }
    const mismatch = release.chart === undefined ? undefined : vendoredChartMismatch(release.chart, dir);
    if (mismatch !== undefined) {
        return { ...head, chartDir: dir, status: "error", error: mismatch, ...empty };
    }
    let objects: KubeObject[];
    try {
        objects = helmTemplate(options.helm, release, dir, options.kubeVersion);
    } catch (e) {
        const stderr = (e as { stderr?: string }).stderr;
        return { ...head, chartDir: dir, status: "error", error: `helm template failed: ${(stderr || String(e)).trim()}`, ...empty };
    }
    const checks = await checkRendered(release, objects, options);
    const failed = checks.pss.length > 0 || checks.schema.length > 0 || checks.policyViolations.length > 0;
    return { ...head, chartDir: dir, status: failed ? "fail" : "pass", ...checks };
}

/** One line per chart, then what failed, then what was excepted and what is pinned by tag alone. */
export function formatRows(stack: string, helmVersion: string, rows: readonly ChartRow[]): string {
    const lines = [`charts:render: stack ${stack}, ${helmVersion}`, ""];
    lines.push(`${"".padEnd(6)}${"release".padEnd(30)}${"version".padEnd(10)}${"objects".padStart(8)}${"pods".padStart(6)}  restricted  schema  policies  tag-only images`);
    for (const r of rows) {
        const mark = r.status === "pass" ? "pass" : r.status === "fail" ? "FAIL" : "ERROR";
        const cell = (n: number) => (n === 0 ? "ok" : `${n} fail`);
        lines.push(
            r.status === "error"
                ? `${mark.padEnd(6)}${r.release.padEnd(30)}${r.version.padEnd(10)}  ${r.error ?? ""}`
                : `${mark.padEnd(6)}${r.release.padEnd(30)}${r.version.padEnd(10)}${String(r.objects).padStart(8)}${String(r.pods).padStart(6)}  ${cell(r.pss.length).padEnd(10)}  ${cell(r.schema.length).padEnd(6)}  ${cell(r.policyViolations.length).padEnd(8)}  ${r.tagOnlyImages.length}`,
        );
    }
    for (const r of rows) {
        const details = [
            ...r.pss.map((p) => `restricted: ${p.object} ${p.violation.path}: ${p.violation.message} (${p.violation.control})`),
            ...r.schema.map((s) => `schema: ${s.object} ${s.problem.path}: ${s.problem.message}`),
            ...r.policyViolations.map((v) => `${v.policy}: ${v.object}: ${v.message}`),
            ...uniqueBy(r.policyExcepted, (e) => `${e.policy}|${e.reason}`).map((e) => `excepted ${e.policy}: ${e.reason}`),
            ...(r.chart && PSS_EXEMPTIONS[r.chart] ? [`exempt from restricted controls ${PSS_EXEMPTIONS[r.chart]?.join(", ")}: the ${CHARTS[r.chart].namespace} namespace's recorded exception`] : []),
            ...r.tagOnlyImages.map((i) => `tag-only image: ${i}`),
            ...(r.unvalidated.length > 0 ? [`not schema-checked (no model package for the API group): ${r.unvalidated.length} object(s): ${summarize(r.unvalidated)}`] : []),
        ];
        if (details.length > 0) {
            lines.push("", `${r.release}:`, ...details.map((d) => `  ${d}`));
        }
    }
    const failed = rows.filter((r) => r.status !== "pass").length;
    lines.push("", failed === 0 ? "Every chart rendered and passed." : `${failed} chart(s) failed or could not be rendered.`);
    return lines.join("\n");
}

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
    return [...new Map(items.map((t) => [key(t), t])).values()];
}

/** `apiVersion Kind/name` labels counted by apiVersion and kind: `gateway.envoyproxy.io/v1alpha1 EnvoyProxy x2`. */
function summarize(labels: readonly string[]): string {
    const counts = new Map<string, number>();
    for (const l of labels) {
        const kind = l.replace(/\/[^/]*$/, "");
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return [...counts].map(([k, n]) => (n > 1 ? `${k} x${n}` : k)).join(", ");
}
