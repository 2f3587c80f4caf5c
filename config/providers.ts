// The model providers OpenClaw can use here: one closed set, read by config, the platforms and the Kubernetes layer.

export const MODEL_PROVIDERS = {
    anthropic: { configKey: "anthropicApiKey", envVar: "ANTHROPIC_API_KEY", apiDomains: ["api.anthropic.com"] },
    openai: { configKey: "openaiApiKey", envVar: "OPENAI_API_KEY", apiDomains: ["api.openai.com"] },
    gemini: { configKey: "geminiApiKey", envVar: "GEMINI_API_KEY", apiDomains: ["generativelanguage.googleapis.com"] },
    openrouter: { configKey: "openrouterApiKey", envVar: "OPENROUTER_API_KEY", apiDomains: ["openrouter.ai"] },
} as const;

export type ModelProvider = keyof typeof MODEL_PROVIDERS;

export const MODEL_PROVIDER_NAMES = Object.keys(MODEL_PROVIDERS) as ModelProvider[];
