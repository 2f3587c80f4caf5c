// TLS policies (TLS-1..TLS-6) on fixtures: the Kubernetes ingress world, one changed field per case.
import * as tls from "../../policy-pack/policies/tls";
import { describePolicy, EXCEPTION_RECORD, remove, set, unknown } from "./cases";
import { azureWorld, kubernetesWorld } from "./fixtures";

const M = tls.MESSAGES;

describe("TLS policies (TLS-1..TLS-6)", () => {
    describePolicy(tls.kubernetesGatewayMissingManagedCertificate, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-1: flags a Gateway serving a certificate cert-manager does not issue", mutate: (w) => remove(w, "openclaw-certificate"), expect: [M.unmanagedCertificate("openclaw", "https", "openclaw-tls")] },
            { name: "TLS-1: flags a certificate from a non-ACME issuer", mutate: (w) => set(w, "openclaw-cert-manager-issuer", "spec", { selfSigned: {} }), expect: [M.issuerNotAcme("openclaw", "ClusterIssuer/letsencrypt")] },
            { name: "TLS-1: flags a Gateway without an HTTPS listener", mutate: (w) => set(w, "openclaw-gateway", "spec.listeners", [{ name: "http", protocol: "HTTP", port: 80 }]), expect: [M.noHttpsListener("openclaw")] },
        ],
        unknown: { name: "the issuer's spec", mutate: (w) => set(w, "openclaw-cert-manager-issuer", "spec", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesCertificateDisallowWeakKey, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-6: flags an RSA 1024 certificate key", mutate: (w) => set(w, "openclaw-certificate", "spec.privateKey", { algorithm: "RSA", size: 1024 }), expect: [M.weakRsaKey(1024)] },
            { name: "TLS-6: flags an ECDSA 224 certificate key", mutate: (w) => set(w, "openclaw-certificate", "spec.privateKey.size", 224), expect: [M.weakEcdsaKey(224)] },
        ],
        unknown: { name: "the private key settings", mutate: (w) => set(w, "openclaw-certificate", "spec.privateKey", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesHttpRouteEnforcePermanentRedirect, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-2: flags a redirect left at the Gateway API default 302", mutate: (w) => set(w, "openclaw-route-redirect", "spec.rules[0].filters[0].requestRedirect.statusCode", undefined), expect: [M.redirectStatus(0, "unset (302)")] },
            { name: "TLS-2: flags a redirect to http", mutate: (w) => set(w, "openclaw-route-redirect", "spec.rules[0].filters[0].requestRedirect.scheme", "http"), expect: [M.redirectScheme(0, "http")] },
        ],
        unknown: { name: "the redirect rules", mutate: (w) => set(w, "openclaw-route-redirect", "spec.rules", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesGatewayMissingHttpsRedirect, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-2: flags an HTTP listener without a redirect route", mutate: (w) => remove(w, "openclaw-route-redirect"), expect: [M.httpNotRedirected("openclaw", "http")] },
            {
                name: "TLS-2: flags content served on the HTTP listener",
                mutate: (w) => set(w, "openclaw-route-https", "spec.parentRefs[0].sectionName", undefined),
                expect: [M.httpForwards("openclaw", "http", "openclaw-https")],
            },
        ],
        unknown: { name: "the redirect route's rules", mutate: (w) => set(w, "openclaw-route-redirect", "spec.rules", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesGatewayConfigureHstsMaxAge, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-3: flags HSTS max-age=300", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.headers.lateResponseHeaders.set[0].value", "max-age=300"), expect: [M.hstsShort("spec.headers.lateResponseHeaders.set[0]", 300, 31536000)] },
            {
                name: "TLS-3: flags a short HSTS set by a route filter",
                mutate: (w) => set(w, "openclaw-route-https", "spec.rules[0].filters", [{ type: "ResponseHeaderModifier", responseHeaderModifier: { add: [{ name: "Strict-Transport-Security", value: "max-age=86400" }] } }]),
                expect: [M.hstsShort("spec.rules[0].filters[0].responseHeaderModifier.add[0]", 86400, 31536000)],
            },
        ],
        unknown: { name: "the header value", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.headers.lateResponseHeaders.set[0].value", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesGatewayMissingHsts, {
        world: kubernetesWorld,
        violations: [{ name: "TLS-3: flags an HTTPS Gateway without HSTS", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.headers.lateResponseHeaders", undefined), expect: [M.noHsts("openclaw")] }],
        unknown: { name: "the policy's headers", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.headers", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesGatewayMissingClientTrafficPolicy, {
        world: kubernetesWorld,
        violations: [{ name: "TLS-4: flags an HTTPS Gateway with no ClientTrafficPolicy", mutate: (w) => remove(w, "openclaw-client-traffic-policy"), expect: [M.noClientTrafficPolicy("openclaw")] }],
        unknown: { name: "the policy's targetRefs", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.targetRefs", unknown("array")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesClientTrafficPolicyEnforceTls13, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-4: flags TLS 1.2 as the minimum version", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.minVersion", "1.2"), expect: [M.tlsVersion("minVersion", "1.2", "1.3", "openclaw/openclaw")] },
            { name: "TLS-4: flags a minimum left at Envoy Gateway's default", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.minVersion", undefined), expect: [M.tlsVersion("minVersion", "unset", "1.3", "openclaw/openclaw")] },
        ],
        passes: [
            {
                name: "TLS 1.2 on a policy named as the legacy exception",
                mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.minVersion", "1.2"),
                config: { "kubernetes-client-traffic-policy-enforce-tls13": { legacyTlsExceptions: ["openclaw/openclaw"], exception: EXCEPTION_RECORD } },
            },
        ],
        unknown: { name: "maxVersion", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.maxVersion", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesClientTrafficPolicyEnforceAeadCiphers, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-5: flags TLS 1.2 with Envoy's default (CBC-including) suites", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.minVersion", "1.2"), expect: [M.defaultCiphers] },
            {
                name: "TLS-5: flags a CBC suite in a legacy cipher list",
                mutate: (w) => set(set(w, "openclaw-client-traffic-policy", "spec.tls.minVersion", "1.2"), "openclaw-client-traffic-policy", "spec.tls.ciphers", ["ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA"]),
                expect: [M.notAead("ECDHE-RSA-AES128-SHA")],
            },
        ],
        unknown: { name: "the TLS settings", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.kubernetesClientTrafficPolicyDisallowWeakAlgorithms, {
        world: kubernetesWorld,
        violations: [
            { name: "TLS-6: flags a SHA-1 signature algorithm", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.signatureAlgorithms", ["ecdsa_secp256r1_sha256", "rsa_pkcs1_sha1"]), expect: [M.weakSignature("rsa_pkcs1_sha1")] },
            { name: "TLS-6: flags TLS 1.0", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.minVersion", "1.0"), expect: [M.weakProtocol("1.0")] },
            { name: "TLS-6: flags a 3DES suite", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls.ciphers", ["DES-CBC3-SHA"]), expect: [M.weakCipher("DES-CBC3-SHA")] },
        ],
        unknown: { name: "the curves", mutate: (w) => set(w, "openclaw-client-traffic-policy", "spec.tls", unknown("object")) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.awsLbListenerEnforceTls13, {
        world: () => [
            ...kubernetesWorld(),
            { type: "aws:lb/listener:Listener", name: "openclaw-admin-listener", inputs: { loadBalancerArn: "arn:lb", port: 443, protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", defaultActions: [] } },
        ],
        violations: [{ name: "TLS-4: flags a listener on the default TLS 1.0+ policy", mutate: (w) => set(w, "openclaw-admin-listener", "sslPolicy", undefined), expect: [M.lbPolicy("ELBSecurityPolicy-2016-08")] }],
        unknown: { name: "sslPolicy", mutate: (w) => set(w, "openclaw-admin-listener", "sslPolicy", unknown()) },
        unknownHidesViolation: true,
    });

    describePolicy(tls.azureStorageAccountEnforceMinimumTls, {
        world: azureWorld,
        violations: [
            { name: "TLS-6: flags a storage account accepting TLS 1.0", mutate: (w) => set(w, "openclaw-archive-account", "minimumTlsVersion", "TLS1_0"), expect: [M.storageTls("TLS1_0")] },
            { name: "TLS-6: flags a storage account accepting plain HTTP", mutate: (w) => set(w, "openclaw-archive-account", "enableHttpsTrafficOnly", false), expect: [M.storageHttp] },
        ],
        unknown: { name: "enableHttpsTrafficOnly", mutate: (w) => set(w, "openclaw-archive-account", "enableHttpsTrafficOnly", unknown("boolean")) },
    });
});
