// The role reconciler as the Kubernetes layer wires it, read off the recorded runs of both example stacks: its
// ConfigMap, the sidecar in the OpenClaw pod, its Service, its port in the NetworkPolicy, the SecurityPolicy's
// extAuth that asks it and the EnvoyProxy filter order that puts the check after the ID token is verified; and none
// of it under the shared-token weakening.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import { MODEL_PROVIDER_NAMES, MODEL_PROVIDERS } from "../../config/providers";
import { EXAMPLE_SECRETS, EXAMPLE_STACKS, exampleRun } from "../harness/examples";
import { gatewaysRun, TEAMS } from "../harness/gateways";
import { runProgram, stackValues, type ProgramRun, type RecordedResource } from "../harness/program";
import { checkRestricted } from "../../scripts/lib/pss-restricted";

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v ?? {}) as Obj;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const kindOf = (run: ProgramRun, kind: string, namespace = "openclaw") =>
    run.resources.filter((r) => r.custom && r.inputs.kind === kind && o(r.inputs.metadata).namespace === namespace);
const named = (run: ProgramRun, kind: string, name: string, namespace = "openclaw"): RecordedResource | undefined =>
    kindOf(run, kind, namespace).find((r) => o(r.inputs.metadata).name === name);
const podOf = (deployment: RecordedResource): Obj => o(o(o(deployment.inputs.spec).template).spec);
const container = (deployment: RecordedResource, name: string): Obj => {
    const found = arr(podOf(deployment).containers).find((c) => c.name === name);
    assert.ok(found, `container ${name}`);
    return found;
};

/** The names the wiring uses, from the design in docs/kubernetes.md ("Role reconciler"). */
const CONFIG_MAP = "openclaw-role-reconciler";
const SERVICE = "openclaw-role-reconciler";
const SIDECAR = "role-reconciler";
/** The program's source as shipped in the repository. */
const PROGRAM = fs.readFileSync(path.join(__dirname, "..", "..", "components", "kubernetes", "role-reconciler", "program.ts"), "utf8");

interface Wiring {
    readonly run: ProgramRun;
    readonly deployment: RecordedResource;
    readonly configMap: RecordedResource;
    readonly config: Obj;
    readonly service: RecordedResource;
}

async function wiring(run: ProgramRun, namespace = "openclaw"): Promise<Wiring> {
    const deployment = named(run, "Deployment", "openclaw", namespace);
    const configMap = named(run, "ConfigMap", CONFIG_MAP, namespace);
    const service = named(run, "Service", SERVICE, namespace);
    assert.ok(deployment && configMap && service, `the Deployment, the reconciler's ConfigMap and Service in ${namespace}`);
    const config = JSON.parse(String(o(configMap.inputs.data)["config.json"])) as Obj;
    return { run, deployment, configMap, config, service };
}

