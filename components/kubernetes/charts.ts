// The Helm charts of record this layer installs, each pinned to one chart version, stated here and nowhere else,
// with the images each chart runs and the values key that pins each one by digest (`openclaw:charts`).
import * as fs from "fs";
import * as path from "path";
import type { ReleaseArgs } from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";
import { CHART_IMAGES, type ChartImage, type ChartName } from "../../config/charts";
import type { OpenClawConfig } from "../../config/schema";

export type { ChartName } from "../../config/charts";

/** How a chart's values pin one image by digest, as each chart's templates read them. */
export type DigestPin =
    /** `<values path>.digest: sha256:…`; the chart renders `repository@digest` (cert-manager, Reloader, Fluent Bit). */
    | { readonly kind: "digest"; readonly valuesPath: readonly string[] }
    /** `<values path>.tag: <tag>@sha256:…`; the chart renders `repository:tag` (External Secrets). */
    | { readonly kind: "tag"; readonly valuesPath: readonly string[]; readonly tag: string }
    /** `<values path>: <repository>@sha256:…`, a full image reference (Envoy Gateway's `global.images.*.image`). */
    | { readonly kind: "reference"; readonly valuesPath: readonly string[]; readonly repository: string };

/** One image a chart runs at its pinned version. */
export interface ChartImageOfRecord {
    /** The image the chart runs by default at the pinned version, as `repository:tag` where the tag is known. */
    readonly reference: string;
    /** Where the digest goes; every values path listed receives it. */
    readonly pins: readonly DigestPin[];
}

/** One chart of record: where it comes from, the pinned version, the namespace it runs in, its images. */
export interface ChartOfRecord<C extends ChartName = ChartName> {
    /** The chart name, or the full `oci://` reference for charts published only to an OCI registry. */
    readonly chart: string;
    /** The classic Helm repository; absent for OCI charts. */
    readonly repository?: string;
    /** The exact chart version; Helm never resolves a range here. */
    readonly version: string;
    /** The Helm release name (and so the prefix of most object names the chart renders). */
    readonly releaseName: string;
    readonly namespace: string;
    /** Where the chart's values are documented, for whoever bumps the version. */
    readonly valuesReference: string;
    /** The chart's own source at the pinned version: where to read it, and what docs/kubernetes.md rendered. */
    readonly source: string;
    readonly images: Readonly<Record<ChartImage<C>, ChartImageOfRecord>>;
}

const CERT_MANAGER_VERSION = "v1.19.6";
const certManagerImage = (component: string, valuesPath: readonly string[]): ChartImageOfRecord => ({
    // cert-manager/cert-manager v1.19.6 deploy/charts/cert-manager/values.yaml: `<component>.image.repository`, digest overrides the tag.
    reference: `quay.io/jetstack/cert-manager-${component}:${CERT_MANAGER_VERSION}`,
    pins: [{ kind: "digest", valuesPath: [...valuesPath, "image"] }],
});

