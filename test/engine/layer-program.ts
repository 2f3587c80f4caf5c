// The Pulumi program of the real-engine suite's `pulumi up`: the Kubernetes layer alone on a stand-in platform seam
// (test/kubernetes/fake-seam.ts) whose Kubernetes provider points at the suite's local API server, with the
// suite's test-only transforms (transforms.ts). Set by the suite through the environment:
//   OPENCLAW_ENGINE_PLATFORM    aws-like | azure-like
//   OPENCLAW_ENGINE_KUBECONFIG  a kubeconfig file of the local cluster's admin
//   OPENCLAW_ENGINE_CHARTS      a directory with one tiny chart per chart of record (the suite writes them)
//   OPENCLAW_ENGINE_MUTATION    optional: "privileged" makes the OpenClaw container privileged (the mutation case)
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesLayer } from "../../components/kubernetes";
import { readConfig } from "../../config/read";
import { FAKE_PLATFORMS, fakeSeam, type FakePlatform } from "../kubernetes/fake-seam";
import { registerEngineTransforms, type Mutation } from "./transforms";

function env(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`layer-program: ${name} is not set (the real-engine suite sets it)`);
    }
    return value;
}

export = async () => {
    const platform = env("OPENCLAW_ENGINE_PLATFORM") as FakePlatform;
    if (!FAKE_PLATFORMS.includes(platform)) {
        throw new Error(`layer-program: OPENCLAW_ENGINE_PLATFORM must be one of ${FAKE_PLATFORMS.join(", ")}`);
    }
    const kubeconfig = pulumi.secret(fs.readFileSync(env("OPENCLAW_ENGINE_KUBECONFIG"), "utf8"));
    registerEngineTransforms(env("OPENCLAW_ENGINE_CHARTS"), process.env.OPENCLAW_ENGINE_MUTATION as Mutation | undefined);
    const config = readConfig();
    const layer = new KubernetesLayer("openclaw", { config, platform: fakeSeam(platform, config, { kubeconfig }) });
    return layer.outputs;
};
