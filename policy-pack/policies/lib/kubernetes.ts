// Finding Kubernetes objects, pod specs and chart values in what the analyzer receives.
import type { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { UnknownValueError } from "./preview";

/** Workload types whose pods a policy checks, and where each keeps its pod template. */
export const WORKLOAD_TYPES = {
    "kubernetes:apps/v1:Deployment": ["spec", "template"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template"],
    "kubernetes:batch/v1:Job": ["spec", "template"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template"],
    "kubernetes:core/v1:Pod": [],
} as const satisfies Record<string, readonly string[]>;

export type WorkloadType = keyof typeof WORKLOAD_TYPES;

export const HELM_RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";
export const HELM_CHART_V4_TYPE = "kubernetes:helm.sh/v4:Chart";
export const CONFIG_GROUP_TYPES = ["kubernetes:yaml/v2:ConfigGroup"] as const;

export function isWorkloadType(type: string): type is WorkloadType {
    return type in WORKLOAD_TYPES;
}

export type Json = Record<string, unknown>;

/** The pod template (`{ metadata, spec }`) of a workload's props; for a Pod, the Pod itself. */
export function podTemplateOf(type: WorkloadType, props: Json): Json | undefined {
    let node: unknown = props;
    for (const key of WORKLOAD_TYPES[type]) {
        node = (node as Json | undefined)?.[key];
    }
    return node as Json | undefined;
}

export interface ContainerRef {
    /** `containers[0] "openclaw"` or `initContainers[1] "init"`, for messages. */
    readonly label: string;
    readonly container: Json;
}

/** Every container of a pod spec: init, regular and ephemeral, each with a label naming it. */
export function containersOf(podSpec: Json | undefined): ContainerRef[] {
    const refs: ContainerRef[] = [];
    for (const field of ["initContainers", "containers", "ephemeralContainers"] as const) {
        const list = podSpec?.[field] as Json[] | undefined;
        (list ?? []).forEach((container, index) => {
            refs.push({ label: `${field}[${index}] "${String(container?.name ?? "?")}"`, container });
        });
    }
    return refs;
}

/** A Kubernetes object found in the stack: a first-class resource, or one object inside a ConfigGroup. */
export interface KubeObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly object: Json;
    readonly resource: PolicyResource;
}

const KUBE_TYPE = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/;

/** `kubernetes:apps/v1:Deployment` → `{ apiVersion: "apps/v1", kind: "Deployment" }` (core group has no prefix). */
export function parseKubeType(type: string): { apiVersion: string; kind: string } | undefined {
    const m = KUBE_TYPE.exec(type);
    if (!m || type === HELM_RELEASE_TYPE || m[1].startsWith("helm.sh/") || m[1].startsWith("yaml/") || m[1].startsWith("kustomize/")) {
        return undefined;
    }
    return { apiVersion: m[1].startsWith("core/") ? m[1].slice(5) : m[1], kind: m[2] };
}

/**
 * Every Kubernetes object in the stack. Reading props may throw `UnknownValueError`; callers wrap in a check.
 */
export function kubeObjects(resources: readonly PolicyResource[]): KubeObject[] {
    const found: KubeObject[] = [];
    for (const resource of resources) {
        const parsed = parseKubeType(resource.type);
        if (parsed) {
            const metadata = resource.props.metadata as Json | undefined;
            found.push({
                ...parsed,
                namespace: metadata?.namespace as string | undefined,
                name: metadata?.name as string | undefined,
                object: resource.props,
                resource,
            });
        } else if ((CONFIG_GROUP_TYPES as readonly string[]).includes(resource.type)) {
            for (const obj of (resource.props.objs as Json[] | undefined) ?? []) {
                const metadata = obj.metadata as Json | undefined;
                found.push({
                    apiVersion: String(obj.apiVersion),
                    kind: String(obj.kind),
                    namespace: metadata?.namespace as string | undefined,
                    name: metadata?.name as string | undefined,
                    object: obj,
                    resource,
                });
            }
        }
    }
    return found;
}

/** Objects of one kind (apiVersion group match, any version). */
export function objectsOfKind(objects: readonly KubeObject[], group: string, kind: string): KubeObject[] {
    return objects.filter((o) => o.kind === kind && (o.apiVersion === group || o.apiVersion.startsWith(`${group}/`) || (group === "" && !o.apiVersion.includes("/"))));
}

/**
 * Visits every node of a JSON tree with its dotted path (`a.b[2].c`) and the key it sits under. A member unknown
 * during preview is handed to `onUnknown` (default: skipped) instead of stopping the walk: literal scans (SEC-1)
 * skip it, because a value unknown in preview is computed from another resource's output, not written in the code
 * (the update scans it again with its real value); other checks rethrow it when the key is one they judge.
 */
export function walkKnown(
    value: unknown,
    visit: (path: string, value: unknown, key: string) => void,
    onUnknown: (path: string, key: string, error: Error) => void = () => undefined,
    path = "",
    key = "",
): void {
    visit(path, value, key);
    if (value === null || typeof value !== "object" || !(Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
        return;
    }
    // Indexes from the length: mapping over a proxied array would read (and throw on) an unknown element.
    const keys = Array.isArray(value) ? Array.from({ length: value.length }, (_v, i) => i) : Object.keys(value as Json);
    for (const k of keys) {
        const childPath = typeof k === "number" ? `${path}[${k}]` : path ? `${path}.${k}` : k;
        const childKey = typeof k === "number" ? key : k;
        let member: unknown;
        try {
            member = (value as Record<string | number, unknown>)[k];
        } catch (e) {
            if (e instanceof UnknownValueError) {
                onUnknown(childPath, childKey, e);
                continue;
            }
            throw e;
        }
        walkKnown(member, visit, onUnknown, childPath, childKey);
    }
}

/** The namespace a namespaced object lands in; `default` when metadata leaves it out. */
export function namespaceOf(o: { namespace?: string }): string {
    return o.namespace ?? "default";
}

/** A Go duration (`1h`, `15m`, `1h30m`, `90s`) in seconds, or undefined. */
export function goDurationSeconds(text: string): number | undefined {
    const re = /(\d+(?:\.\d+)?)(h|m|s|ms)/g;
    let total = 0;
    let consumed = 0;
    for (const m of text.matchAll(re)) {
        const n = Number(m[1]);
        total += m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : m[2] === "s" ? n : n / 1000;
        consumed += m[0].length;
    }
    if (text === "0") {
        return 0;
    }
    return consumed === text.length && consumed > 0 ? total : undefined;
}

/**
 * A resource validation for every workload type (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod):
 * the callback gets the workload's props and a getter for its pod template; other types are not applicable.
 */
export function validateWorkload(fn: (workload: Json, template: () => Json | undefined, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
    return (args, report) => {
        if (!isWorkloadType(args.type)) {
            args.notApplicable("Policy only applies to Kubernetes workloads");
        }
        const type = args.type as WorkloadType;
        // A getter: reading the template may meet an unknown value, which the policy reads inside a check.
        return fn(args.props, () => podTemplateOf(type, args.props), args, report);
    };
}

/** A resource validation for one Kubernetes kind, however it is declared (typed class or CustomResource). */
export function validateKind(group: string, kind: string, fn: (object: Json, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
    return (args, report) => {
        const parsed = parseKubeType(args.type);
        const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");
        if (!parsed || parsed.kind !== kind || groupOf(parsed.apiVersion) !== group) {
            args.notApplicable(`Policy only applies to ${group || "core"} ${kind} objects`);
        }
        return fn(args.props, args, report);
    };
}

/** Secret names a pod template consumes: env secretKeyRef, envFrom secretRef, secret volumes, projected secrets. */
export function secretsConsumed(template: Json | undefined): string[] {
    const spec = template?.spec as Json | undefined;
    const names = new Set<string>();
    for (const { container } of containersOf(spec)) {
        for (const env of (container.env as Json[] | undefined) ?? []) {
            const ref = (env.valueFrom as Json | undefined)?.secretKeyRef as Json | undefined;
            if (ref?.name) {
                names.add(String(ref.name));
            }
        }
        for (const from of (container.envFrom as Json[] | undefined) ?? []) {
            const ref = from.secretRef as Json | undefined;
            if (ref?.name) {
                names.add(String(ref.name));
            }
        }
    }
    for (const volume of (spec?.volumes as Json[] | undefined) ?? []) {
        const secret = volume.secret as Json | undefined;
        if (secret?.secretName) {
            names.add(String(secret.secretName));
        }
        for (const source of ((volume.projected as Json | undefined)?.sources as Json[] | undefined) ?? []) {
            const ref = source.secret as Json | undefined;
            if (ref?.name) {
                names.add(String(ref.name));
            }
        }
    }
    return [...names];
}
