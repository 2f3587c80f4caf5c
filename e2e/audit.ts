// The findings `openclaw security audit` (2026.9.6) keeps reporting for the generated openclaw.json, each with why it
// stays; docs/openclaw.md ("Security audit") explains them at length. Any other warning or critical finding fails.
export const EXPLAINED_AUDIT_FINDINGS = [
    {
        checkId: "gateway.trusted_proxy_auth",
        severity: "critical",
        // docs/gateway/trusted-proxy-auth.md "Security audit": "flags trusted-proxy auth with a critical severity
        // finding. This is intentional; it's a reminder that you're delegating security to your proxy setup."
        why: "raised for every trusted-proxy config by design; the proxy side (OIDC, header stripping, default deny) is the ingress's SecurityPolicy",
    },
    {
        checkId: "gateway.trusted_proxy_no_allowlist",
        severity: "warn",
        // docs/gateway/security/audit-checks.md: allowUsers empty. Users are not known when Pulumi renders the file.
        why: "the people are not known at deploy time: the proxy admits only members of the roles' IdP groups, and a person nobody assigned a role gets the empty default role",
    },
] as const;

export interface AuditFindingLike {
    readonly checkId: string;
    readonly severity: "info" | "warn" | "critical";
}

/** The warnings and critical findings no entry of EXPLAINED_AUDIT_FINDINGS explains. */
export function unexplainedFindings<F extends AuditFindingLike>(findings: readonly F[]): F[] {
    return findings.filter((f) => f.severity !== "info" && !EXPLAINED_AUDIT_FINDINGS.some((e) => e.checkId === f.checkId && e.severity === f.severity));
}
