// The Helm charts of record this layer installs, each pinned to one chart version, stated here and nowhere else.
import type { ReleaseArgs } from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";

/** One chart of record: where it comes from, the pinned version, the namespace it runs in. */
export interface ChartOfRecord {
    /** The chart name, or the full `oci://` reference for charts published only to an OCI registry. */
    readonly chart: string;
    /** The classic Helm repository; absent for OCI charts. */
    readonly repository?: string;
    /** The exact chart version; Helm never resolves a range here. */
    readonly version: string;
    readonly namespace: string;
    /** Where the chart's values are documented, for whoever bumps the version. */
    readonly valuesReference: string;
}

export const CHARTS = {
    envoyGateway: {
        chart: "oci://docker.io/envoyproxy/gateway-helm",
        version: "v1.10.0",
        namespace: "envoy-gateway-system",
        valuesReference: "https://gateway.envoyproxy.io/docs/install/gateway-helm-api/",
    },
    certManager: {
        chart: "cert-manager",
        repository: "https://charts.jetstack.io",
        version: "v1.19.1",
        namespace: "cert-manager",
        valuesReference: "https://cert-manager.io/docs/installation/helm/",
    },
    externalSecrets: {
        chart: "external-secrets",
        repository: "https://charts.external-secrets.io",
        version: "2.6.0",
        namespace: "external-secrets",
        valuesReference: "https://github.com/external-secrets/external-secrets/blob/main/deploy/charts/external-secrets/README.md",
    },
    reloader: {
        chart: "reloader",
        repository: "https://stakater.github.io/stakater-charts",
        version: "2.1.4",
        namespace: "reloader",
        valuesReference: "https://github.com/stakater/Reloader/blob/master/deployments/kubernetes/chart/reloader/README.md",
    },
    fluentBit: {
        chart: "fluent-bit",
        repository: "https://fluent.github.io/helm-charts",
        version: "0.54.0",
        namespace: "logging",
        valuesReference: "https://github.com/fluent/helm-charts/blob/main/charts/fluent-bit/values.yaml",
    },
} as const satisfies Record<string, ChartOfRecord>;

export type ChartName = keyof typeof CHARTS;

/**
 * The Release arguments every chart of record shares: pinned version, no namespace creation (the layer creates
 * each namespace with its labels and policies first), atomic upgrades that roll back on failure, bounded history.
 */
export function chartRelease(chart: ChartName, values: pulumi.Input<Record<string, unknown>>): ReleaseArgs {
    const c: ChartOfRecord = CHARTS[chart];
    return {
        name: chart === "envoyGateway" ? "envoy-gateway" : c.chart,
        chart: c.chart,
        version: c.version,
        namespace: c.namespace,
        ...(c.repository === undefined ? {} : { repositoryOpts: { repo: c.repository } }),
        createNamespace: false,
        atomic: true,
        cleanupOnFail: true,
        maxHistory: 10,
        timeout: 600,
        values,
    };
}
