// Install order, read off the dependencies the engine records for each resource: every Release and Deployment
// waits on what it needs itself, since `dependsOn` on a component does not reach the resources inside it.
import * as assert from "assert";
import type { ProgramRun, RecordedResource } from "../harness/program";
import { FAKE_PLATFORMS } from "./fake-seam";
import { buildLayer, helmReleases } from "./layer-run";

const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

/** The fake seams' `readyResources`: the node group and CoreDNS add-on (aws-like), the cluster (azure-like). */
const READY = { "aws-like": ["fake-nodes", "fake-coredns"], "azure-like": ["fake-aks-cluster"] } as const;

for (const platform of FAKE_PLATFORMS) {
    describe(`install order on the ${platform} seam`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await buildLayer(platform);
        });

        const byName = (name: string): RecordedResource => {
            const found = run.resources.filter((r) => r.name === name && r.custom);
            assert.strictEqual(found.length, 1, `one custom resource named ${name}`);
            return found[0];
        };
        const release = (releaseName: string): RecordedResource => {
            const found = helmReleases(run).find((r) => r.inputs.name === releaseName);
            assert.ok(found, `a Release named ${releaseName}`);
            return found;
        };
        const waitsOn = (resource: RecordedResource, names: readonly string[]) => {
            for (const name of names) {
                assert.ok(resource.dependencies.includes(byName(name).urn), `${resource.name} waits on ${name}; it waits on ${resource.dependencies.map((u) => u.split("::").pop()).join(", ")}`);
            }
        };
        /** Every custom resource under a component, by the component's name. */
        const childrenOf = (componentName: string): string[] => {
            const component = run.resources.find((r) => r.name === componentName && !r.custom);
            assert.ok(component, componentName);
            return run.resources.filter((r) => r.parent === component.urn && r.custom).map((r) => r.name);
        };

        // Release names: the charts' own (envoy-gateway, cert-manager, external-secrets, reloader, fluent-bit).
        for (const [releaseName, namespaceComponent] of [
            ["envoy-gateway", "openclaw-ingress-namespace"],
            ["cert-manager", "openclaw-cert-manager-namespace"],
            ["external-secrets", "openclaw-external-secrets-namespace"],
            ["reloader", "openclaw-reloader-namespace"],
            ["fluent-bit", "openclaw-fluent-bit-namespace"],
        ] as const) {
            it(`installs ${releaseName} after the cluster is ready, its namespace, and and the NetworkPolicies its component adds`, () => {
                const namespaceParts = childrenOf(namespaceComponent);
                assert.ok(namespaceParts.some((n) => n.endsWith("-default-deny")), "the namespace component holds its default-deny policy");
                // The component's own allow policies (API server, webhook, HTTPS, credentials): without them the pods
                // start under deny-all, fail their start checks, and the atomic Release rolls back.
                const target = release(releaseName);
                const component = run.resources.find((r) => r.urn === target.parent);
                const allows = run.resources.filter((r) => r.parent === component?.urn && r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.name);
                assert.ok(allows.some((n) => n.includes("-allow-api-server")), `${releaseName} has an allow-api-server policy`);
                waitsOn(target, [...READY[platform], ...namespaceParts, ...allows]);
            });
        }

        it("installs cert-manager after the Envoy Gateway Release, whose chart serves the Gateway API CRDs enableGatewayAPI watches", () => {
            assert.ok(release("cert-manager").dependencies.includes(release("envoy-gateway").urn));
        });

        it("orders no other Release after another: the charts need nothing from each other", () => {
            const releaseUrns = new Map(helmReleases(run).map((r) => [r.urn, String(r.inputs.name)]));
            const edges = helmReleases(run).flatMap((r) => r.dependencies.filter((d) => releaseUrns.has(d)).map((d) => `${String(r.inputs.name)} -> ${releaseUrns.get(d)}`));
            assert.deepStrictEqual(edges, ["cert-manager -> envoy-gateway"]);
        });

        it("installs the charts that use a cloud identity after the platform has bound it", () => {
            for (const [releaseName, workload] of [["cert-manager", "certManager"], ["external-secrets", "externalSecrets"], ["fluent-bit", "fluentBit"]] as const) {
                const identities = run.resources.filter((r) => r.name === `fake-${workload}` && r.custom).map((r) => r.urn);
                assert.ok(release(releaseName).dependencies.some((d) => identities.includes(d)), `${releaseName} waits on fake-${workload}`);
            }
        });

        it("starts OpenClaw after the cluster is ready, its Secret is declared and Reloader is installed", () => {
            const deployment = byName("openclaw-gateway-deployment");
            waitsOn(deployment, [...READY[platform], "openclaw-gateway-external-secret"]);
            assert.ok(deployment.dependencies.includes(release("reloader").urn));
        });

        it("creates the SecurityPolicy after the role reconciler's Service its extAuth names, and that after the Deployment", () => {
            // Envoy Gateway fails a policy whose ext_authz backend Service is missing, and with failOpen false its route
            // answers 500 meanwhile (envoyproxy/gateway v1.9.0 internal/gatewayapi/validate.go, securitypolicy.go).
            waitsOn(byName("openclaw-gateway-endpoint-sso-security-policy"), ["openclaw-gateway-role-reconciler-service"]);
            waitsOn(byName("openclaw-gateway-role-reconciler-service"), ["openclaw-gateway-deployment"]);
        });

        it("creates the ClusterIssuer, ClusterSecretStore and EnvoyProxy after the Release that installs their CRDs", () => {
            assert.ok(byName("openclaw-cert-manager-cluster-issuer").dependencies.includes(release("cert-manager").urn));
            assert.ok(byName("openclaw-external-secrets-cluster-secret-store").dependencies.includes(release("external-secrets").urn));
            assert.ok(byName("openclaw-ingress-envoy-proxy").dependencies.includes(release("envoy-gateway").urn));
        });

        it("registers every Release of the layer with the cluster's readiness as a direct dependency", () => {
            const ready = READY[platform].map((n) => byName(n).urn);
            for (const r of run.resources.filter((x) => x.type === RELEASE_TYPE)) {
                assert.deepStrictEqual(ready.filter((u) => !r.dependencies.includes(u)), [], r.name);
            }
        });
    });
}
