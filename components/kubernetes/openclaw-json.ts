// Renders openclaw.json, OpenClaw's own configuration, from the typed stack config. PLACEHOLDER until issue 7.
import type { ModelProvider } from "../../config/providers";

export interface OpenClawJsonArgs {
    /** The public FQDN; the Control UI accepts only this origin. */
    readonly hostname: string;
    /** Addresses of the ingress proxies, the only peers whose X-Forwarded-For OpenClaw trusts. */
    readonly trustedProxyCidrs: readonly string[];
    /** The model providers whose API key is configured. */
    readonly modelProviders: readonly ModelProvider[];
}

/** The content of openclaw.json as a plain object (serialise with JSON.stringify). Contains no secret. */
export function renderOpenClawJson(args: OpenClawJsonArgs): Record<string, unknown> {
    return { gateway: { mode: "local", controlUi: { allowedOrigins: [`https://${args.hostname}`] } } };
}
