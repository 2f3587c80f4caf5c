// Answers to the AWS provider functions the program calls, shaped as @pulumi/aws returns them.
import type { InvokeHandler } from "./invokes";
import { MOCK_AWS_ACCOUNT } from "./state-aws";

const region = (config: Readonly<Record<string, string>>) => config["aws:region"] ?? "eu-central-1";

export const AWS_INVOKES: Readonly<Record<string, InvokeHandler>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, config) => {
        const zones = ["a", "b", "c"].map((suffix) => `${region(config)}${suffix}`);
        return { names: zones, zoneIds: zones.map((_z, i) => `euc1-az${i + 1}`), state: "available", id: region(config) };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_AWS_ACCOUNT,
        arn: `arn:aws:sts::${MOCK_AWS_ACCOUNT}:assumed-role/deployer/ci`,
        userId: "AROAMOCK:ci",
        id: MOCK_AWS_ACCOUNT,
    }),
    "aws:index/getRegion:getRegion": (_inputs, config) => ({ name: region(config), region: region(config), id: region(config), endpoint: `ec2.${region(config)}.amazonaws.com` }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" }),
};
