// Custom resources of the layer: which Release serves the CRDs each one is an instance of, and what the provider
// waits for after creating one.
import type * as pulumi from "@pulumi/pulumi";

/**
 * The Releases whose charts install the CRDs the layer's custom resources are instances of. Each custom resource puts
 * its Release in its own `dependsOn`: `dependsOn` on a component does not reach the resources inside it, and the
 * provider retries a create that fails with "no matches for kind" only 5 times, 1 s doubling, about a minute
 * (pulumi/pulumi-kubernetes provider/pkg/await/await.go `retrier.Do(apierrors.IsNotFound, meta.IsNoMatchError)`,
 * provider/pkg/retry/retry.go), while a Release waits for nodes and add-ons first.
 */
export interface CrdReleases {
    /**
     * Envoy Gateway: its chart carries the Gateway API CRDs (gateway.networking.k8s.io) and its own
     * (gateway.envoyproxy.io) in charts/gateway-helm/charts/crds/crds (envoyproxy/gateway).
     */
    readonly envoyGateway: pulumi.Resource;
    /** cert-manager, installed with `crds.enabled`: Certificate and ClusterIssuer (cert-manager.io). */
    readonly certManager: pulumi.Resource;
    /** External Secrets, installed with `installCRDs`: ExternalSecret and ClusterSecretStore (external-secrets.io). */
    readonly externalSecrets: pulumi.Resource;
}

/**
 * The pulumi-kubernetes annotation that sets a resource's readiness condition, custom resources included: a
 * `jsonpath=` or `condition=` expression in kubectl wait syntax, awaited for up to 10 minutes on create and update
 * (pulumi/pulumi-kubernetes provider/pkg/metadata/overrides.go ReadyCondition, since v4.18.0, #3134).
 */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";

/**
 * An ExternalSecret is ready once External Secrets has written its Secret: condition `Ready` is True, reason
 * `SecretSynced` (external-secrets/external-secrets v2.6.0 apis/externalsecrets/v1/externalsecret_types.go
 * ExternalSecretReady). A failed read is retried with the controller's backoff, not after `refreshInterval`
 * (pkg/controllers/externalsecret/externalsecret_controller.go returns the error), so a cloud grant still propagating
 * is picked up within the wait, and a missing vault entry or grant fails `pulumi up` on the ExternalSecret instead of
 * leaving a pod that cannot start.
 */
export const EXTERNAL_SECRET_SYNCED = "condition=Ready";
