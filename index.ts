// The Pulumi program: read config, build the cloud platform it names, put OpenClaw on it, export the outputs.
import { readConfig } from "./config/read";
import { KubernetesLayer } from "./components/kubernetes";
import { createPlatform } from "./components/platform";

export = async () => {
    const config = readConfig();
    const platform = createPlatform("openclaw", config);
    const kubernetes = new KubernetesLayer("openclaw", { config, platform });
    return {
        url: `https://${config.hostname}`,
        clusterName: platform.cluster.name,
        ...platform.outputs,
        ...kubernetes.outputs,
    };
};
