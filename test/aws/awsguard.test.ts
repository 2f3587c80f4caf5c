// The AWS example stack against @pulumi/awsguard's offline policies (as bench/awsguard.ts loads them), every one mandatory.
import * as assert from "assert";
import { loadAwsGuard } from "../../bench/awsguard";
import { evaluatePolicies, fromRecordedRun } from "../../policy-pack/testing";
import { devStack, named, ofType } from "./run";

/**
 * awsguard 0.3.1 reads @pulumi/aws 4's inputs. Its `s3-bucket-logging-enabled` checks the v4 `loggings` list on
 * `aws:s3/bucket:Bucket`; @pulumi/aws 7 has no such input (the deprecated inline field is `logging`, replaced by
 * the `aws.s3.BucketLogging` resource), so it flags every v7 bucket whatever its logging. That one policy is
 * checked here against what it means instead: every bucket but the log target itself has server access logging.
 */
const READS_V4_INPUTS = "s3-bucket-logging-enabled";

describe("the AWS example stack against awsguard's offline policies", () => {
    it("has no mandatory violation but the v4-input false positive on buckets, and the archive bucket's access logging exists", async () => {
        const run = await devStack();
        const { offline } = loadAwsGuard();
        const result = await evaluatePolicies(offline, fromRecordedRun(run), { packEnforcementLevel: "mandatory" });
        const others = result.mandatory.filter((d) => d.policyName !== READS_V4_INPUTS);
        assert.deepStrictEqual(others.map((d) => `${d.policyName}: ${d.detail}`), []);
        const flagged = result.mandatory.filter((d) => d.policyName === READS_V4_INPUTS).map((d) => d.urn?.split("::").pop());
        const buckets = ofType(run, "aws:s3/bucket:Bucket").map((b) => b.name);
        assert.deepStrictEqual([...flagged].sort(), [...buckets].sort(), "only buckets, each of them, whatever their logging");
        const logged = ofType(run, "aws:s3/bucketLogging:BucketLogging").map((l) => l.inputs.bucket);
        assert.deepStrictEqual(logged, [`${named(run, "aws:s3/bucket:Bucket", "openclaw-archive-bucket").name}-id`]);
    });
});
