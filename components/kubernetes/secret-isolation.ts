// Which vault entries a gateway's namespace may read: an admission policy per gateway namespace that admits an
// ExternalSecret only when it reads that gateway's own entries through the runtime ClusterSecretStore.
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "@pulumi/kubernetes/admissionregistration/v1";
import * as pulumi from "@pulumi/pulumi";

/**
 * The runtime ClusterSecretStore reads the whole vault with the controller's identity, and its `spec.conditions`
 * only say which namespaces may use it, not which keys; the ExternalSecret names the key. So a namespace's admins
 * (Kubernetes' `admin` role may write ExternalSecrets) could read another gateway's token through the same store.
 * This policy closes that: in a gateway's namespace an ExternalSecret must name the runtime store, list each remote
 * key explicitly (no `dataFrom`, whose `find` searches the whole vault), take no per-item `sourceRef` (another store
 * or a generator), and read only the keys listed here. Fields: external-secrets/external-secrets
 * apis/externalsecrets/v1/externalsecret_types.go (ExternalSecretSpec.secretStoreRef, data[].remoteRef.key,
 * data[].sourceRef, dataFrom; SecretStoreRef.kind defaults to SecretStore). ValidatingAdmissionPolicy is GA in
 * Kubernetes 1.30 (https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/); the
 * clusters run 1.32 or newer (config/schema.ts cluster.kubernetesVersion).
 */
export function externalSecretValidations(storeName: string, allowedKeys: readonly string[]): { expression: string; message: string }[] {
    const keys = `[${allowedKeys.map((key) => `'${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`).join(", ")}]`;
    return [
        {
            expression: `has(object.spec.secretStoreRef) && has(object.spec.secretStoreRef.kind) && object.spec.secretStoreRef.kind == 'ClusterSecretStore' && object.spec.secretStoreRef.name == '${storeName}'`,
            message: `an ExternalSecret in this gateway's namespace reads only through the ClusterSecretStore ${storeName}`,
        },
        { expression: "!has(object.spec.dataFrom) || size(object.spec.dataFrom) == 0", message: "dataFrom is refused in a gateway namespace: name each vault key in data" },
        {
            expression: `!has(object.spec.data) || object.spec.data.all(d, !has(d.sourceRef) && d.remoteRef.key in ${keys})`,
            message: "an ExternalSecret in this gateway's namespace reads only this gateway's own vault entries, without sourceRef",
        },
    ];
}

export interface SecretIsolationArgs {
    /** The gateway's namespace (and, for the same gateway, its sandbox gets none: nothing there reads the vault). */
    readonly namespace: pulumi.Input<string>;
    /** The runtime ClusterSecretStore's name. */
    readonly storeName: pulumi.Input<string>;
    /** The vault names this gateway may read: its own token, the shared model keys, the shared OIDC client secret. */
    readonly allowedKeys: readonly pulumi.Input<string>[];
}

/** The policy and its binding to one gateway namespace (denying; every ExternalSecret create and update). */
export class SecretIsolation extends pulumi.ComponentResource {
    constructor(name: string, args: SecretIsolationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:SecretIsolation", name, {}, opts);
        const policyName = pulumi.interpolate`openclaw-vault-keys-${args.namespace}`;
        const policy = new ValidatingAdmissionPolicy(
            `${name}-policy`,
            {
                metadata: { name: policyName },
                spec: {
                    failurePolicy: "Fail",
                    matchConstraints: {
                        resourceRules: [{ apiGroups: ["external-secrets.io"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["externalsecrets"] }],
                    },
                    validations: pulumi
                        .all([pulumi.output(args.storeName), pulumi.all(args.allowedKeys.map((k) => pulumi.output(k)))])
                        .apply(([store, keys]) => externalSecretValidations(store, keys)),
                },
            },
            { parent: this },
        );
        new ValidatingAdmissionPolicyBinding(
            `${name}-binding`,
            {
                metadata: { name: policyName },
                spec: {
                    policyName: policy.metadata.name,
                    validationActions: ["Deny"],
                    matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.namespace } } },
                },
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
