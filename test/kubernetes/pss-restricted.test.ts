// The Pod Security Standards checker itself: a known-good restricted pod passes, each documented violation fails.
import * as assert from "assert";
import { checkRestricted, podSpecOf, type PssControl } from "../../scripts/lib/pss-restricted";

const container = () => ({
    name: "app",
    image: "registry.example/app@sha256:" + "0".repeat(64),
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
});
const goodPod = (): Record<string, unknown> => ({
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
    initContainers: [container()],
    containers: [container()],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }, { name: "cfg", configMap: { name: "cfg" } }, { name: "data", persistentVolumeClaim: { claimName: "data" } }],
});

type Pod = ReturnType<typeof goodPod> & { containers: ReturnType<typeof container>[]; initContainers: ReturnType<typeof container>[] };
const sc = (pod: Pod, group: "containers" | "initContainers" = "containers") => pod[group][0].securityContext as Record<string, unknown>;

const BAD: ReadonlyArray<[string, PssControl, (pod: Pod) => void]> = [
    ["hostNetwork", "Host Namespaces", (p) => (p.hostNetwork = true)],
    ["hostPID", "Host Namespaces", (p) => (p.hostPID = true)],
    ["a privileged container", "Privileged Containers", (p) => (sc(p).privileged = true)],
    ["an added SYS_ADMIN capability", "Capabilities", (p) => (sc(p).capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] })],
    ["capabilities not dropping ALL", "Capabilities", (p) => (sc(p).capabilities = { drop: ["NET_RAW"] })],
    ["a hostPath volume", "HostPath Volumes", (p) => (p.volumes as unknown[]).push({ name: "h", hostPath: { path: "/var/log" } })],
    ["a hostPort", "Host Ports", (p) => (p.containers[0] = { ...p.containers[0], ports: [{ containerPort: 80, hostPort: 80 }] } as never)],
    ["an unconfined AppArmor profile", "AppArmor", (p) => (sc(p).appArmorProfile = { type: "Unconfined" })],
    ["a custom SELinux user", "SELinux", (p) => (sc(p).seLinuxOptions = { user: "system_u" })],
    ["an unmasked /proc", "/proc Mount Type", (p) => (sc(p).procMount = "Unmasked")],
    ["an unsafe sysctl", "Sysctls", (p) => ((p.securityContext as Record<string, unknown>).sysctls = [{ name: "kernel.msgmax", value: "1" }])],
    ["a nfs volume", "Volume Types", (p) => (p.volumes as unknown[]).push({ name: "n", nfs: { server: "x", path: "/" } })],
    ["allowPrivilegeEscalation unset", "Privilege Escalation", (p) => delete sc(p).allowPrivilegeEscalation],
    ["an init container allowing privilege escalation", "Privilege Escalation", (p) => (sc(p, "initContainers").allowPrivilegeEscalation = true)],
    ["runAsNonRoot missing everywhere", "Running as Non-root", (p) => delete (p.securityContext as Record<string, unknown>).runAsNonRoot],
    ["a container with runAsNonRoot false", "Running as Non-root", (p) => (sc(p).runAsNonRoot = false)],
    ["runAsUser 0 on a container", "Running as Non-root user", (p) => (sc(p).runAsUser = 0)],
    ["no seccomp profile", "Seccomp", (p) => delete (p.securityContext as Record<string, unknown>).seccompProfile],
    ["a container with seccomp Unconfined", "Seccomp", (p) => (sc(p).seccompProfile = { type: "Unconfined" })],
    ["a HostProcess container", "HostProcess", (p) => (sc(p).windowsOptions = { hostProcess: true })],
];

describe("Pod Security Standards restricted checker", () => {
    it("passes a pod that meets every restricted control", () => {
        assert.deepStrictEqual(checkRestricted(goodPod()), []);
    });

    for (const [what, control, mutate] of BAD) {
        it(`flags ${what} under "${control}"`, () => {
            const pod = goodPod() as Pod;
            mutate(pod);
            const violations = checkRestricted(pod);
            assert.ok(violations.some((v) => v.control === control), `expected ${control}, got ${JSON.stringify(violations)}`);
        });
    }

    it("reports nothing for a control the caller exempts, and still reports the others", () => {
        const pod = goodPod() as Pod;
        (pod.volumes as unknown[]).push({ name: "h", hostPath: { path: "/var/log" } });
        sc(pod).privileged = true;
        const controls = checkRestricted(pod, ["HostPath Volumes", "Volume Types"]).map((v) => v.control);
        assert.deepStrictEqual(controls, ["Privileged Containers"]);
    });

    it("finds the pod template in Deployments, DaemonSets, Jobs and CronJobs", () => {
        const spec = goodPod();
        assert.strictEqual(podSpecOf({ kind: "Deployment", spec: { template: { spec } } }), spec);
        assert.strictEqual(podSpecOf({ kind: "DaemonSet", spec: { template: { spec } } }), spec);
        assert.strictEqual(podSpecOf({ kind: "Job", spec: { template: { spec } } }), spec);
        assert.strictEqual(podSpecOf({ kind: "CronJob", spec: { jobTemplate: { spec: { template: { spec } } } } }), spec);
        assert.strictEqual(podSpecOf({ kind: "ConfigMap", data: {} }), undefined);
    });
});