for (const stack of EXAMPLE_STACKS) {
    describe(`the role reconciler on the ${stack} example stack`, () => {
        let w: Wiring;
        const identity = o(stackValues(stack).identity);
        before(async () => {
            w = await wiring(await exampleRun(stack));
        });

        it("ships the program file as is and a config naming the stack's issuer, client id and role groups", () => {
            const data = o(w.configMap.inputs.data);
            assert.deepStrictEqual(Object.keys(data).sort(), ["config.json", "program.ts"]);
            assert.strictEqual(data["program.ts"], PROGRAM);
            assert.strictEqual(w.config.issuer, identity.issuer);
            assert.strictEqual(w.config.audience, identity.clientId);
            assert.strictEqual(w.config.userClaim, identity.userClaim);
            assert.strictEqual(w.config.groupsClaim, identity.groupsClaim);
            const roles = arr(w.config.roles).map((r) => [r.role, r.groups]);
            assert.deepStrictEqual(Object.fromEntries(roles), identity.roleGroups);
        });

        it("runs the sidecar from the same image, on the program and config the ConfigMap mounts", () => {
            const sidecar = container(w.deployment, SIDECAR);
            const openclaw = container(w.deployment, "openclaw");
            assert.strictEqual(sidecar.image, openclaw.image);
            assert.strictEqual(sidecar.imagePullPolicy, openclaw.imagePullPolicy);
            const volume = arr(podOf(w.deployment).volumes).find((v) => o(v.configMap).name === CONFIG_MAP);
            assert.ok(volume, "a volume of the reconciler's ConfigMap");
            // Root-owned and readable by the pod's group only, like the OpenClaw config's source (0440).
            assert.strictEqual(o(volume.configMap).defaultMode, 0o440);
            const mount = arr(sidecar.volumeMounts).find((m) => m.name === volume.name);
            assert.ok(mount && mount.readOnly === true, JSON.stringify(mount));
            assert.deepStrictEqual(sidecar.command, ["node", `${String(mount.mountPath)}/program.ts`]);
            // The program reads its config path from ROLE_RECONCILER_CONFIG (program.ts, its last lines).
            assert.ok(PROGRAM.includes("process.env.ROLE_RECONCILER_CONFIG"));
            assert.strictEqual(arr(sidecar.env).find((e) => e.name === "ROLE_RECONCILER_CONFIG")?.value, `${String(mount.mountPath)}/config.json`);
            // The openclaw container mounts no reconciler file.
            assert.ok(!arr(openclaw.volumeMounts).some((m) => m.name === volume.name));
        });

        it("gives the sidecar the break-glass password by secretKeyRef only, and no model key", () => {
            const sidecar = container(w.deployment, SIDECAR);
            const fromSecret = arr(sidecar.env).filter((e) => e.valueFrom !== undefined);
            // The break-glass password under trusted-proxy auth (OpenClaw 2026.9.6 docs/gateway/trusted-proxy-auth.md).
            assert.deepStrictEqual(fromSecret, [{ name: "OPENCLAW_GATEWAY_PASSWORD", valueFrom: { secretKeyRef: { name: "openclaw-secrets", key: "OPENCLAW_GATEWAY_PASSWORD" } } }]);
            const names = arr(sidecar.env).map((e) => String(e.name));
            for (const provider of MODEL_PROVIDER_NAMES) {
                assert.ok(!names.includes(MODEL_PROVIDERS[provider].envVar), MODEL_PROVIDERS[provider].envVar);
            }
            assert.ok(!names.includes("OPENCLAW_GATEWAY_TOKEN"));
            const env = JSON.stringify(sidecar.env);
            for (const secret of Object.values(EXAMPLE_SECRETS)) {
                assert.ok(!env.includes(secret), "no secret value in the env");
            }
        });

        it("runs the CLI as kubectl exec into the gateway container would: same paths, process env and volumes", () => {
            const sidecar = container(w.deployment, SIDECAR);
            const openclaw = container(w.deployment, "openclaw");
            const plain = (c: Obj) => arr(c.env).filter((e) => e.valueFrom === undefined && e.name !== "NODE_OPTIONS" && e.name !== "ROLE_RECONCILER_CONFIG");
            assert.deepStrictEqual(plain(sidecar), plain(openclaw));
            for (const name of ["HOME", "OPENCLAW_CONFIG_PATH", "OPENCLAW_STATE_DIR", "OPENCLAW_CONFIG_READONLY"]) {
                assert.ok(plain(sidecar).some((e) => e.name === name), name);
            }
            const mounts = (c: Obj) => arr(c.volumeMounts).filter((m) => m.name !== "role-reconciler");
            assert.deepStrictEqual(mounts(sidecar), mounts(openclaw));
            // The config read-only; state, the XDG config dir and /tmp (the CLI's lock files) shared.
            assert.deepStrictEqual(mounts(sidecar).map((m) => [m.name, m.readOnly === true]), [["config", true], ["state", false], ["xdg-config", false], ["tmp", false]]);
        });

        it("runs the sidecar restricted, with resources, and probes its health path on its port", () => {
            assert.deepStrictEqual(checkRestricted(podOf(w.deployment)), []);
            const sidecar = container(w.deployment, SIDECAR);
            const sc = o(sidecar.securityContext);
            assert.deepStrictEqual([sc.runAsUser, sc.runAsNonRoot, sc.readOnlyRootFilesystem, sc.allowPrivilegeEscalation, o(sc.capabilities).drop], [1000, true, true, false, ["ALL"]]);
            const resources = o(sidecar.resources);
            assert.ok(o(resources.requests).cpu && o(resources.requests).memory && o(resources.limits).cpu && o(resources.limits).memory, JSON.stringify(resources));
            const listen = o(w.config.listen);
            assert.deepStrictEqual(sidecar.ports, [{ name: "role-reconciler", containerPort: listen.port, protocol: "TCP" }]);
            for (const probe of ["readinessProbe", "livenessProbe"]) {
                assert.deepStrictEqual(o(sidecar[probe]).httpGet, { path: w.config.healthPath, port: listen.port }, probe);
            }
            // The program answers its health path and 404 elsewhere (program.ts), which makes httpGet honest.
            assert.ok(PROGRAM.includes("config.healthPath") && PROGRAM.includes("answer(404)"));
        });

        it("rolls the pod out when either mounted ConfigMap changes: their hash is in the pod template", () => {
            // The Kubernetes provider replaces a ConfigMap whose data changes (pulumi-kubernetes provider/pkg/provider/
            // diff.go: ConfigMaps are immutable unless enableConfigMapMutable) and Reloader acts on updates only, so
            // the template must change with the data. Computed here from the recorded ConfigMaps, not by the helper.
            const mounted = arr(podOf(w.deployment).volumes).filter((v) => v.configMap !== undefined).map((v) => String(o(v.configMap).name));
            assert.deepStrictEqual([...mounted].sort(), ["openclaw-config", CONFIG_MAP]);
            const hash = createHash("sha256");
            for (const name of ["openclaw-config", CONFIG_MAP]) {
                const data = o(named(w.run, "ConfigMap", name)?.inputs.data) as Record<string, string>;
                for (const key of Object.keys(data).sort()) {
                    hash.update(`${key}\0${data[key]}\0`);
                }
                hash.update("\u0001");
            }
            assert.strictEqual(o(o(o(o(w.deployment.inputs.spec).template).metadata).annotations)["openclaw.io/config-sha256"], hash.digest("hex"));
            assert.strictEqual(o(o(w.deployment.inputs.metadata).annotations)["configmap.reloader.stakater.com/reload"], undefined);
        });

        it("serves the sidecar's port through a ClusterIP Service selecting the OpenClaw pod", () => {
            const spec = o(w.service.inputs.spec);
            assert.strictEqual(spec.type, "ClusterIP");
            assert.deepStrictEqual(spec.selector, o(o(o(w.deployment.inputs.spec).template).metadata).labels);
            const port = o(w.config.listen).port;
            assert.deepStrictEqual(spec.ports, [{ name: "role-reconciler", port, targetPort: port, protocol: "TCP" }]);
        });

        it("admits the reconciler's port from the proxies in the policy that admits OpenClaw's", () => {
            const [policy] = kindOf(w.run, "NetworkPolicy").filter((p) => o(p.inputs.metadata).name === "allow-ingress-from-envoy");
            const [rule] = arr(o(policy.inputs.spec).ingress);
            assert.ok(arr(rule.ports).some((p) => p.protocol === "TCP" && p.port === o(w.config.listen).port), JSON.stringify(rule.ports));
        });

        it("asks the reconciler from the SecurityPolicy's extAuth, on its check path, closed on failure", () => {
            const [policy] = kindOf(w.run, "SecurityPolicy");
            // Field names and meaning: envoyproxy/gateway v1.9.0 api/v1alpha1/ext_auth_types.go (ExtAuth.http,
            // HTTPExtAuthService.backendRefs and pathOverride, failOpen, statusOnError (an enum of 4xx/5xx codes that
            // includes 503), timeout as a Gateway API Duration).
            assert.deepStrictEqual(o(policy.inputs.spec).extAuth, {
                http: { backendRefs: [{ name: SERVICE, port: o(w.config.listen).port }], pathOverride: w.config.checkPath },
                failOpen: false,
                statusOnError: 503,
                timeout: "5s",
            });
            // No namespace on the backendRef: it resolves in the policy's own, the Service's (validate.go, v1.9.0).
            assert.strictEqual(o(policy.inputs.metadata).namespace, o(w.service.inputs.metadata).namespace);
        });

        it("creates the SecurityPolicy only after the reconciler's Service, and the Service after the Deployment", () => {
            const [policy] = kindOf(w.run, "SecurityPolicy");
            assert.ok(policy.dependencies.includes(w.service.urn), `the SecurityPolicy waits on ${w.service.name}`);
            assert.ok(w.service.dependencies.includes(w.deployment.urn), `${w.service.name} waits on the Deployment`);
        });

        it("orders ext_authz after jwt_authn on the proxies, so the check sees the verified ID token", () => {
            const [proxy] = w.run.resources.filter((r) => r.custom && r.inputs.kind === "EnvoyProxy");
            // Filter names: the EnvoyFilter enum, envoyproxy/gateway v1.9.0 api/v1alpha1/envoyproxy_types.go.
            assert.deepStrictEqual(o(proxy.inputs.spec).filterOrder, [{ name: "envoy.filters.http.ext_authz", after: "envoy.filters.http.jwt_authn" }]);
        });

        it("listens outside every port OpenClaw derives from its own, and OpenClaw's MCP Apps sandbox listener stays off", () => {
            // OpenClaw 2026.9.6: the gateway on 18789 (docs/gateway/config-gateway.md), MCP Apps on the gateway port plus
            // one (docs/cli/mcp/apps.md), browser control on plus two and CDP on 18800-18899 (docs/tools/browser/configuration.md).
            const openclawJson = JSON.parse(String(o(named(w.run, "ConfigMap", "openclaw-config")?.inputs.data)["openclaw.json"])) as Obj;
            assert.notStrictEqual(o(o(openclawJson.mcp).apps).enabled, true);
            const port = Number(o(w.config.listen).port);
            assert.ok(port < 18789 || port > 18899, String(port));
        });
    });

    describe(`the role reconciler on the ${stack} example stack with team gateways`, () => {
        it("runs in each gateway's namespace with that gateway's role groups, asked by that namespace's SecurityPolicy", async () => {
            const run = await gatewaysRun(stack);
            for (const team of TEAMS[stack]) {
                const namespace = String(team.namespace ?? `openclaw-${String(team.name)}`);
                const w = await wiring(run, namespace);
                assert.deepStrictEqual(Object.fromEntries(arr(w.config.roles).map((r) => [r.role, r.groups])), team.roleGroups, namespace);
                const [policy] = kindOf(run, "SecurityPolicy", namespace);
                assert.ok(policy.dependencies.includes(w.service.urn), namespace);
            }
        });
    });
}

