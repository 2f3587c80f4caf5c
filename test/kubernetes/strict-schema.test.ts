// The strict schema validator itself: valid objects pass, schema violations and misspelt fields are caught.
import * as assert from "assert";
import { loadValidator, validateObjectStrict, validateStrictWith } from "../../scripts/lib/strict-schema";

const deployment = () => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "app", labels: { "app.kubernetes.io/name": "app" }, annotations: { "any.key/works": "yes" } },
    spec: {
        selector: { matchLabels: { app: "app" } },
        template: {
            metadata: { labels: { app: "app" } },
            spec: {
                containers: [{ name: "app", image: "img", securityContext: { runAsNonRoot: true }, resources: { limits: { cpu: "1", memory: "1Gi" } } }],
            },
        },
    },
});

describe("strict Kubernetes schema validation", () => {
    it("accepts a valid Deployment, free-form label and annotation keys included", async () => {
        assert.deepStrictEqual(await validateObjectStrict(deployment()), []);
    });

    it("catches a misspelt field that kubernetes-models' own validate() lets through", async () => {
        const bad = deployment();
        (bad.spec.template.spec.containers[0].securityContext as Record<string, unknown>) = { runAsNonRooot: true };
        const validate = await loadValidator("kubernetes-models/_schemas/IoK8sApiAppsV1Deployment");
        assert.strictEqual(validate(JSON.parse(JSON.stringify(bad))), true, "the plain validator accepts the typo");
        const problems = await validateObjectStrict(bad);
        assert.deepStrictEqual(problems?.map((p) => p.path), ["/spec/template/spec/containers/0/securityContext/runAsNonRooot"]);
    });

    it("catches an unknown top-level field and a wrongly typed value", async () => {
        const bad = { ...deployment(), sepc: {} } as Record<string, unknown>;
        (bad.spec as { replicas?: unknown }).replicas = "one";
        const problems = (await validateObjectStrict(bad as never)) ?? [];
        assert.ok(problems.some((p) => p.path === "/sepc"), JSON.stringify(problems));
        assert.ok(problems.some((p) => p.path === "/spec/replicas" && p.message.startsWith("type")), JSON.stringify(problems));
    });

    it("catches a misspelt field in a Gateway API HTTPRoute", async () => {
        const route = {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "r" },
            spec: { parentRefs: [{ name: "gw" }], rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statuscode: 301 } }] }] },
        };
        const problems = (await validateObjectStrict(route)) ?? [];
        assert.ok(problems.some((p) => p.path.endsWith("/requestRedirect/statuscode")), JSON.stringify(problems));
    });

    it("catches a misspelt field in a cert-manager Certificate and an External Secrets ExternalSecret", async () => {
        const certificate = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "c" }, spec: { secretName: "s", issuerRef: { name: "i" }, dnsName: ["x"] } };
        const secret = { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "e" }, spec: { secretStoreRef: { name: "s", kind: "ClusterSecretStore" }, refreshIntervall: "1h" } };
        assert.ok((await validateObjectStrict(certificate))?.some((p) => p.path === "/spec/dnsName"));
        assert.ok((await validateObjectStrict(secret))?.some((p) => p.path === "/spec/refreshIntervall"));
    });

    it("says it cannot validate an Envoy Gateway kind rather than passing it", async () => {
        assert.strictEqual(await validateObjectStrict({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy" }), undefined);
    });

    it("validates a fragment against a named type", async () => {
        const validate = await loadValidator("kubernetes-models/_schemas/IoK8sApiCoreV1SecurityContext");
        assert.deepStrictEqual(validateStrictWith(validate, { readOnlyRootFilesystem: true }), []);
        assert.strictEqual(validateStrictWith(validate, { readOnlyRootFileSystem: true }).length, 1);
    });
});
