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
    switch (type) {
        case "aws:eks/cluster:Cluster":
            state.endpoint = `https://${name.toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
            state.certificateAuthority = { data: Buffer.from("mock-ca").toString("base64") };
            state.identities = [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/MOCK` }] }];
            break;
        case "aws:iam/role:Role":
            state.arn = `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/${name}`;
            break;
        case "aws:kms/key:Key":
            state.arn = `arn:aws:kms:${region}:${MOCK_AWS_ACCOUNT}:key/${name}`;
            state.keyId = `${name}-key-id`;
            break;
        default:
            break;
    }
    return state;
}
