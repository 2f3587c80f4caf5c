// The Pulumi program of the real-engine suite's `pulumi up`: the Kubernetes layer alone on a stand-in platform seam
// (test/kubernetes/fake-seam.ts) whose Kubernetes provider points at the suite's local API server.
// Set by the suite through the environment:
//   OPENCLAW_ENGINE_PLATFORM    aws-like | azure-like
//   OPENCLAW_ENGINE_KUBECONFIG  a kubeconfig file of the local cluster's admin
//   OPENCLAW_ENGINE_CHARTS      a directory with one tiny chart per chart of record (the suite writes them)
//   OPENCLAW_ENGINE_MUTATION    optional: "privileged" makes the OpenClaw container privileged (the mutation case)
// Three test-only changes are made with resource transforms, each because the local cluster cannot do otherwise:
// charts come from OPENCLAW_ENGINE_CHARTS (no chart repository is reachable), and workloads and Services are
// applied without waiting for readiness (the cluster has no nodes, so no Pod ever runs).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesLayer } from "../../components/kubernetes";
import { readConfig } from "../../config/read";
import { FAKE_PLATFORMS, fakeSeam, type FakePlatform } from "../kubernetes/fake-seam";

/** Kinds the Kubernetes provider waits on until they are ready, which never happens without nodes. */
const AWAITED_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Service", "PersistentVolumeClaim", "Job", "Pod"];

function env(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`layer-program: ${name} is not set (the real-engine suite sets it)`);
    }
    return value;
}

/** The chart's directory under OPENCLAW_ENGINE_CHARTS: the last path segment of its name or oci:// reference. */
const localChart = (charts: string, chart: string) => path.join(charts, chart.split("/").pop() ?? chart);

export = async () => {
    const platform = env("OPENCLAW_ENGINE_PLATFORM") as FakePlatform;
    if (!FAKE_PLATFORMS.includes(platform)) {
        throw new Error(`layer-program: OPENCLAW_ENGINE_PLATFORM must be one of ${FAKE_PLATFORMS.join(", ")}`);
    }
    const kubeconfig = pulumi.secret(fs.readFileSync(env("OPENCLAW_ENGINE_KUBECONFIG"), "utf8"));
    const charts = env("OPENCLAW_ENGINE_CHARTS");
    const mutation = process.env.OPENCLAW_ENGINE_MUTATION;

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
        metadata.annotations = { ...(metadata.annotations as Record<string, string> | undefined), "pulumi.com/skipAwait": "true" };
        props.metadata = metadata;
        if (mutation === "privileged" && kind === "Deployment" && args.name.endsWith("-gateway-deployment")) {
            props.spec = privileged(props.spec);
        }
        return { props, opts: args.opts };
    });

    const config = readConfig();
    const layer = new KubernetesLayer("openclaw", { config, platform: fakeSeam(platform, config, { kubeconfig }) });
    return layer.outputs;
};

/** The Deployment spec with its first container privileged: the one hardened setting the mutation case changes. */
function privileged(spec: unknown): unknown {
    return pulumi.output(spec as Record<string, unknown>).apply((s) => {
        const template = s.template as { spec: { containers: Record<string, unknown>[] } };
        const [first, ...rest] = template.spec.containers;
        const container = { ...first, securityContext: { ...(first.securityContext as Record<string, unknown>), privileged: true, allowPrivilegeEscalation: true } };
        return { ...s, template: { ...template, spec: { ...template.spec, containers: [container, ...rest] } } };
    });
}
