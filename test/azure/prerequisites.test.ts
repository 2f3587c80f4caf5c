// The subscription prerequisites: preview features two node-pool settings need (sources in prerequisites.ts) and the
// regional Network Watcher, each missing one named with its fix, before the resources that need them are sent.
import * as assert from "assert";
import { networkWatcherOf, prerequisiteProblems, prerequisiteProvider, REQUIRED_FEATURES } from "../../components/azure/prerequisites";
import { runAzure } from "./run";

describe("Azure subscription prerequisites", function () {
    it("requires the features Microsoft documents for sshAccess Disabled and host encryption", function () {
        // MicrosoftDocs/azure-aks-docs articles/aks/manage-ssh-node-access.md: az feature register --namespace
        // "Microsoft.ContainerService" --name "DisableSSHPreview"; MicrosoftDocs/azure-docs
        // articles/virtual-machines/linux/disks-enable-host-based-encryption-cli.md: --namespace Microsoft.Compute --name EncryptionAtHost.
        assert.deepStrictEqual(REQUIRED_FEATURES.map((f) => `${f.providerNamespace}/${f.featureName}`), ["Microsoft.ContainerService/DisableSSHPreview", "Microsoft.Compute/EncryptionAtHost"]);
    });

    it("lists every missing prerequisite with the command that fixes it", function () {
        const problems = prerequisiteProblems({
            features: [{ feature: REQUIRED_FEATURES[0], state: "NotRegistered" }, { feature: REQUIRED_FEATURES[1], state: "Registered" }],
            location: "westeurope", watcherError: "ResourceNotFound",
        });
        assert.strictEqual(problems.length, 2);
        assert.match(problems[0], /Microsoft\.ContainerService\/DisableSSHPreview is NotRegistered.*az feature register --namespace Microsoft\.ContainerService --name DisableSSHPreview/);
        assert.match(problems[1], /NetworkWatcherRG\/NetworkWatcher_westeurope .*az network watcher configure --resource-group NetworkWatcherRG --locations westeurope --enabled true/);
        assert.deepStrictEqual(prerequisiteProblems({ features: REQUIRED_FEATURES.map((feature) => ({ feature, state: "Registered" })), location: "westeurope" }), []);
        assert.deepStrictEqual(networkWatcherOf("northeurope"), { resourceGroupName: "NetworkWatcherRG", networkWatcherName: "NetworkWatcher_northeurope" });
    });

    it("reads the features and the watcher, and attaches the flow log to that watcher", async function () {
        const run = await runAzure();
        const features = run.invokes.filter((i) => i.token === "azure-native:features:getSubscriptionFeatureRegistration").map((i) => `${String(i.inputs.providerNamespace)}/${String(i.inputs.featureName)}`);
        assert.deepStrictEqual(features.sort(), ["Microsoft.Compute/EncryptionAtHost", "Microsoft.ContainerService/DisableSSHPreview"]);
        const flowLog = run.one("azure-native:network:FlowLog");
        assert.deepStrictEqual([flowLog.inputs.resourceGroupName, flowLog.inputs.networkWatcherName], ["NetworkWatcherRG", "NetworkWatcher_westeurope"]);
    });

    it("records every missing prerequisite on a resource the cluster and the flow log wait for", async function () {
        const run = await runAzure({ providerConfig: { "azure-native:location": "westeurope", "harness:unregisteredFeatures": "DisableSSHPreview", "harness:missingNetworkWatcher": "true" } });
        const check = run.ofType("pulumi-nodejs:dynamic:Resource").find((r) => r.name.endsWith("-prerequisites"));
        assert.ok(check);
        const problems = check.inputs.problems as string[];
        assert.strictEqual(problems.length, 2);
        assert.match(problems[0], /DisableSSHPreview is NotRegistered/);
        assert.match(problems[1], /NetworkWatcher_westeurope/);
        for (const type of ["azure-native:containerservice:ManagedCluster", "azure-native:network:FlowLog"]) {
            assert.ok(run.one(type).dependencies.includes(check.urn), `${type} does not wait for the prerequisites check`);
        }
        const clean = await runAzure();
        assert.deepStrictEqual(clean.ofType("pulumi-nodejs:dynamic:Resource").find((r) => r.name.endsWith("-prerequisites"))?.inputs.problems, []);
    });

    it("fails the check (preview and up stop there) with one failure per missing prerequisite", async function () {
        const failed = await prerequisiteProvider.check!({}, { problems: ["a", "b"] });
        assert.deepStrictEqual(failed.failures, [{ property: "problems", reason: "a" }, { property: "problems", reason: "b" }]);
        assert.deepStrictEqual((await prerequisiteProvider.check!({}, { problems: [] })).failures, []);
    });
});
