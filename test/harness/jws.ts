// A compact JWS as an IdP signs an ID token (RFC 7515 section 7.1), for the role reconciler's unit tests, the e2e's
// stand-in IdP and the benchmark: RS* with PKCS #1 v1.5, ES* as the r||s pair JWS uses (RFC 7518 section 3.4).
import * as crypto from "crypto";

/** base64url of a JSON value: one part of a compact JWS. */
export const jwsPart = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** `header.payload.signature`, signed with `key` by the algorithm `header.alg` names (RS256/384/512, ES256/384). */
export function compactJws(header: { readonly alg: string } & Record<string, unknown>, payload: Record<string, unknown>, key: crypto.KeyObject): string {
    const input = `${jwsPart(header)}.${jwsPart(payload)}`;
    const hash = `sha${header.alg.slice(2)}`;
    const signature = crypto.sign(hash, Buffer.from(input), header.alg.startsWith("ES") ? { key, dsaEncoding: "ieee-p1363" } : key);
    return `${input}.${signature.toString("base64url")}`;
}
