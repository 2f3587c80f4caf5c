// What every AWS sub-component needs to name, tag and scope its resources: the stack prefix, region and account.
import * as pulumi from "@pulumi/pulumi";

/** Facts about where the platform is deployed, shared by every AWS sub-component. */
export interface AwsContext {
    /** Prefix of physical names (cluster, log groups, roles): `openclaw-<stack>`. */
    readonly prefix: string;
    /** The region of the default AWS provider (`aws:region`). */
    readonly region: string;
    /** The account the deployer runs in. */
    readonly accountId: pulumi.Output<string>;
    /** The ARN partition (`aws`, `aws-us-gov`, `aws-cn`). */
    readonly partition: pulumi.Output<string>;
    /** Tags on every taggable resource, so cost and ownership reports can find the stack. */
    readonly tags: Readonly<Record<string, string>>;
}

/** Tags of one resource: the stack's tags plus a `Name` the console shows. */
export function tagsFor(context: AwsContext, name: string): Record<string, string> {
    return { ...context.tags, Name: name };
}

/** An ARN in this account and region, for example `arn(ctx, "logs", "log-group:/x:*")`. */
export function arnOf(context: AwsContext, service: string, resource: pulumi.Input<string>, scope: "regional" | "global" = "regional"): pulumi.Output<string> {
    const region = scope === "regional" ? context.region : "";
    return pulumi.interpolate`arn:${context.partition}:${service}:${region}:${context.accountId}:${resource}`;
}

/** An AWS managed policy ARN. */
export function managedPolicyArn(context: AwsContext, name: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${context.partition}:iam::aws:policy/${name}`;
}
