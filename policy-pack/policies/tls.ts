// TLS policies (TLS-1..TLS-6): a dedicated ingress with managed certificates, a 301 to HTTPS, HSTS for a year,
// TLS 1.3 only (unless a named legacy exception), AEAD suites, no weak algorithms.
import { Listener } from "@pulumi/aws/lb";
import { StorageAccount } from "@pulumi/azure-native/storage";
import type { ResourceValidation, StackValidationArgs } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { Json, KubeObject, kubeObjects, namespaceOf, validateKind } from "./lib/kubernetes";
import { exceptionSnippet, resourcePolicy, stackPolicy } from "./lib/meta";
import { eachChecked, previewSafe } from "./lib/preview";

export const MESSAGES = {
    noHttpsListener: (gateway: string) => `Gateway ${gateway} has no HTTPS listener terminating TLS`,
    noCertificateRef: (gateway: string, listener: string) => `Gateway ${gateway} listener ${listener} terminates TLS without certificateRefs`,
    unmanagedCertificate: (gateway: string, listener: string, secret: string) => `Gateway ${gateway} listener ${listener} serves Secret ${secret}, which no cert-manager Certificate issues: it would not renew`,
    issuerNotAcme: (certificate: string, issuer: string) => `Certificate ${certificate} is issued by ${issuer}, which is not an ACME issuer in this stack: renewal is not automatic`,
    weakRsaKey: (size: number) => `spec.privateKey is RSA ${size}: below 2048 bits`,
    weakEcdsaKey: (size: number) => `spec.privateKey is ECDSA ${size}: below 256 bits`,
    redirectStatus: (rule: number, status: string) => `rules[${rule}] RequestRedirect has statusCode ${status} (Gateway API defaults to 302): use 301`,
    redirectScheme: (rule: number, scheme: string) => `rules[${rule}] RequestRedirect sends scheme ${scheme}, not https`,
    httpNotRedirected: (gateway: string, listener: string) => `Gateway ${gateway} HTTP listener ${listener} has no route that only redirects to https`,
    httpForwards: (gateway: string, listener: string, route: string) => `HTTPRoute ${route} serves content on Gateway ${gateway} HTTP listener ${listener} instead of redirecting`,
    hstsShort: (where: string, maxAge: number, min: number) => `${where} sets Strict-Transport-Security max-age=${maxAge}, below ${min}`,
    hstsMalformed: (where: string) => `${where} sets Strict-Transport-Security without a max-age`,
    noHsts: (gateway: string) => `Gateway ${gateway} serves HTTPS without Strict-Transport-Security: no ClientTrafficPolicy targeting it sets it on every response`,
    noClientTrafficPolicy: (gateway: string) => `Gateway ${gateway} has no ClientTrafficPolicy with TLS settings: Envoy Gateway would accept TLS 1.2 with its default suites`,
    tlsVersion: (field: string, version: string, allowed: string, policy?: string) =>
        `spec.tls.${field} is ${version} (Envoy Gateway's default minimum is 1.2); allowed: ${allowed}` +
        (policy ? `; if a legacy client needs it, ${exceptionSnippet("kubernetes-client-traffic-policy-enforce-tls13", "legacyTlsExceptions", [policy])}` : ""),
    tlsMaxBelowMin: (max: string) => `spec.tls.maxVersion ${max} is below TLS 1.3`,
    defaultCiphers: "TLS 1.2 is accepted with Envoy's default cipher list, which includes CBC suites: list AEAD suites in spec.tls.ciphers",
    notAead: (cipher: string) => `cipher ${cipher} is not an AEAD suite`,
    weakCipher: (cipher: string) => `cipher ${cipher} uses a weak algorithm`,
    weakSignature: (algorithm: string) => `signature algorithm ${algorithm} is weak (SHA-1)`,
    weakCurve: (curve: string) => `ECDH curve ${curve} is not an allowed curve`,
    weakProtocol: (version: string) => `spec.tls.minVersion ${version} allows a broken protocol version`,
    lbPolicy: (policy: string) => `sslPolicy ${policy} is not an allowed TLS 1.3 policy`,
    storageTls: (version: string) => `minimumTlsVersion is ${version}; require TLS1_2 or newer`,
    storageHttp: "enableHttpsTrafficOnly is false: the account accepts plain HTTP",
} as const;

