// The runtime secrets in Key Vault: the generated gateway token and one secret per configured model provider key.
import { createHash } from "crypto";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/read";
import { MODEL_PROVIDERS, ModelProvider } from "../../config/providers";
import { ExpiryStamp } from "./expiry-stamp";

/** Key Vault secret names (letters, digits and dashes). The gateway token's is what the rotator rewrites. */
export const SECRET_NAMES = {
    gatewayToken: "openclaw-gateway-token",
    /** The token of a further gateway of `openclaw:gateways` (Key Vault secret names: 1-127 letters, digits, dashes). */
    teamGatewayToken: (gateway: string) => `openclaw-gateway-token-${gateway}`,
    provider: (provider: ModelProvider) => `openclaw-${provider}-api-key`,
    identityClientSecret: "openclaw-oidc-client-secret",
} as const;

/** What Pulumi ignores on the gateway token after creating it: everything it could write (see Secrets). */
export const GATEWAY_TOKEN_IGNORED_CHANGES = ["properties"] as const;

/** The content type of every gateway token version (the rotator writes the same). */
export const GATEWAY_TOKEN_CONTENT_TYPE = "text/plain; openclaw-gateway-token";

export interface SecretsArgs {
    /** The validated config: rotationDays and the provider keys (secret Outputs). */
    readonly config: StackConfig;
    /** The stack's resource group, where the vault is. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** The vault the secrets are written to. */
    readonly vaultName: pulumi.Input<string>;
    /** The gateways of `openclaw:gateways` beyond the first, by name: each gets its own generated token. Defaults to none. */
    readonly teamGatewayNames?: readonly string[];
}

export interface StoredSecret {
    readonly name: string;
    readonly secret: keyvault.Secret;
}

export class Secrets extends pulumi.ComponentResource {
    readonly gatewayToken: StoredSecret;
    /** The token of each further gateway, by gateway name (empty for a stack with one gateway). */
    readonly teamGatewayTokens: Readonly<Record<string, StoredSecret>>;
    readonly providerKeys: Readonly<Partial<Record<ModelProvider, StoredSecret>>>;
    /** The OIDC client secret of single sign-on; absent when `openclaw:identity` is not set. */
    readonly identityClientSecret?: StoredSecret;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:Secrets", name, {}, opts);
        const { config, resourceGroupName, vaultName } = args;
        const days = config.rotationDays;

        const gatewayToken = (resource: string, secretName: string): StoredSecret => {
            const token = new random.RandomPassword(resource, { length: 48, special: false }, { parent: this });
            // The rotator owns the token after creation: it writes new versions with new expiries, so Pulumi must never
            // write this secret again. Secrets_CreateOrUpdate is a PUT of the whole properties block (keyvault
            // secrets.json 2024-11-01): ignoring only the value and expiry would, on any other change (content type,
            // enabled), send the first token with its long-past expiry as a new current version. So the whole block is
            // ignored after creation; the remaining inputs (vault, name) only ever replace the secret in a new vault.
            // The keeper never changes, so the stamp is taken once.
            const tokenStamp = new ExpiryStamp(`${resource}-expiry`, { keeper: `initial:${days}`, days }, { parent: this });
            return {
                name: secretName,
                secret: new keyvault.Secret(resource, {
                    resourceGroupName, vaultName, secretName,
                    // Only the value is secret here: the generated token is unknown during the first preview, and a
                    // wholly secret block would hide the known expiry from the policy pack as well.
                    properties: { value: pulumi.secret(token.result), contentType: GATEWAY_TOKEN_CONTENT_TYPE, attributes: { enabled: true, expires: tokenStamp.expiresOn } },
                }, { parent: this, ignoreChanges: [...GATEWAY_TOKEN_IGNORED_CHANGES], additionalSecretOutputs: ["properties"] }),
            };
        };
        this.gatewayToken = gatewayToken(`${name}-gateway-token`, SECRET_NAMES.gatewayToken);
        this.teamGatewayTokens = Object.fromEntries(
            (args.teamGatewayNames ?? []).map((gateway) => [gateway, gatewayToken(`${name}-gateway-token-${gateway}`, SECRET_NAMES.teamGatewayToken(gateway))]),
        );

        const providerKeys: Partial<Record<ModelProvider, StoredSecret>> = {};
        for (const [provider, value] of Object.entries(config.modelProviderKeys) as [ModelProvider, pulumi.Output<string>][]) {
            const secretName = SECRET_NAMES.provider(provider);
            // A new key value (pulumi config set --secret ...; pulumi up) is a new version with a new expiry.
            const keeper = value.apply((v) => `${createHash("sha256").update(v).digest("hex")}:${days}`);
            const stamp = new ExpiryStamp(`${name}-${provider}-expiry`, { keeper, days }, { parent: this });
            providerKeys[provider] = {
                name: secretName,
                secret: new keyvault.Secret(`${name}-${provider}`, {
                    resourceGroupName, vaultName, secretName,
                    // The whole block is secret, so the value is never a plain input even nested.
                    properties: pulumi.secret({ value, contentType: `text/plain; ${MODEL_PROVIDERS[provider].envVar}`, attributes: { enabled: true, expires: stamp.expiresOn } }),
                }, { parent: this, additionalSecretOutputs: ["properties"] }),
            };
        }
        this.providerKeys = providerKeys;
        if (config.identityClientSecret !== undefined) {
            // Issued by the IdP like a provider key: a new value is a new version with a new expiry.
            const value = config.identityClientSecret;
            const keeper = value.apply((v) => `${createHash("sha256").update(v).digest("hex")}:${days}`);
            const stamp = new ExpiryStamp(`${name}-oidc-client-secret-expiry`, { keeper, days }, { parent: this });
            this.identityClientSecret = {
                name: SECRET_NAMES.identityClientSecret,
                secret: new keyvault.Secret(`${name}-oidc-client-secret`, {
                    resourceGroupName, vaultName, secretName: SECRET_NAMES.identityClientSecret,
                    properties: pulumi.secret({ value, contentType: "text/plain; oidc-client-secret", attributes: { enabled: true, expires: stamp.expiresOn } }),
                }, { parent: this, additionalSecretOutputs: ["properties"] }),
            };
        }
        this.registerOutputs({});
    }
}
