// Every config knob that weakens the checklist is off by default and, when turned on, blocks the policy pack's gate
// until the exception is also named in the pack's config: a weakening needs two deliberate opt-ins.
import * as assert from "assert";
import type { PolicyPackConfig } from "@pulumi/policy";
import { CheckReport, checkResources } from "../scripts/policy-check";
import { fromRecordedRun } from "../policy-pack/testing/resources";
import { validateConfig } from "../config/read";
import { rawNamespaceConfig, runProgram } from "./harness/program";
import { EXCEPTION_RECORD } from "./policy-pack/cases";

interface Knob {
    readonly key: string;
    readonly weakened: unknown;
    /** Other keys the weakening needs set (undefined removes one). */
    readonly alsoSet?: Readonly<Record<string, unknown>>;
    /** The checklist id the pack must report as failing. */
    readonly id: string;
    /** The stacks it is tried on: both where each cloud builds the weakened part, one where the layer is shared. */
    readonly stacks: readonly ("dev" | "dev-azure")[];
    /** The policy pack config that names the exception, after which the id passes again. */
    readonly exception: PolicyPackConfig;
}

const API_CIDR = "203.0.113.0/24";

const KNOBS: readonly Knob[] = [
    {
        key: "apiAuthorizedCidrs",
        weakened: [API_CIDR],
        id: "NET-4",
        stacks: ["dev", "dev-azure"],
        exception: {
            "aws-eks-cluster-disallow-public-endpoint": { allowedApiCidrs: [API_CIDR] },
            "azure-aks-cluster-disallow-public-endpoint": { allowedApiCidrs: [API_CIDR] },
        },
    },
    {
        key: "allowLegacyTls12",
        weakened: true,
        id: "TLS-4",
        stacks: ["dev"],
        exception: { "kubernetes-client-traffic-policy-enforce-tls13": { legacyTlsExceptions: ["openclaw/openclaw"] } },
    },
    {
        key: "allowSharedTokenAuth",
        weakened: true,
        alsoSet: { identity: undefined, identityClientSecret: undefined },
        id: "RBAC-5",
        stacks: ["dev"],
        exception: {
            "kubernetes-httproute-enforce-single-sign-on": { unauthenticatedRoutes: ["openclaw/openclaw-https"] },
            "kubernetes-openclaw-config-enforce-trusted-proxy-auth": { sharedTokenAuthExceptions: ["openclaw/openclaw-config"] },
        },
    },
    {
        key: "allowPublicToolsInvoke",
        weakened: true,
        id: "NET-4",
        stacks: ["dev"],
        exception: { "kubernetes-httproute-disallow-private-paths": { allowedPublicPaths: ["/tools/invoke"] } },
    },
    ...(
        [
            ["allowPublicNodeJoin", ["/j"]],
            ["allowPublicShareLinks", ["/share"]],
            ["allowPublicWorkerEndpoints", ["/__openclaw__/worker", "/__openclaw__/worker-bootstrap"]],
        ] as const
    ).map(([key, paths]): Knob => ({
        key,
        weakened: true,
        id: "NET-4",
        stacks: ["dev"],
        // Self-authenticating surfaces ride a route of their own without single sign-on, which RBAC-5 also names.
        exception: {
            "kubernetes-httproute-disallow-private-paths": { allowedPublicPaths: [...paths] },
            "kubernetes-httproute-enforce-single-sign-on": { unauthenticatedRoutes: ["openclaw/openclaw-open"] },
        },
    })),
];

const STACKS = ["dev", "dev-azure"] as const;

const failingIds = (report: CheckReport) => report.rows.filter((row) => row.status === "fail").map((row): string => row.id);