const GATEWAY_GROUP = "gateway.networking.k8s.io";
const ENVOY_GROUP = "gateway.envoyproxy.io";
const CERT_MANAGER_GROUP = "cert-manager.io";

const inGroup = (o: KubeObject, group: string, kind: string) => o.kind === kind && o.apiVersion.startsWith(`${group}/`);

interface Listener_ {
    readonly name: string;
    readonly protocol: string;
    readonly port: number;
    readonly tls?: Json;
}

function listenersOf(gateway: KubeObject): Listener_[] {
    return (((gateway.object.spec as Json | undefined)?.listeners as Json[] | undefined) ?? []).map((l) => ({
        name: String(l.name),
        protocol: String(l.protocol),
        port: Number(l.port),
        tls: l.tls as Json | undefined,
    }));
}

/** The HTTPRoutes attached to a Gateway listener: same gateway name and namespace, and the listener's section or none. */
function routesOn(objects: readonly KubeObject[], gateway: KubeObject, listener: string): KubeObject[] {
    return objects.filter((o) => {
        if (!inGroup(o, GATEWAY_GROUP, "HTTPRoute")) {
            return false;
        }
        return (((o.object.spec as Json | undefined)?.parentRefs as Json[] | undefined) ?? []).some(
            (ref) =>
                ref.name === gateway.name &&
                String(ref.namespace ?? namespaceOf(o)) === namespaceOf(gateway) &&
                (ref.sectionName === undefined || ref.sectionName === listener) &&
                (ref.kind === undefined || ref.kind === "Gateway"),
        );
    });
}

/** The policies (ClientTrafficPolicy etc.) of a kind that target a Gateway by name in its namespace. */
function policiesTargeting(objects: readonly KubeObject[], kind: string, gateway: KubeObject): KubeObject[] {
    return objects.filter((o) => {
        if (!inGroup(o, ENVOY_GROUP, kind) || namespaceOf(o) !== namespaceOf(gateway)) {
            return false;
        }
        const spec = o.object.spec as Json | undefined;
        const refs = [...(((spec?.targetRefs as Json[] | undefined) ?? [])), ...(spec?.targetRef ? [spec.targetRef as Json] : [])];
        return refs.some((ref) => ref.kind === "Gateway" && ref.name === gateway.name);
    });
}

function gatewaysOrNotApplicable(args: StackValidationArgs): { objects: KubeObject[]; gateways: KubeObject[] } {
    const objects = kubeObjects(args.resources);
    const gateways = objects.filter((o) => inGroup(o, GATEWAY_GROUP, "Gateway"));
    if (gateways.length === 0) {
        args.notApplicable("no Gateway");
    }
    return { objects, gateways };
}

