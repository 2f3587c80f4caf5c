// Orderings the Azure platform relies on, checked on the dependencies each resource was registered with. Pulumi
// passes a component's `dependsOn` to none of its children, so every ordering must sit on the resource that does
// the work; a dependency on a component expands to that component's resources when a resource names it.
import * as assert from "assert";
import { FAKE_IDENTITY_CLIENT_SECRET, FAKE_SECRETS, RecordedResource } from "../harness/program";
import { AzureRun, runAzure } from "./run";

const dependsOn = (resource: RecordedResource, on: RecordedResource) => resource.dependencies.includes(on.urn);

function assertWaitsFor(resource: RecordedResource, others: readonly RecordedResource[], what: string) {
    assert.ok(others.length > 0, `no ${what} recorded`);
    for (const other of others) {
        assert.ok(dependsOn(resource, other), `${resource.name} does not wait for ${other.name} (${what})`);
    }
}

describe("Azure platform orderings (recorded dependencies)", function () {
    let run: AzureRun;
    let widened: AzureRun;
    before(async function () {
        run = await runAzure();
        const peer = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/data/providers/Microsoft.Network/virtualNetworks/lake";
        widened = await runAzure({
            config: { egressMode: "enforce", network: { cidr: "10.30.0.0/16", zones: 3, peerings: [{ name: "lake", peerNetworkId: peer, cidrs: ["10.40.1.0/24"], ports: [5432] }] } },
            secrets: { anthropicApiKey: FAKE_SECRETS.anthropicApiKey, openaiApiKey: FAKE_SECRETS.openaiApiKey, identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET },
        });
    });

    it("grants External Secrets and the rotator a secret only after the secret exists", function () {
        const secrets = run.ofType("azure-native:keyvault:Secret");
        for (const grant of run.ofType("azure-native:authorization:RoleAssignment").filter((a) => String(a.inputs.scope).includes("/secrets/"))) {
            const secretName = String(grant.inputs.scope).split("/secrets/")[1];
            const secret = secrets.find((s) => s.inputs.secretName === secretName);
            assert.ok(secret, `no secret ${secretName}`);
            assert.ok(dependsOn(grant, secret), `${grant.name} does not wait for ${secret.name}`);
        }
        // External Secrets on every stored secret, the rotator on the gateway token.
        assert.strictEqual(run.ofType("azure-native:authorization:RoleAssignment").filter((a) => String(a.inputs.scope).includes("/secrets/")).length, secrets.length + 1);
    });

    it("writes peerings, the DNS policy link and the firewall to the VNet only after every subnet", function () {
        const subnets = widened.ofType("azure-native:network:Subnet");
        assert.strictEqual(subnets.length, 4);
        for (const type of ["azure-native:network:VirtualNetworkPeering", "azure-native:dnsresolver:DnsResolverPolicyVirtualNetworkLink", "azure-native:network:AzureFirewall"]) {
            assertWaitsFor(widened.one(type), subnets, "subnets");
        }
    });

    it("creates the cluster after every subnet, its control-plane grants and (enforce) the firewall", function () {
        for (const r of [run, widened]) {
            const cluster = r.one("azure-native:containerservice:ManagedCluster");
            assertWaitsFor(cluster, r.ofType("azure-native:network:Subnet"), "subnets");
            assertWaitsFor(cluster, r.ofType("azure-native:authorization:RoleAssignment").filter((a) => String(a.inputs.description).includes("AKS control-plane identity")), "control-plane grants");
        }
        assert.ok(dependsOn(widened.one("azure-native:containerservice:ManagedCluster"), widened.one("azure-native:network:AzureFirewall")));
    });

    it("creates the cluster only after a pause for its grants (control plane, disk encryption set) to take effect", function () {
        const pause = run.ofType("pulumi-nodejs:dynamic:Resource").find((r) => r.name.endsWith("-grant-propagation"));
        assert.ok(pause, "no propagation pause");
        const grants = run.ofType("azure-native:authorization:RoleAssignment")
            .filter((a) => /AKS control-plane identity|disk encryption set identity/.test(String(a.inputs.description)));
        assert.strictEqual(grants.length, 6);
        assertWaitsFor(pause, grants, "grants");
        assert.ok(dependsOn(run.one("azure-native:containerservice:ManagedCluster"), pause));
        // Azure RBAC: up to about 10 minutes (learn.microsoft.com/azure/role-based-access-control/troubleshooting); the
        // pause is at least a few minutes, AKS's own provisioning covers the rest.
        assert.ok(Number(pause.inputs.seconds) >= 180);
    });

    it("uses the Kubernetes provider only after the deployer's grant has propagated and the cluster can run pods", function () {
        const provider = run.one("pulumi:providers:kubernetes");
        const readiness = run.ofType("pulumi-nodejs:dynamic:Resource").find((r) => r.name.endsWith("-ready"));
        assert.ok(readiness, "no readiness wait");
        const deployerGrant = run.ofType("azure-native:authorization:RoleAssignment").find((a) => String(a.inputs.description).startsWith("openclaw: deployer"));
        assert.ok(deployerGrant);
        assertWaitsFor(readiness, [run.one("azure-native:containerservice:ManagedCluster"), deployerGrant], "cluster and deployer grant");
        assertWaitsFor(provider, [readiness, deployerGrant], "readiness wait");
        // Every Kubernetes resource the platform creates goes through that provider.
        for (const k8s of run.resources.filter((r) => r.type.startsWith("kubernetes:"))) {
            assert.ok(k8s.provider?.startsWith(provider.urn), `${k8s.name} does not use the platform's provider`);
        }
    });

    it("hands the Kubernetes layer the cluster, the deployer's grant and the readiness wait to depend on", async function () {
        const urns = await Promise.all(run.seam.cluster.readyResources.map((r) => new Promise<string>((resolve) => r.urn.apply(resolve))));
        const readiness = run.ofType("pulumi-nodejs:dynamic:Resource").find((r) => r.name.endsWith("-ready"))!;
        const deployerGrant = run.ofType("azure-native:authorization:RoleAssignment").find((a) => String(a.inputs.description).startsWith("openclaw: deployer"))!;
        assert.deepStrictEqual(urns.sort(), [run.one("azure-native:containerservice:ManagedCluster").urn, deployerGrant.urn, readiness.urn].sort());
    });

    it("encrypts disks and writes flow logs only once their identities hold their grants", function () {
        const grantOf = (who: string) => run.ofType("azure-native:authorization:RoleAssignment").filter((a) => String(a.inputs.description).includes(who));
        assertWaitsFor(run.one("azure-native:compute:DiskEncryptionSet"), grantOf("disk encryption set identity"), "disk key grant");
        assertWaitsFor(run.one("azure-native:network:FlowLog"), grantOf("VNet flow log writer"), "archive grant");
    });
});
