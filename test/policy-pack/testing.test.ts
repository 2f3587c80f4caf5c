// The offline harness against @pulumi/policy's own analyzer server: same diagnostics, same not-applicable
// results, same handling of unknowns, secrets and config, for resource and stack policies.
import * as assert from "assert";
import type { Policies, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { Cluster } from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { policies } from "../../policy-pack/policies";
import { resolvePolicyConfig } from "../../policy-pack/testing/config";
import { evaluatePolicies } from "../../policy-pack/testing/evaluate";
import { AnalyzedResource, fromFixtures, fromRecordedRun } from "../../policy-pack/testing/resources";
import { isUnknownSentinel, toWire, unknown, UNKNOWN } from "../../policy-pack/testing/unknown";
import { set } from "./cases";
import { awsWorld, azureWorld, kubernetesWorld } from "./fixtures";

/* eslint-disable @typescript-eslint/no-require-imports -- the runtime's internals have no typings; these tests drive them. */
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policies): (call: unknown, cb: (err: unknown, res: AnalyzeResponse) => void) => Promise<void>;
    makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policies): (call: unknown, cb: (err: unknown, res: AnalyzeResponse) => void) => Promise<void>;
};
const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

interface AnalyzeResponse {
    getDiagnosticsList(): { getPolicyname(): string; getMessage(): string; getEnforcementlevel(): number; getUrn(): string }[];
    getNotApplicableList(): { getPolicyName(): string; getReason(): string }[];
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

function options(r: AnalyzedResource) {
    const o = new proto.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    if (r.parent) {
        o.setParent(r.parent);
    }
    return o;
}

/** What the real analyzer server answers for one resource (resource policies). */
async function runtimeAnalyze(pack: Policies, r: AnalyzedResource) {
    const req = new proto.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(Struct.fromJavaScript(r.inputs));
    req.setOptions(options(r));
    const response = await new Promise<AnalyzeResponse>((resolve, reject) => {
        void server.makeAnalyzeRpcFun("openclaw-checklist", "0.0.0", "advisory", pack)({ request: req }, (err, res) => (err ? reject(err) : resolve(res)));
    });
    return summarize(response);
}

/** What the real analyzer server answers for the stack (stack policies). */
async function runtimeAnalyzeStack(pack: Policies, resources: readonly AnalyzedResource[]) {
    const req = new proto.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const res = new proto.AnalyzerResource();
            res.setType(r.type);
            res.setName(r.name);
            res.setUrn(r.urn);
            res.setProperties(Struct.fromJavaScript(r.outputs));
            res.setOptions(options(r));
            if (r.parent) {
                res.setParent(r.parent);
            }
            res.setDependenciesList([...r.dependencies]);
            for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                const deps = new proto.AnalyzerPropertyDependencies();
                deps.setUrnsList([...urns]);
                res.getPropertydependenciesMap().set(key, deps);
            }
            return res;
        }),
    );
    const response = await new Promise<AnalyzeResponse>((resolve, reject) => {
        void server.makeAnalyzeStackRpcFun("openclaw-checklist", "0.0.0", "advisory", pack)({ request: req }, (err, res) => (err ? reject(err) : resolve(res)));
    });
    return summarize(response);
}

function summarize(response: AnalyzeResponse) {
    return {
        diagnostics: response.getDiagnosticsList().map((d) => `${d.getPolicyname()}|${LEVELS[d.getEnforcementlevel()]}|${d.getMessage()}`).sort(),
        notApplicable: response.getNotApplicableList().map((n) => `${n.getPolicyName()}|${n.getReason()}`).sort(),
    };
}

async function harness(pack: Policies, resources: readonly AnalyzedResource[]) {
    const result = await evaluatePolicies(pack, resources, { packEnforcementLevel: "advisory" });
    return {
        diagnostics: result.diagnostics.map((d) => `${d.policyName}|${d.enforcementLevel}|${d.message}`).sort(),
        notApplicable: result.notApplicable.map((n) => `${n.policyName}|${n.reason ?? ""}`).sort(),
    };
}