export const kubernetesGatewayMissingManagedCertificate = stackPolicy(
    {
        name: "kubernetes-gateway-missing-managed-certificate",
        description: "Every Gateway terminates TLS with a certificate cert-manager issues and renews from an ACME issuer.",
        checklist: ["TLS-1"],
        severity: "high",
        remediationSteps: "Give each Gateway an HTTPS listener whose certificateRefs name the secretName of a cert-manager Certificate issued by the Let's Encrypt ClusterIssuer.",
    },
    (args, report) => {
        previewSafe((check) => {
            const { objects, gateways } = gatewaysOrNotApplicable(args);
            const certificates = objects.filter((o) => inGroup(o, CERT_MANAGER_GROUP, "Certificate"));
            const acmeIssuers = new Set(
                objects
                    .filter((o) => (inGroup(o, CERT_MANAGER_GROUP, "ClusterIssuer") || inGroup(o, CERT_MANAGER_GROUP, "Issuer")) && (o.object.spec as Json | undefined)?.acme !== undefined)
                    .map((o) => `${o.kind}/${o.kind === "Issuer" ? `${namespaceOf(o)}/` : ""}${String(o.name)}`),
            );
            for (const gateway of gateways) {
                check(() => {
                    const https = listenersOf(gateway).filter((l) => (l.protocol === "HTTPS" || l.protocol === "TLS") && String(l.tls?.mode ?? "Terminate") === "Terminate");
                    if (https.length === 0) {
                        report(MESSAGES.noHttpsListener(String(gateway.name)), gateway.resource.urn);
                    }
                    const annotations = ((gateway.object.metadata as Json | undefined)?.annotations as Record<string, string> | undefined) ?? {};
                    const shim = annotations["cert-manager.io/cluster-issuer"] ?? annotations["cert-manager.io/issuer"];
                    for (const listener of https) {
                        const refs = (listener.tls?.certificateRefs as Json[] | undefined) ?? [];
                        if (refs.length === 0) {
                            report(MESSAGES.noCertificateRef(String(gateway.name), listener.name), gateway.resource.urn);
                        }
                        for (const ref of refs) {
                            const namespace = String(ref.namespace ?? namespaceOf(gateway));
                            const certificate = certificates.find((c) => namespaceOf(c) === namespace && (c.object.spec as Json | undefined)?.secretName === ref.name);
                            if (!certificate && shim === undefined) {
                                report(MESSAGES.unmanagedCertificate(String(gateway.name), listener.name, String(ref.name)), gateway.resource.urn);
                                continue;
                            }
                            if (certificate) {
                                const issuer = (certificate.object.spec as Json).issuerRef as Json | undefined;
                                const kind = String(issuer?.kind ?? "Issuer");
                                const key = `${kind}/${kind === "Issuer" ? `${namespace}/` : ""}${String(issuer?.name)}`;
                                if (!acmeIssuers.has(key)) {
                                    report(MESSAGES.issuerNotAcme(String(certificate.name), key), certificate.resource.urn);
                                }
                            }
                        }
                    }
                });
            }
        });
    },
);

export const kubernetesCertificateDisallowWeakKey = resourcePolicy(
    {
        name: "kubernetes-certificate-disallow-weak-key",
        description: "cert-manager certificates use RSA of at least 2048 bits or ECDSA of at least 256 bits.",
        checklist: ["TLS-6"],
        severity: "high",
        remediationSteps: 'Set spec.privateKey { algorithm: "ECDSA", size: 256 } (or RSA 2048+).',
    },
    validateKind(CERT_MANAGER_GROUP, "Certificate", (certificate, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const key = ((certificate.spec as Json | undefined)?.privateKey as Json | undefined) ?? {};
                const algorithm = String(key.algorithm ?? "RSA");
                if (algorithm === "RSA" && Number(key.size ?? 2048) < 2048) {
                    report(MESSAGES.weakRsaKey(Number(key.size)));
                }
                if (algorithm === "ECDSA" && Number(key.size ?? 256) < 256) {
                    report(MESSAGES.weakEcdsaKey(Number(key.size)));
                }
            });
        });
    }),
);

export const kubernetesHttpRouteEnforcePermanentRedirect = resourcePolicy(
    {
        name: "kubernetes-http-route-enforce-permanent-redirect",
        description: "Every HTTPRoute redirect is a 301 to https.",
        checklist: ["TLS-2"],
        severity: "medium",
        remediationSteps: 'Set requestRedirect { scheme: "https", statusCode: 301 }.',
    },
    validateKind(GATEWAY_GROUP, "HTTPRoute", (route, _args, report) => {
        previewSafe((check) => {
            eachChecked(check, () => (route.spec as Json | undefined)?.rules as Json[] | undefined, (rule, i) => {
                for (const filter of (rule.filters as Json[] | undefined) ?? []) {
                    if (filter.type !== "RequestRedirect") {
                        continue;
                    }
                    const redirect = (filter.requestRedirect as Json | undefined) ?? {};
                    if (redirect.statusCode !== 301) {
                        report(MESSAGES.redirectStatus(i, redirect.statusCode === undefined ? "unset (302)" : String(redirect.statusCode)));
                    }
                    if (redirect.scheme !== undefined && redirect.scheme !== "https") {
                        report(MESSAGES.redirectScheme(i, String(redirect.scheme)));
                    }
                }
            });
        });
    }),
);

