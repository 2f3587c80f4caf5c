// Fluent Bit DaemonSet: container logs with Kubernetes metadata, PII masked on the node, shipped where the seam says.
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import { WORKLOADS, type LogShippingSeam } from "../seam";
import { chartRelease, CHARTS, type ChartSettings } from "./charts";
import { MASK_LUA } from "./fluent-bit-mask";
import { HardenedNamespace } from "./namespaces";
import { allowApiServerSpec, allowCredentialEndpointsSpec, allowHttpsEgressSpec, createNetworkPolicy } from "./network-policies";
import { RUNTIME_DEFAULT_SECCOMP } from "./security";
import { identityPodLabels, identityServiceAccount } from "./workload-identity";

/** Position database and filesystem buffer; on the node, so a restarted pod neither loses nor repeats lines. */
const STATE_DIR = "/var/fluent-bit/state";

export const FLUENT_BIT_SERVICE = `[SERVICE]
    Daemon Off
    Flush 5
    Log_Level info
    Parsers_File /fluent-bit/etc/parsers.conf
    HTTP_Server On
    HTTP_Listen 0.0.0.0
    HTTP_Port 2020
    Health_Check On
    storage.path ${STATE_DIR}/buffer
    storage.sync normal
    storage.backlog.mem_limit 16M
`;

export const FLUENT_BIT_INPUTS = `[INPUT]
    Name tail
    Tag kube.*
    Path /var/log/containers/*.log
    Exclude_Path /var/log/containers/fluent-bit-*_${WORKLOADS.fluentBit.namespace}_*.log
    multiline.parser cri, docker
    DB ${STATE_DIR}/tail.db
    Mem_Buf_Limit 50MB
    Skip_Long_Lines On
    Refresh_Interval 10
    storage.type filesystem
`;

/**
 * Kubernetes metadata first (it merges a JSON log line into the record), then the masking filter over the whole
 * record. Pods cannot opt out of collection or pick their own parser through annotations.
 */
export const FLUENT_BIT_FILTERS = `[FILTER]
    Name kubernetes
    Match kube.*
    Merge_Log On
    Keep_Log Off
    K8S-Logging.Parser Off
    K8S-Logging.Exclude Off
    Labels Off
    Annotations Off

[FILTER]
    Name lua
    Match kube.*
    script /fluent-bit/scripts/mask.lua
    call mask_record
`;

export interface FluentBitArgs {
    /** The destination's [OUTPUT] sections and the identity that authenticates to it. */
    readonly seam: LogShippingSeam;
    /** The platform's private ranges, where the API server's address lies. */
    readonly privateCidrs: readonly string[];
    /** Where the chart is loaded from and its image digests (`openclaw:charts.fluentBit`). */
    readonly chart: ChartSettings<"fluentBit">;
    /** What must exist before the DaemonSet's pods can be scheduled and reach the API (the seam's `readyResources`). */
    readonly clusterReady: readonly pulumi.Resource[];
}

/** Fluent Bit on every node, in the `logging` namespace, with egress only to the API server and HTTPS. */
export class FluentBit extends pulumi.ComponentResource {
    constructor(name: string, args: FluentBitArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:FluentBit", name, {}, opts);
        const { namespace: ns, serviceAccount } = WORKLOADS.fluentBit;
        const namespace = new HardenedNamespace(
            `${name}-namespace`,
            {
                name: ns,
                podSecurity: {
                    level: "privileged",
                    reason: "Fluent Bit reads node log files through read-only hostPath mounts as uid 0 (the files are root-owned 0640); no capabilities, no privilege escalation, read-only root filesystem.",
                },
            },
            { parent: this },
        );
        // The allow policies the Release waits on: pods started under deny-all alone fail their start checks (webhook
        // calls, API access), and the atomic Release rolls back.
        const policies: NetworkPolicy[] = [];
        policies.push(createNetworkPolicy(`${name}-allow-api-server`, namespace.name, "allow-api-server", allowApiServerSpec(args.privateCidrs), this));
        policies.push(createNetworkPolicy(`${name}-allow-https`, namespace.name, "allow-https", allowHttpsEgressSpec([]), this));
        const endpoints = args.seam.identity.credentialEndpoints ?? [];
        if (endpoints.length > 0) {
            policies.push(createNetworkPolicy(`${name}-allow-credentials`, namespace.name, "allow-credential-endpoints", allowCredentialEndpointsSpec(endpoints), this));
        }

        new Release(
            `${name}-chart`,
            chartRelease("fluentBit", {
                kind: "DaemonSet",
                serviceAccount: identityServiceAccount(serviceAccount, args.seam.identity),
                rbac: { create: true, nodeAccess: false, eventsAccess: false },
                podLabels: identityPodLabels(args.seam.identity),
                podSecurityContext: { seccompProfile: RUNTIME_DEFAULT_SECCOMP },
                securityContext: {
                    // The one named exception to runAsNonRoot in this layer: see the namespace annotation.
                    runAsUser: 0,
                    runAsGroup: 0,
                    runAsNonRoot: false,
                    allowPrivilegeEscalation: false,
                    privileged: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
                },
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                hostNetwork: false,
                dnsPolicy: "ClusterFirst",
                // Every node, system pools included: a node whose logs are not collected is a gap in LOG-1.
                tolerations: [{ operator: "Exists" }],
                testFramework: { enabled: false },
                serviceMonitor: { enabled: false },
                luaScripts: { "mask.lua": MASK_LUA },
                config: {
                    service: FLUENT_BIT_SERVICE,
                    inputs: FLUENT_BIT_INPUTS,
                    filters: FLUENT_BIT_FILTERS,
                    outputs: args.seam.fluentBitOutputs,
                    customParsers: "",
                },
                daemonSetVolumes: [
                    { name: "varlogcontainers", hostPath: { path: "/var/log/containers", type: "Directory" } },
                    { name: "varlogpods", hostPath: { path: "/var/log/pods", type: "Directory" } },
                    { name: "state", hostPath: { path: STATE_DIR, type: "DirectoryOrCreate" } },
                ],
                daemonSetVolumeMounts: [
                    { name: "varlogcontainers", mountPath: "/var/log/containers", readOnly: true },
                    { name: "varlogpods", mountPath: "/var/log/pods", readOnly: true },
                    { name: "state", mountPath: STATE_DIR },
                ],
            }, args.chart),
            // The namespace and its policies, the identity that writes to the log store, a schedulable cluster.
            { parent: this, dependsOn: [namespace, ...policies, ...args.seam.identity.dependsOn, ...args.clusterReady] },
        );
        this.registerOutputs({ chartVersion: CHARTS.fluentBit.version });
    }
}
