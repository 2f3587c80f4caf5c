// The OpenClaw deployment security checklist: every line with its id, and what the program does for it by default.

/** The checklist sections; one policy file per section (policies/<section>.ts). */
export const SECTIONS = {
    network: "Network isolation",
    secrets: "Secrets",
    tls: "TLS",
    logging: "Logging and alerting",
    rbac: "Access control",
    ci: "Continuous integration",
} as const;

export type Section = keyof typeof SECTIONS;

export interface ChecklistLine {
    readonly section: Section;
    /** The line as the checklist states it. */
    readonly text: string;
    /** What the program does for this line by default, per layer; `undefined` where the layer has no part. */
    /** `openclaw`: the application layer, OpenClaw's own openclaw.json (components/kubernetes/openclaw-json.ts). */
    readonly program: { readonly aws?: string; readonly azure?: string; readonly kubernetes?: string; readonly openclaw?: string };
}

export const CHECKLIST = {
    "NET-1": {
        section: "network",
        text: "OpenClaw runs in a dedicated network.",
        program: {
            aws: "A VPC of its own; nodes in private subnets; no subnet maps public IPs; the EKS API endpoint private (public only for apiAuthorizedCidrs).",
            azure: "A VNet of its own in its own resource group; subnets without default outbound access; a private AKS API (public only for apiAuthorizedCidrs).",
        },
    },
    "NET-2": {
        section: "network",
        text: "Separate firewall groups for inference, storage and management.",
        program: {
            aws: "Distinct security groups for the ingress/inference tier, the storage and endpoint tier and the management (Kubernetes API) tier.",
            azure: "One NSG per subnet: nodes, private endpoints, ingress load balancer.",
        },
    },
    "NET-3": {
        section: "network",
        text: "Pod traffic is allow-listed by NetworkPolicy, with default deny.",
        program: {
            aws: "vpc-cni add-on with network policy enforcement on; IMDSv2 with hop limit 1 keeps pods off instance metadata.",
            azure: "Azure CNI overlay with Cilium network policy.",
            kubernetes: "Default deny ingress and egress in every namespace the layer creates, then DNS, 18789 from the Envoy proxy only, and 443 to the internet except private and link-local ranges.",
        },
    },
    "NET-4": {
        section: "network",
        text: "Inbound is denied by default; only 443 is public; 22 only from a bastion or not at all.",
        program: {
            aws: "443 (and 80, answered only with a 301) from ingressAllowedCidrs to the load balancer targets; no rule for 22; no SSH key or remote access on nodes (SSM instead); the default security group has no rules.",
            azure: "NSGs allow 443 (and 80 for the redirect) from ingressAllowedCidrs to the ingress subnet only; no 22; sshAccess disabled on node pools.",
            kubernetes: "The only LoadBalancer Service is the Envoy proxy, listening on 443 and 80 (redirect); the public route serves the Control UI and its WebSocket, /tools/invoke, the HTTP APIs, hooks, node joining, share links and workers answer 404 (each opt-in surface a named allowPublic* key).",
        },
    },
    "NET-5": {
        section: "network",
        text: "Peering to other networks is least-privilege.",
        program: {
            aws: "No peering by default; each configured peering gets routes only to its CIDRs and security-group rules only to its ports.",
            azure: "No peering by default; each configured VNet peering without forwarded traffic or gateway transit, NSG rules only to its CIDRs and ports.",
        },
    },
    "NET-6": {
        section: "network",
        text: "Storage and secret services are reached through private endpoints.",
        program: {
            aws: "Interface endpoints with private DNS for Secrets Manager, KMS, CloudWatch Logs, STS, ECR, EKS, SSM and others; a gateway endpoint for S3.",
            azure: "Private endpoints with privatelink DNS zones for Key Vault and the log archive storage account; both with public network access disabled.",
        },
    },
    "SEC-1": {
        section: "secrets",
        text: "No hard-coded secret in code, manifests, chart values or plaintext config.",
        program: {
            kubernetes: "Secrets reach pods only from the Secret External Secrets maintains; no literal secret in env, ConfigMaps, Helm values or Kubernetes Secret manifests.",
            openclaw: "Every credential in openclaw.json is an env SecretRef (gateway password or token, model provider keys); env refs may read only an allow-list of variables.",
        },
    },
    "SEC-2": {
        section: "secrets",
        text: "Secrets are kept in a secret manager and injected at runtime.",
        program: {
            aws: "Secrets Manager secrets encrypted with a customer-managed KMS key; EKS envelope encryption of Kubernetes Secrets.",
            azure: "Key Vault with RBAC authorization; AKS KMS etcd encryption with a Key Vault key.",
            kubernetes: "An ExternalSecret produces the runtime Secret the OpenClaw pod reads its env from.",
        },
    },
    "SEC-3": {
        section: "secrets",
        text: "Secrets are versioned and can be rolled back.",
        program: {
            aws: "Secrets Manager versions every value; deletion keeps a recovery window.",
            azure: "Key Vault versions every value; soft delete 90 days and purge protection.",
        },
    },
    "SEC-4": {
        section: "secrets",
        text: "Secrets and keys rotate automatically every 30 to 90 days.",
        program: {
            aws: "KMS keys rotate every 90 days; every secret has a Secrets Manager rotation every rotationDays (gateway token by a rotation Lambda; provider keys notify operators).",
            azure: "Key Vault keys have a rotation policy of at most 90 days; secrets expire after rotationDays and Event Grid's SecretNearExpiry drives the rotator.",
        },
    },
    "SEC-5": {
        section: "secrets",
        text: "Dependents pick up rotated secrets without manual steps.",
        program: {
            kubernetes: "External Secrets refreshes well within the rotation period and Reloader restarts OpenClaw when its Secret changes.",
        },
    },
    "SEC-6": {
        section: "secrets",
        text: "Rotation is logged and auditable.",
        program: {
            aws: "CloudTrail, and an EventBridge rule on Secrets Manager rotation events to a log group with an alarm on failure.",
            azure: "Key Vault AuditEvent diagnostic settings to Log Analytics and an alert on failed rotation.",
        },
    },
    "TLS-1": {
        section: "tls",
        text: "TLS is terminated at a dedicated ingress with automatic certificate renewal.",
        program: {
            kubernetes: "Envoy Gateway terminates TLS with a cert-manager certificate from Let's Encrypt (DNS-01), renewed automatically.",
        },
    },
    "TLS-2": {
        section: "tls",
        text: "HTTP is redirected to HTTPS with a 301.",
        program: { kubernetes: "The HTTP listener's only route is a RequestRedirect to https with statusCode 301." },
    },
    "TLS-3": {
        section: "tls",
        text: "HSTS with max-age of at least 31536000.",
        program: { kubernetes: "Strict-Transport-Security: max-age=31536000; includeSubDomains on every response." },
    },
    "TLS-4": {
        section: "tls",
        text: "TLS 1.3 only, unless a named legacy exception.",
        program: { kubernetes: "ClientTrafficPolicy with TLS minVersion and maxVersion 1.3 (allowLegacyTls12 is the named exception, off by default)." },
    },
    "TLS-5": {
        section: "tls",
        text: "Only AEAD cipher suites.",
        program: { kubernetes: "Every TLS 1.3 suite is AEAD; a legacy 1.2 listener lists only AES-256-GCM and CHACHA20-POLY1305." },
    },
    "TLS-6": {
        section: "tls",
        text: "No weak algorithms.",
        program: {
            azure: "Storage accounts require TLS 1.2 or newer.",
            kubernetes: "No SHA-1 or weak signature algorithms in the TLS settings; certificate keys of at least RSA 2048 / ECDSA 256.",
        },
    },
    "LOG-1": {
        section: "logging",
        text: "Every request is logged with time, source IP, user, endpoint and status.",
        program: {
            aws: "All EKS control-plane log types; VPC flow logs (ALL); a multi-region CloudTrail trail.",
            azure: "AKS diagnostic settings (kube-audit-admin, kube-apiserver, ...); VNet flow logs.",
            kubernetes: "Envoy JSON access log with start time, client IP, the verified user (the IdP's immutable id from the validated ID token), method, path, status, duration and x-request-id.",
            openclaw: "The audit ledger records every agent run and tool action with its execution identity (logging.audit.executionIdentity), the verified person behind it.",
        },
    },
    "LOG-2": {
        section: "logging",
        text: "PII is masked before storage.",
        program: {
            aws: "A CloudWatch Logs data protection policy masking PII on the application and access log groups.",
            azure: "A data collection rule transform masking PII in the application and access logs.",
            kubernetes: "Fluent Bit masks e-mail addresses, phone numbers, bearer tokens and API keys and drops Authorization/Cookie before shipping.",
        },
    },
    "LOG-3": {
        section: "logging",
        text: "Requests carry a correlation id.",
        program: { kubernetes: "ClientTrafficPolicy requestID PreserveOrGenerate; x-request-id in the access log." },
    },
    "LOG-4": {
        section: "logging",
        text: "Logs go to a central, immutable store.",
        program: {
            aws: "KMS-encrypted CloudWatch log groups; an S3 archive with Object Lock (COMPLIANCE), versioning and public access blocked; CloudTrail log file validation.",
            azure: "Log Analytics with local auth disabled; an archive storage account without shared keys, with a time-based immutability policy.",
        },
    },
    "LOG-5": {
        section: "logging",
        text: "Logs are retained for at least 90 days (365 for SOC 2).",
        program: {
            aws: "Log groups and the Object Lock retention at logRetentionDays (default 365).",
            azure: "Workspace retention and the immutability period at logRetentionDays (default 365).",
        },
    },
    "LOG-6": {
        section: "logging",
        text: "Alerts fire for failed authentication, token-usage spikes and unknown egress.",
        program: {
            aws: "CloudWatch alarms to an encrypted SNS topic: failed authentication, model-API traffic spikes, DNS Firewall alerts for unknown egress, rotation failures.",
            azure: "Scheduled query alerts to an action group for the same four conditions.",
        },
    },
    "RBAC-1": {
        section: "rbac",
        text: "Admin role: full control of the deployment.",
        program: {
            aws: "IAM role admin → EKS AmazonEKSClusterAdminPolicy.",
            azure: "Entra group admin → Azure Kubernetes Service RBAC Cluster Admin and Key Vault Administrator.",
            openclaw: "Role admin: operator.admin (config, users.setRole, approvals), every agent, other people's sessions writable.",
        },
    },
    "RBAC-2": {
        section: "rbac",
        text: "Operator role: run and observe, no access to secret values.",
        program: {
            aws: "IAM role operator → namespace-scoped access on the OpenClaw namespace; logs; no secret values.",
            azure: "Entra group operator → AKS RBAC Admin on the OpenClaw namespace and Log Analytics Reader.",
            kubernetes: "Operator role: get/list/watch pods, logs, events; restart and scale the OpenClaw Deployment; no secrets.",
            openclaw: "Role operator: operator.read, write, approvals, questions on every agent, other sessions view-only; no admin, pairing or talk.secrets.",
        },
    },
    "RBAC-3": {
        section: "rbac",
        text: "Developer role: the sandbox only.",
        program: {
            aws: "IAM role developer → namespace-scoped access on the sandbox namespace.",
            azure: "Entra group developer → AKS RBAC Writer on the sandbox namespace.",
            kubernetes: "Developer role: edit in openclaw-sandbox only.",
            openclaw: "Role developer: operator.sessions.read and sessions.write on the sandbox agent only, other people's sessions hidden.",
        },
    },
    "RBAC-4": {
        section: "rbac",
        text: "Auditor role: read-only, including logs, no secrets.",
        program: {
            aws: "IAM role auditor → EKS view; read-only on logs, CloudTrail and flow logs.",
            azure: "Entra group auditor → AKS RBAC Reader and Log Analytics Reader.",
            kubernetes: "Auditor role: read-only, no secrets.",
            openclaw: "Role auditor: operator.read (status, config without secrets, logs, sessions, the audit ledger), no agent runs.",
        },
    },
    "RBAC-5": {
        section: "rbac",
        text: "RBAC at the cloud IAM, Kubernetes and application level.",
        program: {
            aws: "EKS access entries (authenticationMode API, no creator admin); least-privilege roles per workload.",
            azure: "Entra ID integration with Azure RBAC, local accounts disabled; least-privilege workload identities.",
            kubernetes: "Kubernetes Roles per checklist role; pods run restricted without a service account token; single sign-on at the ingress (OIDC login, ID-token validation, default deny outside the four roles' IdP groups, identity headers clients cannot forge); allowSharedTokenAuth is the named exception, off by default.",
            openclaw: "Trusted-proxy auth (the verified subject per request, loopback never trusted, the vault secret only an in-pod break-glass password), role ceilings with an empty default role, exec and Code Mode denied, elevated and browser off, minimal tools, provider plugins only, own-session visibility.",
        },
    },
    "RBAC-6": {
        section: "rbac",
        text: "Access is granted to groups, never to individual users.",
        program: {
            aws: "Trust policies and access entries name IAM roles (assumed through SSO), never IAM users.",
            azure: "Role assignments with principalType Group only (ServicePrincipal for workload identities).",
            kubernetes: "RoleBindings with Group subjects only.",
            openclaw: "Each person's OpenClaw role follows their IdP groups with no manual step: the role reconciler, called by ext_authz (fail closed, after sign-on) on every signed-on request, sets it with users.setRole.",
        },
    },
    "RBAC-7": {
        section: "rbac",
        text: "Role bindings can be reported for review.",
        program: {
            aws: "A stack output listing every role binding (who → what).",
            azure: "A stack output listing every role assignment.",
        },
    },
    "CI-1": {
        section: "ci",
        text: "The checks run on every change in CI.",
        program: {
            kubernetes: "Every image and chart is pinned, so CI's digest check and the policy pack see exactly what deploys.",
        },
    },
} as const satisfies Record<string, ChecklistLine>;

export type ChecklistId = keyof typeof CHECKLIST;
export const CHECKLIST_IDS = Object.keys(CHECKLIST) as ChecklistId[];