describe("knobs that weaken the checklist", function () {
    this.timeout(120_000);

    it("are off in every example stack and by default", () => {
        for (const stack of STACKS) {
            const config = validateConfig(rawNamespaceConfig(stack)) as unknown as Record<string, unknown>;
            assert.deepStrictEqual(config.apiAuthorizedCidrs, [], stack);
            assert.strictEqual(config.allowLegacyTls12, false, stack);
            assert.strictEqual(config.allowSharedTokenAuth, false, stack);
            for (const key of ["allowPublicToolsInvoke", "allowPublicNodeJoin", "allowPublicShareLinks", "allowPublicWorkerEndpoints"]) {
                assert.strictEqual(config[key], false, `${stack} ${key}`);
            }
        }
    });

    for (const knob of KNOBS) {
        for (const stack of knob.stacks) {
            it(`${knob.key} turned on in ${stack} fails ${knob.id} until the pack's config names the exception`, async () => {
                const resources = fromRecordedRun(await runProgram({ stack, config: { ...knob.alsoSet, [knob.key]: knob.weakened } }));
                const blocked = await checkResources(stack, resources);
                assert.ok(failingIds(blocked).includes(knob.id), `failing ids: ${failingIds(blocked).join(", ") || "none"}`);
                assert.ok(!blocked.passed);
                const excepted = await checkResources(stack, resources, { all: "mandatory", ...withRecord(knob.exception, EXCEPTION_RECORD) });
                assert.deepStrictEqual(failingIds(excepted), []);
                // A reviewer sees the weakening: its rows do not read plain pass, and the exception is listed.
                assert.ok(excepted.rows.some((r) => r.id === knob.id && r.status === "pass with exception"));
                assert.deepStrictEqual(excepted.exceptions.map((e) => [e.policy, e.state]).sort(), Object.keys(knob.exception).filter((p) => excepted.exceptions.some((e) => e.policy === p)).map((p) => [p, "in force"]).sort());
            });

            it(`${knob.key} turned on in ${stack}: each violation carries a snippet that, pasted with its record filled in, lets it pass`, async () => {
                const run = await runProgram({ stack, config: { ...knob.alsoSet, [knob.key]: knob.weakened } });
                const resources = fromRecordedRun(run);
                const blocked = await checkResources(stack, resources);
                const pasted: Record<string, unknown> = {};
                for (const violation of blocked.violations) {
                    const snippet = snippetOf(violation.message);
                    assert.ok(snippet, `no snippet in: ${violation.message}`);
                    mergeSnippet(pasted, snippet);
                }
                if (knob.key === "allowLegacyTls12") {
                    // The TLS exception names a ClientTrafficPolicy by namespace/name; the stack output names it too.
                    const names = (pasted["kubernetes-client-traffic-policy-enforce-tls13"] as { legacyTlsExceptions: string[] }).legacyTlsExceptions;
                    assert.deepStrictEqual(run.outputs.clientTrafficPolicies, names);
                }
                // Every record is filled in, one per policy the knob weakens.
                const filled = JSON.parse(JSON.stringify(pasted).replace(/<why>/g, EXCEPTION_RECORD.reason).replace(/<team or person>/g, EXCEPTION_RECORD.owner).replace(/<YYYY-MM-DD>/g, EXCEPTION_RECORD.expires)) as PolicyPackConfig;
                const excepted = await checkResources(stack, resources, { all: "mandatory", ...filled });
                assert.deepStrictEqual(failingIds(excepted), []);
                assert.strictEqual(excepted.passed, true);
            });
        }
    }

    it("an expired exception is not applied: the weakened resource fails again, saying when it expired, and the check fails", async () => {
        const knob = KNOBS[0];
        const resources = fromRecordedRun(await runProgram({ stack: "dev", config: { [knob.key]: knob.weakened } }));
        const expired = { ...EXCEPTION_RECORD, expires: "2001-01-01" };
        const report = await checkResources("dev", resources, { all: "mandatory", ...withRecord(knob.exception, expired) });
        assert.ok(!report.passed);
        assert.ok(failingIds(report).includes(knob.id));
        assert.ok(report.violations.some((v) => v.message.includes("expired on 2001-01-01")), JSON.stringify(report.violations));
        assert.ok(report.exceptions.some((e) => e.state === "expired"));
    });

    it("an exception without reason, owner and expiry is not applied", async () => {
        const knob = KNOBS[0];
        const resources = fromRecordedRun(await runProgram({ stack: "dev", config: { [knob.key]: knob.weakened } }));
        const report = await checkResources("dev", resources, { all: "mandatory", ...knob.exception });
        assert.ok(!report.passed);
        assert.ok(report.violations.some((v) => v.message.includes('needs "exception"')), JSON.stringify(report.violations));
        assert.ok(report.exceptions.every((e) => e.state === "incomplete"));
    });
});

/** The pack config with the exception record added to each policy's entry. */
function withRecord(config: PolicyPackConfig, record: object): PolicyPackConfig {
    return Object.fromEntries(Object.entries(config).map(([policy, entry]) => [policy, { ...(entry as object), exception: record }])) as PolicyPackConfig;
}

/**
 * Pastes one snippet into the config being assembled, as a reviewer pasting several would: a policy named twice
 * (one knob weakening two paths) keeps the items of both.
 */
function mergeSnippet(into: Record<string, unknown>, snippet: Record<string, unknown>): void {
    for (const [policy, entry] of Object.entries(snippet)) {
        const existing = (into[policy] ?? {}) as Record<string, unknown>;
        const merged: Record<string, unknown> = { ...existing };
        for (const [property, value] of Object.entries(entry as Record<string, unknown>)) {
            merged[property] = Array.isArray(value) && Array.isArray(existing[property]) ? [...new Set([...(existing[property] as unknown[]), ...value])] : value;
        }
        into[policy] = merged;
    }
}

/** The JSON object after "add to your policy config: " in a message (balanced braces). */
function snippetOf(message: string): Record<string, unknown> | undefined {
    const start = message.indexOf("{", message.indexOf("add to your policy config: "));
    if (message.indexOf("add to your policy config: ") < 0 || start < 0) {
        return undefined;
    }
    let depth = 0;
    for (let i = start; i < message.length; i++) {
        depth += message[i] === "{" ? 1 : message[i] === "}" ? -1 : 0;
        if (depth === 0) {
            return JSON.parse(message.slice(start, i + 1)) as Record<string, unknown>;
        }
    }
    return undefined;
}
