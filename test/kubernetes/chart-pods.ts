// The pods each chart of record renders, rebuilt from the Helm values this layer sets (one entry per pod the chart
// templates), so the restricted checks can run on what the charts will apply. Mapping read from each chart's values docs.
import type { ProgramRun } from "../harness/program";
import { PSS_EXEMPTIONS } from "../../scripts/lib/chart-render";
import type { PssControl } from "../../scripts/lib/pss-restricted";
import { chartValues, objectsOfKind } from "./layer-run";

export interface ChartPod {
    /** Chart and component, e.g. `cert-manager/webhook`. */
    readonly name: string;
    readonly spec: Record<string, unknown>;
    /** Controls this pod is knowingly not held to; the reason is in the component. */
    readonly exemptions: readonly PssControl[];
}

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v ?? {}) as Obj;
const pod = (podSc: unknown, containerSc: unknown, extra: Obj = {}): Obj => ({ securityContext: podSc, containers: [{ name: "main", securityContext: containerSc }], ...extra });

/** Fluent Bit reads root-owned node log files through hostPath: the one exception, the same charts:render applies. */
export const FLUENT_BIT_EXEMPTIONS: readonly PssControl[] = PSS_EXEMPTIONS.fluentBit ?? [];

export function chartPods(run: ProgramRun): ChartPod[] {
    const pods: ChartPod[] = [];
    const cm = chartValues(run, "cert-manager");
    for (const [component, v] of [["controller", cm], ["webhook", o(cm.webhook)], ["cainjector", o(cm.cainjector)], ["startupapicheck", o(cm.startupapicheck)]] as const) {
        pods.push({ name: `cert-manager/${component}`, spec: pod(v.securityContext, v.containerSecurityContext), exemptions: [] });
    }
    const eso = chartValues(run, "external-secrets");
    for (const [component, v] of [["controller", eso], ["webhook", o(eso.webhook)], ["certController", o(eso.certController)]] as const) {
        pods.push({ name: `external-secrets/${component}`, spec: pod(v.podSecurityContext, v.securityContext), exemptions: [] });
    }
    const reloader = o(o(chartValues(run, "reloader").reloader).deployment);
    pods.push({ name: "reloader", spec: pod(reloader.securityContext, reloader.containerSecurityContext), exemptions: [] });
    const fb = chartValues(run, "fluent-bit");
    pods.push({ name: "fluent-bit", spec: pod(fb.podSecurityContext, fb.securityContext, { volumes: fb.daemonSetVolumes }), exemptions: FLUENT_BIT_EXEMPTIONS });
    const eg = chartValues(run, "oci://docker.io/envoyproxy/gateway-helm");
    pods.push({ name: "envoy-gateway/controller", spec: pod({}, o(o(o(eg.deployment).envoyGateway).securityContext)), exemptions: [] });
    pods.push({ name: "envoy-gateway/certgen", spec: pod({}, o(o(eg.certgen).job).securityContext), exemptions: [] });
    for (const proxy of objectsOfKind(run, "EnvoyProxy")) {
        const deployment = o(o(o(o(proxy.spec).provider).kubernetes).envoyDeployment);
        const patched = o(o(o(o(o(deployment.patch).value).spec).template).spec).containers as Obj[];
        pods.push({
            name: "envoy-proxy",
            spec: { securityContext: o(deployment.pod).securityContext, volumes: o(deployment.pod).volumes, containers: [{ name: "envoy", ...o(deployment.container) }, ...patched] },
            exemptions: [],
        });
    }
    return pods;
}
