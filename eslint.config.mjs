// Lint: ESLint's and typescript-eslint's recommended rules over the program, the policy pack and the tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["**/node_modules/**", "bin/**", "**/*.js", "**/*.mjs", "e2e/.cache/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/no-explicit-any": "error",
            "no-console": "error",
        },
    },
    {
        files: ["test/**/*.ts", "**/*.test.ts", "scripts/**/*.ts", "bench/**/*.ts", "e2e/**/*.ts"],
        rules: { "no-console": "off" },
    },
);
