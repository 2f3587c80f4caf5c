// The first-up wait for the cluster (cluster-ready.ts) driven by a fake API: a 403 while the grant propagates,
// then no Ready node, then a working cluster; and the timeout message when it never gets there.
import * as assert from "assert";
import { ProbeAnswer, READINESS_PROBES, unmet, waitUntilReady, WaitIo } from "../../components/azure/cluster-ready";

const ready = { items: [{ status: { conditions: [{ type: "Ready", status: "True" }] } }] };
const notReady = { items: [{ status: { conditions: [{ type: "Ready", status: "False" }] } }] };

/** A fake world whose API answers from a script, one list of answers (one per probe) per round. */
function fakeIo(rounds: readonly (readonly ProbeAnswer[])[]): WaitIo & { readonly slept: number[]; readonly logs: string[] } {
    let clock = 0;
    let round = 0;
    let probe = 0;
    const slept: number[] = [];
    const logs: string[] = [];
    return {
        slept, logs,
        token: () => "token",
        get: async () => {
            const answer = rounds[Math.min(round, rounds.length - 1)][probe];
            probe = (probe + 1) % READINESS_PROBES.length;
            if (probe === 0) round++;
            return answer;
        },
        sleep: async (ms) => {
            slept.push(ms);
            clock += ms;
        },
        now: () => clock,
        log: (m) => logs.push(m),
    };
}

describe("waiting for the cluster on the first up", () => {
    it("probes the API access, a Ready node and CoreDNS", () => {
        assert.deepStrictEqual(READINESS_PROBES.map((p) => p.path), ["/api/v1/namespaces?limit=1", "/api/v1/nodes", "/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns"]);
    });

    it("waits through 403s while the grant propagates and a node without Ready, then returns", async () => {
        const forbidden = { status: 403 };
        const io = fakeIo([
            [forbidden, forbidden, forbidden],
            [{ status: 200, body: { items: [] } }, { status: 200, body: notReady }, { status: 200, body: { items: [] } }],
            [{ status: 200, body: { items: [] } }, { status: 200, body: ready }, { status: 200, body: ready }],
        ]);
        await waitUntilReady(io, { timeoutSeconds: 600, intervalSeconds: 15 });
        assert.deepStrictEqual(io.slept, [15000, 15000]);
        assert.match(io.logs[0], /HTTP 403 \(the grant has not propagated yet\)/);
        assert.match(io.logs[1], /a Ready node .*: not yet/);
    });

    it("fails after the timeout, naming what is still missing", async () => {
        const io = fakeIo([[{ error: "getaddrinfo ENOTFOUND openclaw.privatelink.westeurope.azmk8s.io" }, { status: 403 }, { status: 403 }]]);
        await assert.rejects(waitUntilReady(io, { timeoutSeconds: 60, intervalSeconds: 15 }), (err: Error) =>
            /not ready for Kubernetes work after 60 s/.test(err.message) && /ENOTFOUND/.test(err.message) && /where the private API resolves/.test(err.message));
    });

    it("reports a failing kubelogin as what is missing", async () => {
        const io = { ...fakeIo([[]]), token: () => { throw new Error("kubelogin: not logged in\nmore"); } };
        await assert.rejects(waitUntilReady(io, { timeoutSeconds: 0, intervalSeconds: 15 }), /a token from kubelogin: kubelogin: not logged in/);
    });

    it("counts only 200 answers with the condition as met", () => {
        assert.strictEqual(unmet([{ status: 200, body: {} }, { status: 200, body: ready }, { status: 200, body: ready }]).length, 0);
        assert.strictEqual(unmet([{ status: 500 }, { status: 200, body: ready }, { status: 200, body: notReady }]).length, 2);
    });
});
