// The Kubernetes layer on AWS-like and Azure-like fake seams, checked against the checklist's Kubernetes properties.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CHARTS } from "../../components/kubernetes/charts";
import { ACCESS_LOG_FORMAT } from "../../components/kubernetes/ingress";
import { OPENCLAW_PROCESS_ENV } from "../../components/kubernetes/openclaw-json";
import { LEGACY_TLS12_CIPHERS } from "../../components/kubernetes/public-endpoint";
import { APP_NAMESPACES, RUNTIME_SECRET } from "../../components/seam";
import { MODEL_PROVIDERS } from "../../config/providers";
import { stackValues, type ProgramRun } from "../harness/program";
import { chartPods, FLUENT_BIT_EXEMPTIONS } from "./chart-pods";
import { FAKE_GROUPS, FAKE_PLATFORMS, STACK_OF, type FakePlatform } from "./fake-seam";
import { buildLayer, chartValues, helmReleases, kubernetesObjects, LAYER_SECRETS, nameOf, namespaceOf, objectsOfKind, type KubernetesObject } from "./layer-run";
import { checkRestricted, podSpecOf } from "../../scripts/lib/pss-restricted";
import { loadValidator, UNMODELLED_API_VERSIONS, validateObjectStrict, validateStrictWith } from "../../scripts/lib/strict-schema";

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v ?? {}) as Obj;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const spec = (x: KubernetesObject): Obj => o(x.spec);
const PRIVATE: Readonly<Record<FakePlatform, readonly string[]>> = { "aws-like": ["10.20.0.0/16", "172.20.0.0/16"], "azure-like": ["10.30.0.0/16", "100.64.0.0/16", "172.20.0.0/16"] };
const POD_CIDRS: Readonly<Record<FakePlatform, readonly string[]>> = { "aws-like": ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"], "azure-like": ["100.64.0.0/16"] };

function openclawDeployment(run: ProgramRun): KubernetesObject {
    const [deployment] = objectsOfKind(run, "Deployment").filter((d) => namespaceOf(d) === APP_NAMESPACES.openclaw);
    assert.ok(deployment, "the OpenClaw Deployment exists");
    return deployment;
}

for (const platform of FAKE_PLATFORMS) {
    describe(`Kubernetes layer on an ${platform} seam`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await buildLayer(platform);
        });

        it("creates every Kubernetes resource and Helm release with the platform's cluster provider", () => {
            const k8s = run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            assert.ok(k8s.length > 50);
            const expected = platform === "aws-like" ? "fake-eks" : "fake-aks";
            assert.deepStrictEqual(k8s.filter((r) => !r.provider?.includes(`::${expected}::`)).map((r) => r.name), []);
        });

        it("validates every Kubernetes object strictly against its schema; only Envoy Gateway kinds have none", async () => {
            const unvalidated = new Set<string>();
            for (const object of kubernetesObjects(run)) {
                const problems = await validateObjectStrict(object);
                if (problems === undefined) {
                    assert.ok(UNMODELLED_API_VERSIONS.includes(object.apiVersion), `${object.kind} ${object.apiVersion} has no schema`);
                    unvalidated.add(object.kind);
                } else {
                    assert.deepStrictEqual(problems, [], `${object.kind} ${nameOf(object)}`);
                }
            }
            assert.deepStrictEqual([...unvalidated].sort(), ["ClientTrafficPolicy", "EnvoyExtensionPolicy", "EnvoyProxy", "HTTPRouteFilter", "SecurityPolicy"]);
        });

        it("validates the Kubernetes types embedded in the EnvoyProxy and in the charts' values strictly", async () => {
            const podSc = await loadValidator("kubernetes-models/_schemas/IoK8sApiCoreV1PodSecurityContext");
            const containerSc = await loadValidator("kubernetes-models/_schemas/IoK8sApiCoreV1SecurityContext");
            const container = await loadValidator("kubernetes-models/_schemas/IoK8sApiCoreV1Container");
            const volume = await loadValidator("kubernetes-models/_schemas/IoK8sApiCoreV1Volume");
            for (const p of chartPods(run)) {
                assert.deepStrictEqual(validateStrictWith(podSc, p.spec.securityContext ?? {}), [], `${p.name} pod securityContext`);
                for (const c of arr(p.spec.containers)) {
                    assert.deepStrictEqual(validateStrictWith(containerSc, c.securityContext ?? {}), [], `${p.name} container securityContext`);
                    assert.deepStrictEqual(validateStrictWith(container, { ...c, name: "c" }), [], `${p.name} container`);
                }
                for (const v of arr(p.spec.volumes)) {
                    assert.deepStrictEqual(validateStrictWith(volume, v), [], `${p.name} volume`);
                }
            }
        });

        it("runs every pod template it creates under the restricted Pod Security Standard", () => {
            const workloads = kubernetesObjects(run).filter((x) => podSpecOf(x) !== undefined);
            assert.ok(workloads.length >= 1);
            for (const workload of workloads) {
                assert.deepStrictEqual(checkRestricted(podSpecOf(workload)), [], `${workload.kind} ${nameOf(workload)}`);
            }
        });

        it("sets restricted security contexts in every chart's values; Fluent Bit's hostPath and root are the only exception", () => {
            const pods = chartPods(run);
            assert.strictEqual(pods.length, 12);
            for (const p of pods) {
                assert.deepStrictEqual(checkRestricted(p.spec, p.exemptions), [], p.name);
            }
            const exempt = pods.filter((p) => p.exemptions.length > 0);
            assert.deepStrictEqual(exempt.map((p) => p.name), ["fluent-bit"]);
            assert.deepStrictEqual(exempt[0].exemptions, FLUENT_BIT_EXEMPTIONS);
        });

        it("enforces restricted Pod Security in every namespace but logging, whose exception states its reason", () => {
            for (const ns of objectsOfKind(run, "Namespace")) {
                const labels = o(ns.metadata?.labels);
                assert.strictEqual(labels["pod-security.kubernetes.io/audit"], "restricted");
                assert.strictEqual(labels["pod-security.kubernetes.io/warn"], "restricted");
                if (nameOf(ns) === "logging") {
                    assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], "privileged");
                    assert.match(String(o(ns.metadata?.annotations)["openclaw.io/pod-security-exception"]), /hostPath/);
                } else {
                    assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], "restricted", nameOf(ns));
                }
            }
        });

        it("denies all ingress and egress by default in every namespace it creates", () => {
            const namespaces = objectsOfKind(run, "Namespace").map(nameOf).sort();
            assert.deepStrictEqual(namespaces, ["cert-manager", "envoy-gateway-system", "external-secrets", "logging", "openclaw", "openclaw-sandbox", "reloader"]);
            const policies = objectsOfKind(run, "NetworkPolicy");
            for (const ns of namespaces) {
                const denyAll = policies.find((p) => {
                    const s = spec(p);
                    return namespaceOf(p) === ns && Object.keys(o(s.podSelector)).length === 0 && JSON.stringify(s.policyTypes) === JSON.stringify(["Ingress", "Egress"]) && s.ingress === undefined && s.egress === undefined;
                });
                assert.ok(denyAll, `default deny in ${ns}`);
            }
        });

        it("lets no pod reach link-local (instance metadata) except the credential endpoints the platform names", () => {
            const allowedLinkLocal = platform === "aws-like" ? ["169.254.170.23/32"] : [];
            for (const policy of objectsOfKind(run, "NetworkPolicy")) {
                for (const rule of arr(spec(policy).egress)) {
                    for (const peer of arr(rule.to)) {
                        const block = o(peer.ipBlock);
                        if (block.cidr === "0.0.0.0/0") {
                            assert.ok(arr(block.except).includes("169.254.0.0/16" as never), `${nameOf(policy)} excepts link-local`);
                        } else if (String(block.cidr ?? "").startsWith("169.254.")) {
                            assert.ok(allowedLinkLocal.includes(String(block.cidr)), `${nameOf(policy)} reaches ${String(block.cidr)}`);
                        }
                    }
                }
            }
        });

        it("admits traffic to the OpenClaw pod only on 18789 and the role reconciler's 18780, and only from this gateway's Envoy proxy pods", () => {
            const ingressRules = objectsOfKind(run, "NetworkPolicy")
                .filter((p) => namespaceOf(p) === APP_NAMESPACES.openclaw)
                .flatMap((p) => arr(spec(p).ingress));
            assert.strictEqual(ingressRules.length, 1);
            const [rule] = ingressRules;
            // 18789: OpenClaw's gateway.port (OpenClaw 2026.9.6 docs/gateway/config-gateway.md); 18780: the role
            // reconciler ext_authz asks under single sign-on, which both fake stacks have (docs/kubernetes.md).
            assert.deepStrictEqual(rule.ports, [{ protocol: "TCP", port: 18789 }, { protocol: "TCP", port: 18780 }]);
            const [peer] = arr(rule.from);
            assert.deepStrictEqual(o(peer.namespaceSelector).matchLabels, { "kubernetes.io/metadata.name": CHARTS.envoyGateway.namespace });
            assert.deepStrictEqual(o(peer.podSelector).matchLabels, {
                "app.kubernetes.io/name": "envoy",
                "app.kubernetes.io/component": "proxy",
                "gateway.envoyproxy.io/owning-gateway-name": "openclaw",
                "gateway.envoyproxy.io/owning-gateway-namespace": APP_NAMESPACES.openclaw,
            });
        });

        it("lets OpenClaw out on 443 only, to the internet minus the platform's private ranges and link-local", () => {
            const egress = objectsOfKind(run, "NetworkPolicy")
                .filter((p) => namespaceOf(p) === APP_NAMESPACES.openclaw && o(spec(p).podSelector).matchLabels !== undefined)
                .flatMap((p) => arr(spec(p).egress));
            assert.strictEqual(egress.length, 1);
            assert.deepStrictEqual(egress[0].ports, [{ protocol: "TCP", port: 443 }]);
            const block = o(arr(egress[0].to)[0].ipBlock);
            assert.strictEqual(block.cidr, "0.0.0.0/0");
            assert.deepStrictEqual([...arr(block.except)].sort(), [...PRIVATE[platform], "169.254.0.0/16"].sort());
        });

        it("redirects HTTP to HTTPS with 301, as the only route on the HTTP listener", () => {
            const routes = objectsOfKind(run, "HTTPRoute");
            const onHttp = routes.filter((r) => arr(spec(r).parentRefs).some((p) => p.sectionName === "http"));
            assert.strictEqual(onHttp.length, 1);
            assert.deepStrictEqual(arr(spec(onHttp[0]).rules), [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
            const [gateway] = objectsOfKind(run, "Gateway");
            assert.deepStrictEqual(arr(spec(gateway).listeners).map((l) => [l.port, l.protocol]), [[443, "HTTPS"], [80, "HTTP"]]);
        });

        it("accepts TLS 1.3 only, by default", () => {
            const [policy] = objectsOfKind(run, "ClientTrafficPolicy");
            assert.strictEqual(o(spec(policy).tls).minVersion, "1.3");
            assert.strictEqual(o(spec(policy).tls).maxVersion, "1.3");
            assert.strictEqual(o(spec(policy).tls).ciphers, undefined);
        });

        it("sends HSTS with max-age of at least a year on every response", () => {
            const [policy] = objectsOfKind(run, "ClientTrafficPolicy");
            const hsts = arr(o(o(spec(policy).headers).lateResponseHeaders).set).find((h) => String(h.name).toLowerCase() === "strict-transport-security");
            const maxAge = Number(/max-age=(\d+)/.exec(String(hsts?.value))?.[1]);
            assert.ok(maxAge >= 31536000, `max-age ${maxAge}`);
        });

        it("keeps or generates a request id and logs it in a JSON access log without credentials, cookies or query strings", () => {
            const [policy] = objectsOfKind(run, "ClientTrafficPolicy");
            assert.strictEqual(o(spec(policy).headers).requestID, "PreserveOrGenerate");
            const [proxy] = objectsOfKind(run, "EnvoyProxy");
            const [setting] = arr(o(o(spec(proxy).telemetry).accessLog).settings);
            const format = o(setting.format);
            assert.strictEqual(format.type, "JSON");
            const json = o(format.json);
            assert.deepStrictEqual(json, { ...ACCESS_LOG_FORMAT });
            assert.strictEqual(json.request_id, "%REQ(X-REQUEST-ID)%");
            for (const field of ["start_time", "client_ip", "method", "path", "status", "bytes_sent", "duration_ms"]) {
                assert.ok(json[field], field);
            }
            const operators = Object.values(json).join(" ");
            assert.doesNotMatch(operators, /AUTHORIZATION|COOKIE/i);
            assert.doesNotMatch(operators, /%REQ\(:PATH\)%|%PATH(\((WQ)[^)]*\))?%/);
        });

        it("gives the proxies' load balancer the platform's annotations and expects PROXY protocol exactly when the platform does", () => {
            const [proxy] = objectsOfKind(run, "EnvoyProxy");
            const service = o(o(o(spec(proxy).provider).kubernetes).envoyService);
            assert.strictEqual(service.type, "LoadBalancer");
            assert.ok(Object.keys(o(service.annotations)).length > 0);
            const [policy] = objectsOfKind(run, "ClientTrafficPolicy");
            assert.strictEqual(spec(policy).proxyProtocol !== undefined, platform === "aws-like");
        });

        it("puts no Secret, and no secret value, in any object, Helm value or output", () => {
            const objects = kubernetesObjects(run);
            assert.deepStrictEqual(objects.filter((x) => x.kind === "Secret").map(nameOf), []);
            assert.deepStrictEqual(objects.filter((x) => x.kind !== "ConfigMap" && ("data" in x || "stringData" in x)).map((x) => x.kind), []);
            const everything = JSON.stringify([run.resources.map((r) => r.inputs), run.outputs]);
            for (const value of Object.values(LAYER_SECRETS)) {
                assert.ok(!everything.includes(value), "a fake model-provider key leaked");
            }
            assert.deepStrictEqual(run.resources.filter((r) => r.type.startsWith("kubernetes:") && r.secretInputs.length > 0).map((r) => r.name), []);
        });

        it("binds RBAC to the platform's groups only, with Group subjects, and never to cluster-admin", () => {
            const bindings = [...objectsOfKind(run, "RoleBinding"), ...objectsOfKind(run, "ClusterRoleBinding")];
            assert.strictEqual(bindings.length, 6);
            const groups = new Set<string>(Object.values(FAKE_GROUPS).flat());
            for (const binding of bindings) {
                assert.notStrictEqual(o(binding.roleRef).name, "cluster-admin");
                for (const subject of arr(binding.subjects)) {
                    assert.strictEqual(subject.kind, "Group");
                    assert.ok(groups.has(String(subject.name)), String(subject.name));
                }
            }
            const developer = bindings.filter((b) => arr(b.subjects).some((s) => s.name === FAKE_GROUPS.developer[0]));
            assert.deepStrictEqual(developer.map((b) => [b.kind, namespaceOf(b)]), [["RoleBinding", APP_NAMESPACES.sandbox]]);
        });

        it("gives operators and auditors no access to Secrets", () => {
            for (const role of objectsOfKind(run, "ClusterRole")) {
                for (const rule of arr(role.rules)) {
                    const resources = arr(rule.resources).map(String);
                    const coreGroup = arr(rule.apiGroups).map(String).includes("");
                    assert.ok(!(coreGroup && (resources.includes("secrets") || resources.includes("*"))), `${nameOf(role)} reads secrets`);
                }
            }
        });

        it("runs OpenClaw as one Recreate replica, digest-pinned, uid 1000, with body-checking probes and bounded scratch space", () => {
            const deployment = openclawDeployment(run);
            const s = spec(deployment);
            assert.strictEqual(s.replicas, 1);
            assert.deepStrictEqual(s.strategy, { type: "Recreate" });
            const pod = o(o(s.template).spec);
            assert.strictEqual(pod.automountServiceAccountToken, false);
            assert.deepStrictEqual([o(pod.securityContext).runAsUser, o(pod.securityContext).runAsGroup], [1000, 1000]);
            const [container] = arr(pod.containers);
            assert.strictEqual(container.image, o(stackValues(STACK_OF[platform]).openclaw).image);
            assert.strictEqual(o(container.securityContext).readOnlyRootFilesystem, true);
            assert.ok(o(o(container.resources).limits).memory && o(o(container.resources).requests).cpu);
            // docs/install/kubernetes.md (2026.9.6): /startupz for startup and traffic admission on images from 2026.8.1,
            // /healthz for liveness; docs/gateway/health.md: /startupz answers status "started", /healthz ok: true.
            for (const [probe, path, check] of [
                ["startupProbe", "/startupz", 'b.status==="started"'],
                ["livenessProbe", "/healthz", "b.ok===true"],
                ["readinessProbe", "/startupz", 'b.status==="started"'],
            ] as const) {
                const command = arr(o(o(container[probe]).exec).command as unknown).map(String).join(" ");
                assert.ok(command.startsWith("node -e ") && command.includes(path) && command.includes(check), `${probe}: ${command}`);
            }
            for (const volume of arr(pod.volumes).filter((v) => v.emptyDir !== undefined)) {
                assert.ok(o(volume.emptyDir).sizeLimit, String(volume.name));
            }
            for (const [envName, value] of Object.entries(OPENCLAW_PROCESS_ENV)) {
                assert.ok(arr(container.env).some((e) => e.name === envName && e.value === value), envName);
            }
            const mounts = arr(container.volumeMounts).map((m) => m.mountPath).sort();
            assert.deepStrictEqual(mounts, ["/etc/openclaw", "/home/node/.config/openclaw", "/home/node/.openclaw", "/tmp"]);
            // OpenClaw reads its configuration from a read-only copy the init container made (mode 0400, owned by the
            // node user), never from the ConfigMap volume, whose files are symlinks readable by the fsGroup.
            const configPath = String(arr(container.env).find((e) => e.name === "OPENCLAW_CONFIG_PATH")?.value);
            const configMount = arr(container.volumeMounts).find((m) => configPath.startsWith(`${String(m.mountPath)}/`));
            assert.ok(configMount && configMount.readOnly === true, JSON.stringify(configMount));
            const configVolume = arr(pod.volumes).find((v) => v.name === configMount.name);
            assert.ok(configVolume?.emptyDir !== undefined, JSON.stringify(configVolume));
            const [prepare] = arr(pod.initContainers);
            assert.strictEqual(prepare.image, container.image);
            assert.ok(arr(prepare.volumeMounts).some((m) => m.name === configMount.name && m.readOnly !== true));
            // State lives in a 0700 directory inside the volume, not its group-writable (fsGroup) root.
            const stateDir = String(arr(container.env).find((e) => e.name === "OPENCLAW_STATE_DIR")?.value);
            assert.ok(stateDir.startsWith("/home/node/.openclaw/") && arr(prepare.command).map(String).join(" ").includes(stateDir), stateDir);
            // A V8 heap cap below the memory limit (docs/gateway/troubleshooting/gateway-service-and-process.md).
            const heap = /--max-old-space-size=(\d+)/.exec(String(arr(container.env).find((e) => e.name === "NODE_OPTIONS")?.value));
            assert.ok(heap && Number(heap[1]) > 0 && Number(heap[1]) < 4096, String(heap));
        });

        it("keeps OpenClaw's state on the platform's encrypted StorageClass", () => {
            const [claim] = objectsOfKind(run, "PersistentVolumeClaim");
            assert.strictEqual(spec(claim).storageClassName, platform === "aws-like" ? "gp3-encrypted" : "managed-csi-cmk");
            assert.deepStrictEqual(spec(claim).accessModes, ["ReadWriteOnce"]);
        });

        it("takes the token and provider keys from the Secret External Secrets maintains, and restarts when it changes", () => {
            const deployment = openclawDeployment(run);
            assert.strictEqual(o(deployment.metadata?.annotations)["secret.reloader.stakater.com/reload"], RUNTIME_SECRET.name);
            const [container] = arr(o(o(spec(deployment).template).spec).containers);
            const fromSecret = arr(container.env).filter((e) => e.valueFrom !== undefined);
            const names = fromSecret.map((e) => String(e.name)).sort();
            // With single sign-on the vault's gateway secret is the break-glass password: OpenClaw refuses trusted-proxy
            // auth while OPENCLAW_GATEWAY_TOKEN is set (docs/gateway/trusted-proxy-auth.md "Mixed token configuration").
            assert.deepStrictEqual(names, [MODEL_PROVIDERS.anthropic.envVar, "OPENCLAW_GATEWAY_PASSWORD", MODEL_PROVIDERS.openai.envVar].sort());
            assert.ok(!names.includes(RUNTIME_SECRET.gatewayTokenKey));
            for (const e of fromSecret) {
                assert.strictEqual(o(o(e.valueFrom).secretKeyRef).name, RUNTIME_SECRET.name);
            }
            const externalSecret = objectsOfKind(run, "ExternalSecret").find((x) => o(spec(x).target).name === RUNTIME_SECRET.name);
            assert.ok(externalSecret, "an ExternalSecret maintains the runtime Secret");
            assert.deepStrictEqual(arr(spec(externalSecret).data).map((d) => d.secretKey).sort(), names);
            assert.strictEqual(spec(externalSecret).refreshInterval, "1h");
        });

        it("builds the ClusterSecretStore from the seam's provider block and lets only the gateway's namespace use it", () => {
            const [store] = objectsOfKind(run, "ClusterSecretStore");
            assert.ok(Object.keys(o(spec(store).provider)).length === 1);
            const selector = o(o(arr(spec(store).conditions)[0].namespaceSelector).matchLabels);
            const labelled = objectsOfKind(run, "Namespace").filter((ns) => Object.entries(selector).every(([k, v]) => o(ns.metadata?.labels)[k] === v));
            assert.deepStrictEqual(labelled.map(nameOf), [APP_NAMESPACES.openclaw]);
        });

        it("hands OpenClaw the pod ranges, where the Envoy proxies run, as its only trusted proxies", () => {
            const [configMap] = objectsOfKind(run, "ConfigMap").filter((c) => namespaceOf(c) === APP_NAMESPACES.openclaw);
            const config = JSON.parse(String(o(configMap.data)["openclaw.json"])) as { gateway?: { trustedProxies?: unknown } };
            assert.deepStrictEqual(config.gateway?.trustedProxies, POD_CIDRS[platform]);
        });

        it("installs every chart of record at its pinned version, after the workload identity it uses exists", () => {
            const releases = helmReleases(run);
            assert.deepStrictEqual(releases.map((r) => `${String(r.inputs.chart)}@${String(r.inputs.version)}`).sort(), Object.values(CHARTS).map((c) => `${c.chart}@${c.version}`).sort());
            const identityUrns = run.resources.filter((r) => r.name.startsWith("fake-") && !r.type.startsWith("pulumi:providers:")).map((r) => r.urn);
            for (const chart of ["cert-manager", "external-secrets", "fluent-bit"]) {
                const release = releases.find((r) => r.inputs.chart === chart);
                assert.ok(release?.dependencies.some((d) => identityUrns.includes(d)), `${chart} waits for its identity`);
                const sa = o(chartValues(run, chart).serviceAccount);
                assert.strictEqual(sa.create, true);
            }
        });

        it("issues the certificate from a production Let's Encrypt ClusterIssuer solving DNS-01 through the platform", () => {
            const [issuer] = objectsOfKind(run, "ClusterIssuer");
            const acme = o(spec(issuer).acme);
            assert.strictEqual(acme.server, "https://acme-v02.api.letsencrypt.org/directory");
            assert.ok(o(arr(acme.solvers)[0]).dns01);
            const [certificate] = objectsOfKind(run, "Certificate");
            assert.deepStrictEqual(spec(certificate).dnsNames, [stackValues(STACK_OF[platform]).hostname]);
            assert.strictEqual(o(chartValues(run, "cert-manager").config).enableGatewayAPI, true);
        });
    });
}

