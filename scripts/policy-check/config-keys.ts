// Which `openclaw:` key a policy's finding traces back to on this program, so a violation says what to change.
// The pack itself stays generic; this table is the program's side. A policy not listed is met by a fixed program
// default: a finding there is a program bug or a hand-made change, not a config choice.

/** Policy name → the `openclaw:` config key whose value decides it (a `--path` member where one member does). */
export const POLICY_CONFIG_KEYS: Readonly<Record<string, string>> = {
    "aws-eks-cluster-disallow-public-endpoint": "openclaw:apiAuthorizedCidrs",
    "azure-aks-cluster-disallow-public-endpoint": "openclaw:apiAuthorizedCidrs",
    "aws-security-group-disallow-public-ingress": "openclaw:ingressAllowedCidrs",
    "azure-network-security-group-disallow-public-ingress": "openclaw:ingressAllowedCidrs",
    "kubernetes-client-traffic-policy-enforce-tls13": "openclaw:allowLegacyTls12",
    "kubernetes-client-traffic-policy-enforce-aead-ciphers": "openclaw:allowLegacyTls12",
    "aws-cloudwatch-log-group-configure-retention": "openclaw:logRetentionDays",
    "azure-log-analytics-workspace-configure-retention": "openclaw:logRetentionDays",
    "aws-s3-object-lock-enforce-compliance-retention": "openclaw:logRetentionDays",
    "azure-storage-missing-immutable-archive": "openclaw:logRetentionDays",
    "aws-secretsmanager-rotation-configure-max-interval": "openclaw:rotationDays",
    "azure-key-vault-secret-configure-expiry": "openclaw:rotationDays",
    "azure-key-vault-key-configure-rotation-policy": "openclaw:rotationDays",
    "kubernetes-container-enforce-image-digest": "openclaw:openclaw.image",
    "aws-eks-missing-role-access": "openclaw:groups",
    "azure-aks-missing-role-access": "openclaw:groups",
    "aws-route-disallow-default-peering-route": "openclaw:network.peerings",
    "azure-vnet-peering-disallow-transit": "openclaw:network.peerings",
    "aws-vpc-missing-dedicated-network": "openclaw:network.cidr",
    "azure-aks-missing-dedicated-network": "openclaw:network.cidr",
};

/** The key behind a policy's findings, or undefined when a program default decides it. */
export function configKeyOf(policy: string): string | undefined {
    return POLICY_CONFIG_KEYS[policy];
}
