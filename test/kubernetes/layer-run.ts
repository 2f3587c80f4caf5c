// Builds the Kubernetes layer on a fake seam under the recording mocks and reads Kubernetes objects off the run.
import { KubernetesLayer } from "../../components/kubernetes";
import { readConfig } from "../../config/read";
import { FAKE_IDENTITY_CLIENT_SECRET, FAKE_SECRETS, runProgram, type ProgramRun, type RecordedResource } from "../harness/program";
import { fakeSeam, STACK_OF, type FakePlatform } from "./fake-seam";

/** Both fake model-provider keys, so two providers flow through the layer, and the OIDC client secret. */
export const LAYER_SECRETS = { anthropicApiKey: FAKE_SECRETS.anthropicApiKey, openaiApiKey: FAKE_SECRETS.openaiApiKey, identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET };

const cache = new Map<string, Promise<ProgramRun>>();

/** Runs (once per platform and config) a program that builds only the fake seam and the layer. */
export function buildLayer(platform: FakePlatform, config: Readonly<Record<string, unknown>> = {}): Promise<ProgramRun> {
    const key = `${platform}:${JSON.stringify(config)}`;
    let run = cache.get(key);
    if (run === undefined) {
        run = runProgram({
            stack: STACK_OF[platform],
            config,
            secrets: LAYER_SECRETS,
            program: () => {
                const stackConfig = readConfig();
                const layer = new KubernetesLayer("openclaw", { config: stackConfig, platform: fakeSeam(platform, stackConfig) });
                return layer.outputs;
            },
        });
        cache.set(key, run);
    }
    return run;
}

/** A Kubernetes object as it would be applied: apiVersion, kind, metadata, and the rest of its inputs. */
export type KubernetesObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata?: Record<string, unknown> };

export const isKubernetesObject = (r: RecordedResource): boolean => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/") && !r.type.startsWith("pulumi:");

/** Every Kubernetes object the run registered (Helm releases and providers excluded). */
export function kubernetesObjects(run: ProgramRun): KubernetesObject[] {
    return run.resources.filter(isKubernetesObject).map((r) => r.inputs as KubernetesObject);
}

export function objectsOfKind(run: ProgramRun, kind: string): KubernetesObject[] {
    return kubernetesObjects(run).filter((o) => o.kind === kind);
}

export function helmReleases(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
}

/** The values of the Helm release installing `chart`. */
export function chartValues(run: ProgramRun, chart: string): Record<string, unknown> {
    const release = helmReleases(run).find((r) => r.inputs.chart === chart);
    if (release === undefined) {
        throw new Error(`no Helm release of chart ${chart}`);
    }
    return release.inputs.values as Record<string, unknown>;
}

export const nameOf = (o: KubernetesObject): string => String(o.metadata?.name ?? "");
export const namespaceOf = (o: KubernetesObject): string => String(o.metadata?.namespace ?? "");