export const CHARTS: { readonly [C in ChartName]: ChartOfRecord<C> } = {
    envoyGateway: {
        chart: "oci://docker.io/envoyproxy/gateway-helm",
        // v1.10 is the current minor (https://gateway.envoyproxy.io/news/releases/v1.10/). No v1.10 patch could be
        // checked: the stored snapshot of envoyproxy/gateway ends at tag v1.9.0 (2026-08-22), see docs/kubernetes.md.
        version: "v1.10.0",
        releaseName: "envoy-gateway",
        namespace: "envoy-gateway-system",
        valuesReference: "https://gateway.envoyproxy.io/docs/install/gateway-helm-api/",
        source: "envoyproxy/gateway charts/gateway-helm at tag v1.10.0",
        images: {
            // charts/gateway-helm/values.tmpl.yaml: global.images.envoyGateway.image, filled with docker.io/envoyproxy/gateway:<tag> at release (tools/make/helm.mk).
            gateway: { reference: "docker.io/envoyproxy/gateway:v1.10.0", pins: [{ kind: "reference", valuesPath: ["global", "images", "envoyGateway", "image"], repository: "docker.io/envoyproxy/gateway" }] },
            // global.images.envoyProxy.image: the managed proxies' image (release note 9144, v1.10: the chart now sets a default).
            proxy: { reference: "docker.io/envoyproxy/envoy, at the distroless tag Envoy Gateway v1.10.0 defaults to", pins: [{ kind: "reference", valuesPath: ["global", "images", "envoyProxy", "image"], repository: "docker.io/envoyproxy/envoy" }] },
        },
    },
    certManager: {
        chart: "cert-manager",
        repository: "https://charts.jetstack.io",
        // The newest patch of the pinned v1.19 minor (tags v1.19.2 to v1.19.6 in cert-manager/cert-manager after
        // v1.19.1). The release notes ask every user to upgrade: v1.19.3 fixes the controller DoS
        // GHSA-gx3x-vq4p-mhhv, v1.19.4 CVE-2026-24051 and CVE-2025-68121
        // (https://github.com/cert-manager/cert-manager/releases/tag/v1.19.4).
        version: CERT_MANAGER_VERSION,
        releaseName: "cert-manager",
        namespace: "cert-manager",
        valuesReference: "https://cert-manager.io/docs/installation/helm/",
        source: "cert-manager/cert-manager deploy/charts/cert-manager at tag v1.19.6",
        images: {
            controller: certManagerImage("controller", []),
            webhook: certManagerImage("webhook", ["webhook"]),
            cainjector: certManagerImage("cainjector", ["cainjector"]),
            startupapicheck: certManagerImage("startupapicheck", ["startupapicheck"]),
            // Only HTTP-01 runs solver pods; the controller is still handed this image (DNS-01 is used here).
            acmesolver: certManagerImage("acmesolver", ["acmesolver"]),
        },
    },
    externalSecrets: {
        chart: "external-secrets",
        repository: "https://charts.external-secrets.io",
        // 2.6.0 is the only release of the 2.6 minor (tags helm-chart-2.6.0, then helm-chart-2.7.0); no patch exists
        // to take.
        version: "2.6.0",
        releaseName: "external-secrets",
        namespace: "external-secrets",
        valuesReference: "https://github.com/external-secrets/external-secrets/blob/main/deploy/charts/external-secrets/README.md",
        source: "external-secrets/external-secrets deploy/charts/external-secrets at tag helm-chart-2.6.0",
        images: {
            // deploy/charts/external-secrets/templates/_helpers.tpl `external-secrets.image`: repository:tag, tag defaulting to appVersion.
            externalSecrets: {
                reference: "ghcr.io/external-secrets/external-secrets:v2.6.0",
                pins: [
                    { kind: "tag", valuesPath: ["image"], tag: "v2.6.0" },
                    { kind: "tag", valuesPath: ["webhook", "image"], tag: "v2.6.0" },
                    { kind: "tag", valuesPath: ["certController", "image"], tag: "v2.6.0" },
                ],
            },
        },
    },
    reloader: {
        chart: "reloader",
        repository: "https://stakater.github.io/stakater-charts",
        // The newest patch of the pinned 2.1 minor (tags chart-v2.1.4, chart-v2.1.5, then chart-v2.2.0). 2.1.5 moves
        // the image to Reloader v1.4.5 (v1.4.4..v1.4.5: no refetch on the first update attempt, OpenShift
        // DeploymentConfig code removed) and passes labels and annotations through tpl; the values this layer sets
        // render the same.
        version: "2.1.5",
        releaseName: "reloader",
        namespace: "reloader",
        valuesReference: "https://github.com/stakater/Reloader/blob/master/deployments/kubernetes/chart/reloader/README.md",
        source: "stakater/Reloader deployments/kubernetes/chart/reloader at tag chart-v2.1.5",
        images: {
            // deployments/kubernetes/chart/reloader/templates/deployment.yaml: repository@digest when image.digest is set.
            reloader: { reference: "ghcr.io/stakater/reloader:v1.4.5", pins: [{ kind: "digest", valuesPath: ["image"] }] },
        },
    },
    fluentBit: {
        chart: "fluent-bit",
        repository: "https://fluent.github.io/helm-charts",
        // The newest patch of the pinned 0.54 minor (tags fluent-bit-0.54.0, fluent-bit-0.54.1); 0.54.1 only moves
        // the image to Fluent Bit 4.1.1 (fluent/helm-charts commit b6f9b5b, #666).
        version: "0.54.1",
        releaseName: "fluent-bit",
        namespace: "logging",
        valuesReference: "https://github.com/fluent/helm-charts/blob/main/charts/fluent-bit/values.yaml",
        source: "fluent/helm-charts charts/fluent-bit at tag fluent-bit-0.54.1",
        images: {
            // charts/fluent-bit/values.yaml: image.digest, tag defaulting to appVersion.
            fluentBit: { reference: "cr.fluentbit.io/fluent/fluent-bit:4.1.1", pins: [{ kind: "digest", valuesPath: ["image"] }] },
        },
    },
};

/** Where one chart is loaded from and which of its images are pinned by digest (`openclaw:charts.<chart>`). */
export type ChartSettings<C extends ChartName = ChartName> = OpenClawConfig["charts"][C];

/** The values fragment that pins each image a digest is given for; images without one keep the chart's tag. */
export function imageDigestValues<C extends ChartName>(chart: C, digests: Readonly<Partial<Record<ChartImage<C>, string>>>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const images: Readonly<Record<ChartImage<C>, ChartImageOfRecord>> = CHARTS[chart].images;
    for (const image of CHART_IMAGES[chart] as readonly ChartImage<C>[]) {
        const digest = digests[image];
        if (digest === undefined) {
            continue;
        }
        for (const pin of images[image].pins) {
            switch (pin.kind) {
                case "digest":
                    setPath(values, [...pin.valuesPath, "digest"], digest);
                    break;
                case "tag":
                    setPath(values, [...pin.valuesPath, "tag"], `${pin.tag}@${digest}`);
                    break;
                case "reference":
                    setPath(values, pin.valuesPath, `${pin.repository}@${digest}`);
                    break;
                default:
                    return assertNever(pin);
            }
        }
    }
    return values;
}

