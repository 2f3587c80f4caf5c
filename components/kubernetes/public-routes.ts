// Which of OpenClaw's HTTP paths the public ingress routes: the Control UI and its WebSocket always, the paths its
// docs say must not face the internet never, and four self-contained surfaces only when a named config key opts in.
// Paths from OpenClaw 2026.9.6 docs (e2e/node_modules/openclaw/docs, named beside each).

/** An opt-in public surface: the `openclaw:` key that publishes it, its path prefixes, and whether it keeps sign-on. */
export interface PublicSurface {
    readonly configKey: "allowPublicToolsInvoke" | "allowPublicNodeJoin" | "allowPublicShareLinks" | "allowPublicWorkerEndpoints";
    /** Gateway API PathPrefix values (element-wise: `/j` matches `/j/<code>`, not `/jobs`). */
    readonly paths: readonly string[];
    /** HTTP methods routed; undefined routes every method. */
    readonly methods?: readonly string[];
    /**
     * True: it stays behind single sign-on (same route as the Control UI). False: it authenticates itself with a
     * short-lived credential and is routed without sign-on, which is why it needs an explicit opt-in.
     */
    readonly signOn: boolean;
}

export const PUBLIC_SURFACES = {
    // docs/gateway/tools-invoke-http-api.md: "Keep this endpoint on loopback/tailnet/private ingress only".
    toolsInvoke: { configKey: "allowPublicToolsInvoke", paths: ["/tools/invoke"], signOn: true },
    // docs/nodes/node-host.md, docs/gateway/cloudflare-access.md "Step 4": join links /j/* carry a single-use code.
    nodeJoin: { configKey: "allowPublicNodeJoin", paths: ["/j"], signOn: false },
    // docs/web/urls.md "Behind a login proxy": anonymous GET and HEAD only, to /share/* only.
    shareLinks: { configKey: "allowPublicShareLinks", paths: ["/share"], methods: ["GET", "HEAD"], signOn: false },
    // docs/nodes/node-host.md "Edge routing": the worker WebSocket and its bootstrap carry their own expiring credential.
    workers: { configKey: "allowPublicWorkerEndpoints", paths: ["/__openclaw__/worker", "/__openclaw__/worker-bootstrap"], signOn: false },
} as const satisfies Record<string, PublicSurface>;

export type PublicSurfaceName = keyof typeof PUBLIC_SURFACES;
export const PUBLIC_SURFACE_NAMES = Object.keys(PUBLIC_SURFACES) as PublicSurfaceName[];

/**
 * Paths never routed publicly, with no knob: the OpenAI-compatible API (docs/gateway/openai-http-api.md "Do not
 * expose it to the public internet"), the admin HTTP RPC plugin route and channel webhooks
 * (docs/gateway/security/network-exposure.md: full-access operator credentials), and hook ingress
 * (docs/gateway/config-hooks.md). The Control UI itself needs only `/`, its WebSocket and /api/artifacts, /api/chat media.
 */
export const PRIVATE_PATHS = ["/v1", "/api/v1/admin/rpc", "/api/channels", "/hooks"] as const;

/** Which surfaces this stack publishes, from the `openclaw:allowPublic*` keys. */
export type PublicSurfaceChoice = Readonly<Record<PublicSurfaceName, boolean>>;

/** The surfaces' choice read off the config keys. */
export function publicSurfaceChoice(config: Readonly<Record<PublicSurface["configKey"], boolean>>): PublicSurfaceChoice {
    return Object.fromEntries(PUBLIC_SURFACE_NAMES.map((name) => [name, config[PUBLIC_SURFACES[name].configKey]])) as Record<PublicSurfaceName, boolean>;
}

/** What the public routes do with each path: a plan, so it can be tested without resources. */
export interface RoutePlan {
    /** Path prefixes the signed-on route answers with 404 before anything reaches OpenClaw. */
    readonly closedPaths: readonly string[];
    /** Surfaces routed without sign-on, on a route of their own that no SecurityPolicy targets. */
    readonly openSurfaces: readonly PublicSurfaceName[];
}

export function planRoutes(choice: PublicSurfaceChoice): RoutePlan {
    const closedPaths: string[] = [...PRIVATE_PATHS];
    const openSurfaces: PublicSurfaceName[] = [];
    for (const name of PUBLIC_SURFACE_NAMES) {
        const surface: PublicSurface = PUBLIC_SURFACES[name];
        if (!choice[name]) {
            closedPaths.push(...surface.paths);
        } else if (!surface.signOn) {
            openSurfaces.push(name);
        }
        // A published signed-on surface simply falls through to the Control UI rule.
    }
    return { closedPaths, openSurfaces };
}

/** HTTPRoute matches for a surface routed on its own. */
export function surfaceMatches(name: PublicSurfaceName): Record<string, unknown>[] {
    const surface: PublicSurface = PUBLIC_SURFACES[name];
    return surface.paths.flatMap((value) =>
        (surface.methods ?? [undefined]).map((method) => ({ path: { type: "PathPrefix", value }, ...(method ? { method } : {}) })),
    );
}
