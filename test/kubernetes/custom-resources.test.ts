// Every custom resource of the program waits on the Release that serves its CRD, read off the dependencies the engine
// records for that resource itself (`dependsOn` on a component does not reach the resources inside it), and every
// ExternalSecret makes `pulumi up` wait until its Secret is written.
import * as assert from "assert";
import { EXAMPLE_STACKS, exampleRun } from "../harness/examples";
import { gatewaysRun } from "../harness/gateways";
import type { ProgramRun, RecordedResource } from "../harness/program";
import { FAKE_PLATFORMS } from "./fake-seam";
import { buildLayer, helmReleases } from "./layer-run";

/**
 * Which Release's chart installs each API group's CRDs, by release name: Envoy Gateway's chart carries the Gateway API
 * CRDs and its own (envoyproxy/gateway charts/gateway-helm/charts/crds/crds: gatewayapi-crds.yaml and
 * generated/gateway.envoyproxy.io_*.yaml); cert-manager installs its own with `crds.enabled`
 * (cert-manager deploy/charts/cert-manager values.yaml), External Secrets with `installCRDs`
 * (external-secrets deploy/charts/external-secrets values.yaml).
 */
const CRD_RELEASE_OF_GROUP: Readonly<Record<string, string>> = {
    "gateway.networking.k8s.io": "envoy-gateway",
    "gateway.envoyproxy.io": "envoy-gateway",
    "cert-manager.io": "cert-manager",
    "external-secrets.io": "external-secrets",
};

/** API groups the API server itself serves (https://kubernetes.io/docs/reference/generated/kubernetes-api/), and Helm releases. */
const BUILT_IN_GROUPS = new Set(["core", "apps", "batch", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "admissionregistration.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "helm.sh"]);

/** The layer's custom kinds (components/kubernetes: ingress.ts, public-endpoint.ts, sso.ts, cert-manager.ts, external-secrets.ts, openclaw.ts). */
const CUSTOM_KINDS = ["Certificate", "ClientTrafficPolicy", "ClusterIssuer", "ClusterSecretStore", "EnvoyExtensionPolicy", "EnvoyProxy", "ExternalSecret", "Gateway", "GatewayClass", "HTTPRoute", "HTTPRouteFilter", "SecurityPolicy"];

/** `kubernetes:gateway.networking.k8s.io/v1:Gateway` → group and kind. */
function groupAndKind(type: string): { group: string; kind: string } {
    const [, apiVersion, kind] = type.split(":");
    return { group: apiVersion.split("/")[0], kind };
}

function customResources(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !BUILT_IN_GROUPS.has(groupAndKind(r.type).group));
}

/** Each custom resource that does not list its CRD's Release among its own dependencies, as `name (kind): release`. */
function missingCrdRelease(run: ProgramRun): string[] {
    const releaseUrn = new Map(helmReleases(run).map((r) => [String(r.inputs.name), r.urn]));
    return customResources(run).flatMap((r) => {
        const { group, kind } = groupAndKind(r.type);
        const release = CRD_RELEASE_OF_GROUP[group];
        if (release === undefined) {
            return [`${r.name} (${kind}): no Release known to serve API group ${group}`];
        }
        const urn = releaseUrn.get(release);
        return urn !== undefined && r.dependencies.includes(urn) ? [] : [`${r.name} (${kind}): ${release}`];
    });
}

const RUNS: readonly (readonly [string, () => Promise<ProgramRun>])[] = [
    ...FAKE_PLATFORMS.map((platform) => [`the layer on the ${platform} seam`, () => buildLayer(platform)] as const),
    ...EXAMPLE_STACKS.map((stack) => [`the ${stack} example stack`, () => exampleRun(stack)] as const),
    ...EXAMPLE_STACKS.map((stack) => [`the ${stack} example stack with two team gateways`, () => gatewaysRun(stack)] as const),
];

for (const [label, run] of RUNS) {
    describe(`custom resources of ${label}`, () => {
        it("are the layer's Envoy Gateway, Gateway API, cert-manager and External Secrets kinds", async () => {
            const kinds = [...new Set(customResources(await run()).map((r) => groupAndKind(r.type).kind))].sort();
            assert.deepStrictEqual(kinds, CUSTOM_KINDS);
        });

        it("each wait directly on the Release that installs their CRD, so none is created before its kind is served", async () => {
            assert.deepStrictEqual(missingCrdRelease(await run()), []);
        });

        it("make pulumi up wait until each ExternalSecret has written its Secret", async () => {
            const externalSecrets = (await run()).resources.filter((r) => r.type === "kubernetes:external-secrets.io/v1:ExternalSecret");
            assert.ok(externalSecrets.length >= 2, "the runtime Secret and the OIDC client secret");
            // pulumi-kubernetes provider/pkg/metadata/overrides.go ReadyCondition reads `pulumi.com/waitFor`; External
            // Secrets marks a synced ExternalSecret with condition Ready=True (apis/externalsecrets/v1/externalsecret_types.go).
            const unawaited = externalSecrets.filter((r) => ((r.inputs.metadata as { annotations?: Record<string, string> }).annotations ?? {})["pulumi.com/waitFor"] !== "condition=Ready");
            assert.deepStrictEqual(unawaited.map((r) => r.name), []);
        });
    });
}

describe("the CRD ordering check", () => {
    it("flags a custom resource that waits on its CRD's Release only through another resource", async () => {
        const run = await buildLayer("aws-like");
        const releaseUrn = helmReleases(run).find((r) => r.inputs.name === "envoy-gateway")?.urn;
        const filter = run.resources.find((r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:HTTPRouteFilter");
        assert.ok(releaseUrn && filter);
        const detached = { ...filter, dependencies: filter.dependencies.filter((d) => d !== releaseUrn) };
        const missing = missingCrdRelease({ ...run, resources: run.resources.map((r) => (r === filter ? detached : r)) });
        assert.deepStrictEqual(missing, [`${filter.name} (HTTPRouteFilter): envoy-gateway`]);
    });
});
