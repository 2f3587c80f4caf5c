// The stack-name rule: the limit config states is the one the AWS platform enforces, and it follows from S3's.
import * as assert from "assert";
import { MAX_PREFIX_LENGTH } from "../../components/aws";
import { AWS_MAX_PREFIX_LENGTH, AWS_MAX_STACK_NAME_LENGTH, stackNameProblem } from "../../config/stack-name";

describe("the stack-name rule", () => {
    it("is the AWS platform's own prefix limit", () => {
        assert.strictEqual(AWS_MAX_PREFIX_LENGTH, MAX_PREFIX_LENGTH);
    });

    it("leaves the log archive bucket within S3's 63 characters in the longest region", () => {
        // S3: bucket names are 3-63 characters (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html);
        // the longest region names are 14 characters (ap-southeast-4, ap-southeast-5; AWS regions list).
        const bucket = `${"o".repeat(AWS_MAX_PREFIX_LENGTH)}-log-archive-111122223333-ap-southeast-4`;
        assert.strictEqual(bucket.length, 63);
    });

    it("allows 14 characters for the stack (23 minus `openclaw-`), lower-case, starting with a letter", () => {
        assert.strictEqual(AWS_MAX_STACK_NAME_LENGTH, 14);
        assert.strictEqual(stackNameProblem("prod-eu-west-1", "aws"), undefined);
        assert.match(stackNameProblem("prod-eu-central-1", "aws") ?? "", /is 17 characters/);
        assert.match(stackNameProblem("Prod", "aws") ?? "", /lower-case letters, digits and dashes/);
        assert.strictEqual(stackNameProblem("Production_EU_Central", "azure"), undefined);
    });
});
