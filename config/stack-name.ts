// The stack-name rule, in the stack's own terms: which `pulumi stack init <name>` names a cloud accepts, and why.

/** The platform name index.ts passes to createPlatform; every AWS physical name starts `openclaw-<stack>`. */
export const PLATFORM_NAME = "openclaw";

/**
 * Longest `openclaw-<stack>` prefix on AWS. The tightest name is the log archive bucket
 * `<prefix>-log-archive-<12-digit account>-<region>`: S3 allows 63 characters
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), and with the longest region
 * names (14 characters, e.g. ap-southeast-4) that leaves 63 - 13 - 12 - 1 - 14 = 23 for the prefix.
 * test/config/stack-name.test.ts checks this equals the AWS platform's own MAX_PREFIX_LENGTH.
 */
export const AWS_MAX_PREFIX_LENGTH = 23;

/** Longest stack name on AWS: the prefix minus `openclaw-`. */
export const AWS_MAX_STACK_NAME_LENGTH = AWS_MAX_PREFIX_LENGTH - PLATFORM_NAME.length - 1;

const AWS_STACK_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The problem with a stack name for a cloud, stated in the stack's terms, or undefined when it is fine. Azure names
 * its resources from the resource group and hashes (no limit from the stack name).
 */
export function stackNameProblem(stack: string, cloud: string): string | undefined {
    if (cloud !== "aws") {
        return undefined;
    }
    const problems: string[] = [];
    if (stack.length > AWS_MAX_STACK_NAME_LENGTH) {
        problems.push(`is ${stack.length} characters`);
    }
    if (!AWS_STACK_NAME.test(stack)) {
        problems.push("has characters other than lower-case letters, digits and dashes, or does not start with a letter");
    }
    if (problems.length === 0) {
        return undefined;
    }
    return (
        `stack name "${stack}" (Pulumi.${stack}.yaml) ${problems.join(" and ")}; accepted on AWS: at most ${AWS_MAX_STACK_NAME_LENGTH} ` +
        `lower-case letters, digits and dashes, starting with a letter (it names the cluster, IAM roles, log groups and the ` +
        `log archive bucket ${PLATFORM_NAME}-<stack>-log-archive-<account>-<region>, which S3 limits to 63 characters); ` +
        `create the stack under a shorter name: pulumi stack init <name>`
    );
}
