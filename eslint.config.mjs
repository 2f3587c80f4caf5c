// Lint: ESLint's and typescript-eslint's recommended rules everywhere; Pulumi's Output rules on the program code.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["**/node_modules/**", "bin/**", "**/*.js", "**/*.mjs", "e2e/.cache/**", "test/engine/.work/**"] },
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
        // An Output in a template literal renders as a warning string instead of its value; these rules need types.
        files: ["index.ts", "components/**/*.ts", "config/**/*.ts"],
        plugins: { pulumi },
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
        },
    },
    {
        files: ["test/**/*.ts", "**/*.test.ts", "scripts/**/*.ts", "bench/**/*.ts", "e2e/**/*.ts"],
        rules: { "no-console": "off" },
    },
);
