// A stand-in OIDC identity provider on the host end of the veth pair: an RSA signing key, its JWKS over HTTPS (a
// self-signed certificate for the proxy address, made with the system's openssl), and ID tokens as an IdP issues
// them (RS256, test/harness/jws.ts; claims per OpenID Connect Core 1.0 section 2).
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";
import { compactJws } from "../test/harness/jws";

export class TestIdp {
    /** The PEM certificate a client must trust (NODE_EXTRA_CA_CERTS). */
    readonly certPath: string;
    private readonly signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    private readonly tls: { cert: Buffer; key: Buffer };
    private server: https.Server | undefined;
    private port = 0;

    /** `claims`: the audience (client id) and the claim names the stack's identity config reads; `dir`: private. */
    constructor(
        private readonly address: string,
        private readonly claims: { readonly audience: string; readonly userClaim: string; readonly groupsClaim: string },
        dir: string,
    ) {
        this.certPath = path.join(dir, "idp-cert.pem");
        const keyPath = path.join(dir, "idp-key.pem");
        const made = spawnSync(
            "openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=e2e-test-idp", "-addext", `subjectAltName=IP:${address}`, "-keyout", keyPath, "-out", this.certPath],
            { encoding: "utf8", timeout: 30_000 },
        );
        if (made.status !== 0) {
            throw new Error(`openssl could not make the test IdP's certificate: ${made.stderr || made.error?.message || ""}`);
        }
        this.tls = { cert: fs.readFileSync(this.certPath), key: fs.readFileSync(keyPath) };
    }

    /** The issuer URL, as the `iss` of every token. */
    get issuer(): string {
        return `https://${this.address}:${this.port}`;
    }

    get jwksUri(): string {
        return `${this.issuer}/keys`;
    }

    async start(): Promise<void> {
        const jwks = JSON.stringify({ keys: [{ ...this.signingKey.publicKey.export({ format: "jwk" }), kid: "e2e-1", use: "sig", alg: "RS256" }] });
        this.server = https.createServer(this.tls, (request, response) => {
            response.writeHead(request.url === "/keys" ? 200 : 404, { "content-type": "application/json" });
            response.end(request.url === "/keys" ? jwks : "{}");
        });
        await new Promise<void>((resolve) => this.server?.listen(0, this.address, resolve));
        this.port = (this.server.address() as AddressInfo).port;
    }

    stop(): void {
        this.server?.close();
    }

    /** An ID token for `subject` in `groups`, valid for ten minutes; `forgedWith` signs it with another key. */
    idToken(subject: string, groups: readonly string[], forgedWith?: crypto.KeyObject): string {
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: this.issuer, aud: this.claims.audience, [this.claims.userClaim]: subject, [this.claims.groupsClaim]: groups, iat: now, exp: now + 600 };
        return compactJws({ alg: "RS256", kid: "e2e-1", typ: "JWT" }, claims, forgedWith ?? this.signingKey.privateKey);
    }
}
