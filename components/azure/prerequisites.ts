// What the subscription must already have before the platform can deploy, checked at the start of every preview and
// up: the preview features two node-pool settings need, and the regional Network Watcher the VNet flow log attaches to.
import * as features from "@pulumi/azure-native/features";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";

/** A subscription feature the platform needs registered, and why. */
export interface RequiredFeature {
    readonly providerNamespace: string;
    readonly featureName: string;
    /** The setting that needs it. */
    readonly neededFor: string;
    /** Where Microsoft says so. */
    readonly source: string;
}

export const REQUIRED_FEATURES: readonly RequiredFeature[] = [
    {
        providerNamespace: "Microsoft.ContainerService", featureName: "DisableSSHPreview", neededFor: "securityProfile.sshAccess: Disabled on the node pool (NET-4)",
        source: "MicrosoftDocs/azure-aks-docs articles/aks/manage-ssh-node-access.md, Register the DisableSSHPreview feature flag",
    },
    {
        providerNamespace: "Microsoft.Compute", featureName: "EncryptionAtHost", neededFor: "enableEncryptionAtHost on the node pool",
        source: "MicrosoftDocs/azure-docs articles/virtual-machines/linux/disks-enable-host-based-encryption-cli.md, Prerequisites",
    },
];

/** The Network Watcher Azure creates per region and subscription; a subscription may have only one per region. */
export function networkWatcherOf(location: string): { resourceGroupName: string; networkWatcherName: string } {
    return { resourceGroupName: "NetworkWatcherRG", networkWatcherName: `NetworkWatcher_${location}` };
}

/** What the checks found: each feature's registration state, and whether the watcher could be read. */
export interface PrerequisiteFindings {
    readonly features: readonly { readonly feature: RequiredFeature; readonly state: string }[];
    readonly location: string;
    /** The error reading the Network Watcher, if it could not be read. */
    readonly watcherError?: string;
}

/** One line per missing prerequisite, each with the command that fixes it; empty when all are there. */
export function prerequisiteProblems(findings: PrerequisiteFindings): string[] {
    const problems = findings.features
        .filter(({ state }) => state !== "Registered")
        .map(({ feature, state }) =>
            `subscription feature ${feature.providerNamespace}/${feature.featureName} is ${state}; it is needed for ${feature.neededFor}. `
            + `Register it: az feature register --namespace ${feature.providerNamespace} --name ${feature.featureName}, wait until az feature show reports Registered, `
            + `then az provider register --namespace ${feature.providerNamespace}`);
    if (findings.watcherError !== undefined) {
        const { resourceGroupName, networkWatcherName } = networkWatcherOf(findings.location);
        problems.push(`the Network Watcher ${resourceGroupName}/${networkWatcherName} the VNet flow log attaches to cannot be read (${findings.watcherError}). `
            + `Azure normally creates it with the region's first VNet unless the subscription opted out; create it: `
            + `az network watcher configure --resource-group ${resourceGroupName} --locations ${findings.location} --enabled true`);
    }
    return problems;
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

/**
 * Fails the resource's check (at preview and up, before anything that depends on it is sent) when a prerequisite is
 * missing, listing every problem. The methods capture nothing: Pulumi serializes them.
 */
export const prerequisiteProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: { problems?: string[] }) {
        const problems = news.problems ?? [];
        return { inputs: news, failures: problems.map((reason) => ({ property: "problems", reason })) };
    },
    async create(inputs: { problems?: string[] }) {
        return { id: "prerequisites", outs: inputs };
    },
    async diff(_id: string, olds: { problems?: string[] }, news: { problems?: string[] }) {
        return { changes: JSON.stringify(olds.problems ?? []) !== JSON.stringify(news.problems ?? []) };
    },
    async update(_id: string, _olds: unknown, news: { problems?: string[] }) {
        return { outs: news };
    },
};

/** The checked prerequisites: a resource that exists only when all are met, and the watcher the flow log uses. */
export class Prerequisites extends pulumi.dynamic.Resource {
    declare readonly problems: pulumi.Output<string[]>;
    /** The regional Network Watcher (see networkWatcherOf). */
    readonly networkWatcher: { readonly resourceGroupName: string; readonly networkWatcherName: string };

    /** Reads the features and the watcher (invokes, at preview and up) and records what is missing. */
    constructor(name: string, location: string, opts: pulumi.CustomResourceOptions) {
        const states = REQUIRED_FEATURES.map((feature) =>
            features.getSubscriptionFeatureRegistration({ providerNamespace: feature.providerNamespace, featureName: feature.featureName }, { parent: opts.parent })
                .then((r) => ({ feature, state: r.properties.state ?? "in an unknown state" }), (err: unknown) => ({ feature, state: `unreadable (${firstLine(err)})` })));
        const watcher = network.getNetworkWatcher(networkWatcherOf(location), { parent: opts.parent }).then(() => undefined, (err: unknown) => firstLine(err));
        const problems = Promise.all([Promise.all(states), watcher]).then(([found, watcherError]) => prerequisiteProblems({ features: found, location, watcherError }));
        super(prerequisiteProvider, name, { problems }, opts);
        this.networkWatcher = networkWatcherOf(location);
    }
}
