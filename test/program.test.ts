// The whole program on both example stacks: one cloud at a time, a tree of components, no secret in clear anywhere.
import * as assert from "assert";
import { EXAMPLE_SECRETS, ExampleRun, exampleRun } from "./harness/examples";
import { FAKE_SECRETS, RecordedResource, runProgram, stackValues } from "./harness/program";

/** The fake provider keys, and the prefix of every generated password under the mocks (the gateway token). */
const FAKES = [...Object.values(FAKE_SECRETS), ...Object.values(EXAMPLE_SECRETS), "mock-random-"];

/** Paths below `value` at which a fake secret appears. */
function leaks(value: unknown, at = ""): string[] {
    if (typeof value === "string") {
        return FAKES.some((fake) => value.includes(fake)) ? [at] : [];
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, child]) => leaks(child, at ? `${at}.${key}` : key));
    }
    return [];
}

const EXAMPLES = [
    { stack: "dev", cloud: "aws", foreign: "azure-native:" },
    { stack: "dev-azure", cloud: "azure", foreign: "aws:" },
] as const;

describe("the program", function () {
    this.timeout(120_000);

    for (const example of EXAMPLES) {
        describe(`on the ${example.stack} example stack (${example.cloud})`, () => {
            let run: ExampleRun;
            before(async () => {
                run = await exampleRun(example.stack);
            });

            it(`builds only ${example.cloud} and Kubernetes resources`, () => {
                const foreign = run.resources.filter((r) => r.type.startsWith(example.foreign));
                assert.deepStrictEqual(foreign.map((r) => r.type), []);
                assert.ok(run.resources.some((r) => r.type.startsWith("kubernetes:")), "no Kubernetes resource");
            });

            it("parents every resource under a component, never directly under the stack", () => {
                const stackUrn = run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
                const orphans = run.resources.filter((r) => r.custom && r.parent === stackUrn);
                assert.deepStrictEqual(orphans.map((r) => r.urn), []);
            });

            it("creates every Kubernetes object with the platform's cluster provider", () => {
                const kube = run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes");
                const missing = kube.filter((r: RecordedResource) => !r.provider?.includes("pulumi:providers:kubernetes"));
                assert.deepStrictEqual(missing.map((r) => r.urn), []);
            });

            it("never passes a provider key or a generated token in clear to a resource", () => {
                const underSecret = (r: RecordedResource, path: string) => r.secretPaths.some((secret) => path === secret || path.startsWith(`${secret}.`));
                const clear = run.resources.flatMap((r) =>
                    leaks(r.inputs)
                        .filter((path) => !underSecret(r, path))
                        .map((path) => `${r.urn} ${path}`),
                );
                assert.deepStrictEqual(clear, []);
            });

            it("stores each configured provider key in the vault as a secret", () => {
                for (const fake of Object.values(EXAMPLE_SECRETS)) {
                    const holders = run.resources.filter((r) => JSON.stringify(r.inputs).includes(fake));
                    assert.ok(holders.length > 0, "a configured key reaches no resource");
                    for (const holder of holders) {
                        assert.ok(holder.secretPaths.length > 0, `${holder.urn} receives a key but marks no input secret`);
                    }
                }
            });

            it("exports no secret in clear and prints none", () => {
                const exported = Object.entries(run.outputs)
                    .filter(([key]) => !run.secretOutputs.includes(key))
                    .flatMap(([key, value]) => leaks(value, key));
                assert.deepStrictEqual(exported, []);
                assert.deepStrictEqual(leaks(run.log), []);
            });

            it("exports the URL and the role-binding report", () => {
                assert.strictEqual(run.outputs.url, `https://${stackValues(example.stack).hostname}`);
                assert.ok(Object.keys(run.outputs).some((k) => /binding|assignment/i.test(k)), `outputs: ${Object.keys(run.outputs).join(", ")}`);
            });
        });
    }

    it("switches cloud with openclaw:cloud and the cloud's identifiers alone", async () => {
        const azure = stackValues("dev-azure");
        const run = await runProgram({
            stack: "dev",
            config: { cloud: "azure", dnsZoneId: azure.dnsZoneId, groups: azure.groups },
            providerConfig: { "azure-native:location": "westeurope" },
        });
        assert.ok(run.resources.some((r) => r.type === "azure-native:containerservice:ManagedCluster"));
        assert.ok(!run.resources.some((r) => r.type.startsWith("aws:")));
    });
});