// Probe policies that exercise every path of the runtime: typed filter, notApplicable, unknowns, relations.
const probeResource: ResourceValidationPolicy = {
    name: "probe-eks-endpoint",
    description: "probe: reports the endpoint setting it reads",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(Cluster, (cluster, args, report) => {
        if (args.name.endsWith("skip")) {
            args.notApplicable("skipped by name");
        }
        report(`public=${String(cluster.vpcConfig?.endpointPublicAccess)} parent=${String(args.opts.parent)} protect=${String(args.opts.protect)}`);
    }),
};
const probeStack: StackValidationPolicy = {
    name: "probe-stack-relations",
    description: "probe: reports parents and property dependencies",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        for (const r of args.resources) {
            const deps = Object.entries(r.propertyDependencies).map(([k, v]) => `${k}->${v.map((d: PolicyResource) => d.name).join("+")}`);
            report(`${r.name} parent=${r.parent?.name ?? "-"} deps=${r.dependencies.map((d) => d.name).join("+")} ${deps.join(" ")} secret=${String(r.props.secret ?? "")}`);
        }
        const unknownRead = args.resources.find((r) => r.name === "unknown-holder");
        if (unknownRead) {
            void unknownRead.props.value;
        }
    },
};

const probeWorld = () =>
    fromFixtures([
        { type: "openclaw:aws:Cluster", name: "component" },
        { type: "aws:eks/cluster:Cluster", name: "public", parent: "component", protect: true, inputs: { vpcConfig: { endpointPublicAccess: true } } },
        { type: "aws:eks/cluster:Cluster", name: "private", inputs: { vpcConfig: { endpointPublicAccess: false } }, propertyDependencies: { vpcConfig: ["public"] } },
        { type: "aws:eks/cluster:Cluster", name: "preview", inputs: { vpcConfig: { endpointPublicAccess: unknown("boolean") } } },
        { type: "aws:eks/cluster:Cluster", name: "cluster-skip", inputs: {} },
        { type: "aws:s3/bucket:Bucket", name: "other", inputs: { secret: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "unwrapped" } } },
    ]);

