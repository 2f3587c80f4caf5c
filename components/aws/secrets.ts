// Runtime secrets (SEC-1..SEC-5): Secrets Manager secrets under the secrets CMK, each rotated every rotationDays by the rotation Lambda.
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import type { ModelProvider } from "../../config/providers";
import { AwsContext, tagsFor } from "./context";
import { ROTATION_MODE_TAG, RotationMode } from "./rotation-lambda/modes";
import { RotationFunction } from "./rotation";

export interface SecretsArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** ARN of the secrets CMK. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Model provider keys from the secret config (`pulumi config set --secret`); one secret per configured provider. */
    readonly modelProviderKeys: Readonly<Partial<Record<ModelProvider, pulumi.Output<string>>>>;
    /** The OIDC client secret (`openclaw:identityClientSecret`), a secret Output; absent without single sign-on. */
    readonly identityClientSecret?: pulumi.Output<string>;
    /**
     * The gateways of `openclaw:gateways` beyond the first, by name: each gets its own generated token, minted and
     * rotated like the first. Defaults to none.
     */
    readonly teamGatewayNames?: readonly string[];
    /** Days between rotations (`rotationDays`, 30 to 90). */
    readonly rotationDays: number;
    /** The rotation function's network placement. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The security group attached to the resource. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Name of the encrypted log group the function logs to. */
    readonly logGroupName: pulumi.Input<string>;
    /**
     * What the function's network path to Secrets Manager consists of: the secretsmanager interface endpoint (its
     * private DNS name resolves only once it exists), the security group rules between the function and the
     * endpoints, the NACLs of both tiers. The function and every SecretRotation wait for them: `rotateImmediately`
     * runs the first rotation at creation, and a failed first rotation leaves the gateway token with no value.
     */
    readonly networkReady: readonly pulumi.Resource[];
}

/** One managed secret and how it rotates. */
export interface ManagedSecret {
    readonly secret: secretsmanager.Secret;
    readonly mode: RotationMode;
}

/**
 * The gateway token and the model provider keys. The gateway token has no value from Pulumi at all: the first
 * (immediate) rotation mints it inside AWS, so it never appears in config, state or the program, and a later
 * `pulumi up --refresh` cannot roll a rotation back.
 */
export class Secrets extends pulumi.ComponentResource {
    readonly gatewayToken: secretsmanager.Secret;
    /** The token of each further gateway, by gateway name (empty for a stack with one gateway). */
    readonly teamGatewayTokens: Readonly<Record<string, secretsmanager.Secret>>;
    readonly modelProviderKeys: Readonly<Partial<Record<ModelProvider, secretsmanager.Secret>>>;
    /** The OIDC client secret; like a provider key it is issued elsewhere (the IdP), so rotation notifies. */
    readonly identityClientSecret?: secretsmanager.Secret;
    readonly rotationFunction: RotationFunction;
    /** ARNs of every secret of this stack (for the External Secrets and admin policies). */
    readonly arns: pulumi.Output<string>[];

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:Secrets", name, {}, opts);
        const { context } = args;
        const managed: Record<string, ManagedSecret> = {};
        const newSecret = (key: string, secretName: string, description: string, mode: RotationMode) => {
            const secret = new secretsmanager.Secret(`${name}-${key}`, {
                name: secretName,
                description,
                kmsKeyId: args.kmsKeyArn,
                recoveryWindowInDays: 30,
                tags: { ...tagsFor(context, secretName), [ROTATION_MODE_TAG]: mode },
            }, { parent: this });
            managed[key] = { secret, mode };
            return secret;
        };

        this.gatewayToken = newSecret("gateway-token", `${context.prefix}/gateway-token`, "OpenClaw gateway token; minted and rotated by the rotation function", "generate");
        this.teamGatewayTokens = Object.fromEntries((args.teamGatewayNames ?? []).map((gateway) => [
            gateway,
            newSecret(`gateway-token-${gateway}`, `${context.prefix}/gateways/${gateway}/gateway-token`, `OpenClaw gateway token of gateway ${gateway}; minted and rotated by the rotation function`, "generate"),
        ]));
        const providerSecrets: Partial<Record<ModelProvider, secretsmanager.Secret>> = {};
        const versions: secretsmanager.SecretVersion[] = [];
        for (const [provider, value] of Object.entries(args.modelProviderKeys) as [ModelProvider, pulumi.Output<string>][]) {
            const secret = newSecret(`model-${provider}`, `${context.prefix}/model-provider/${provider}`, `${provider} API key for OpenClaw; replace it at the provider when the rotation notice arrives`, "notify");
            providerSecrets[provider] = secret;
            versions.push(new secretsmanager.SecretVersion(`${name}-model-${provider}`, {
                secretId: secret.id,
                secretString: pulumi.secret(value),
            }, {
                parent: this,
                // A rotation re-stamps the value as a new AWSCURRENT version; the stages then legitimately differ.
                ignoreChanges: ["versionStages"],
            }));
        }
        this.modelProviderKeys = providerSecrets;
        if (args.identityClientSecret !== undefined) {
            const secret = newSecret("oidc-client-secret", `${context.prefix}/oidc-client-secret`, "OIDC client secret of OpenClaw's single sign-on; replace it at the identity provider when the rotation notice arrives", "notify");
            this.identityClientSecret = secret;
            versions.push(new secretsmanager.SecretVersion(`${name}-oidc-client-secret`, {
                secretId: secret.id,
                secretString: pulumi.secret(args.identityClientSecret),
            }, { parent: this, ignoreChanges: ["versionStages"] }));
        }
        this.arns = Object.values(managed).map((m) => m.secret.arn);

        this.rotationFunction = new RotationFunction(`${name}-rotation`, {
            context,
            secretArns: this.arns,
            kmsKeyArn: args.kmsKeyArn,
            subnetIds: args.subnetIds,
            securityGroupId: args.securityGroupId,
            logGroupName: args.logGroupName,
            networkReady: args.networkReady,
        }, { parent: this });

        for (const [key, { secret }] of Object.entries(managed)) {
            const permission = this.rotationFunction.allowRotationOf(key, secret);
            new secretsmanager.SecretRotation(`${name}-${key}`, {
                secretId: secret.id,
                rotationLambdaArn: this.rotationFunction.function.arn,
                rotationRules: { automaticallyAfterDays: args.rotationDays },
                // The gateway token gets its first value this way; provider keys get their first audit entry.
                rotateImmediately: true,
            }, { parent: this, dependsOn: [permission, this.rotationFunction.function, ...versions, ...args.networkReady] });
        }
        this.registerOutputs({});
    }
}
