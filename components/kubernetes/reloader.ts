// Stakater Reloader: restarts OpenClaw when External Secrets rotates its Secret or its ConfigMap changes (SEC-5).
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import { chartRelease, CHARTS, type ChartSettings } from "./charts";
import { HardenedNamespace } from "./namespaces";
import { allowApiServerSpec, createNetworkPolicy } from "./network-policies";
import { controllerResources, restrictedContainerSecurity, restrictedPodSecurity } from "./security";

/** Namespaces labelled with this are watched by Reloader; it ignores all others. */
export const RELOADER_WATCH_LABEL = "openclaw.io/reloader";

/**
 * The annotation that makes Reloader restart a workload when the named Secret changes in place (External Secrets
 * rewrites it on a rotation). Reloader matches the value as an anchored regular expression against the changed
 * object's name (stakater/Reloader internal/pkg/handler/upgrade.go, v1.4.5, the version the pinned chart runs); the
 * name holds no metacharacter. ConfigMaps are not watched: the provider replaces them (delete, create), which
 * Reloader does not act on; the pod template's config hash rolls them out instead.
 */
export function reloaderAnnotations(secretName: string): Record<string, string> {
    return { "secret.reloader.stakater.com/reload": secretName };
}

export interface ReloaderArgs {
    /** The platform's private ranges, where the API server's address lies. */
    readonly privateCidrs: readonly string[];
    /** Where the chart is loaded from and its image digests (`openclaw:charts.reloader`). */
    readonly chart: ChartSettings<"reloader">;
    /** What must exist before the chart's pod can be scheduled and reach the API (the seam's `readyResources`). */
    readonly clusterReady: readonly pulumi.Resource[];
}

/** Reloader in its own namespace, watching only namespaces labelled for it, talking only to the API server. */
export class Reloader extends pulumi.ComponentResource {
    /** Reloader's Release; a workload that relies on it to restart depends on it. */
    readonly release: Release;
    constructor(name: string, args: ReloaderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:Reloader", name, {}, opts);
        const namespace = new HardenedNamespace(`${name}-namespace`, { name: CHARTS.reloader.namespace }, { parent: this });
        // The allow policies the Release waits on: pods started under deny-all alone fail their start checks (webhook
        // calls, API access), and the atomic Release rolls back.
        const policies: NetworkPolicy[] = [];
        policies.push(createNetworkPolicy(`${name}-allow-api-server`, namespace.name, "allow-api-server", allowApiServerSpec(args.privateCidrs), this));
        this.release = new Release(
            `${name}-chart`,
            chartRelease("reloader", {
                reloader: {
                    watchGlobally: true,
                    namespaceSelector: `${RELOADER_WATCH_LABEL}=true`,
                    // Restart through a pod-template annotation, so the Deployment's env stays what Pulumi declared.
                    reloadStrategy: "annotations",
                    autoReloadAll: false,
                    readOnlyRootFileSystem: true,
                    logFormat: "json",
                    deployment: {
                        securityContext: restrictedPodSecurity(),
                        containerSecurityContext: restrictedContainerSecurity(),
                        resources: controllerResources("128Mi"),
                    },
                },
            }, args.chart),
            // The namespace and its policies, and a schedulable cluster.
            { parent: this, dependsOn: [namespace, ...policies, ...args.clusterReady] },
        );
        this.registerOutputs({ chartVersion: CHARTS.reloader.version });
    }
}