describe("the offline policy harness", () => {
    it("uses the sentinels the runtime's proxy treats as unknown", () => {
        const proxy = (policySdk as unknown as { unknownCheckingProxy(o: object): Record<string, unknown> }).unknownCheckingProxy;
        for (const [kind, sentinel] of Object.entries(UNKNOWN)) {
            const props = proxy({ value: sentinel });
            assert.throws(() => props.value, (e: Error) => e.message.includes("can't be known during preview"), kind);
            assert.ok(isUnknownSentinel(sentinel));
        }
    });

    it("turns recorded Pulumi unknowns into sentinels and unwraps serialized secrets", () => {
        const wire = toWire({ a: pulumi.unknown, b: [undefined, 1], c: undefined, d: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: { x: "plain" } } });
        assert.deepStrictEqual(wire, { a: UNKNOWN.string, b: [null, 1], d: { x: "plain" } });
    });

    it("in preview, leaves computed outputs unknown and keeps the stack outputs on the root resource", () => {
        const run = {
            resources: [
                { urn: "urn:s", type: "pulumi:pulumi:Stack", name: "s", inputs: {}, state: {}, custom: false, dependencies: [], propertyDependencies: {}, protect: false },
                { urn: "urn:b", type: "aws:s3/bucket:Bucket", name: "b", inputs: { bucket: "b" }, state: { bucket: "b", arn: "arn:aws:s3:::b" }, custom: true, dependencies: [], propertyDependencies: {}, protect: false },
            ],
            outputs: { roleBindings: [1] },
        };
        const [stack, bucket] = fromRecordedRun(run, { preview: true });
        assert.deepStrictEqual(stack.outputs, { roleBindings: [1] });
        assert.deepStrictEqual(bucket.outputs, { bucket: "b", arn: UNKNOWN.string });
        assert.deepStrictEqual(fromRecordedRun(run)[1].outputs, { bucket: "b", arn: "arn:aws:s3:::b" });
    });

    it("gives resource policies the same diagnostics and not-applicable results as @pulumi/policy's analyzer", async () => {
        const world = probeWorld();
        const expected = { diagnostics: [] as string[], notApplicable: [] as string[] };
        for (const r of world) {
            const one = await runtimeAnalyze([probeResource], r);
            expected.diagnostics.push(...one.diagnostics);
            expected.notApplicable.push(...one.notApplicable);
        }
        const actual = await harness([probeResource], world);
        assert.deepStrictEqual(actual.diagnostics, expected.diagnostics.sort());
        assert.deepStrictEqual(actual.notApplicable, expected.notApplicable.sort());
        assert.ok(actual.diagnostics.some((d) => d.includes("advisory|can't run policy 'probe-eks-endpoint'")), "unknowns become the runtime's advisory");
    });

    it("gives stack policies the same parents, dependencies, secrets and unknown handling as @pulumi/policy's analyzer", async () => {
        const world = [...probeWorld(), ...fromFixtures([{ type: "aws:s3/bucket:Bucket", name: "unknown-holder", inputs: { value: unknown() } }])];
        assert.deepStrictEqual(await harness([probeStack], world), await runtimeAnalyzeStack([probeStack], world));
    });

    it("gives the whole pack the same verdicts as @pulumi/policy's analyzer on the fixture worlds, violations and unknowns included", async function () {
        this.timeout(60_000);
        // The runtime's getConfig returns {} when nothing was configured; the policies read their schema defaults then.
        const pack = policies;
        const worlds = [
            set(set(awsWorld(), "openclaw-eks-cluster", "accessConfig.authenticationMode", "CONFIG_MAP"), "openclaw-archive-trail", "isMultiRegionTrail", unknown("boolean")),
            set(set(azureWorld(), "openclaw-kv-vault", "properties.publicNetworkAccess", "Enabled"), "openclaw-cluster", "aadProfile", unknown("object")),
            set(set(kubernetesWorld(), "openclaw-deployment", "spec.template.spec.hostNetwork", true), "openclaw-route-redirect", "spec.rules", unknown("array")),
        ];
        for (const fixtures of worlds) {
            const world = fromFixtures(fixtures);
            const expected: string[] = [];
            for (const r of world) {
                expected.push(...(await runtimeAnalyze(pack, r)).diagnostics);
            }
            expected.push(...(await runtimeAnalyzeStack(pack, world)).diagnostics);
            const actual = (await harness(pack, world)).diagnostics;
            assert.deepStrictEqual(actual, expected.sort());
            assert.ok(actual.some((d) => d.includes("|mandatory|")) && actual.some((d) => d.includes("|advisory|can't run")), JSON.stringify(actual));
        }
    });

    it("fills config from the schema defaults and rejects unknown policies and bad values", () => {
        const resolved = resolvePolicyConfig(policies, { "aws-kms-key-enable-rotation": { maxRotationDays: 60 } }, "advisory");
        assert.deepStrictEqual(resolved.get("aws-kms-key-enable-rotation")?.properties, { maxRotationDays: 60 });
        assert.deepStrictEqual(resolved.get("aws-cloudwatch-log-group-configure-retention")?.properties, { minRetentionDays: 90 });
        assert.strictEqual(resolved.get("aws-kms-key-enable-rotation")?.enforcementLevel, "mandatory");
        assert.throws(() => resolvePolicyConfig(policies, { "no-such-policy": "advisory" }, "advisory"), /no-such-policy: no such policy/);
        assert.throws(() => resolvePolicyConfig(policies, { "aws-kms-key-enable-rotation": { maxRotationDays: "90" } }, "advisory"), /expected integer/);
        assert.throws(() => resolvePolicyConfig(policies, { "aws-kms-key-enable-rotation": { rotationDays: 90 } }, "advisory"), /not in the policy's configSchema/);
    });

    it("honours a disabled or advisory enforcement level from config like the runtime", async () => {
        const world = probeWorld();
        const disabled = await evaluatePolicies([probeResource], world, { config: { "probe-eks-endpoint": "disabled" } });
        assert.strictEqual(disabled.diagnostics.length, 0);
        const advisory = await evaluatePolicies([probeResource], world, { config: { all: "advisory" } });
        assert.ok(advisory.diagnostics.length > 0 && advisory.mandatory.length === 0);
    });
});