describe("Kubernetes layer options", () => {
    it("under the named legacy exception accepts TLS 1.2, with ECDHE AES-256-GCM and ChaCha20-Poly1305 only", async () => {
        const run = await buildLayer("aws-like", { allowLegacyTls12: true });
        const tls = o(spec(objectsOfKind(run, "ClientTrafficPolicy")[0]).tls);
        assert.deepStrictEqual([tls.minVersion, tls.maxVersion], ["1.2", "1.3"]);
        const ciphers = arr(tls.ciphers).map(String);
        assert.deepStrictEqual(ciphers, [...LEGACY_TLS12_CIPHERS]);
        for (const cipher of ciphers) {
            assert.match(cipher, /^ECDHE-(ECDSA|RSA)-(AES256-GCM-SHA384|CHACHA20-POLY1305)$/);
        }
    });

    it("uses the staging ClusterIssuer when acmeEnvironment is staging", async () => {
        const run = await buildLayer("azure-like", { acmeEnvironment: "staging" });
        const [issuer] = objectsOfKind(run, "ClusterIssuer");
        assert.strictEqual(nameOf(issuer), "letsencrypt-staging");
        assert.strictEqual(o(spec(issuer).acme).server, "https://acme-staging-v02.api.letsencrypt.org/directory");
    });
});

describe("components/kubernetes source", () => {
    it("names no cloud and branches on none: everything cloud-specific comes through the seam", () => {
        const dir = path.resolve(__dirname, "..", "..", "components", "kubernetes");
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
            const text = fs.readFileSync(path.join(dir, file), "utf8");
            assert.doesNotMatch(text, /\b(aws|azure|amazon|eks|aks|gcp|gke|route53|entra)\b|cloud\s*===/i, file);
        }
    });
});
