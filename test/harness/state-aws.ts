// Computed outputs of AWS resources under the mocks, shaped as the AWS provider returns them.

export const MOCK_AWS_ACCOUNT = "111122223333";

/** Outputs the AWS provider computes for a resource; extend per type as the program reads more of them. */
export function awsState(type: string, name: string, inputs: Record<string, unknown>, region: string): Record<string, unknown> {
    const [, module, resource] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type) ?? [];
    const state: Record<string, unknown> = {
        arn: `arn:aws:${module ?? "unknown"}:${region}:${MOCK_AWS_ACCOUNT}:${(resource ?? "resource").toLowerCase()}/${name}`,
    };
    if (inputs.name === undefined) {
        state.name = name;
    }
    const physicalName = String(inputs.name ?? name);
    switch (type) {
        case "aws:eks/cluster:Cluster":
            state.arn = `arn:aws:eks:${region}:${MOCK_AWS_ACCOUNT}:cluster/${physicalName}`;
            state.endpoint = `https://${name.toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
            state.certificateAuthority = { data: Buffer.from("mock-ca").toString("base64") };
            state.identities = [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/MOCK` }] }];
            state.vpcConfig = { ...(inputs.vpcConfig as Record<string, unknown>), clusterSecurityGroupId: "sg-0eks0cluster0mock", vpcId: "vpc-0mock" };
            state.status = "ACTIVE";
            break;
        case "aws:eks/accessEntry:AccessEntry":
            state.accessEntryArn = `arn:aws:eks:${region}:${MOCK_AWS_ACCOUNT}:access-entry/${String(inputs.clusterName)}/role/${name}`;
            break;
        case "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
            state.associatedAt = "2026-01-01T00:00:00Z";
            state.modifiedAt = "2026-01-01T00:00:00Z";
            break;
        case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            state.associationId = `a-${name}`;
            state.associationArn = `arn:aws:eks:${region}:${MOCK_AWS_ACCOUNT}:podidentityassociation/${String(inputs.clusterName)}/a-${name}`;
            break;
        case "aws:iam/role:Role":
            state.arn = `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/${physicalName}`;
            state.uniqueId = `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 17)}`;
            break;
        case "aws:kms/key:Key":
            state.arn = `arn:aws:kms:${region}:${MOCK_AWS_ACCOUNT}:key/${name}`;
            state.keyId = `${name}-key-id`;
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            state.arn = `arn:aws:logs:${region}:${MOCK_AWS_ACCOUNT}:log-group:${physicalName}`;
            break;
        case "aws:secretsmanager/secret:Secret":
            // Secrets Manager appends six random characters to the name.
            state.arn = `arn:aws:secretsmanager:${region}:${MOCK_AWS_ACCOUNT}:secret:${physicalName}-AbC123`;
            break;
        case "aws:secretsmanager/secretVersion:SecretVersion":
            state.versionId = `${name}-version`;
            state.versionStages = inputs.versionStages ?? ["AWSCURRENT"];
            break;
        case "aws:s3/bucket:Bucket":
            state.arn = `arn:aws:s3:::${String(inputs.bucket ?? name)}`;
            state.bucket = inputs.bucket ?? name;
            state.bucketRegionalDomainName = `${String(inputs.bucket ?? name)}.s3.${region}.amazonaws.com`;
            break;
        case "aws:ec2/vpc:Vpc":
            state.defaultNetworkAclId = "acl-0default0mock";
            state.defaultSecurityGroupId = "sg-0default0mock";
            state.defaultRouteTableId = "rtb-0default0mock";
            state.mainRouteTableId = "rtb-0default0mock";
            break;
        case "aws:ec2/launchTemplate:LaunchTemplate":
            state.latestVersion = 1;
            state.defaultVersion = 1;
            break;
        case "aws:lambda/function:Function":
            state.arn = `arn:aws:lambda:${region}:${MOCK_AWS_ACCOUNT}:function:${physicalName}`;
            state.invokeArn = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${String(state.arn)}/invocations`;
            state.qualifiedArn = `${String(state.arn)}:$LATEST`;
            state.version = "$LATEST";
            break;
        case "aws:sns/topic:Topic":
            state.arn = `arn:aws:sns:${region}:${MOCK_AWS_ACCOUNT}:${physicalName}`;
            break;
        case "aws:cloudtrail/trail:Trail":
            state.arn = `arn:aws:cloudtrail:${region}:${MOCK_AWS_ACCOUNT}:trail/${physicalName}`;
            state.homeRegion = region;
            break;
        case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
            state.arn = `arn:aws:firehose:${region}:${MOCK_AWS_ACCOUNT}:deliverystream/${physicalName}`;
            break;
        case "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup":
        case "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList":
        case "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig":
            state.ownerId = MOCK_AWS_ACCOUNT;
            break;
        default:
            break;
    }
    return state;
}
