// cert-manager with Gateway API support and the Let's Encrypt ClusterIssuer that solves DNS-01 through the platform.
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import type { OpenClawConfig } from "../../config/schema";
import { WORKLOADS, type CertManagerSeam } from "../seam";
import { chartRelease, CHARTS, type ChartSettings } from "./charts";
import { HardenedNamespace } from "./namespaces";
import { allowApiServerSpec, allowCredentialEndpointsSpec, allowHttpsEgressSpec, allowWebhookIngressSpec, createNetworkPolicy } from "./network-policies";
import { controllerResources, restrictedContainerSecurity, restrictedPodSecurity } from "./security";
import { identityPodLabels, identityServiceAccount } from "./workload-identity";

type AcmeEnvironment = OpenClawConfig["acmeEnvironment"];

/** cert-manager's webhook serves on this port (chart default `webhook.securePort`). */
const WEBHOOK_PORT = 10250;

/** The ACME directory of each Let's Encrypt environment. */
export function acmeServer(environment: AcmeEnvironment): string {
    switch (environment) {
        case "production":
            return "https://acme-v02.api.letsencrypt.org/directory";
        case "staging":
            return "https://acme-staging-v02.api.letsencrypt.org/directory";
        default:
            return assertNever(environment);
    }
}

function assertNever(value: never): never {
    throw new Error(`unhandled ACME environment: ${String(value)}`);
}

export interface CertManagerArgs {
    /** DNS-01 solver and workload identity from the platform. */
    readonly seam: CertManagerSeam;
    /** Let's Encrypt environment of the ClusterIssuer. Staging certificates are not trusted by browsers. */
    readonly acmeEnvironment: AcmeEnvironment;
    /** Where Let's Encrypt sends expiry notices. */
    readonly acmeEmail: string;
    /** The platform's private ranges: the API server and its webhook calls come from there. */
    readonly privateCidrs: readonly string[];
    /** Where the chart is loaded from and its image digests (`openclaw:charts.certManager`). */
    readonly chart: ChartSettings<"certManager">;
    /** What must exist before the chart's pods can be scheduled and reach the API (the seam's `readyResources`). */
    readonly clusterReady: readonly pulumi.Resource[];
    /**
     * The resource that installs the Gateway API CRDs and waits until they are served (the Envoy Gateway Release).
     * With `enableGatewayAPI` the controller exits at start while they are missing and crash-loops until then.
     */
    readonly gatewayApiCrds: pulumi.Resource;
}

/** cert-manager, its namespace and policies, and one ACME ClusterIssuer. Renewal is cert-manager's own loop. */
export class CertManager extends pulumi.ComponentResource {
    /** cert-manager's Release; resources that need its CRDs or its running webhook depend on it. */
    readonly release: Release;
    /** The ClusterIssuer's name, for Certificates' `issuerRef`. Resolves once the issuer exists. */
    readonly clusterIssuerName: pulumi.Output<string>;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:CertManager", name, {}, opts);
        const { namespace: ns, serviceAccount } = WORKLOADS.certManager;
        const namespace = new HardenedNamespace(`${name}-namespace`, { name: ns }, { parent: this });
        // The allow policies the Release waits on: pods started under deny-all alone fail their start checks (webhook
        // calls, API access), and the atomic Release rolls back.
        const policies: NetworkPolicy[] = [];
        const controller = { matchLabels: { "app.kubernetes.io/component": "controller" } };
        policies.push(createNetworkPolicy(`${name}-allow-api-server`, namespace.name, "allow-api-server", allowApiServerSpec(args.privateCidrs), this));
        // ACME and the DNS provider's API; DNS lookups go through kube-dns (recursive nameservers only, below).
        policies.push(createNetworkPolicy(`${name}-allow-https`, namespace.name, "allow-controller-https", allowHttpsEgressSpec([], controller), this));
        policies.push(createNetworkPolicy(`${name}-allow-webhook`, namespace.name, "allow-webhook-from-api-server", allowWebhookIngressSpec(WEBHOOK_PORT, args.privateCidrs, { matchLabels: { "app.kubernetes.io/component": "webhook" } }), this));
        const endpoints = args.seam.identity.credentialEndpoints ?? [];
        if (endpoints.length > 0) {
            policies.push(createNetworkPolicy(`${name}-allow-credentials`, namespace.name, "allow-credential-endpoints", allowCredentialEndpointsSpec(endpoints, controller), this));
        }

        const hardened = {
            securityContext: restrictedPodSecurity(),
            containerSecurityContext: restrictedContainerSecurity(),
            resources: controllerResources("128Mi"),
        };
        this.release = new Release(
            `${name}-chart`,
            chartRelease("certManager", {
                crds: { enabled: true, keep: true },
                global: { leaderElection: { namespace: ns } },
                config: {
                    apiVersion: "controller.config.cert-manager.io/v1alpha1",
                    kind: "ControllerConfiguration",
                    enableGatewayAPI: true,
                },
                // Check DNS-01 propagation through the cluster resolver, so no egress to port 53 on the internet is needed.
                extraArgs: ["--dns01-recursive-nameservers-only"],
                serviceAccount: identityServiceAccount(serviceAccount, args.seam.identity),
                podLabels: identityPodLabels(args.seam.identity),
                ...hardened,
                resources: controllerResources("256Mi"),
                webhook: { ...hardened, securePort: WEBHOOK_PORT },
                cainjector: hardened,
                startupapicheck: hardened,
                prometheus: { enabled: false },
            }, args.chart),
            // The namespace and its policies, the DNS identity, a schedulable cluster, and the Gateway API CRDs.
            { parent: this, dependsOn: [namespace, ...policies, ...args.seam.identity.dependsOn, ...args.clusterReady, args.gatewayApiCrds] },
        );

        const issuerName = `letsencrypt-${args.acmeEnvironment}`;
        const issuer = new CustomResource(
            `${name}-cluster-issuer`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: issuerName },
                spec: {
                    acme: {
                        server: acmeServer(args.acmeEnvironment),
                        email: args.acmeEmail,
                        privateKeySecretRef: { name: `${issuerName}-account-key` },
                        solvers: [{ dns01: args.seam.dns01 }],
                    },
                },
            },
            // The ClusterIssuer CRD and the webhook that validates it are installed by the chart.
            { parent: this, dependsOn: [this.release] },
        );
        this.clusterIssuerName = issuer.metadata.name;
        this.registerOutputs({ clusterIssuerName: this.clusterIssuerName, chartVersion: CHARTS.certManager.version });
    }
}