export const kubernetesGatewayMissingHttpsRedirect = stackPolicy(
    {
        name: "kubernetes-gateway-missing-https-redirect",
        description: "Every plain-HTTP Gateway listener only redirects to https.",
        checklist: ["TLS-2"],
        severity: "medium",
        remediationSteps: "Attach to each HTTP listener one HTTPRoute whose rules only carry a RequestRedirect to https with statusCode 301.",
    },
    (args, report) => {
        previewSafe((check) => {
            const { objects, gateways } = gatewaysOrNotApplicable(args);
            for (const gateway of gateways) {
                check(() => {
                    for (const listener of listenersOf(gateway).filter((l) => l.protocol === "HTTP")) {
                        const routes = routesOn(objects, gateway, listener.name);
                        let redirects = false;
                        for (const route of routes) {
                            for (const rule of ((route.object.spec as Json | undefined)?.rules as Json[] | undefined) ?? []) {
                                const redirect = ((rule.filters as Json[] | undefined) ?? []).find((f) => f.type === "RequestRedirect");
                                if (redirect && ((redirect.requestRedirect as Json | undefined)?.scheme ?? "") === "https") {
                                    redirects = true;
                                }
                                if (!redirect || ((rule.backendRefs as unknown[] | undefined) ?? []).length > 0) {
                                    report(MESSAGES.httpForwards(String(gateway.name), listener.name, String(route.name)), route.resource.urn);
                                }
                            }
                        }
                        if (!redirects) {
                            report(MESSAGES.httpNotRedirected(String(gateway.name), listener.name), gateway.resource.urn);
                        }
                    }
                });
            }
        });
    },
);

/** Strict-Transport-Security values a ClientTrafficPolicy or an HTTPRoute sets, with where they are set. */
function hstsHeaders(object: Json, kind: string): { where: string; value: string }[] {
    const found: { where: string; value: string }[] = [];
    const collect = (modifier: Json | undefined, where: string) => {
        for (const op of ["set", "add"] as const) {
            ((modifier?.[op] as Json[] | undefined) ?? []).forEach((h, i) => {
                if (String(h.name).toLowerCase() === "strict-transport-security") {
                    found.push({ where: `${where}.${op}[${i}]`, value: String(h.value) });
                }
            });
        }
    };
    const spec = object.spec as Json | undefined;
    if (kind === "ClientTrafficPolicy") {
        collect((spec?.headers as Json | undefined)?.lateResponseHeaders as Json | undefined, "spec.headers.lateResponseHeaders");
    } else {
        ((spec?.rules as Json[] | undefined) ?? []).forEach((rule, r) => {
            ((rule.filters as Json[] | undefined) ?? []).forEach((filter, f) => {
                if (filter.type === "ResponseHeaderModifier") {
                    collect(filter.responseHeaderModifier as Json | undefined, `spec.rules[${r}].filters[${f}].responseHeaderModifier`);
                }
            });
        });
    }
    return found;
}

const hstsSchema = { properties: { minHstsMaxAgeSeconds: { type: "integer" as const, minimum: 0, default: 31536000 } } };

const validateHsts: (kind: string, group: string) => ResourceValidation = (kind, group) =>
    validateKind(group, kind, (object, args, report) => {
        const { minHstsMaxAgeSeconds } = args.getConfig<{ minHstsMaxAgeSeconds: number }>();
        previewSafe((check) => {
            check(() => {
                for (const { where, value } of hstsHeaders(object, kind)) {
                    const m = /max-age\s*=\s*"?(\d+)"?/i.exec(value);
                    if (!m) {
                        report(MESSAGES.hstsMalformed(where));
                    } else if (Number(m[1]) < minHstsMaxAgeSeconds) {
                        report(MESSAGES.hstsShort(where, Number(m[1]), minHstsMaxAgeSeconds));
                    }
                }
            });
        });
    });

