// Compliant fixture worlds shaped like the program's recorded inputs (AWS, Azure, Kubernetes); each policy spec
// starts from one and changes one field per case.
import type { FixtureResource } from "../../policy-pack/testing/resources";

const SHA = "0".repeat(64);
export const PINNED_IMAGE = `ghcr.io/openclaw/openclaw:2026.9.6@sha256:${SHA}`;

const policyDoc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** A hardened AWS platform: VPC, tiers, private EKS, endpoints, secrets with rotation, logs, archive, alarms, access. */
export function awsWorld(): FixtureResource[] {
    const endpoint = (service: string): FixtureResource => ({
        type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        name: `openclaw-endpoints-${service.replace(".", "-")}`,
        inputs: { serviceName: `com.amazonaws.eu-central-1.${service}`, vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: ["openclaw-sg-endpoints-id"], vpcId: "openclaw-network-vpc-id" },
        propertyDependencies: { securityGroupIds: ["openclaw-sg-endpoints"], vpcId: ["openclaw-network-vpc"] },
    });
    const alarm = (name: string, description: string): FixtureResource => ({
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name: `openclaw-alarms-${name}`,
        inputs: { name: `openclaw-dev-${name}`, alarmDescription: description, metricName: name, alarmActions: ["arn:aws:sns:eu-central-1:111122223333:openclaw-dev-security-alerts"] },
    });
    const association = (role: string, policy: string, scope: object): FixtureResource => ({
        type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        name: `openclaw-access-${role}`,
        inputs: { clusterName: "openclaw-dev", policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`, principalArn: `arn:aws:iam::111122223333:role/openclaw-dev-${role}`, accessScope: scope },
        propertyDependencies: { clusterName: ["openclaw-eks-cluster"] },
    });
    const logGroup = (purpose: string, name: string): FixtureResource => ({
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: `openclaw-logs-${purpose}`,
        inputs: { name, retentionInDays: 365, kmsKeyId: "arn:aws:kms:eu-central-1:111122223333:key/openclaw-keys-logs" },
    });
    const masking = (purpose: string): FixtureResource => ({
        type: "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy",
        name: `openclaw-logs-${purpose}-masking`,
        inputs: {
            logGroupName: `/openclaw-dev/${purpose}`,
            policyDocument: JSON.stringify({
                Name: `openclaw-dev-${purpose}-masking`,
                Version: "2021-06-01",
                Statement: [
                    { Sid: "audit", DataIdentifier: ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation: { Audit: { FindingsDestination: {} } } },
                    { Sid: "mask", DataIdentifier: ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"], Operation: { Deidentify: { MaskConfig: {} } } },
                ],
            }),
        },
        propertyDependencies: { logGroupName: [`openclaw-logs-${purpose}`] },
    });
    return [
        { type: "pulumi:pulumi:Stack", name: "openclaw-dev", outputs: { roleBindings: [{ principal: "arn:aws:iam::111122223333:role/openclaw-dev-admin", grants: ["EKS AmazonEKSClusterAdminPolicy"] }] } },
        { type: "aws:ec2/vpc:Vpc", name: "openclaw-network-vpc", inputs: { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true, enableDnsSupport: true } },
        { type: "aws:ec2/subnet:Subnet", name: "openclaw-network-private-0", inputs: { cidrBlock: "10.20.0.0/19", mapPublicIpOnLaunch: false, vpcId: "openclaw-network-vpc-id" }, propertyDependencies: { vpcId: ["openclaw-network-vpc"] } },
        { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "openclaw-network-default-sg", inputs: { vpcId: "openclaw-network-vpc-id", ingress: [], egress: [] } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "openclaw-sg-ingress", inputs: { name: "openclaw-dev-ingress", vpcId: "openclaw-network-vpc-id" } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "openclaw-sg-nodes", inputs: { name: "openclaw-dev-nodes", vpcId: "openclaw-network-vpc-id" } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "openclaw-sg-management", inputs: { name: "openclaw-dev-management", vpcId: "openclaw-network-vpc-id" } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "openclaw-sg-endpoints", inputs: { name: "openclaw-dev-endpoints", vpcId: "openclaw-network-vpc-id" } },
        {
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name: "openclaw-sg-ingress-https-0",
            inputs: { securityGroupId: "openclaw-sg-ingress-id", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
            propertyDependencies: { securityGroupId: ["openclaw-sg-ingress"] },
        },
        {
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name: "openclaw-sg-management-from-nodes",
            inputs: { securityGroupId: "openclaw-sg-management-id", ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "openclaw-sg-nodes-id" },
            propertyDependencies: { securityGroupId: ["openclaw-sg-management"], referencedSecurityGroupId: ["openclaw-sg-nodes"] },
        },
        {
            type: "aws:ec2/launchTemplate:LaunchTemplate",
            name: "openclaw-nodes-launch-template",
            inputs: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 }, vpcSecurityGroupIds: ["openclaw-sg-nodes-id"] },
            propertyDependencies: { vpcSecurityGroupIds: ["openclaw-sg-nodes"] },
        },
        {
            type: "aws:eks/cluster:Cluster",
            name: "openclaw-eks-cluster",
            inputs: {
                name: "openclaw-dev",
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
                enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
                encryptionConfig: { provider: { keyArn: "arn:aws:kms:eu-central-1:111122223333:key/openclaw-keys-cluster" }, resources: ["secrets"] },
                vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, securityGroupIds: ["openclaw-sg-management-id"], subnetIds: ["openclaw-network-private-0-id"] },
            },
            propertyDependencies: { vpcConfig: ["openclaw-sg-management", "openclaw-network-private-0"] },
        },
        {
            type: "aws:eks/nodeGroup:NodeGroup",
            name: "openclaw-nodes",
            inputs: { clusterName: "openclaw-dev", nodeRoleArn: "arn:aws:iam::111122223333:role/openclaw-nodes", subnetIds: ["openclaw-network-private-0-id"], scalingConfig: { desiredSize: 3, minSize: 3, maxSize: 3 } },
            propertyDependencies: { clusterName: ["openclaw-eks-cluster"] },
        },
        {
            type: "aws:eks/addon:Addon",
            name: "openclaw-addons-vpc-cni",
            inputs: { addonName: "vpc-cni", clusterName: "openclaw-dev", configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) },
            propertyDependencies: { clusterName: ["openclaw-eks-cluster"] },
        },
        ...["secretsmanager", "kms", "logs", "sts", "ecr.api", "ecr.dkr"].map(endpoint),
        {
            type: "aws:ec2/vpcEndpoint:VpcEndpoint",
            name: "openclaw-endpoints-s3",
            inputs: { serviceName: "com.amazonaws.eu-central-1.s3", vpcEndpointType: "Gateway", vpcId: "openclaw-network-vpc-id" },
            propertyDependencies: { vpcId: ["openclaw-network-vpc"] },
        },
        {
            type: "aws:ec2/flowLog:FlowLog",
            name: "openclaw-network-flow-log",
            inputs: { trafficType: "ALL", vpcId: "openclaw-network-vpc-id", logDestinationType: "cloud-watch-logs" },
            propertyDependencies: { vpcId: ["openclaw-network-vpc"] },
        },
        { type: "aws:kms/key:Key", name: "openclaw-keys-secrets", inputs: { enableKeyRotation: true, rotationPeriodInDays: 90, deletionWindowInDays: 30 } },
        {
            type: "aws:secretsmanager/secret:Secret",
            name: "openclaw-secrets-gateway-token",
            inputs: { name: "openclaw-dev/gateway-token", kmsKeyId: "arn:aws:kms:eu-central-1:111122223333:key/openclaw-keys-secrets" },
        },
        {
            type: "aws:secretsmanager/secretVersion:SecretVersion",
            name: "openclaw-secrets-model-anthropic-version",
            inputs: { secretId: "openclaw-secrets-gateway-token-id", secretString: "sk-ant-FAKE-KEY-0000-must-never-leak" },
            propertyDependencies: { secretId: ["openclaw-secrets-gateway-token"] },
        },
        {
            type: "aws:secretsmanager/secretRotation:SecretRotation",
            name: "openclaw-rotation-gateway-token",
            inputs: { secretId: "openclaw-secrets-gateway-token-id", rotationLambdaArn: "arn:aws:lambda:eu-central-1:111122223333:function:rotate", rotationRules: { automaticallyAfterDays: 30 } },
            propertyDependencies: { secretId: ["openclaw-secrets-gateway-token"] },
        },
        {
            type: "aws:cloudwatch/eventRule:EventRule",
            name: "openclaw-rotation-audit-events",
            inputs: { eventPattern: JSON.stringify({ source: ["aws.secretsmanager"], "detail-type": ["AWS Service Event via CloudTrail"] }) },
        },
        logGroup("application", "/openclaw-dev/application"),
        logGroup("ingressAccess", "/openclaw-dev/ingress-access"),
        logGroup("cluster", "/aws/eks/openclaw-dev/cluster"),
        masking("application"),
        masking("ingressAccess"),
        { type: "aws:s3/bucket:Bucket", name: "openclaw-archive-bucket", inputs: { objectLockEnabled: true, forceDestroy: false } },
        {
            type: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
            name: "openclaw-archive-object-lock",
            inputs: { bucket: "openclaw-archive-bucket-id", rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } } },
            propertyDependencies: { bucket: ["openclaw-archive-bucket"] },
        },
        {
            type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            name: "openclaw-archive-public-access",
            inputs: { bucket: "openclaw-archive-bucket-id", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            propertyDependencies: { bucket: ["openclaw-archive-bucket"] },
        },
        {
            type: "aws:cloudtrail/trail:Trail",
            name: "openclaw-archive-trail",
            inputs: { enableLogFileValidation: true, enableLogging: true, isMultiRegionTrail: true, s3BucketName: "openclaw-archive-bucket-id", kmsKeyId: "arn:aws:kms:eu-central-1:111122223333:key/openclaw-keys-logs" },
            propertyDependencies: { s3BucketName: ["openclaw-archive-bucket"] },
        },
        alarm("ingress-failed-auth", "Repeated failed authentication (401/403) at the ingress."),
        alarm("unknown-egress", "A workload resolved a domain outside the egress allow-list."),
        alarm("model-api-spike", "Traffic to the model provider APIs is far above its usual band (token-usage spike)."),
        {
            type: "aws:iam/role:Role",
            name: "openclaw-people-admin",
            inputs: {
                assumeRolePolicy: policyDoc([
                    { Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_OpenClawAdmin_0123456789abcdef" } },
                ]),
            },
        },
        {
            type: "aws:iam/rolePolicy:RolePolicy",
            name: "openclaw-people-admin-policy",
            inputs: { role: "openclaw-people-admin-id", policy: policyDoc([{ Effect: "Allow", Action: ["eks:DescribeCluster"], Resource: "arn:aws:eks:eu-central-1:111122223333:cluster/openclaw-dev" }]) },
        },
        {
            type: "aws:eks/accessEntry:AccessEntry",
            name: "openclaw-access-admin-entry",
            inputs: { clusterName: "openclaw-dev", principalArn: "arn:aws:iam::111122223333:role/openclaw-dev-admin", kubernetesGroups: ["openclaw:admin"] },
        },
        // Access entries carry each role's Kubernetes group (components/aws/access.ts KUBERNETES_GROUPS).
        ...["operator", "developer", "auditor"].map((role): FixtureResource => ({
            type: "aws:eks/accessEntry:AccessEntry",
            name: `openclaw-access-${role}-entry`,
            inputs: { clusterName: "openclaw-dev", principalArn: `arn:aws:iam::111122223333:role/openclaw-dev-${role}`, kubernetesGroups: [`openclaw:${role}s`] },
        })),
        association("admin", "AmazonEKSClusterAdminPolicy", { type: "cluster" }),
        association("operator", "AmazonEKSViewPolicy", { type: "namespace", namespaces: ["openclaw", "openclaw-sandbox"] }),
        association("developer", "AmazonEKSEditPolicy", { type: "namespace", namespaces: ["openclaw-sandbox"] }),
        association("auditor", "AmazonEKSViewPolicy", { type: "cluster" }),
    ];
}

const AKS_ROLE = (guid: string) => `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** A hardened Azure platform: VNet with an NSG per subnet, private AKS, Key Vault, secrets with expiry, logging. */
export function azureWorld(): FixtureResource[] {
    const nsg = (name: string, rules: object[]): FixtureResource => ({ type: "azure-native:network:NetworkSecurityGroup", name: `openclaw-network-${name}-nsg`, inputs: { resourceGroupName: "openclaw-rg", securityRules: rules } });
    const subnet = (name: string, subnetName: string): FixtureResource => ({
        type: "azure-native:network:Subnet",
        name: `openclaw-network-${name}`,
        inputs: { subnetName, defaultOutboundAccess: false, networkSecurityGroup: { id: `openclaw-network-${name}-nsg-id` }, virtualNetworkName: "openclaw-network-vnet" },
        propertyDependencies: { networkSecurityGroup: [`openclaw-network-${name}-nsg`], virtualNetworkName: ["openclaw-network-vnet"] },
    });
    const assignment = (name: string, role: string, scope: string, scopeOf: string[], principalType = "Group"): FixtureResource => ({
        type: "azure-native:authorization:RoleAssignment",
        name: `openclaw-people-roles-${name}`,
        // The description marks the checklist role, as components/azure/role-assignments.ts writes it.
        inputs: { principalId: "11111111-1111-1111-1111-111111111111", principalType, roleDefinitionId: AKS_ROLE(role), scope, description: `openclaw: ${name.split("-")[0]} group 11111111-1111-1111-1111-111111111111 -> ${role} on ${scope}` },
        propertyDependencies: { scope: scopeOf },
    });
    const alert = (kind: string, description: string): FixtureResource => ({
        type: "azure-native:monitor:ScheduledQueryRule",
        name: `openclaw-alerts-${kind}`,
        inputs: { displayName: `openclaw: ${kind}`, description, enabled: true, actions: { actionGroups: ["openclaw-alerts-action-group-id"] } },
    });
    const inAWeek = Math.floor(Date.now() / 1000) + 30 * 86400;
    return [
        { type: "pulumi:pulumi:Stack", name: "openclaw-dev-azure", outputs: { azureRoleAssignments: [{ principal: "admin group", role: "Azure Kubernetes Service RBAC Cluster Admin" }] } },
        { type: "azure-native:network:VirtualNetwork", name: "openclaw-network-vnet", inputs: { addressSpace: { addressPrefixes: ["10.30.0.0/16"] }, resourceGroupName: "openclaw-rg" } },
        nsg("nodes", [
            { name: "allow-https-to-ingress", access: "Allow", direction: "Inbound", priority: 100, protocol: "Tcp", sourceAddressPrefixes: ["0.0.0.0/0"], destinationPortRanges: ["443"] },
            { name: "allow-load-balancer-probes", access: "Allow", direction: "Inbound", priority: 110, protocol: "*", sourceAddressPrefixes: ["AzureLoadBalancer"], destinationPortRanges: ["*"] },
            { name: "allow-cluster-internal", access: "Allow", direction: "Inbound", priority: 120, protocol: "*", sourceAddressPrefixes: ["10.30.0.0/16", "100.64.0.0/16"], destinationPortRanges: ["*"] },
            { name: "deny-all-inbound", access: "Deny", direction: "Inbound", priority: 4096, protocol: "*", sourceAddressPrefixes: ["*"], destinationPortRanges: ["*"] },
        ]),
        nsg("privateEndpoints", [{ name: "allow-https-from-vnet", access: "Allow", direction: "Inbound", priority: 100, protocol: "Tcp", sourceAddressPrefixes: ["10.30.0.0/16"], destinationPortRanges: ["443"] }]),
        subnet("nodes", "nodes"),
        subnet("privateEndpoints", "private-endpoints"),
        {
            type: "azure-native:containerservice:ManagedCluster",
            name: "openclaw-cluster",
            inputs: {
                resourceGroupName: "openclaw-rg",
                disableLocalAccounts: true,
                enableRBAC: true,
                aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ["11111111-1111-1111-1111-111111111111"] },
                apiServerAccessProfile: { enablePrivateCluster: true, enableVnetIntegration: true },
                networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "cilium", networkDataplane: "cilium" },
                securityProfile: { azureKeyVaultKms: { enabled: true, keyId: "https://openclaw-kv.vault.azure.net/keys/etcd/1", keyVaultNetworkAccess: "Private" } },
                agentPoolProfiles: [{ name: "system", mode: "System", count: 3, vnetSubnetID: "openclaw-network-nodes-id", securityProfile: { sshAccess: "Disabled" } }],
            },
            propertyDependencies: { agentPoolProfiles: ["openclaw-network-nodes"] },
        },
        {
            type: "azure-native:keyvault:Vault",
            name: "openclaw-kv-vault",
            inputs: {
                resourceGroupName: "openclaw-rg",
                properties: {
                    enablePurgeProtection: true,
                    enableRbacAuthorization: true,
                    enableSoftDelete: true,
                    softDeleteRetentionInDays: 90,
                    publicNetworkAccess: "Disabled",
                    networkAcls: { bypass: "AzureServices", defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] },
                    sku: { family: "A", name: "standard" },
                    tenantId: "00000000-0000-0000-0000-0000000000aa",
                },
            },
        },
        {
            type: "azure-native:keyvault:Key",
            name: "openclaw-kv-etcd-key",
            inputs: {
                vaultName: "openclaw-kv-vault",
                properties: {
                    kty: "RSA",
                    keySize: 2048,
                    rotationPolicy: {
                        attributes: { expiryTime: "P1Y" },
                        lifetimeActions: [
                            { action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } },
                            { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
                        ],
                    },
                },
            },
            propertyDependencies: { vaultName: ["openclaw-kv-vault"] },
        },
        {
            type: "azure-native:keyvault:Secret",
            name: "openclaw-secrets-gateway-token",
            inputs: { vaultName: "openclaw-kv-vault", secretName: "openclaw-gateway-token", properties: { value: "generated-token-value", contentType: "text/plain", attributes: { enabled: true, expires: inAWeek } } },
            propertyDependencies: { vaultName: ["openclaw-kv-vault"] },
        },
        {
            type: "azure-native:eventgrid:SystemTopicEventSubscription",
            name: "openclaw-rotation-near-expiry",
            inputs: { filter: { includedEventTypes: ["Microsoft.KeyVault.SecretNearExpiry"] } },
        },
        {
            type: "azure-native:monitor:DiagnosticSetting",
            name: "openclaw-kv-diagnostics",
            inputs: { resourceUri: "openclaw-kv-vault-id", logs: [{ categoryGroup: "audit", enabled: true }], workspaceId: "openclaw-logging-workspace-id" },
            propertyDependencies: { resourceUri: ["openclaw-kv-vault"], workspaceId: ["openclaw-logging-workspace"] },
        },
        {
            type: "azure-native:monitor:DiagnosticSetting",
            name: "openclaw-cluster-diagnostics",
            inputs: { resourceUri: "openclaw-cluster-id", logs: [{ category: "kube-audit-admin", enabled: true }, { category: "kube-apiserver", enabled: true }], workspaceId: "openclaw-logging-workspace-id" },
            propertyDependencies: { resourceUri: ["openclaw-cluster"], workspaceId: ["openclaw-logging-workspace"] },
        },
        {
            type: "azure-native:storage:StorageAccount",
            name: "openclaw-archive-account",
            inputs: {
                allowBlobPublicAccess: false,
                allowSharedKeyAccess: false,
                enableHttpsTrafficOnly: true,
                minimumTlsVersion: "TLS1_2",
                publicNetworkAccess: "Disabled",
                immutableStorageWithVersioning: { enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 365, state: "Unlocked" } },
                kind: "StorageV2",
                sku: { name: "Standard_ZRS" },
            },
        },
        {
            type: "azure-native:network:PrivateEndpoint",
            name: "openclaw-kv-vault-endpoint",
            inputs: { privateLinkServiceConnections: [{ name: "vault", groupIds: ["vault"], privateLinkServiceId: "openclaw-kv-vault-id" }], subnet: { id: "openclaw-network-privateEndpoints-id" } },
            propertyDependencies: { privateLinkServiceConnections: ["openclaw-kv-vault"] },
        },
        {
            type: "azure-native:network:PrivateEndpoint",
            name: "openclaw-archive-blob-endpoint",
            inputs: { privateLinkServiceConnections: [{ name: "blob", groupIds: ["blob"], privateLinkServiceId: "openclaw-archive-account-id" }], subnet: { id: "openclaw-network-privateEndpoints-id" } },
            propertyDependencies: { privateLinkServiceConnections: ["openclaw-archive-account"] },
        },
        {
            type: "azure-native:network:FlowLog",
            name: "openclaw-archive-vnet-flow-log",
            inputs: { enabled: true, targetResourceId: "openclaw-network-vnet-id", storageId: "openclaw-archive-account-id" },
            propertyDependencies: { targetResourceId: ["openclaw-network-vnet"], storageId: ["openclaw-archive-account"] },
        },
        {
            type: "azure-native:operationalinsights:Workspace",
            name: "openclaw-logging-workspace",
            inputs: { features: { disableLocalAuth: true }, retentionInDays: 365, publicNetworkAccessForIngestion: "Disabled" },
        },
        {
            type: "azure-native:monitor:DataCollectionRule",
            name: "openclaw-logging-container-insights",
            inputs: {
                dataFlows: [
                    { streams: ["Microsoft-ContainerLogV2"], destinations: ["workspace"], transformKql: "source | extend m_ = tostring(LogMessage) | extend h_ = extract(@'[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+', 0, m_) | extend m_ = iif(isempty(h_), m_, strcat(substring(m_, 0, indexof(m_, h_)), '[email]', substring(m_, indexof(m_, h_) + strlen(h_)))) | extend LogMessage = parse_json(m_) | project-away m_, h_" },
                    { streams: ["Microsoft-KubeEvents"], destinations: ["workspace"] },
                ],
            },
        },
        alert("failed-auth", "Repeated failed authentication (401/403) at the Kubernetes API or the ingress"),
        alert("model-traffic-spike", "Traffic to the model providers' APIs is more than three times its 7-day hourly average"),
        alert("unknown-egress", "A workload looked up or connected to a destination outside the egress allow-list"),
        assignment("admin-cluster-admin", "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", "openclaw-cluster-id", ["openclaw-cluster"]),
        assignment("operator-reader-openclaw", "7f6c6a51-bcf8-42ba-9220-52d62157d7db", "openclaw-cluster-id/namespaces/openclaw", ["openclaw-cluster"]),
        assignment("developer-writer-sandbox", "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb", "openclaw-cluster-id/namespaces/openclaw-sandbox", ["openclaw-cluster"]),
        assignment("auditor-reader", "7f6c6a51-bcf8-42ba-9220-52d62157d7db", "openclaw-cluster-id", ["openclaw-cluster"]),
        // Every role's groups may fetch cluster credentials: Azure Kubernetes Service Cluster User Role
        // (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers).
        ...["operator", "developer", "auditor"].map((role) => assignment(`${role}-cluster-user`, "4abbcc35-e782-43d8-92c5-2d3473bafe4f", "openclaw-cluster-id", ["openclaw-cluster"])),
    ];
}

