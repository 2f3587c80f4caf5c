// Automated rotation of the gateway token (SEC-4): an in-cluster CronJob with workload identity that may write
// only that one secret. Its code is rotator/rotate.ts, mounted from a ConfigMap and run by the OpenClaw image's Node.
import * as fs from "fs";
import * as path from "path";
import * as batchv1 from "@pulumi/kubernetes/batch/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { PRIVATE_RANGES } from "../../config/cidr";
import { WorkloadIdentityBinding } from "./identities";
import { RoleAssignments } from "./role-assignments";
import type { Placement } from "./placement";

/** Where the rotator runs and how it is found in the logs. */
export const ROTATOR = {
    namespace: "openclaw-rotation",
    serviceAccount: "gateway-token-rotator",
    logTag: "openclaw-rotator",
    /** Daily; a version is replaced when it expires within `rotateWithinDays`. */
    schedule: "17 3 * * *",
    rotateWithinDays: 3,
} as const;

/** The rotator's source, shipped verbatim in a ConfigMap. */
export function rotatorSource(): string {
    return fs.readFileSync(path.join(__dirname, "rotator", "rotate.ts"), "utf8");
}

export interface GatewayTokenRotationArgs extends Placement {
    /** The subscription; role definitions are resolved under it. */
    readonly subscriptionId: pulumi.Input<string>;
    /** The Entra ID tenant. */
    readonly tenantId: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    readonly issuerUrl: pulumi.Input<string>;
    /** The Key Vault's resource id. */
    readonly vaultId: pulumi.Input<string>;
    /** The vault's URI, where the rotator writes. */
    readonly vaultUri: pulumi.Input<string>;
    /** The gateway token's secret name: the only secret the rotator may write. */
    readonly secretName: string;
    /** The content type every new version carries (the same as the first). */
    readonly contentType: string;
    /** Lifetime of each version: openclaw:rotationDays. */
    readonly rotationDays: number;
    /** The digest-pinned OpenClaw image: it already carries Node 22, so no extra image is deployed. */
    readonly image: string;
    /** The private-endpoint subnet, the only private range the rotator may reach (Key Vault). */
    readonly privateEndpointCidr: string;
    /** The cluster's Kubernetes provider. */
    readonly provider: Provider;
    /**
     * The namespace the rotator runs in. Defaults to ROTATOR.namespace (the first gateway's token); a further gateway
     * of `openclaw:gateways` gets `openclaw-rotation-<gateway>`, so each rotator's identity writes one token only.
     */
    readonly namespace?: string;
    /** The gateway token secret: the rotator's grant is scoped to it, so the grant waits for it. */
    readonly secret: pulumi.Resource;
}

export class GatewayTokenRotation extends pulumi.ComponentResource {
    readonly binding: WorkloadIdentityBinding;
    readonly assignments: RoleAssignments;
    readonly cronJob: batchv1.CronJob;

    constructor(name: string, args: GatewayTokenRotationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:GatewayTokenRotation", name, {}, opts);
        const k8s = { parent: this, provider: args.provider };
        this.binding = new WorkloadIdentityBinding(`${name}-rotator`, {
            resourceGroupName: args.resourceGroupName, location: args.location, issuerUrl: args.issuerUrl, tenantId: args.tenantId,
            namespace: args.namespace ?? ROTATOR.namespace, serviceAccount: ROTATOR.serviceAccount,
        }, { parent: this });
        this.assignments = new RoleAssignments(`${name}-roles`, {
            subscriptionId: args.subscriptionId,
            assignments: [{
                key: "rotator-gateway-token", who: "gateway token rotator workload", kind: "ServicePrincipal", principalId: this.binding.principalId,
                role: "Key Vault Secrets Officer", scope: pulumi.interpolate`${args.vaultId}/secrets/${args.secretName}`, scopeLabel: `secret ${args.secretName}`,
            }],
            dependsOn: [args.secret],
        }, { parent: this });

        const namespace = new corev1.Namespace(`${name}-namespace`, {
            metadata: { name: args.namespace ?? ROTATOR.namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } },
        }, k8s);
        const ns = namespace.metadata.name;
        const identity = this.binding.seam(args.tenantId, [this.assignments]);
        const serviceAccount = new corev1.ServiceAccount(`${name}-sa`, {
            metadata: { name: ROTATOR.serviceAccount, namespace: ns, annotations: { ...identity.serviceAccountAnnotations } },
            automountServiceAccountToken: false,
        }, k8s);
        const code = new corev1.ConfigMap(`${name}-code`, {
            metadata: { name: "gateway-token-rotator", namespace: ns },
            data: { "rotate.ts": rotatorSource(), "package.json": JSON.stringify({ type: "module" }) },
        }, k8s);
        const labels = { "app.kubernetes.io/name": "gateway-token-rotator" };
        // Default deny in both directions, then the only egress the rotator needs.
        new networkingv1.NetworkPolicy(`${name}-default-deny`, {
            metadata: { name: "default-deny", namespace: ns },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }, k8s);
        new networkingv1.NetworkPolicy(`${name}-allow-egress`, {
            metadata: { name: "allow-rotator-egress", namespace: ns },
            spec: {
                podSelector: { matchLabels: labels },
                policyTypes: ["Egress"],
                egress: [
                    { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
                    { to: [{ ipBlock: { cidr: args.privateEndpointCidr } }], ports: [{ protocol: "TCP", port: 443 }] },
                    // Entra ID (login.microsoftonline.com) for the token exchange; no private range.
                    { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES, "169.254.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] },
                ],
            },
        }, k8s);

        this.cronJob = new batchv1.CronJob(`${name}-cronjob`, {
            metadata: { name: "gateway-token-rotator", namespace: ns, labels },
            spec: {
                schedule: ROTATOR.schedule,
                concurrencyPolicy: "Forbid",
                startingDeadlineSeconds: 3600,
                successfulJobsHistoryLimit: 3,
                failedJobsHistoryLimit: 3,
                jobTemplate: {
                    spec: {
                        backoffLimit: 2,
                        activeDeadlineSeconds: 600,
                        template: {
                            metadata: { labels: { ...labels, ...identity.podLabels } },
                            spec: {
                                serviceAccountName: ROTATOR.serviceAccount,
                                automountServiceAccountToken: false,
                                restartPolicy: "Never",
                                securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                                containers: [{
                                    name: "rotator",
                                    image: args.image,
                                    command: ["node", "--experimental-strip-types", "--disable-warning=ExperimentalWarning", "/opt/rotator/rotate.ts"],
                                    env: [
                                        { name: "VAULT_URL", value: args.vaultUri },
                                        { name: "SECRET_NAME", value: args.secretName },
                                        { name: "ROTATION_DAYS", value: String(args.rotationDays) },
                                        { name: "ROTATE_WITHIN_DAYS", value: String(ROTATOR.rotateWithinDays) },
                                        { name: "CONTENT_TYPE", value: args.contentType },
                                    ],
                                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
                                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                    volumeMounts: [{ name: "code", mountPath: "/opt/rotator", readOnly: true }],
                                }],
                                volumes: [{ name: "code", configMap: { name: code.metadata.name } }],
                            },
                        },
                    },
                },
            },
        }, { ...k8s, dependsOn: [serviceAccount, ...identity.dependsOn] });
        this.registerOutputs({});
    }
}