export const kubernetesGatewayConfigureHstsMaxAge = resourcePolicy(
    {
        name: "kubernetes-gateway-configure-hsts-max-age",
        description: "Every Strict-Transport-Security header the ingress sets has max-age of at least a year.",
        checklist: ["TLS-3"],
        severity: "medium",
        remediationSteps: 'Set Strict-Transport-Security to "max-age=31536000; includeSubDomains".',
        configSchema: hstsSchema,
    },
    [validateHsts("ClientTrafficPolicy", ENVOY_GROUP), validateHsts("HTTPRoute", GATEWAY_GROUP)],
);

export const kubernetesGatewayMissingHsts = stackPolicy(
    {
        name: "kubernetes-gateway-missing-hsts",
        description: "Every Gateway with an HTTPS listener sends Strict-Transport-Security.",
        checklist: ["TLS-3"],
        severity: "medium",
        remediationSteps: "Target the Gateway with a ClientTrafficPolicy whose headers.lateResponseHeaders set Strict-Transport-Security.",
    },
    (args, report) => {
        previewSafe((check) => {
            const { objects, gateways } = gatewaysOrNotApplicable(args);
            for (const gateway of gateways) {
                check(() => {
                    const https = listenersOf(gateway).filter((l) => l.protocol === "HTTPS");
                    if (https.length === 0) {
                        return;
                    }
                    const byPolicy = policiesTargeting(objects, "ClientTrafficPolicy", gateway).some((p) => hstsHeaders(p.object, "ClientTrafficPolicy").length > 0);
                    const byRoutes = https.every((l) => {
                        const routes = routesOn(objects, gateway, l.name);
                        return routes.length > 0 && routes.every((r) => hstsHeaders(r.object, "HTTPRoute").length > 0);
                    });
                    if (!byPolicy && !byRoutes) {
                        report(MESSAGES.noHsts(String(gateway.name)), gateway.resource.urn);
                    }
                });
            }
        });
    },
);

export const kubernetesGatewayMissingClientTrafficPolicy = stackPolicy(
    {
        name: "kubernetes-gateway-missing-client-traffic-policy",
        description: "Every Gateway with an HTTPS listener is targeted by a ClientTrafficPolicy that sets its TLS versions.",
        checklist: ["TLS-4", "TLS-5"],
        severity: "high",
        remediationSteps: 'Target the Gateway with a ClientTrafficPolicy whose spec.tls sets minVersion and maxVersion "1.3".',
    },
    (args, report) => {
        previewSafe((check) => {
            const { objects, gateways } = gatewaysOrNotApplicable(args);
            for (const gateway of gateways) {
                check(() => {
                    if (!listenersOf(gateway).some((l) => l.protocol === "HTTPS" || l.protocol === "TLS")) {
                        return;
                    }
                    const withTls = policiesTargeting(objects, "ClientTrafficPolicy", gateway).some((p) => ((p.object.spec as Json | undefined)?.tls as Json | undefined)?.minVersion !== undefined);
                    if (!withTls) {
                        report(MESSAGES.noClientTrafficPolicy(String(gateway.name)), gateway.resource.urn);
                    }
                });
            }
        });
    },
);

const VERSION_ORDER = ["Auto", "1.0", "1.1", "1.2", "1.3"];

