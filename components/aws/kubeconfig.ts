// The kubeconfig of the cluster's Kubernetes provider: `aws eks get-token` signed by the same identity as the AWS provider.
import type * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";

/** The `aws:` provider settings that decide who signs requests, as Pulumi stores them (strings; lists as JSON). */
export type AwsProviderConfig = Readonly<Record<string, string | undefined>>;

/** How `aws eks get-token` is called so that it signs as the AWS provider does. */
export interface TokenCommand {
    readonly args: readonly string[];
    readonly env: readonly { readonly name: string; readonly value: string }[];
}

/**
 * `aws:assumeRoles` fields `aws eks get-token` cannot reproduce: it takes `--role-arn` and nothing else of an
 * AssumeRole call (awscli customizations/eks/get_token.py: --cluster-name, --role-arn, --cluster-id).
 */
const ASSUME_ROLE_FIELDS_WITHOUT_FLAG = ["externalId", "policy", "policyArns", "sourceIdentity", "tags", "transitiveTagKeys"] as const;

function parseList(raw: string | undefined): unknown[] {
    if (raw === undefined) {
        return [];
    }
    try {
        const value = JSON.parse(raw) as unknown;
        return Array.isArray(value) ? value : [value];
    } catch {
        return [raw];
    }
}

/**
 * The `aws eks get-token` arguments and environment for the provider settings, or the problems that prevent
 * the token from being signed by the same identity (each naming its `aws:` key). The deployer's access entry is
 * made for the identity the provider runs as; a token signed by anyone else would be refused by the API.
 */
export function tokenCommand(clusterName: string, region: string, config: AwsProviderConfig): { command: TokenCommand; problems: string[] } {
    const problems: string[] = [];
    const args = ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"];
    const env: { name: string; value: string }[] = [];
    if (config.profile !== undefined) {
        args.push("--profile", config.profile);
    }
    const files = [["sharedConfigFiles", "AWS_CONFIG_FILE"], ["sharedCredentialsFiles", "AWS_SHARED_CREDENTIALS_FILE"]] as const;
    for (const [key, variable] of files) {
        const list = parseList(config[key]).map(String);
        if (list.length > 1) {
            problems.push(`aws:${key}: lists ${list.length} files; accepted: at most one (the AWS CLI that signs the cluster token reads a single ${variable})`);
        } else if (list.length === 1) {
            env.push({ name: variable, value: list[0] });
        }
    }
    const roles = parseList(config.assumeRoles) as Record<string, unknown>[];
    if (roles.length > 1) {
        problems.push(`aws:assumeRoles: chains ${roles.length} roles; accepted: at most one role (aws eks get-token assumes one role with --role-arn)`);
    } else if (roles.length === 1) {
        const role = roles[0] ?? {};
        const unsupported = ASSUME_ROLE_FIELDS_WITHOUT_FLAG.filter((field) => role[field] !== undefined);
        if (unsupported.length > 0) {
            problems.push(`aws:assumeRoles[0]: sets ${unsupported.join(", ")}; accepted: roleArn (and sessionName, duration) only, as aws eks get-token cannot pass the others`);
        }
        if (typeof role.roleArn === "string") {
            args.push("--role-arn", role.roleArn);
        }
    }
    for (const key of ["accessKey", "secretKey", "token"]) {
        if (config[key] !== undefined) {
            problems.push(`aws:${key}: static credentials in stack config would have to be copied into the kubeconfig; accepted: a profile (aws:profile), aws:assumeRoles or the environment's credentials`);
        }
    }
    if (config.assumeRoleWithWebIdentity !== undefined) {
        problems.push("aws:assumeRoleWithWebIdentity: not reproducible by aws eks get-token; accepted: AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE in the environment, which both the provider and the AWS CLI read");
    }
    return { command: { args, env }, problems };
}

/** Reads the `aws:` provider settings that `tokenCommand` needs. */
export function awsProviderConfig(): AwsProviderConfig {
    const aws = new pulumi.Config("aws");
    const keys = ["profile", "assumeRoles", "sharedConfigFiles", "sharedCredentialsFiles", "accessKey", "secretKey", "token", "assumeRoleWithWebIdentity"];
    return Object.fromEntries(keys.map((key) => [key, aws.get(key)]));
}

/**
 * A kubeconfig that gets a token with `aws eks get-token` (AWS CLI v2 on the deployer's PATH). It resolves only
 * after the deployer's access entry and its policy exist, so no Kubernetes call is attempted before the API accepts it.
 */
export function kubeconfig(cluster: eks.Cluster, token: TokenCommand, access: eks.AccessPolicyAssociation): pulumi.Output<string> {
    return pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority, access.associatedAt]).apply(([clusterName, endpoint, ca]) =>
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": ca.data } }],
            contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
            "current-context": clusterName,
            users: [
                {
                    name: clusterName,
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: [...token.args],
                            ...(token.env.length > 0 ? { env: token.env.map((e) => ({ ...e })) } : {}),
                            interactiveMode: "Never",
                        },
                    },
                },
            ],
        }),
    );
}