function assertNever(value: never): never {
    throw new Error(`unhandled digest pin: ${JSON.stringify(value)}`);
}

function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
    let node = target;
    for (const key of keys.slice(0, -1)) {
        node[key] = isPlainObject(node[key]) ? node[key] : {};
        node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** `base` with `overlay` merged in: plain objects merge key by key, anything else (Outputs, lists) is replaced. */
export function mergeValues(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(overlay)) {
        const current = merged[key];
        merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
    }
    return merged;
}

/** The `name` and `version` a chart directory's Chart.yaml declares (top-level scalar lines only). */
export function readChartMetadata(dir: string): { name?: string; version?: string } {
    const text = fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8");
    const field = (key: string) => text.match(new RegExp(`^${key}:\\s*["']?([^"'\\s#]+)`, "m"))?.[1];
    return { name: field("name"), version: field("version") };
}

/** The chart name as it appears in Chart.yaml (the last path segment of an `oci://` reference). */
export const chartNameOf = (chart: ChartName): string => CHARTS[chart].chart.split("/").pop() ?? CHARTS[chart].chart;

/** Why a vendored chart directory is not the chart of record, or undefined when its name and version match. */
export function vendoredChartMismatch(chart: ChartName, dir: string): string | undefined {
    const { name, version } = readChartMetadata(dir);
    const expected = { name: chartNameOf(chart), version: CHARTS[chart].version };
    // Helm compares versions as SemVer, where a leading v is allowed: v1.10.0 and 1.10.0 are the same chart version.
    const semver = (v?: string) => v?.replace(/^v/, "");
    if (name !== expected.name || semver(version) !== semver(expected.version)) {
        return `${dir}/Chart.yaml is ${name ?? "?"} ${version ?? "?"}, not the chart of record ${expected.name} ${expected.version} (${CHARTS[chart].source})`;
    }
    return undefined;
}

/**
 * The Release arguments every chart of record shares: pinned version, no namespace creation (the layer creates
 * each namespace with its labels and policies first), atomic upgrades that roll back on failure, bounded history.
 * With `settings.path` the chart is read from that directory instead of the repository; the image digests the
 * settings name are merged into `values`.
 */
export function chartRelease<C extends ChartName>(chart: C, values: Record<string, unknown>, settings: ChartSettings<C>): ReleaseArgs {
    const c: ChartOfRecord<C> = CHARTS[chart];
    if (settings.path !== undefined) {
        const mismatch = vendoredChartMismatch(chart, settings.path);
        if (mismatch !== undefined) {
            pulumi.log.warn(`openclaw:charts.${chart}.path: ${mismatch}; the Release installs what the directory holds`);
        }
    }
    return {
        name: c.releaseName,
        chart: settings.path ?? c.chart,
        version: c.version,
        namespace: c.namespace,
        ...(c.repository === undefined || settings.path !== undefined ? {} : { repositoryOpts: { repo: c.repository } }),
        createNamespace: false,
        atomic: true,
        cleanupOnFail: true,
        maxHistory: 10,
        timeout: 600,
        values: mergeValues(values, imageDigestValues(chart, settings.digests as Partial<Record<ChartImage<C>, string>>)),
    };
}

/** One chart image a Release leaves pinned by tag alone, and the config key that pins it by digest. */
export interface TagOnlyImage {
    readonly chart: ChartName;
    readonly image: string;
    /** The image the chart runs by default at its pinned version. */
    readonly reference: string;
    /** `openclaw:charts.<chart>.digests.<image>`. */
    readonly configKey: string;
}

/** The chart of record a Release installs, by its release name; undefined for any other release. */
export function chartOfRelease(releaseName: unknown): ChartName | undefined {
    return (Object.keys(CHARTS) as ChartName[]).find((chart) => CHARTS[chart].releaseName === releaseName);
}

/** The images of `chart` whose digest the Release's values do not set, read back through each image's pins. */
export function tagOnlyImages<C extends ChartName>(chart: C, values: Readonly<Record<string, unknown>>): TagOnlyImage[] {
    const images: Readonly<Record<ChartImage<C>, ChartImageOfRecord>> = CHARTS[chart].images;
    const at = (keys: readonly string[]) => keys.reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), values);
    const pinned = (pin: DigestPin): boolean => {
        switch (pin.kind) {
            case "digest":
                return typeof at([...pin.valuesPath, "digest"]) === "string";
            case "tag":
                return String(at([...pin.valuesPath, "tag"]) ?? "").includes("@sha256:");
            case "reference":
                return String(at(pin.valuesPath) ?? "").includes("@sha256:");
            default:
                return assertNever(pin);
        }
    };
    return (CHART_IMAGES[chart] as readonly ChartImage<C>[])
        .filter((image) => !images[image].pins.every(pinned))
        .map((image) => ({ chart, image, reference: images[image].reference, configKey: `openclaw:charts.${chart}.digests.${image}` }));
}
