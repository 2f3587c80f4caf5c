// The role reconciler on the request path: what one ext_authz check costs, in process over loopback (the pod: Envoy
// to the sidecar over the pod network), with the IdP's key already fetched. The background users.setRole work is
// not on the path; its cost (one OpenClaw CLI process per call) is measured by npm run test:e2e.
import * as crypto from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { roleReconcilerConfig } from "../components/kubernetes/role-reconciler";
import { createServer, verifyIdToken, type KeyLookup } from "../components/kubernetes/role-reconciler/program";
import { compactJws } from "../test/harness/jws";
import { summarize, type Summary } from "./stats";

export interface ReconcilerFigures {
    readonly checks: number;
    /** Per check over loopback, in ms. */
    readonly checkMs: Summary;
    readonly p99Ms: number;
    readonly checksPerSecond: number;
    /** Signature and claim checks alone, in µs per token. */
    readonly verifyMicros: number;
}

const IDENTITY = {
    issuer: "https://bench.example/oauth2/default",
    clientId: "bench-client",
    groupsClaim: "groups",
    userClaim: "sub",
    jwksUri: "https://bench.example/keys",
    roleGroups: { admin: ["admins"], operator: ["operators"], developer: ["developers"], auditor: ["auditors"] },
};

export async function reconcilerSection(checks = 2000): Promise<ReconcilerFigures> {
    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const config = roleReconcilerConfig(IDENTITY);
    const keys: KeyLookup = async () => publicKey;
    const now = Math.floor(Date.now() / 1000);
    const token = compactJws({ alg: "RS256", kid: "k1" }, { iss: IDENTITY.issuer, aud: IDENTITY.clientId, sub: "00u1bench", groups: ["operators", "others"], exp: now + 3600 }, privateKey);

    const verifyStart = performance.now();
    for (let i = 0; i < checks; i++) {
        await verifyIdToken(token, config, keys, now);
    }
    const verifyMicros = ((performance.now() - verifyStart) * 1000) / checks;

    const server = createServer(config, keys, { observe: () => undefined }, () => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const port = (server.address() as AddressInfo).port;
    const one = () =>
        new Promise<void>((resolve, reject) => {
            const request = http.request({ host: "127.0.0.1", port, path: config.checkPath, agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
                response.resume();
                response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`check answered ${response.statusCode}`))));
            });
            request.on("error", reject);
            request.end();
        });
    const times: number[] = [];
    const start = performance.now();
    for (let i = 0; i < checks; i++) {
        const t = performance.now();
        await one();
        times.push(performance.now() - t);
    }
    const wallMs = performance.now() - start;
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
    const sorted = [...times].sort((a, b) => a - b);
    return { checks, checkMs: summarize(times), p99Ms: sorted[Math.floor(sorted.length * 0.99)], checksPerSecond: checks / (wallMs / 1000), verifyMicros };
}
