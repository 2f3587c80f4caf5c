// The role reconciler as the Kubernetes layer renders it: its port and paths, its config (from openclaw:identity),
// and the program text the pod runs. What it does: ./program.ts; why it exists: docs/identity.md "Roles follow groups".
import * as fs from "fs";
import * as path from "path";
import { jwksUriOf } from "../../../config/identity";
import type { IdentityConfig } from "../../../config/schema";
import { rolesInPrecedence } from "../openclaw-roles";
import type { RoleReconcilerConfig } from "./program";

/** Where the sidecar listens and what Envoy's ext_authz asks (SecurityPolicy extAuth.http.pathOverride). */
export const ROLE_RECONCILER = {
    /**
     * Below the range OpenClaw derives its own listeners from (gateway port 18789, +1 the MCP Apps sandbox and the
     * Podman bridge, +2 browser control, 18800-18899 CDP: OpenClaw 2026.9.6 docs/cli/mcp/apps.md,
     * docs/tools/browser/configuration.md, docs/install/podman.md), so no OpenClaw setting can collide with it.
     */
    port: 18780,
    checkPath: "/check",
    healthPath: "/healthz",
    /** The ConfigMap both files are mounted from, and where. */
    configMapName: "openclaw-role-reconciler",
    mountPath: "/opt/role-reconciler",
    configFile: "config.json",
    programFile: "program.ts",
    /** The Service ext_authz's backendRef names (same namespace as the SecurityPolicy: no ReferenceGrant). */
    serviceName: "openclaw-role-reconciler",
    /** The env var the program reads its config path from; the program starts only when it is set. */
    configEnv: "ROLE_RECONCILER_CONFIG",
} as const;

/**
 * The OpenClaw CLI inside the image: the package's `bin` (`openclaw.mjs`, package.json of 2026.9.6, what the e2e
 * runs) in the image's workdir /app (openclaw/openclaw Dockerfile: `WORKDIR /app`, `CMD ["node", "openclaw.mjs", ...]`;
 * docs/install/docker.md runs the CLI from /app too).
 */
export const IMAGE_CLI = ["node", "/app/openclaw.mjs"] as const;

/** The reconciler's config for one gateway: the same issuer, audience, keys, claims and role groups as the proxy. */
export function roleReconcilerConfig(identity: IdentityConfig, cli: readonly string[] = IMAGE_CLI): RoleReconcilerConfig {
    return {
        listen: { host: "0.0.0.0", port: ROLE_RECONCILER.port },
        checkPath: ROLE_RECONCILER.checkPath,
        healthPath: ROLE_RECONCILER.healthPath,
        issuer: identity.issuer,
        audience: identity.clientId,
        jwksUri: jwksUriOf(identity),
        userClaim: identity.userClaim,
        groupsClaim: identity.groupsClaim,
        // Precedence order: the first role any of whose groups the person is in (as the proxy's Lua filter decides).
        roles: rolesInPrecedence(identity.roleGroups),
        cli: [...cli],
    };
}

/** The program's source, shipped as is: Node 24 (OpenClaw's engine, >=24.16) strips its types when it runs it. */
export function roleReconcilerProgram(): string {
    return fs.readFileSync(path.join(__dirname, ROLE_RECONCILER.programFile), "utf8");
}
