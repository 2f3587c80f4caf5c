// Single sign-on at the ingress: the OIDC client secret from the vault, Envoy Gateway's SecurityPolicy (OIDC login
// and logout, ID-token validation, the verified subject in a header, default-deny on the role groups) and the Lua
// filter that turns the verified groups into OpenClaw's scope ceiling; the SecurityPolicy's ext_authz asks the role
// reconciler about every signed-on request. API fields: envoyproxy/gateway
// api/v1alpha1/{securitypolicy,oidc,jwt,authorization,envoyextensionypolicy,lua}_types.go (main d32f282942, after v1.9.0),
// ext_auth_types.go (v1.9.0).
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { jwksUriOf } from "../../config/identity";
import type { IdentityConfig } from "../../config/schema";
import { type CrdReleases, EXTERNAL_SECRET_SYNCED, WAIT_FOR_ANNOTATION } from "./custom-resources";
import { CONTROLLER_POD_LABELS, PROXY_POD_LABELS } from "./ingress";
import { allowHttpsEgressSpec, createNetworkPolicy } from "./network-policies";
import { CHECKLIST_ROLES, IDENTITY_HEADERS, rolesInPrecedence, scopesHeaderValue } from "./openclaw-roles";
import { ROLE_RECONCILER } from "./role-reconciler";

/** The SecurityPolicy's JWT provider; also the key of the verified payload in jwt_authn's dynamic metadata. */
export const JWT_PROVIDER_NAME = "openclaw-idp";

/** The Secret the proxy reads the client secret from; Envoy Gateway wants it under `client-secret` (oidc_types.go OIDCClientSecretKey). */
export const OIDC_CLIENT_SECRET = { name: "openclaw-oidc-client", key: "client-secret" } as const;

/** Paths the OAuth2 filter answers itself; register the callback at the IdP as https://<hostname>/oauth2/callback. */
export const SSO_PATHS = { callback: "/oauth2/callback", logout: "/oauth2/logout" } as const;

/**
 * Scopes asked for: `openid` (Envoy Gateway adds it anyway) and `profile` (some IdPs send the immutable object id
 * claim only with it; see docs/identity.md). No `email`: the user id is never an e-mail, and nothing else needs one.
 */
export const OIDC_SCOPES = ["openid", "profile"] as const;

/** jwt_authn's dynamic-metadata namespace (Envoy: the filter's name), where the verified payload is kept per provider. */
const JWT_AUTHN_METADATA = "envoy.filters.http.jwt_authn";

/** Every IdP group value that grants some role: the only people the proxy lets through. */
export function admittedGroups(identity: IdentityConfig): string[] {
    return [...new Set(CHECKLIST_ROLES.flatMap((role) => identity.roleGroups[role]))];
}

/**
 * How long the proxy waits for the role reconciler's answer. It answers from the token and its key cache at once
 * (the CLI call runs in the background), so 5 s is only reached when the pod is gone; Envoy Gateway's default is 10 s
 * (ext_auth_types.go Timeout).
 */
export const EXT_AUTH_TIMEOUT = "5s";

/**
 * The SecurityPolicy's external authorization: Envoy's HTTP ext_authz asks the role reconciler's Service about every
 * request the OIDC and JWT filters let through (envoyproxy/gateway v1.9.0 api/v1alpha1/ext_auth_types.go):
 * - `backendRefs` without a namespace resolve in the policy's own namespace, where the Service is, so no
 *   ReferenceGrant is needed (internal/gatewayapi/validate.go validateExtServiceBackendReference checks one only for
 *   another namespace); a missing Service or port fails the whole policy, and with `failOpen: false` its routes answer
 *   500 (internal/gatewayapi/securitypolicy.go), hence the Service exists before the policy.
 * - `pathOverride` replaces the request's path with the check path (`path` would prefix it).
 * - The check request carries Host, Method, Path, Content-Length and Authorization whatever `headersToExtAuth` says
 *   (HeadersToExtAuth's comment): Authorization holds the ID token the OAuth2 filter put there, as the EnvoyProxy's
 *   filterOrder runs ext_authz after jwt_authn (ingress.ts EXT_AUTHZ_AFTER_JWT). Nothing else is sent.
 * - `failOpen: false`: no answer in time means no access. `statusOnError: 503` (ExtAuth.StatusOnError, 403 when
 *   unset) tells the person and the proxy's metrics that the reconciler is down, not that they were refused.
 */