export const kubernetesClientTrafficPolicyEnforceTls13 = resourcePolicy(
    {
        name: "kubernetes-client-traffic-policy-enforce-tls13",
        description: "Client TLS is 1.3 only, except for ClientTrafficPolicies named as legacy exceptions.",
        checklist: ["TLS-4"],
        severity: "high",
        remediationSteps: 'Set spec.tls.minVersion and maxVersion "1.3"; for a client that cannot, name the policy in legacyTlsExceptions and keep openclaw:allowLegacyTls12 documented.',
        configSchema: {
            properties: {
                allowedTlsVersions: { type: "array", items: { type: "string", enum: ["1.0", "1.1", "1.2", "1.3"] }, default: ["1.3"] },
                legacyTlsExceptions: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "namespace/name of ClientTrafficPolicies allowed TLS 1.2 (the named legacy exception).",
                },
            },
        },
        exceptions: ["allowedTlsVersions", "legacyTlsExceptions"],
    },
    validateKind(ENVOY_GROUP, "ClientTrafficPolicy", (policy, args, report) => {
        const { allowedTlsVersions, legacyTlsExceptions } = args.getConfig<{ allowedTlsVersions: string[]; legacyTlsExceptions: string[] }>();
        previewSafe((check) => {
            check(() => {
                const metadata = (policy.metadata as Json | undefined) ?? {};
                if (legacyTlsExceptions.includes(`${String(metadata.namespace ?? "default")}/${String(metadata.name)}`)) {
                    args.notApplicable("named legacy TLS exception");
                }
            });
            check(() => {
                const tls = ((policy.spec as Json | undefined)?.tls as Json | undefined) ?? {};
                const min = String(tls.minVersion ?? "1.2");
                if (!allowedTlsVersions.includes(min)) {
                    const metadata = (policy.metadata as Json | undefined) ?? {};
                    const name = `${String(metadata.namespace ?? "default")}/${String(metadata.name)}`;
                    report(MESSAGES.tlsVersion("minVersion", tls.minVersion === undefined ? "unset" : min, allowedTlsVersions.join(", "), name));
                }
                if (tls.maxVersion !== undefined && VERSION_ORDER.indexOf(String(tls.maxVersion)) < VERSION_ORDER.indexOf("1.3")) {
                    report(MESSAGES.tlsMaxBelowMin(String(tls.maxVersion)));
                }
            });
        });
    }),
);

const AEAD = /(GCM|CHACHA20-POLY1305|CHACHA20_POLY1305|CCM)/;

/** True when the policy's minimum version lets TLS 1.2 (or older) in, so its cipher list matters. */
function allowsTls12(tls: Json): boolean {
    const min = String(tls.minVersion ?? "1.2");
    return min !== "1.3";
}

export const kubernetesClientTrafficPolicyEnforceAeadCiphers = resourcePolicy(
    {
        name: "kubernetes-client-traffic-policy-enforce-aead-ciphers",
        description: "Where TLS 1.2 is accepted, only AEAD suites are offered (every TLS 1.3 suite is AEAD).",
        checklist: ["TLS-5"],
        severity: "high",
        remediationSteps: "List only ECDHE-*-AES256-GCM-SHA384 and ECDHE-*-CHACHA20-POLY1305 in spec.tls.ciphers, or accept TLS 1.3 only.",
    },
    validateKind(ENVOY_GROUP, "ClientTrafficPolicy", (policy, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const tls = ((policy.spec as Json | undefined)?.tls as Json | undefined) ?? {};
                if (!allowsTls12(tls)) {
                    return;
                }
                const ciphers = tls.ciphers as string[] | undefined;
                if (!ciphers || ciphers.length === 0) {
                    report(MESSAGES.defaultCiphers);
                    return;
                }
                for (const cipher of ciphers) {
                    if (!AEAD.test(cipher)) {
                        report(MESSAGES.notAead(cipher));
                    }
                }
            });
        });
    }),
);

const WEAK_CIPHER = /(RC4|3DES|DES-CBC|\bDES\b|MD5|NULL|EXPORT|anon|PSK)/i;
const WEAK_SIGNATURE = /(sha1|SHA1|md5)/;
const STRONG_CURVES = ["X25519", "X25519MLKEM768", "P-256", "P-384", "P-521"];

