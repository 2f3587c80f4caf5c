// Workload and CI policies (RBAC-5, NET-3, CI-1) on the Kubernetes fixture world, one changed field per case.
import * as ci from "../../policy-pack/policies/ci";
import * as wl from "../../policy-pack/policies/workload";
import { describePolicy, EXCEPTION_RECORD, set, unknown } from "./cases";
import { awsWorld, kubernetesWorld } from "./fixtures";

const M = wl.MESSAGES;
const C = ci.MESSAGES;
const OPENCLAW = 'containers[0] "openclaw"';
const INIT = 'initContainers[0] "init-config"';
const container = "spec.template.spec.containers[0]";

describe("workload policies (RBAC-5, NET-3)", () => {
    describePolicy(wl.kubernetesPodEnforceRestrictedSecurityContext, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-5: flags an init container that may escalate privileges", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation", undefined), expect: [M.privilegeEscalation(INIT)] },
            {
                name: "RBAC-5: flags a container that may run as root",
                mutate: (w) => set(set(w, "openclaw-deployment", `${container}.securityContext.runAsNonRoot`, undefined), "openclaw-deployment", "spec.template.spec.securityContext.runAsNonRoot", undefined),
                expect: [M.runAsRoot(OPENCLAW)],
            },
            { name: "RBAC-5: flags a container that keeps its capabilities", mutate: (w) => set(w, "openclaw-deployment", `${container}.securityContext.capabilities`, { add: ["NET_ADMIN"] }), expect: [M.capabilitiesNotDropped(OPENCLAW), M.capabilityAdded(OPENCLAW, "NET_ADMIN")] },
            { name: "RBAC-5: flags a privileged container", mutate: (w) => set(w, "openclaw-deployment", `${container}.securityContext.privileged`, true), expect: [M.privileged(OPENCLAW)] },
            { name: "RBAC-5: flags a writable root filesystem", mutate: (w) => set(w, "openclaw-deployment", `${container}.securityContext.readOnlyRootFilesystem`, false), expect: [M.writableRoot(OPENCLAW)] },
            {
                name: "RBAC-5: flags a container without a seccomp profile",
                mutate: (w) => set(set(w, "openclaw-deployment", `${container}.securityContext.seccompProfile`, undefined), "openclaw-deployment", "spec.template.spec.securityContext.seccompProfile", undefined),
                expect: [M.noSeccomp(OPENCLAW)],
            },
        ],
        unknown: { name: "the main container's security context", mutate: (w) => set(w, "openclaw-deployment", `${container}.securityContext`, unknown("object")) },
    });

    describePolicy(wl.kubernetesPodDisallowHostAccess, {
        world: kubernetesWorld,
        violations: [
            { name: "NET-3: flags a pod on the host network (which bypasses NetworkPolicy)", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.hostNetwork", true), expect: [M.hostNamespace("hostNetwork")] },
            { name: "RBAC-5: flags a hostPath volume", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.volumes[1]", { name: "docker", hostPath: { path: "/var/run/docker.sock" } }), expect: [M.hostPath("docker")] },
            { name: "RBAC-5: flags a host port", mutate: (w) => set(w, "openclaw-deployment", `${container}.ports[0].hostPort`, 18789), expect: [M.hostPort(OPENCLAW, 18789)] },
        ],
        unknown: { name: "the volumes", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.volumes", unknown("array")) },
    });

    describePolicy(wl.kubernetesPodDisallowServiceAccountToken, {
        world: kubernetesWorld,
        violations: [{ name: "RBAC-5: flags a pod that mounts a service account token", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.automountServiceAccountToken", undefined), expect: [M.tokenMounted] }],
        passes: [
            {
                name: "a workload listed in allowedTokenWorkloads",
                mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.automountServiceAccountToken", true),
                config: { "kubernetes-pod-disallow-service-account-token": { allowedTokenWorkloads: ["openclaw/openclaw"], exception: EXCEPTION_RECORD } },
            },
        ],
        unknown: { name: "automountServiceAccountToken", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.automountServiceAccountToken", unknown("boolean")) },
        unknownHidesViolation: true,
    });

    describePolicy(wl.kubernetesNamespaceEnforcePodSecurity, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-5: flags a namespace enforcing baseline without a recorded exception", mutate: (w) => set(w, "openclaw-namespace", "metadata.labels", { "pod-security.kubernetes.io/enforce": "baseline" }), expect: [M.namespaceNotRestricted("openclaw", "baseline")] },
            { name: "RBAC-5: flags a namespace without Pod Security enforcement", mutate: (w) => set(w, "openclaw-namespace", "metadata.labels", {}), expect: [M.namespaceNoEnforce("openclaw")] },
        ],
        unknown: { name: "the labels", mutate: (w) => set(w, "openclaw-reloader-namespace", "metadata.labels", unknown("object")) },
    });

    describePolicy(wl.kubernetesHelmReleaseDisallowPrivilegedValues, {
        world: kubernetesWorld,
        violations: [
            { name: "RBAC-5: flags a chart running privileged in a namespace without an exception", mutate: (w) => set(w, "openclaw-reloader-chart", "values.reloader.deployment.securityContext", { privileged: true }), expect: [M.privilegedValue("openclaw-reloader-chart", "reloader.deployment.securityContext.privileged", "true")] },
            {
                name: "RBAC-5: flags Fluent Bit running as root once its namespace exception is removed",
                mutate: (w) => set(w, "openclaw-logging-namespace", "metadata.annotations", {}),
                expect: [M.privilegedValue("openclaw-fluent-bit-chart", "securityContext.runAsUser", "0")],
            },
        ],
        unknown: { name: "a release's namespace", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "namespace", unknown()) },
    });
});

describe("node policies (RBAC-5, NET-3, SEC-2)", () => {
    describePolicy(wl.awsLaunchTemplateEnforceImdsv2, {
        world: awsWorld,
        violations: [
            { name: "RBAC-5: flags nodes that still answer IMDSv1", mutate: (w) => set(w, "openclaw-nodes-launch-template", "metadataOptions.httpTokens", "optional"), expect: [M.imdsTokensOptional] },
            { name: "NET-3: flags a metadata hop limit that lets pods reach IMDS", mutate: (w) => set(w, "openclaw-nodes-launch-template", "metadataOptions.httpPutResponseHopLimit", 3), expect: [M.imdsHopLimit(3, 1)] },
            { name: "SEC-2: flags an unencrypted node volume", mutate: (w) => set(w, "openclaw-nodes-launch-template", "blockDeviceMappings", [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50 } }]), expect: [M.ebsUnencrypted("/dev/xvda")] },
        ],
        passes: [{ name: "hop limit 2 when configured for host-network pods", mutate: (w) => set(w, "openclaw-nodes-launch-template", "metadataOptions.httpPutResponseHopLimit", 2), config: { "aws-launch-template-enforce-imdsv2": { maxHopLimit: 2 } } }],
        unknown: { name: "the hop limit", mutate: (w) => set(w, "openclaw-nodes-launch-template", "metadataOptions.httpPutResponseHopLimit", unknown("number")) },
    });
});

