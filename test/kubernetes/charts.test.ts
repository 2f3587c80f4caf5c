// The charts of record: `openclaw:charts` (local chart directories, image digests), the values each digest lands
// in, the External Secrets reconciler values the chart accepts, and the tag-only image warnings.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chartRelease, CHARTS, imageDigestValues, tagOnlyImages, vendoredChartMismatch } from "../../components/kubernetes/charts";
import { EXTERNAL_SECRETS_RECONCILERS } from "../../components/kubernetes/external-secrets";
import { CHART_IMAGES, CHART_NAMES } from "../../config/charts";
import { ConfigError, validateConfig } from "../../config/read";
import { fromRecordedRun } from "../../policy-pack/testing/resources";
import { chartImageWarnings } from "../../scripts/policy-check";
import { rawNamespaceConfig } from "../harness/program";
import { buildLayer, chartValues } from "./layer-run";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

function problemsOf(overrides: Record<string, unknown>): readonly string[] {
    try {
        validateConfig(rawNamespaceConfig("dev", overrides));
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return err.problems;
    }
    return [];
}

/** A chart directory with just a Chart.yaml, in a fresh temporary directory. */
function chartDir(name: string, version: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-"));
    fs.writeFileSync(path.join(dir, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
    return dir;
}

describe("openclaw:charts", () => {
    it("defaults every chart to its repository with no digest", () => {
        const config = validateConfig(rawNamespaceConfig("dev"));
        for (const chart of CHART_NAMES) {
            assert.deepStrictEqual(config.charts[chart], { digests: {} }, chart);
        }
    });

    it("accepts a local chart directory and a digest for each of a chart's images", () => {
        const dir = chartDir("cert-manager", CHARTS.certManager.version);
        const digests = Object.fromEntries(CHART_IMAGES.certManager.map((image) => [image, DIGEST]));
        const config = validateConfig(rawNamespaceConfig("dev", { charts: { certManager: { path: dir, digests } } }));
        assert.deepStrictEqual(config.charts.certManager, { path: dir, digests });
    });

    const BAD: ReadonlyArray<[string, Record<string, unknown>, string, string]> = [
        ["a path with no Chart.yaml", { certManager: { path: os.tmpdir() } }, "openclaw:charts.certManager.path", "Chart.yaml"],
        ["an empty path", { reloader: { path: "" } }, "openclaw:charts.reloader.path", "is empty"],
        ["a tag where a digest belongs", { fluentBit: { digests: { fluentBit: "4.1.1" } } }, "openclaw:charts.fluentBit.digests.fluentBit", "sha256:<64"],
        ["a digest with upper-case hex", { reloader: { digests: { reloader: DIGEST.toUpperCase().replace("SHA256", "sha256") } } }, "openclaw:charts.reloader.digests.reloader", "lower-case"],
        ["an image the chart does not run", { externalSecrets: { digests: { webhook: DIGEST } } }, "openclaw:charts.externalSecrets.digests.webhook", "unknown key"],
        ["a chart that is not a chart of record", { nginx: { path: "charts/nginx" } }, "openclaw:charts.nginx", "unknown key"],
    ];
    for (const [what, charts, key, mention] of BAD) {
        it(`refuses ${what}, naming ${key}`, () => {
            const problems = problemsOf({ charts });
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(key), problems[0]);
            assert.ok(problems[0].includes(mention), problems[0]);
        });
    }
});

describe("chart releases", () => {
    it("installs from the repository by default, and from the local directory when openclaw:charts.<chart>.path is set", () => {
        const fromRepo = chartRelease("reloader", {}, { digests: {} });
        assert.strictEqual(fromRepo.chart, "reloader");
        assert.deepStrictEqual(fromRepo.repositoryOpts, { repo: "https://stakater.github.io/stakater-charts" });
        const dir = chartDir("reloader", CHARTS.reloader.version);
        const vendored = chartRelease("reloader", {}, { path: dir, digests: {} });
        assert.strictEqual(vendored.chart, dir);
        assert.strictEqual(vendored.repositoryOpts, undefined);
        assert.strictEqual(vendored.version, CHARTS.reloader.version);
    });

    it("tells a vendored chart that is not the chart of record from one that is", () => {
        assert.strictEqual(vendoredChartMismatch("fluentBit", chartDir("fluent-bit", CHARTS.fluentBit.version)), undefined);
        assert.match(vendoredChartMismatch("fluentBit", chartDir("fluent-bit", "0.1.0")) ?? "", /fluent-bit 0\.1\.0, not the chart of record/);
        // Envoy Gateway's OCI reference ends in the chart's name.
        assert.strictEqual(vendoredChartMismatch("envoyGateway", chartDir("gateway-helm", CHARTS.envoyGateway.version)), undefined);
    });

    it("puts each digest where the chart's templates read it", () => {
        // Expected paths, from each chart's source at the pinned tag:
        // cert-manager v1.19.6 values.yaml: `<component>.image.digest` ("Setting a digest will override any tag");
        // external-secrets helm-chart-2.6.0 _helpers.tpl `external-secrets.image`: printf "%s:%s" repository tag;
        // envoyproxy/gateway values.tmpl.yaml: `global.images.envoyGateway.image` and `global.images.envoyProxy.image`, full references;
        // Reloader chart-v2.1.5 templates/deployment.yaml: `repository@digest` when image.digest is set;
        // fluent/helm-charts fluent-bit-0.54.1 values.yaml: image.digest.
        assert.deepStrictEqual(imageDigestValues("certManager", { controller: DIGEST, webhook: DIGEST }), { image: { digest: DIGEST }, webhook: { image: { digest: DIGEST } } });
        assert.deepStrictEqual(imageDigestValues("externalSecrets", { externalSecrets: DIGEST }), {
            image: { tag: `v2.6.0@${DIGEST}` },
            webhook: { image: { tag: `v2.6.0@${DIGEST}` } },
            certController: { image: { tag: `v2.6.0@${DIGEST}` } },
        });
        assert.deepStrictEqual(imageDigestValues("envoyGateway", { gateway: DIGEST, proxy: DIGEST }), {
            global: { images: { envoyGateway: { image: `docker.io/envoyproxy/gateway@${DIGEST}` }, envoyProxy: { image: `docker.io/envoyproxy/envoy@${DIGEST}` } } },
        });
        assert.deepStrictEqual(imageDigestValues("reloader", { reloader: DIGEST }), { image: { digest: DIGEST } });
        assert.deepStrictEqual(imageDigestValues("fluentBit", {}), {});
    });

    it("merges the digests into the component's values without dropping a sibling value", () => {
        const release = chartRelease("certManager", { webhook: { securePort: 10250 } }, { digests: { webhook: DIGEST } });
        assert.deepStrictEqual(release.values, { webhook: { securePort: 10250, image: { digest: DIGEST } } });
    });
});

describe("tag-only chart images", () => {
    it("lists every image of a chart with no digest set, naming the key that pins it", () => {
        assert.deepStrictEqual(
            tagOnlyImages("certManager", {}).map((i) => i.configKey),
            ["controller", "webhook", "cainjector", "startupapicheck", "acmesolver"].map((image) => `openclaw:charts.certManager.digests.${image}`),
        );
        assert.deepStrictEqual(tagOnlyImages("externalSecrets", imageDigestValues("externalSecrets", { externalSecrets: DIGEST })), []);
    });

    it("counts an image as pinned only when every values key that names it has the digest", () => {
        const partly = imageDigestValues("externalSecrets", { externalSecrets: DIGEST }) as { webhook: unknown };
        delete partly.webhook;
        assert.deepStrictEqual(tagOnlyImages("externalSecrets", partly).map((i) => i.image), ["externalSecrets"]);
    });

    it("makes policy-check warn for each unpinned image of the example stack, and for none once every digest is set", async () => {
        const unpinned = chartImageWarnings(fromRecordedRun(await buildLayer("aws-like")));
        const imageCount = Object.values(CHART_IMAGES).reduce((n, images) => n + images.length, 0);
        assert.strictEqual(unpinned.length, imageCount);
        assert.ok(unpinned.some((w) => w.includes("set openclaw:charts.fluentBit.digests.fluentBit to its sha256 digest")), unpinned.join("\n"));
        const charts = Object.fromEntries(CHART_NAMES.map((chart) => [chart, { digests: Object.fromEntries(CHART_IMAGES[chart].map((image) => [image, DIGEST])) }]));
        assert.deepStrictEqual(chartImageWarnings(fromRecordedRun(await buildLayer("aws-like", { charts }))), []);
    });
});

/**
 * external-secrets chart 2.6.0 (tag helm-chart-2.6.0), deploy/charts/external-secrets/templates/_helpers.tpl,
 * define "external-secrets.reconciler-sanity-test", included at the top of templates/deployment.yaml:
 *   {{- if and (not .Values.processPushSecret) .Values.processClusterPushSecret -}} {{- fail "…" }}
 * with the chart's defaults from values.yaml at that tag (processPushSecret: true, processClusterPushSecret: true).
 * Verified against the real chart with Helm v4.1.4 during development (docs/kubernetes.md).
 */
const ESO_SANITY_MESSAGE =
    "You have disabled processing of PushSecrets but not ClusterPushSecrets. This is an invalid configuration. ClusterPushSecret processing depends on processing of PushSecrets. Please either enable processing of PushSecrets, or disable processing of ClusterPushSecrets.";
function externalSecretsChartRefuses(values: Record<string, unknown>): string | undefined {
    const v = { processPushSecret: true, processClusterPushSecret: true, ...values };
    return !v.processPushSecret && v.processClusterPushSecret ? ESO_SANITY_MESSAGE : undefined;
}

describe("External Secrets values", () => {
    it("are refused by the chart in their previous form, for the chart's stated reason", () => {
        // The values before this fix (components/kubernetes/external-secrets.ts at commit ad75333).
        const previous = { processPushSecret: false, processClusterExternalSecret: false };
        assert.strictEqual(externalSecretsChartRefuses(previous), ESO_SANITY_MESSAGE);
    });

    for (const platform of ["aws-like", "azure-like"] as const) {
        it(`are accepted by the chart as the layer installs them (${platform})`, async () => {
            const values = chartValues(await buildLayer(platform), "external-secrets");
            assert.strictEqual(externalSecretsChartRefuses(values), undefined);
            assert.strictEqual(values.processPushSecret, false);
            assert.strictEqual(values.processClusterPushSecret, false);
        });
    }

    it("serve no namespaced SecretStore: its reconciler is off and the flood gate refuses a store that is not Ready", async () => {
        const values = chartValues(await buildLayer("aws-like"), "external-secrets");
        // deployment.yaml at helm-chart-2.6.0: processSecretStore false adds --enable-secret-store-reconciler=false;
        // extraArgs become --<key>=<value>; --enable-flood-gate (cmd/controller/root.go) gates stores on Ready.
        assert.strictEqual(values.processSecretStore, false);
        assert.deepStrictEqual(values.extraArgs, { "enable-flood-gate": "true" });
        assert.strictEqual(values.processClusterStore, undefined, "the ClusterSecretStore stays processed (chart default true)");
    });

    it("keep the CRDs when the Release is replaced or removed, so the ExternalSecrets and their Secrets survive", () => {
        // Helm's resource policy annotation (https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource),
        // which the chart copies from crds.annotations onto every CRD (hack/helm.generate.sh at helm-chart-2.6.0).
        assert.deepStrictEqual(EXTERNAL_SECRETS_RECONCILERS.crds.annotations, { "helm.sh/resource-policy": "keep" });
    });

    it("install no CRD for a kind whose processing is off, as the chart's values document requires", () => {
        // values.yaml at helm-chart-2.6.0: "crds.create<Kind>: If set to false you must also set process<Kind>: false".
        const { crds } = EXTERNAL_SECRETS_RECONCILERS;
        assert.deepStrictEqual([crds.createPushSecret, crds.createClusterPushSecret, crds.createClusterExternalSecret], [false, false, false]);
        assert.deepStrictEqual(
            [EXTERNAL_SECRETS_RECONCILERS.processPushSecret, EXTERNAL_SECRETS_RECONCILERS.processClusterPushSecret, EXTERNAL_SECRETS_RECONCILERS.processClusterExternalSecret],
            [false, false, false],
        );
    });
});
