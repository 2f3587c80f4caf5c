// The restricted security settings every pod and container this layer controls runs with, in one place.
import type * as inputs from "@pulumi/kubernetes/types/input";

/** seccomp with the container runtime's default profile, required by the restricted Pod Security Standard. */
export const RUNTIME_DEFAULT_SECCOMP = { type: "RuntimeDefault" } as const;

/**
 * Pod-level settings of the restricted Pod Security Standard. `uid` pins the user and group where the image's
 * numeric user is known; otherwise `runAsNonRoot` makes the kubelet refuse an image whose user is root.
 */
export function restrictedPodSecurity(uid?: number): inputs.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: true,
        ...(uid === undefined ? {} : { runAsUser: uid, runAsGroup: uid, fsGroup: uid }),
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    };
}

/** Container-level settings of the restricted Pod Security Standard, with a read-only root filesystem. */
export function restrictedContainerSecurity(uid?: number): inputs.core.v1.SecurityContext {
    return {
        runAsNonRoot: true,
        ...(uid === undefined ? {} : { runAsUser: uid, runAsGroup: uid }),
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    };
}

/** Requests and limits for a controller of modest size; every container this layer controls has both. */
export function controllerResources(memory: "128Mi" | "256Mi" | "512Mi" = "256Mi"): inputs.core.v1.ResourceRequirements {
    return { requests: { cpu: "50m", memory }, limits: { cpu: "500m", memory } };
}