describe("CI policies (CI-1)", () => {
    describePolicy(ci.kubernetesContainerEnforceImageDigest, {
        world: kubernetesWorld,
        violations: [{ name: "CI-1: flags an image pinned by tag only", mutate: (w) => set(w, "openclaw-deployment", `${container}.image`, "ghcr.io/openclaw/openclaw:latest"), expect: [C.imageNotPinned(OPENCLAW, "ghcr.io/openclaw/openclaw:latest")] }],
        unknown: { name: "the init container image", mutate: (w) => set(w, "openclaw-deployment", "spec.template.spec.initContainers[0].image", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(ci.kubernetesHelmReleaseEnforceImageDigest, {
        world: kubernetesWorld,
        violations: [{ name: "CI-1: flags a chart image without a digest", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "values.image.tag", "4.0.3"), expect: [C.valuesImageNotPinned("image", "cr.fluentbit.io/fluent/fluent-bit:4.0.3")] }],
        unknown: { name: "the reloader values", mutate: (w) => set(w, "openclaw-reloader-chart", "values", unknown("object")) },
    });

    describePolicy(ci.kubernetesHelmReleaseEnforcePinnedChart, {
        world: kubernetesWorld,
        violations: [
            { name: "CI-1: flags a chart version range", mutate: (w) => set(w, "openclaw-reloader-chart", "version", "^2.1.0"), expect: [C.chartNotPinned("^2.1.0")] },
            { name: "CI-1: flags a chart without a version", mutate: (w) => set(w, "openclaw-reloader-chart", "version", undefined), expect: [C.chartNotPinned("(unset: latest)")] },
            { name: "CI-1: flags a chart repository over plain http", mutate: (w) => set(w, "openclaw-reloader-chart", "repositoryOpts.repo", "http://charts.example.com"), expect: [C.chartRepoInsecure("http://charts.example.com")] },
        ],
        unknown: { name: "the repository", mutate: (w) => set(w, "openclaw-fluent-bit-chart", "repositoryOpts", unknown("object")) },
    });
});
