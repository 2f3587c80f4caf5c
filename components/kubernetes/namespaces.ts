// A namespace created hardened: Pod Security labels, a default-deny NetworkPolicy and the DNS allow, nothing else.
import { Namespace } from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { allowDnsSpec, createNetworkPolicy, defaultDenySpec } from "./network-policies";

/** Pod Security Standards levels, strictest first (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export const POD_SECURITY_LEVELS = ["restricted", "baseline", "privileged"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** The enforced level: restricted, or a weaker level with the reason written down next to it. */
export type PodSecurityEnforcement = { readonly level: "restricted" } | { readonly level: Exclude<PodSecurityLevel, "restricted">; readonly reason: string };

export interface HardenedNamespaceArgs {
    /** The namespace's name. */
    readonly name: string;
    /**
     * The Pod Security Standard the namespace enforces. Defaults to restricted. A weaker level needs a reason, which
     * is recorded as the `openclaw.io/pod-security-exception` annotation. Audit and warn stay at restricted always.
     */
    readonly podSecurity?: PodSecurityEnforcement;
    /** Extra labels, e.g. the selectors of the secret store and of Reloader. */
    readonly labels?: Readonly<Record<string, string>>;
}

/** A namespace that denies all traffic except DNS until its owner adds allows, and enforces a Pod Security level. */
export class HardenedNamespace extends pulumi.ComponentResource {
    /** The namespace name, resolved after the Namespace exists (use it so children depend on the namespace). */
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: HardenedNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:HardenedNamespace", name, {}, opts);
        const enforcement = args.podSecurity ?? { level: "restricted" };
        const namespace = new Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: args.name,
                    labels: {
                        ...args.labels,
                        "pod-security.kubernetes.io/enforce": enforcement.level,
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/audit-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "pod-security.kubernetes.io/warn-version": "latest",
                    },
                    ...(enforcement.level === "restricted" ? {} : { annotations: { "openclaw.io/pod-security-exception": enforcement.reason } }),
                },
            },
            { parent: this },
        );
        this.name = namespace.metadata.name;
        createNetworkPolicy(`${name}-default-deny`, this.name, "default-deny-all", defaultDenySpec(), this);
        createNetworkPolicy(`${name}-allow-dns`, this.name, "allow-dns", allowDnsSpec(), this);
        this.registerOutputs({ name: this.name });
    }
}
