// The public endpoint's client traffic policy under single sign-on and without it: every stream, WebSockets included,
// is bounded under sign-on so an open Control UI passes the login and the role reconciler again.
import * as assert from "assert";
import { EXAMPLE_STACKS, exampleRun } from "../harness/examples";
import { runProgram, type RecordedResource } from "../harness/program";

type Json = Record<string, unknown>;
const o = (v: unknown) => (v ?? {}) as Json;
const clientTrafficPolicies = (resources: readonly RecordedResource[]) => resources.filter((r) => r.inputs.kind === "ClientTrafficPolicy").map((r) => o(r.inputs.spec));

describe("the public endpoint's stream lifetime", function () {
    for (const stack of EXAMPLE_STACKS) {
        it(`${stack}: under single sign-on every stream is reset after one hour (a typical ID-token lifetime)`, async function () {
            const policies = clientTrafficPolicies((await exampleRun(stack)).resources);
            assert.ok(policies.length > 0);
            // envoyproxy/gateway v1.9.0 api/v1alpha1/connection_types.go: ConnectionLimit.maxStreamDuration, a Duration.
            assert.ok(policies.every((spec) => o(o(spec.connection).connectionLimit).maxStreamDuration === "1h"));
        });
    }

    it("with the shared-token weakening (no sign-on) streams are not bounded: nothing would re-check them", async function () {
        const run = await runProgram({ stack: "dev", config: { identity: undefined, identityClientSecret: undefined, allowSharedTokenAuth: true } });
        assert.ok(clientTrafficPolicies(run.resources).every((spec) => spec.connection === undefined));
    });
});
