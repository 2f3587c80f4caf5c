// Every config knob that weakens the checklist is off by default and, when turned on, blocks the policy pack's gate
// until the exception is also named in the pack's config: a weakening needs two deliberate opt-ins.
import * as assert from "assert";
import type { PolicyPackConfig } from "@pulumi/policy";
import { CheckReport, checkResources } from "../scripts/policy-check";
import { fromRecordedRun } from "../policy-pack/testing/resources";
import { validateConfig } from "../config/read";
import { rawNamespaceConfig, runProgram } from "./harness/program";

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
        exception: { "kubernetes-client-traffic-policy-enforce-tls13": { allowedTlsVersions: ["1.2", "1.3"] } },
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
                const excepted = await checkResources(stack, resources, { all: "mandatory", ...knob.exception });
                assert.deepStrictEqual(failingIds(excepted), []);
            });
        }
    }
});
