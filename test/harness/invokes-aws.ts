// Answers to the AWS provider functions the program calls, shaped as @pulumi/aws returns them.
import type { InvokeHandler } from "./invokes";
import { MOCK_AWS_ACCOUNT } from "./state-aws";

const region = (config: Readonly<Record<string, string>>) => config["aws:region"] ?? "eu-central-1";

/** The role the mocked deployer runs as, and the STS session ARN getCallerIdentity reports for it. */
export const MOCK_DEPLOYER_ROLE_ARN = `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/deployer`;
const MOCK_DEPLOYER_SESSION_ARN = `arn:aws:sts::${MOCK_AWS_ACCOUNT}:assumed-role/deployer/ci`;

export const AWS_INVOKES: Readonly<Record<string, InvokeHandler>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, config) => {
        const zones = ["a", "b", "c"].map((suffix) => `${region(config)}${suffix}`);
        return { names: zones, zoneIds: zones.map((_z, i) => `euc1-az${i + 1}`), groupNames: [region(config)], state: "available", id: region(config), region: region(config) };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_AWS_ACCOUNT,
        arn: MOCK_DEPLOYER_SESSION_ARN,
        userId: "AROAMOCKDEPLOYER:ci",
        id: MOCK_AWS_ACCOUNT,
    }),
    "aws:index/getRegion:getRegion": (_inputs, config) => ({ name: region(config), region: region(config), id: region(config), endpoint: `ec2.${region(config)}.amazonaws.com`, description: "Europe (Frankfurt)" }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" }),
    // Turns an assumed-role session ARN into the role's ARN, as IAM does; any other ARN passes through.
    "aws:iam/getSessionContext:getSessionContext": (inputs) => {
        const arn = String(inputs.arn);
        const match = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/(.+)$/.exec(arn);
        if (!match) {
            return { arn, id: arn, issuerArn: arn, issuerId: "", issuerName: "", sessionName: "" };
        }
        const [, partition, account, roleName, sessionName] = match;
        return { arn, id: arn, issuerArn: `arn:${partition}:iam::${account}:role/${roleName}`, issuerId: "AROAMOCKDEPLOYER", issuerName: roleName, sessionName };
    },
};