export function roleReconcilerExtAuth(serviceName: pulumi.Input<string>): Record<string, unknown> {
    return {
        http: { backendRefs: [{ name: serviceName, port: ROLE_RECONCILER.port }], pathOverride: ROLE_RECONCILER.checkPath },
        failOpen: false,
        statusOnError: 503,
        timeout: EXT_AUTH_TIMEOUT,
    };
}

/** The SecurityPolicy spec for one HTTPRoute; `roleReconcilerService` names the Service ext_authz asks. */
export function securityPolicySpec(identity: IdentityConfig, hostname: string, routeName: pulumi.Input<string>, roleReconcilerService: pulumi.Input<string>): Record<string, unknown> {
    return {
        targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: routeName }],
        oidc: {
            provider: { issuer: identity.issuer },
            clientID: identity.clientId,
            clientSecret: { name: OIDC_CLIENT_SECRET.name },
            scopes: [...OIDC_SCOPES],
            redirectURL: `https://${hostname}${SSO_PATHS.callback}`,
            logoutPath: SSO_PATHS.logout,
            // Envoy puts the validated session's ID token in Authorization (and drops the client's own), so the JWT
            // provider below verifies exactly the token the OAuth2 filter holds (translator/oidc.go, ForwardIdToken).
            forwardIDToken: { header: "Authorization" },
            // Browsers only: an API client's own bearer token must not bypass the login.
            passThroughAuthHeader: false,
            // Lax, not Strict: the IdP's redirect back to the callback is a cross-site navigation, and the OAuth2
            // filter's nonce and CSRF cookies must travel with it.
            cookieConfig: { sameSite: "Lax" },
        },
        jwt: {
            providers: [
                {
                    name: JWT_PROVIDER_NAME,
                    issuer: identity.issuer,
                    audiences: [identity.clientId],
                    remoteJWKS: { uri: jwksUriOf(identity) },
                    // Envoy copies only string, number and bool claims (jwt_authn authenticator.cc addJWTClaimToHeader),
                    // and appends: the client's copy is removed first by the ClientTrafficPolicy.
                    claimToHeaders: [{ header: IDENTITY_HEADERS.user, claim: identity.userClaim }],
                },
            ],
        },
        authorization: {
            defaultAction: "Deny",
            rules: [
                {
                    name: "members-of-a-role-group",
                    action: "Allow",
                    principal: { jwt: { provider: JWT_PROVIDER_NAME, claims: [{ name: identity.groupsClaim, valueType: "StringArray", values: admittedGroups(identity) }] } },
                },
            ],
        },
        // Makes each person's OpenClaw role follow their groups (components/kubernetes/role-reconciler/program.ts); it
        // runs before RBAC, so it also sees the people the rules above deny, whose role it then removes.
        extAuth: roleReconcilerExtAuth(roleReconcilerService),
    };
}

/** A Lua string literal: JSON's escapes for `"` and `\` are Lua's; the schema refuses control characters in groups. */
const luaString = (value: string) => JSON.stringify(value);

/**
 * The Lua filter (Envoy Gateway runs it after jwt_authn and before RBAC: translator/httpfilters.go order 13) that sets
 * OpenClaw's scope ceiling from the verified groups in jwt_authn's metadata: the first checklist role, in
 * CHECKLIST_ROLES order, any of whose groups the person is in; "" (no scopes) for nobody. It replaces, never
 * appends, so a client-sent copy could not survive even if the early removal were missing.
 * Lua 5.1 (LuaJIT), as Envoy embeds.
 */
export function scopesLua(identity: IdentityConfig): string {
    const roles = rolesInPrecedence(identity.roleGroups).map(
        ({ role, groups }) => `  { scopes = ${luaString(scopesHeaderValue(role))}, groups = { ${groups.map((g) => `[${luaString(g)}] = true`).join(", ")} } },`,
    );
    return `-- Generated by the OpenClaw Pulumi program from openclaw:identity.roleGroups.
local ROLES = {
${roles.join("\n")}
}

local function scopes_for(groups)
  if type(groups) == "string" then groups = { groups } end
  if type(groups) ~= "table" then return "" end
  for _, role in ipairs(ROLES) do
    for _, group in ipairs(groups) do
      if role.groups[group] then return role.scopes end
    end
  end
  return ""
end

function envoy_on_request(request_handle)
  local metadata = request_handle:streamInfo():dynamicMetadata():get(${luaString(JWT_AUTHN_METADATA)})
  local payload = metadata and metadata[${luaString(JWT_PROVIDER_NAME)}]
  local groups = payload and payload[${luaString(identity.groupsClaim)}]
  request_handle:headers():replace(${luaString(IDENTITY_HEADERS.scopes)}, scopes_for(groups))
end
`;
}

