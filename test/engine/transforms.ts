// The real-engine suite's test-only resource transforms, each because the local cluster cannot do otherwise:
// Helm charts come from tiny local charts (no chart repository is reachable), and workloads, Services and claims
// are applied without waiting for readiness (the cluster has no nodes, so no Pod ever runs). Optionally one
// hardened setting is broken on purpose (the mutation case).
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/**
 * Kinds the Kubernetes provider waits on until they are ready, which never happens without nodes or controllers
 * (the Gateway waits for the address Envoy Gateway assigns, each ExternalSecret for the Ready condition External
 * Secrets sets: their `pulumi.com/waitFor` annotations are dropped).
 */
const AWAITED_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Service", "PersistentVolumeClaim", "Job", "Pod", "Gateway", "ExternalSecret"];

/** The chart's directory under `charts`: the last path segment of its name or oci:// reference. */
export const localChart = (charts: string, chart: string) => path.join(charts, chart.split("/").pop() ?? chart);

export type Mutation = "privileged";

/** Registers the transforms for the rest of the program run. */
export function registerEngineTransforms(charts: string, mutation?: Mutation): void {
    pulumi.runtime.registerResourceTransform((args) => {
        const props = { ...args.props } as Record<string, unknown>;
        if (args.type === "kubernetes:helm.sh/v3:Release") {
            props.chart = localChart(charts, String(props.chart));
            delete props.repositoryOpts;
            return { props, opts: args.opts };
        }
        const kind = /^kubernetes:[^:]+:(\w+)$/.exec(args.type)?.[1];
        if (kind === undefined || !AWAITED_KINDS.includes(kind)) {
            return undefined;
        }
        const metadata = { ...(props.metadata as Record<string, unknown> | undefined) };
        const annotations: Record<string, string> = { ...(metadata.annotations as Record<string, string> | undefined), "pulumi.com/skipAwait": "true" };
        delete annotations["pulumi.com/waitFor"];
        metadata.annotations = annotations;
        props.metadata = metadata;
        if (mutation === "privileged" && kind === "Deployment" && args.name.endsWith("-gateway-deployment")) {
            props.spec = privileged(props.spec);
        }
        return { props, opts: args.opts };
    });
}

/** The Deployment spec with its first container privileged: the one hardened setting the mutation case changes. */
function privileged(spec: unknown): unknown {
    return pulumi.output(spec as Record<string, unknown>).apply((s) => {
        const template = s.template as { spec: { containers: Record<string, unknown>[] } };
        const [first, ...rest] = template.spec.containers;
        const container = { ...first, securityContext: { ...(first.securityContext as Record<string, unknown>), privileged: true, allowPrivilegeEscalation: true } };
        return { ...s, template: { ...template, spec: { ...template.spec, containers: [container, ...rest] } } };
    });
}
