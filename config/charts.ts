// The charts of record as `openclaw:charts` names them, and the images of each that stack config can pin by digest.
// components/kubernetes/charts.ts says where each chart comes from and which values key takes each digest.

/** Each chart's images, by the name `openclaw:charts.<chart>.digests.<image>` uses. */
export const CHART_IMAGES = {
    envoyGateway: ["gateway", "proxy"],
    certManager: ["controller", "webhook", "cainjector", "startupapicheck", "acmesolver"],
    externalSecrets: ["externalSecrets"],
    reloader: ["reloader"],
    fluentBit: ["fluentBit"],
} as const;

export type ChartName = keyof typeof CHART_IMAGES;
export const CHART_NAMES = Object.keys(CHART_IMAGES) as ChartName[];
export type ChartImage<C extends ChartName> = (typeof CHART_IMAGES)[C][number];

/** An image digest as registries report it (`crane digest`, `docker buildx imagetools inspect`). */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
