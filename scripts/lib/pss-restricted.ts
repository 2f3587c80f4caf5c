// A Pod Security Standards checker (baseline + restricted profiles), written from the Kubernetes documentation:
// https://kubernetes.io/docs/concepts/security/pod-security-standards/ (policy version "latest").

/** The controls of the baseline and restricted profiles, named as the documentation names them. */
export const PSS_CONTROLS = [
    "HostProcess",
    "Host Namespaces",
    "Privileged Containers",
    "Capabilities",
    "HostPath Volumes",
    "Host Ports",
    "AppArmor",
    "SELinux",
    "/proc Mount Type",
    "Seccomp",
    "Sysctls",
    "Volume Types",
    "Privilege Escalation",
    "Running as Non-root",
    "Running as Non-root user",
] as const;
export type PssControl = (typeof PSS_CONTROLS)[number];

export interface PssViolation {
    readonly control: PssControl;
    /** Where, as a path into the pod spec (e.g. `containers[0].securityContext.privileged`). */
    readonly path: string;
    readonly message: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const RESTRICTED_VOLUME_SOURCES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", "image"]);

/**
 * Checks a pod spec against the restricted profile (which includes baseline). `exemptions` names controls the
 * caller deliberately does not hold this pod to; every other control is checked.
 */
export function checkRestricted(podSpec: unknown, exemptions: readonly PssControl[] = []): PssViolation[] {
    const spec = obj(podSpec);
    const violations: PssViolation[] = [];
    const fail = (control: PssControl, path: string, message: string) => {
        if (!exemptions.includes(control)) {
            violations.push({ control, path, message });
        }
    };
    const podSc = obj(spec.securityContext);

    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (spec[field] === true) {
            fail("Host Namespaces", field, `${field} must be unset or false`);
        }
    }
    if (obj(podSc.windowsOptions).hostProcess === true) {
        fail("HostProcess", "securityContext.windowsOptions.hostProcess", "Windows HostProcess pods are forbidden");
    }
    checkSeLinux(podSc.seLinuxOptions, "securityContext.seLinuxOptions", fail);
    checkAppArmor(podSc.appArmorProfile, "securityContext.appArmorProfile", fail);
    list(podSc.sysctls).forEach((s, i) => {
        if (!SAFE_SYSCTLS.has(String(s.name))) {
            fail("Sysctls", `securityContext.sysctls[${i}]`, `sysctl ${String(s.name)} is not in the safe set`);
        }
    });
    const podSeccomp = obj(podSc.seccompProfile).type;
    if (podSeccomp === "Unconfined") {
        fail("Seccomp", "securityContext.seccompProfile.type", "seccomp must not be Unconfined");
    }
    if (podSc.runAsNonRoot === false) {
        fail("Running as Non-root", "securityContext.runAsNonRoot", "runAsNonRoot must not be false");
    }
    if (podSc.runAsUser === 0) {
        fail("Running as Non-root user", "securityContext.runAsUser", "runAsUser must not be 0");
    }

    list(spec.volumes).forEach((volume, i) => {
        const sources = Object.keys(volume).filter((k) => k !== "name");
        if (sources.includes("hostPath")) {
            fail("HostPath Volumes", `volumes[${i}].hostPath`, `volume ${String(volume.name)} is a hostPath`);
        }
        for (const source of sources) {
            if (!RESTRICTED_VOLUME_SOURCES.has(source)) {
                fail("Volume Types", `volumes[${i}].${source}`, `volume ${String(volume.name)} has type ${source}, not allowed by restricted`);
            }
        }
    });

    for (const group of ["containers", "initContainers", "ephemeralContainers"] as const) {
        list(spec[group]).forEach((container, i) => {
            const at = `${group}[${i}]`;
            const sc = obj(container.securityContext);
            if (sc.privileged === true) {
                fail("Privileged Containers", `${at}.securityContext.privileged`, "privileged must be unset or false");
            }
            if (obj(sc.windowsOptions).hostProcess === true) {
                fail("HostProcess", `${at}.securityContext.windowsOptions.hostProcess`, "Windows HostProcess containers are forbidden");
            }
            list(container.ports).forEach((port, p) => {
                if (port.hostPort !== undefined && port.hostPort !== 0) {
                    fail("Host Ports", `${at}.ports[${p}].hostPort`, "hostPort must be unset or 0");
                }
            });
            checkSeLinux(sc.seLinuxOptions, `${at}.securityContext.seLinuxOptions`, fail);
            checkAppArmor(sc.appArmorProfile, `${at}.securityContext.appArmorProfile`, fail);
            if (sc.procMount !== undefined && sc.procMount !== "Default") {
                fail("/proc Mount Type", `${at}.securityContext.procMount`, "procMount must be Default");
            }
            const caps = obj(sc.capabilities);
            const added = Array.isArray(caps.add) ? caps.add.map(String) : [];
            for (const cap of added) {
                // Restricted narrows baseline's allowed additions to this one.
                if (cap !== "NET_BIND_SERVICE") {
                    fail("Capabilities", `${at}.securityContext.capabilities.add`, `capability ${cap} may not be added (only NET_BIND_SERVICE)`);
                }
            }
            const dropped = Array.isArray(caps.drop) ? caps.drop.map(String) : [];
            if (!dropped.includes("ALL")) {
                fail("Capabilities", `${at}.securityContext.capabilities.drop`, "capabilities must drop ALL");
            }
            if (sc.allowPrivilegeEscalation !== false) {
                fail("Privilege Escalation", `${at}.securityContext.allowPrivilegeEscalation`, "allowPrivilegeEscalation must be false");
            }
            const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
            if (nonRoot !== true) {
                fail("Running as Non-root", `${at}.securityContext.runAsNonRoot`, "runAsNonRoot must be true on the container or the pod");
            }
            if (sc.runAsUser === 0) {
                fail("Running as Non-root user", `${at}.securityContext.runAsUser`, "runAsUser must not be 0");
            }
            const seccomp = obj(sc.seccompProfile).type ?? podSeccomp;
            if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
                fail("Seccomp", `${at}.securityContext.seccompProfile.type`, "seccompProfile must be RuntimeDefault or Localhost on the container or the pod");
            }
        });
    }
    return violations;
}

function checkSeLinux(options: unknown, path: string, fail: (c: PssControl, p: string, m: string) => void): void {
    const o = obj(options);
    if (o.type !== undefined && !SELINUX_TYPES.has(String(o.type))) {
        fail("SELinux", `${path}.type`, `SELinux type ${String(o.type)} is not allowed`);
    }
    for (const field of ["user", "role"]) {
        if (o[field] !== undefined && o[field] !== "") {
            fail("SELinux", `${path}.${field}`, `SELinux ${field} must be unset`);
        }
    }
}

function checkAppArmor(profile: unknown, path: string, fail: (c: PssControl, p: string, m: string) => void): void {
    const type = obj(profile).type;
    if (type !== undefined && type !== "RuntimeDefault" && type !== "Localhost") {
        fail("AppArmor", `${path}.type`, `AppArmor profile ${String(type)} is not allowed`);
    }
}

/** The pod spec inside a workload object, or undefined for kinds that have none. */
export function podSpecOf(o: { kind: string } & Record<string, unknown>): unknown {
    const spec = obj(o.spec);
    switch (o.kind) {
        case "Pod":
            return spec;
        case "Deployment":
        case "DaemonSet":
        case "StatefulSet":
        case "ReplicaSet":
        case "Job":
            return obj(spec.template).spec;
        case "CronJob":
            return obj(obj(obj(spec.jobTemplate).spec).template).spec;
        default:
            return undefined;
    }
}
