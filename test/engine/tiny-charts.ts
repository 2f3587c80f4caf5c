// Tiny local Helm charts standing in for the charts of record during the real-engine `up` (no chart repository is
// reachable): one per chart in components/kubernetes/charts.ts and the AWS platform's load-balancer controller
// (components/aws/load-balancer.ts), same name and version, holding one ConfigMap.
import * as fs from "fs";
import * as path from "path";
import { LOAD_BALANCER_CONTROLLER } from "../../components/aws/load-balancer";
import { CHARTS } from "../../components/kubernetes/charts";

/** Writes `<dir>/<chart name>/` for every chart of record; returns the directories. */
export function writeTinyCharts(dir: string): string[] {
    const charts: readonly { readonly chart: string; readonly version: string }[] = [...Object.values(CHARTS), LOAD_BALANCER_CONTROLLER];
    return charts.map((chart) => {
        const name = chart.chart.split("/").pop() ?? chart.chart;
        const root = path.join(dir, name);
        fs.mkdirSync(path.join(root, "templates"), { recursive: true });
        // Helm chart v2 format (https://helm.sh/docs/topics/charts/#the-chartyaml-file); the version must be SemVer 2.
        fs.writeFileSync(path.join(root, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: ${chart.version.replace(/^v/, "")}\ndescription: Test stand-in for ${chart.chart} (real-engine suite)\n`);
        fs.writeFileSync(
            path.join(root, "templates", "configmap.yaml"),
            [
                "apiVersion: v1",
                "kind: ConfigMap",
                "metadata:",
                "  name: {{ .Release.Name }}-engine-test",
                "  namespace: {{ .Release.Namespace }}",
                "data:",
                "  chart: {{ .Chart.Name | quote }}",
                "  valueKeys: {{ keys .Values | sortAlpha | join \",\" | quote }}",
                "",
            ].join("\n"),
        );
        return root;
    });
}
