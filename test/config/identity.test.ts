// The IdPs told apart by issuer, their JWKS URIs and the hosts single sign-on reaches. Expected values are written
// from each IdP's documentation (named beside each), not copied from config/identity.ts.
import * as assert from "assert";
import { identityDomains, identityProviderOf, knownJwksUri } from "../../config/identity";
import { egressAllowList } from "../../components/azure/egress";
import { validateConfig } from "../../config/read";
import { rawNamespaceConfig } from "../harness/program";

describe("identity providers", () => {
    it("derives each documented IdP's JWKS URI from its issuer", () => {
        // learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc: jwks_uri of the tenant's v2.0 metadata.
        assert.strictEqual(knownJwksUri("https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0"), "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/discovery/v2.0/keys");
        // developer.okta.com/docs/reference/api/oidc/#keys: custom authorization server and org authorization server.
        assert.strictEqual(knownJwksUri("https://example.okta.com/oauth2/default"), "https://example.okta.com/oauth2/default/v1/keys");
        assert.strictEqual(knownJwksUri("https://example.okta.com"), "https://example.okta.com/oauth2/v1/keys");
        // https://accounts.google.com/.well-known/openid-configuration
        assert.strictEqual(knownJwksUri("https://accounts.google.com"), "https://www.googleapis.com/oauth2/v3/certs");
        // docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
        assert.strictEqual(knownJwksUri("https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbCdEf123"), "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbCdEf123/.well-known/jwks.json");
        assert.strictEqual(knownJwksUri("https://sso.example.com"), undefined);
        assert.strictEqual(identityProviderOf("https://sso.example.com"), "generic");
    });

    it("lists the hosts the proxies reach, Google's token endpoint included", () => {
        assert.deepStrictEqual(identityDomains({ issuer: "https://example.okta.com/oauth2/default" }), ["example.okta.com"]);
        assert.deepStrictEqual(identityDomains({ issuer: "https://accounts.google.com" }), ["accounts.google.com", "oauth2.googleapis.com", "www.googleapis.com"]);
        assert.deepStrictEqual(identityDomains(undefined), []);
    });

    it("puts the IdP on the egress allow-list the platforms build", () => {
        const config = validateConfig(rawNamespaceConfig("dev"));
        assert.ok(egressAllowList({ modelProviderKeys: {}, egressAllowedDomains: [], identity: config.identity }).includes("example.okta.com"));
    });
});