export const kubernetesClientTrafficPolicyDisallowWeakAlgorithms = resourcePolicy(
    {
        name: "kubernetes-client-traffic-policy-disallow-weak-algorithms",
        description: "Client TLS allows no broken protocol version, cipher, signature algorithm or curve.",
        checklist: ["TLS-6"],
        severity: "high",
        remediationSteps: "Remove SHA-1/MD5 signature algorithms, RC4/3DES/NULL/EXPORT suites and curves other than X25519 and P-256/384/521; never allow TLS below 1.2.",
    },
    validateKind(ENVOY_GROUP, "ClientTrafficPolicy", (policy, _args, report) => {
        previewSafe((check) => {
            check(() => {
                const tls = ((policy.spec as Json | undefined)?.tls as Json | undefined) ?? {};
                const min = tls.minVersion === undefined ? undefined : String(tls.minVersion);
                if (min === "1.0" || min === "1.1" || min === "Auto") {
                    report(MESSAGES.weakProtocol(min));
                }
                for (const cipher of (tls.ciphers as string[] | undefined) ?? []) {
                    if (WEAK_CIPHER.test(cipher)) {
                        report(MESSAGES.weakCipher(cipher));
                    }
                }
                for (const algorithm of (tls.signatureAlgorithms as string[] | undefined) ?? []) {
                    if (WEAK_SIGNATURE.test(algorithm)) {
                        report(MESSAGES.weakSignature(algorithm));
                    }
                }
                for (const curve of (tls.ecdhCurves as string[] | undefined) ?? []) {
                    if (!STRONG_CURVES.includes(curve)) {
                        report(MESSAGES.weakCurve(curve));
                    }
                }
            });
        });
    }),
);

export const awsLbListenerEnforceTls13 = resourcePolicy(
    {
        name: "aws-lb-listener-enforce-tls13",
        description: "A load balancer listener that terminates TLS uses a TLS 1.3-only security policy.",
        checklist: ["TLS-4", "TLS-5", "TLS-6"],
        severity: "high",
        remediationSteps: "Set sslPolicy ELBSecurityPolicy-TLS13-1-3-2021-06 (or the FIPS/PQ 1.3-only variants).",
        configSchema: {
            properties: {
                allowedSslPolicies: {
                    type: "array",
                    items: { type: "string" },
                    default: ["ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09"],
                },
            },
        },
    },
    validateResourceOfType(Listener, (listener, args, report) => {
        const { allowedSslPolicies } = args.getConfig<{ allowedSslPolicies: string[] }>();
        previewSafe((check) => {
            check(() => {
                if (listener.protocol !== "HTTPS" && listener.protocol !== "TLS") {
                    return;
                }
                // The provider default for an HTTPS/TLS listener is ELBSecurityPolicy-2016-08 (TLS 1.0+).
                const policy = listener.sslPolicy ?? "ELBSecurityPolicy-2016-08";
                if (!allowedSslPolicies.includes(policy)) {
                    report(MESSAGES.lbPolicy(policy));
                }
            });
        });
    }),
);

export const azureStorageAccountEnforceMinimumTls = resourcePolicy(
    {
        name: "azure-storage-account-enforce-minimum-tls",
        description: "Storage accounts accept HTTPS only, with TLS 1.2 or newer.",
        checklist: ["TLS-6"],
        severity: "medium",
        remediationSteps: 'Set minimumTlsVersion "TLS1_2" and leave enableHttpsTrafficOnly true.',
    },
    validateResourceOfType(StorageAccount, (account, _args, report) => {
        previewSafe((check) => {
            check(() => {
                // Older API versions default minimumTlsVersion to TLS1_0; state it explicitly.
                const version = String(account.minimumTlsVersion ?? "unset (TLS1_0 on older API versions)");
                if (version !== "TLS1_2" && version !== "TLS1_3") {
                    report(MESSAGES.storageTls(version));
                }
            });
            check(() => {
                if (account.enableHttpsTrafficOnly === false) {
                    report(MESSAGES.storageHttp);
                }
            });
        });
    }),
);

export const tlsPolicies = [
    kubernetesGatewayMissingManagedCertificate,
    kubernetesCertificateDisallowWeakKey,
    kubernetesHttpRouteEnforcePermanentRedirect,
    kubernetesGatewayMissingHttpsRedirect,
    kubernetesGatewayConfigureHstsMaxAge,
    kubernetesGatewayMissingHsts,
    kubernetesGatewayMissingClientTrafficPolicy,
    kubernetesClientTrafficPolicyEnforceTls13,
    kubernetesClientTrafficPolicyEnforceAeadCiphers,
    kubernetesClientTrafficPolicyDisallowWeakAlgorithms,
    awsLbListenerEnforceTls13,
    azureStorageAccountEnforceMinimumTls,
];