export interface SingleSignOnArgs {
    /** The gateway's namespace: the SecurityPolicy must sit next to the HTTPRoute it targets, and the Secret next to it. */
    readonly namespace: pulumi.Input<string>;
    /** `openclaw:identity`. */
    readonly identity: IdentityConfig;
    /** The public FQDN; the OIDC redirect URL is https://<hostname>/oauth2/callback. */
    readonly hostname: string;
    /** The HTTPRoute that serves the Control UI. */
    readonly routeName: pulumi.Input<string>;
    /** The ClusterSecretStore External Secrets reads the vault through. */
    readonly clusterSecretStoreName: pulumi.Input<string>;
    /** The vault's name for the client secret (SecretStoreSeam.identityClientSecretRemoteKey). */
    readonly clientSecretRemoteKey: pulumi.Input<string>;
    /** How often External Secrets re-reads the vault. */
    readonly refreshInterval: string;
    /** The Releases serving the CRDs: the ExternalSecret waits on External Secrets', the two policies on Envoy Gateway's. */
    readonly crdReleases: Pick<CrdReleases, "envoyGateway" | "externalSecrets">;
    /**
     * The role reconciler's Service in this namespace, which the SecurityPolicy's ext_authz asks about every signed-on
     * request (roleReconcilerExtAuth). The SecurityPolicy is created after it: Envoy Gateway fails a policy whose
     * backend Service is missing, and its route would answer 500 meanwhile.
     */
    readonly roleReconciler: { readonly serviceName: pulumi.Input<string>; readonly service: pulumi.Resource };
}

/** The client secret's ExternalSecret, the SecurityPolicy and the scopes filter for one gateway's public route. */
export class SingleSignOn extends pulumi.ComponentResource {
    constructor(name: string, args: SingleSignOnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:kubernetes:SingleSignOn", name, {}, opts);
        const clientSecret = new CustomResource(
            `${name}-client-secret`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                // `pulumi up` waits until the Secret is written, so the policy below never names a missing one.
                metadata: { name: OIDC_CLIENT_SECRET.name, namespace: args.namespace, annotations: { [WAIT_FOR_ANNOTATION]: EXTERNAL_SECRET_SYNCED } },
                spec: {
                    refreshInterval: args.refreshInterval,
                    secretStoreRef: { kind: "ClusterSecretStore", name: args.clusterSecretStoreName },
                    target: { name: OIDC_CLIENT_SECRET.name, creationPolicy: "Owner" },
                    data: [{ secretKey: OIDC_CLIENT_SECRET.key, remoteRef: { key: args.clientSecretRemoteKey } }],
                },
            },
            { parent: this, dependsOn: [args.crdReleases.externalSecrets] },
        );
        new CustomResource(
            `${name}-security-policy`,
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "SecurityPolicy",
                metadata: { name: "openclaw-sso", namespace: args.namespace },
                spec: securityPolicySpec(args.identity, args.hostname, args.routeName, args.roleReconciler.serviceName),
            },
            { parent: this, dependsOn: [clientSecret, args.crdReleases.envoyGateway, args.roleReconciler.service] },
        );
        new CustomResource(
            `${name}-scopes-filter`,
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "EnvoyExtensionPolicy",
                metadata: { name: "openclaw-scopes", namespace: args.namespace },
                spec: {
                    targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: args.routeName }],
                    lua: [{ type: "Inline", inline: scopesLua(args.identity) }],
                },
            },
            { parent: this, dependsOn: [args.crdReleases.envoyGateway] },
        );
        this.registerOutputs({});
    }
}

/**
 * HTTPS egress single sign-on needs from the ingress namespace: the controller fetches the issuer's discovery
 * document while translating the policy (gatewayapi/securitypolicy.go), the proxies call the token endpoint and
 * fetch the JWKS. Private ranges stay excluded.
 */
export function createSsoEgressPolicies(name: string, namespace: pulumi.Input<string>, privateCidrs: readonly string[], parent: pulumi.Resource): void {
    createNetworkPolicy(`${name}-controller-idp`, namespace, "allow-controller-idp-https", allowHttpsEgressSpec(privateCidrs, { matchLabels: { ...CONTROLLER_POD_LABELS } }), parent);
    createNetworkPolicy(`${name}-proxy-idp`, namespace, "allow-proxy-idp-https", allowHttpsEgressSpec(privateCidrs, { matchLabels: { ...PROXY_POD_LABELS } }), parent);
}
