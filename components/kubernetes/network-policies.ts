// NetworkPolicy building blocks: default deny, DNS, API server, HTTPS egress, webhooks; each a plain spec plus one creator.
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import type * as inputs from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { CredentialEndpoint } from "../seam";

/** Link-local: instance metadata and other node-local agents. Never reachable unless the seam names an endpoint. */
export const LINK_LOCAL_CIDR = "169.254.0.0/16";
export const ANYWHERE_CIDR = "0.0.0.0/0";

/** CoreDNS runs with this label in kube-system on every conformant managed cluster. */
const KUBE_DNS_PEER: inputs.networking.v1.NetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
};

/** The API server answers on 443 behind the `kubernetes` Service and on 443/6443 at its private endpoint. */
const API_SERVER_PORTS = [443, 6443] as const;

const tcp = (port: number): inputs.networking.v1.NetworkPolicyPort => ({ protocol: "TCP", port });
const everyPod: inputs.meta.v1.LabelSelector = {};

/** Denies all ingress and egress to every pod of the namespace; the allows below open what is needed. */
export function defaultDenySpec(): inputs.networking.v1.NetworkPolicySpec {
    return { podSelector: everyPod, policyTypes: ["Ingress", "Egress"] };
}

/** Lets every pod of the namespace resolve names through kube-dns, and nothing else on port 53. */
export function allowDnsSpec(): inputs.networking.v1.NetworkPolicySpec {
    return {
        podSelector: everyPod,
        policyTypes: ["Egress"],
        egress: [{ to: [KUBE_DNS_PEER], ports: [{ protocol: "UDP", port: 53 }, tcp(53)] }],
    };
}

/**
 * Lets controllers reach the Kubernetes API server. Its private endpoint lies in the cluster's network and its
 * Service address in the service range, both among the platform's private CIDRs; only the API ports are open.
 */
export function allowApiServerSpec(privateCidrs: readonly string[], podSelector: inputs.meta.v1.LabelSelector = everyPod): inputs.networking.v1.NetworkPolicySpec {
    return {
        podSelector,
        policyTypes: ["Egress"],
        egress: [{ to: privateCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: API_SERVER_PORTS.map(tcp) }],
    };
}

/**
 * Lets pods open HTTPS connections to any address except the listed ranges and link-local. Cloud APIs, ACME and
 * model providers are DNS names with changing addresses, so a NetworkPolicy cannot list them; the cloud firewall
 * narrows egress by domain.
 */
export function allowHttpsEgressSpec(exceptCidrs: readonly string[], podSelector: inputs.meta.v1.LabelSelector = everyPod): inputs.networking.v1.NetworkPolicySpec {
    const except = [...new Set([...exceptCidrs, LINK_LOCAL_CIDR])];
    return {
        podSelector,
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: ANYWHERE_CIDR, except } }], ports: [tcp(443)] }],
    };
}

/** Lets a workload reach the endpoints the platform names for its credentials (e.g. a node-local identity agent). */
export function allowCredentialEndpointsSpec(endpoints: readonly CredentialEndpoint[], podSelector: inputs.meta.v1.LabelSelector = everyPod): inputs.networking.v1.NetworkPolicySpec {
    return {
        podSelector,
        policyTypes: ["Egress"],
        egress: endpoints.map((e) => ({ to: [{ ipBlock: { cidr: e.cidr } }], ports: [tcp(e.port)] })),
    };
}

/**
 * Lets the API server call an admission or conversion webhook. The API server (or its tunnel agent) connects
 * from the cluster's private ranges; only the webhook port is open.
 */
export function allowWebhookIngressSpec(port: number, privateCidrs: readonly string[], podSelector: inputs.meta.v1.LabelSelector = everyPod): inputs.networking.v1.NetworkPolicySpec {
    return {
        podSelector,
        policyTypes: ["Ingress"],
        ingress: [{ from: privateCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(port)] }],
    };
}

/** Creates one NetworkPolicy named `policyName` in `namespace`, as a child of `parent`. */
export function createNetworkPolicy(
    resourceName: string,
    namespace: pulumi.Input<string>,
    policyName: string,
    spec: inputs.networking.v1.NetworkPolicySpec,
    parent: pulumi.Resource,
): NetworkPolicy {
    return new NetworkPolicy(resourceName, { metadata: { name: policyName, namespace }, spec }, { parent });
}