describe("the role reconciler under the shared-token weakening", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ stack: "dev", secrets: EXAMPLE_SECRETS, config: { identity: undefined, identityClientSecret: undefined, allowSharedTokenAuth: true } });
    });

    it("is not created: no ConfigMap, sidecar, Service, port, extAuth or filter order", () => {
        assert.strictEqual(named(run, "ConfigMap", CONFIG_MAP), undefined);
        assert.strictEqual(named(run, "Service", SERVICE), undefined);
        const deployment = named(run, "Deployment", "openclaw");
        assert.ok(deployment);
        assert.deepStrictEqual(arr(podOf(deployment).containers).map((c) => c.name), ["openclaw"]);
        assert.match(String(o(o(o(o(deployment.inputs.spec).template).metadata).annotations)["openclaw.io/config-sha256"]), /^[0-9a-f]{64}$/);
        const [policy] = kindOf(run, "NetworkPolicy").filter((p) => o(p.inputs.metadata).name === "allow-ingress-from-envoy");
        assert.deepStrictEqual(arr(o(policy.inputs.spec).ingress)[0].ports, [{ protocol: "TCP", port: 18789 }]);
        assert.deepStrictEqual(kindOf(run, "SecurityPolicy"), []);
        const [proxy] = run.resources.filter((r) => r.custom && r.inputs.kind === "EnvoyProxy");
        assert.strictEqual(o(proxy.inputs.spec).filterOrder, undefined);
    });
});

describe("a change of role groups reaches the running reconciler", () => {
    it("changes the pod template (a rollout), and nothing else does: the same config twice gives the same template", async () => {
        const template = async (admin: string) => {
            const identity = { ...(stackValues("dev").identity as Obj), roleGroups: { ...o(o(stackValues("dev").identity).roleGroups), admin: [admin] } };
            const run = await runProgram({ stack: "dev", secrets: EXAMPLE_SECRETS, config: { identity } });
            return o(o(o(named(run, "Deployment", "openclaw")?.inputs.spec).template).metadata).annotations;
        };
        const [before, again, after] = [await template("OpenClaw-Admins"), await template("OpenClaw-Admins"), await template("OpenClaw-Owners")];
        assert.deepStrictEqual(before, again);
        assert.notDeepStrictEqual(before, after);
    });
});
