// The OIDC identity providers the docs walk through, told apart by their issuer: where each publishes its signing keys
// and which hosts the ingress proxy must reach. Pure functions of the issuer URL, read by the schema and the layers.

/** The IdPs docs/identity.md covers; any other OIDC issuer is `generic` and must name its JWKS URI. */
export const IDENTITY_PROVIDERS = ["entra", "okta", "google", "cognito", "generic"] as const;
export type IdentityProviderKind = (typeof IDENTITY_PROVIDERS)[number];

const ENTRA = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/i;
const OKTA = /^https:\/\/[a-z0-9-]+\.(okta|oktapreview|okta-emea)\.com(\/oauth2\/[\w-]+)?$/i;
const GOOGLE = "https://accounts.google.com";
const COGNITO = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/[a-z0-9-]+_[A-Za-z0-9]+$/;

/** Which IdP an issuer belongs to. */
export function identityProviderOf(issuer: string): IdentityProviderKind {
    if (ENTRA.test(issuer)) {
        return "entra";
    }
    if (OKTA.test(issuer)) {
        return "okta";
    }
    if (issuer === GOOGLE) {
        return "google";
    }
    if (COGNITO.test(issuer)) {
        return "cognito";
    }
    return "generic";
}

/**
 * The JWKS URI the proxy validates ID tokens against, as each IdP's discovery document (`<issuer>/.well-known/
 * openid-configuration`, `jwks_uri`) names it; undefined for a generic issuer, which must set `identity.jwksUri`.
 */
export function knownJwksUri(issuer: string): string | undefined {
    const kind = identityProviderOf(issuer);
    switch (kind) {
        case "entra":
            // https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc (jwks_uri of the v2.0 metadata)
            return `https://login.microsoftonline.com/${ENTRA.exec(issuer)?.[1] ?? ""}/discovery/v2.0/keys`;
        case "okta":
            // https://developer.okta.com/docs/reference/api/oidc/#keys: /oauth2/v1/keys (org server), /oauth2/{id}/v1/keys (custom)
            return /\/oauth2\/[\w-]+$/.test(issuer) ? `${issuer}/v1/keys` : `${issuer}/oauth2/v1/keys`;
        case "google":
            // https://accounts.google.com/.well-known/openid-configuration (jwks_uri)
            return "https://www.googleapis.com/oauth2/v3/certs";
        case "cognito":
            // https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
            return `${issuer}/.well-known/jwks.json`;
        case "generic":
            return undefined;
    }
}

/**
 * Hosts the ingress proxy and the Envoy Gateway controller reach for single sign-on: the issuer (discovery,
 * authorization, token and logout endpoints at most IdPs) and the JWKS host. Google's token endpoint is
 * oauth2.googleapis.com (its discovery document); a Cognito user pool's hosted-UI domain is not derivable from the
 * issuer and goes in `egressAllowedDomains`.
 */
export function identityDomains(identity: { readonly issuer: string; readonly jwksUri?: string } | undefined): string[] {
    if (identity === undefined) {
        return [];
    }
    const hosts = [identity.issuer, identity.jwksUri ?? knownJwksUri(identity.issuer)].filter((u): u is string => u !== undefined).map((u) => new URL(u).hostname);
    if (identityProviderOf(identity.issuer) === "google") {
        hosts.push("oauth2.googleapis.com");
    }
    return [...new Set(hosts)].sort();
}

/** The JWKS URI the proxy and the role reconciler validate against: the configured one, or the one the issuer's IdP publishes. */
export function jwksUriOf(identity: { readonly issuer: string; readonly jwksUri?: string }): string {
    const uri = identity.jwksUri ?? knownJwksUri(identity.issuer);
    if (uri === undefined) {
        // The schema refuses this config before any resource; reaching here is a programming error.
        throw new Error("identity.jwksUri is unset for a generic issuer");
    }
    return uri;
}