const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } };
const namespaceLabels = { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" };
const denyAll = (ns: string): FixtureResource => ({
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name: `openclaw-${ns}-default-deny`,
    inputs: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: ns }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
});
const custom = (type: string, name: string, object: Record<string, unknown>): FixtureResource => ({ type, name, inputs: object });
export const FLUENT_BIT_LUA = `local DROP_KEYS = { ["authorization"] = true, ["cookie"] = true }
local function mask(s) s = s:gsub("[%w%.%-_]+@[%w%.%-]+", "[EMAIL]") return s end`;

/** The hardened Kubernetes layer: namespaces, OpenClaw, network policies, ingress with TLS 1.3, charts, RBAC. */
export function kubernetesWorld(): FixtureResource[] {
    return [
        { type: "kubernetes:core/v1:Namespace", name: "openclaw-namespace", inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "openclaw", labels: namespaceLabels } } },
        {
            type: "kubernetes:core/v1:Namespace",
            name: "openclaw-logging-namespace",
            inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "logging", labels: { ...namespaceLabels, "pod-security.kubernetes.io/enforce": "privileged" }, annotations: { "openclaw.io/pod-security-exception": "Fluent Bit reads /var/log on every node" } } },
        },
        denyAll("openclaw"),
        denyAll("logging"),
        {
            type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            name: "openclaw-allow-https-egress",
            inputs: {
                apiVersion: "networking.k8s.io/v1",
                kind: "NetworkPolicy",
                metadata: { name: "allow-https-egress", namespace: "openclaw" },
                spec: {
                    podSelector: { matchLabels: { "app.kubernetes.io/name": "openclaw" } },
                    policyTypes: ["Egress"],
                    egress: [
                        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.20.0.0/16", "172.20.0.0/16", "169.254.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] },
                        { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }] },
                    ],
                },
            },
        },
        {
            type: "kubernetes:core/v1:ConfigMap",
            name: "openclaw-config",
            inputs: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "openclaw-config", namespace: "openclaw" }, data: { "openclaw.json": JSON.stringify({ gateway: { mode: "local", auth: { mode: "token", token: { source: "env", id: "OPENCLAW_GATEWAY_TOKEN" } } } }) } },
        },
        {
            type: "kubernetes:apps/v1:Deployment",
            name: "openclaw-deployment",
            inputs: {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name: "openclaw", namespace: "openclaw", annotations: { "secret.reloader.stakater.com/reload": "openclaw-secrets" } },
                spec: {
                    replicas: 1,
                    strategy: { type: "Recreate" },
                    template: {
                        metadata: { labels: { "app.kubernetes.io/name": "openclaw" } },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                            initContainers: [{ name: "init-config", image: PINNED_IMAGE, securityContext: restricted }],
                            containers: [
                                {
                                    name: "openclaw",
                                    image: PINNED_IMAGE,
                                    ports: [{ containerPort: 18789 }],
                                    env: [{ name: "OPENCLAW_LOG_FORMAT", value: "json" }],
                                    envFrom: [{ secretRef: { name: "openclaw-secrets" } }],
                                    securityContext: restricted,
                                },
                            ],
                            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
                        },
                    },
                },
            },
        },
        {
            type: "kubernetes:core/v1:Service",
            name: "openclaw-service",
            inputs: { apiVersion: "v1", kind: "Service", metadata: { name: "openclaw", namespace: "openclaw" }, spec: { type: "ClusterIP", ports: [{ port: 18789 }] } },
        },
        custom("kubernetes:external-secrets.io/v1:ExternalSecret", "openclaw-external-secret", {
            apiVersion: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: { name: "openclaw-secrets", namespace: "openclaw" },
            spec: { refreshInterval: "1h", secretStoreRef: { kind: "ClusterSecretStore", name: "platform" }, target: { name: "openclaw-secrets" } },
        }),
        custom("kubernetes:cert-manager.io/v1:ClusterIssuer", "openclaw-cert-manager-issuer", {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: "letsencrypt" },
            spec: { acme: { server: "https://acme-v02.api.letsencrypt.org/directory", email: "platform-team@example.com", solvers: [{ dns01: { route53: {} } }] } },
        }),
        custom("kubernetes:cert-manager.io/v1:Certificate", "openclaw-certificate", {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: "openclaw", namespace: "openclaw" },
            spec: { secretName: "openclaw-tls", dnsNames: ["openclaw.example.com"], issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "letsencrypt" }, privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" } },
        }),
        custom("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "openclaw-envoy-proxy", {
            apiVersion: "gateway.envoyproxy.io/v1alpha1",
            kind: "EnvoyProxy",
            metadata: { name: "openclaw-proxy", namespace: "envoy-gateway-system" },
            spec: {
                // The role reconciler's ext_authz after the OAuth2 and JWT filters (envoyproxy_types.go FilterPosition).
                filterOrder: [{ name: "envoy.filters.http.ext_authz", after: "envoy.filters.http.jwt_authn" }],
                telemetry: {
                    accessLog: {
                        settings: [
                            {
                                format: {
                                    type: "JSON",
                                    json: {
                                        start_time: "%START_TIME%",
                                        request_id: "%REQ(X-REQUEST-ID)%",
                                        user: "%REQ(X-OPENCLAW-USER)%",
                                        client_ip: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
                                        method: "%REQ(:METHOD)%",
                                        path: "%PATH(NQ:ORIG)%",
                                        status: "%RESPONSE_CODE%",
                                    },
                                },
                                sinks: [{ type: "File", file: { path: "/dev/stdout" } }],
                            },
                        ],
                    },
                },
            },
        }),
        custom("kubernetes:gateway.networking.k8s.io/v1:Gateway", "openclaw-gateway", {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: "openclaw", namespace: "openclaw" },
            spec: {
                gatewayClassName: "openclaw",
                listeners: [
                    { name: "https", protocol: "HTTPS", port: 443, hostname: "openclaw.example.com", tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "openclaw-tls" }] } },
                    { name: "http", protocol: "HTTP", port: 80, hostname: "openclaw.example.com" },
                ],
            },
        }),
        custom("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "openclaw-route-https", {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "openclaw-https", namespace: "openclaw" },
            spec: {
                parentRefs: [{ name: "openclaw", sectionName: "https" }],
                rules: [
                    {
                        matches: ["/tools/invoke", "/v1", "/api/v1/admin/rpc", "/api/channels", "/hooks", "/j", "/share", "/__openclaw__/worker", "/__openclaw__/worker-bootstrap"].map((value) => ({ path: { type: "PathPrefix", value } })),
                        filters: [{ type: "ExtensionRef", extensionRef: { group: "gateway.envoyproxy.io", kind: "HTTPRouteFilter", name: "openclaw-not-public" } }],
                    },
                    { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "openclaw", port: 18789 }] },
                ],
            },
        }),
        custom("kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy", "openclaw-endpoint-sso-security-policy", {
            apiVersion: "gateway.envoyproxy.io/v1alpha1",
            kind: "SecurityPolicy",
            metadata: { name: "openclaw-sso", namespace: "openclaw" },
            spec: {
                targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "openclaw-https" }],
                oidc: { provider: { issuer: "https://example.okta.com/oauth2/default" }, clientID: "0oa8f3k2j1hG7dE6c5b4", clientSecret: { name: "openclaw-oidc-client" }, forwardIDToken: { header: "Authorization" } },
                jwt: {
                    providers: [
                        {
                            name: "openclaw-idp",
                            issuer: "https://example.okta.com/oauth2/default",
                            audiences: ["0oa8f3k2j1hG7dE6c5b4"],
                            remoteJWKS: { uri: "https://example.okta.com/oauth2/default/v1/keys" },
                            claimToHeaders: [{ header: "x-openclaw-user", claim: "sub" }],
                        },
                    ],
                },
                authorization: {
                    defaultAction: "Deny",
                    rules: [{ name: "members-of-a-role-group", action: "Allow", principal: { jwt: { provider: "openclaw-idp", claims: [{ name: "groups", valueType: "StringArray", values: ["OpenClaw-Admins"] }] } } }],
                },
                // The role reconciler sidecar's Service (components/kubernetes/role-reconciler/index.ts), fail closed.
                extAuth: { http: { backendRefs: [{ name: "openclaw-role-reconciler", port: 18780 }], pathOverride: "/check" }, failOpen: false, statusOnError: 503, timeout: "5s" },
            },
        }),
        custom("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "openclaw-route-redirect", {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "openclaw-redirect", namespace: "openclaw" },
            spec: { parentRefs: [{ name: "openclaw", sectionName: "http" }], rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }] },
        }),
        custom("kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy", "openclaw-client-traffic-policy", {
            apiVersion: "gateway.envoyproxy.io/v1alpha1",
            kind: "ClientTrafficPolicy",
            metadata: { name: "openclaw", namespace: "openclaw" },
            spec: {
                targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "openclaw" }],
                tls: { minVersion: "1.3", maxVersion: "1.3", ecdhCurves: ["X25519", "P-256"] },
                headers: { requestID: "PreserveOrGenerate", earlyRequestHeaders: { remove: ["x-openclaw-user", "x-openclaw-scopes"] }, lateResponseHeaders: { set: [{ name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }] } },
            },
        }),
        {
            type: "kubernetes:helm.sh/v3:Release",
            name: "openclaw-fluent-bit-chart",
            inputs: {
                chart: "fluent-bit",
                version: "0.54.0",
                namespace: "logging",
                repositoryOpts: { repo: "https://fluent.github.io/helm-charts" },
                values: {
                    image: { repository: "cr.fluentbit.io/fluent/fluent-bit", tag: `4.0.3@sha256:${SHA}` },
                    securityContext: { runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true },
                    luaScripts: { "mask.lua": FLUENT_BIT_LUA },
                    config: { filters: "[FILTER]\n    Name kubernetes\n    Match kube.*\n\n[FILTER]\n    Name lua\n    Match kube.*\n    script /fluent-bit/scripts/mask.lua\n    call mask_record\n" },
                },
            },
        },
        {
            type: "kubernetes:helm.sh/v3:Release",
            name: "openclaw-reloader-chart",
            inputs: { chart: "reloader", version: "2.1.4", namespace: "reloader", repositoryOpts: { repo: "https://stakater.github.io/stakater-charts" }, values: { reloader: { reloadStrategy: "annotations" } } },
        },
        { type: "kubernetes:core/v1:Namespace", name: "openclaw-reloader-namespace", inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "reloader", labels: namespaceLabels } } },
        denyAll("reloader"),
        {
            type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
            name: "openclaw-rbac-auditor",
            inputs: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "openclaw-auditor" }, rules: [{ apiGroups: [""], resources: ["pods", "events", "namespaces"], verbs: ["get", "list", "watch"] }] },
        },
        {
            type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
            name: "openclaw-rbac-auditor-read",
            inputs: {
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "ClusterRoleBinding",
                metadata: { name: "openclaw-auditor-read" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "openclaw-auditor" },
                subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "openclaw:auditor" }],
            },
        },
        {
            type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
            name: "openclaw-rbac-developer-sandbox",
            inputs: {
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "RoleBinding",
                metadata: { name: "openclaw-developer", namespace: "openclaw-sandbox" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
                subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "openclaw:developer" }],
            },
        },
    ];
}
