// The CI gate (CI-1) and the generated checklist matrix: the workflow is valid and does what the checklist asks,
// the secret scan finds a planted token, and docs/checklist.md is current.
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { CHECKLIST_IDS } from "../../policy-pack/policies";
import { DOC_PATH, findTestMentions, main as checklistDoc, renderChecklistDoc } from "../../scripts/checklist-doc";
import { main as stacksCli, StackEntry, stackNames } from "../../scripts/stacks";
import { PROJECT_ROOT, readStackConfig } from "../harness/program";

const WORKFLOW = path.join(PROJECT_ROOT, ".github", "workflows", "preview.yml");
const BIN = path.join(PROJECT_ROOT, "node_modules", ".bin");

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}
interface Job {
    readonly permissions?: Record<string, string>;
    readonly needs?: string | string[];
    readonly outputs?: Record<string, string>;
    readonly steps: Step[];
    readonly strategy?: { matrix: unknown };
}

describe("the CI gate (CI-1)", () => {
    const workflow = YAML.parse(fs.readFileSync(WORKFLOW, "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job>; permissions: Record<string, string> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const runs = steps.map((s) => s.run ?? "").join("\n");

    it("CI-1: .github/workflows/preview.yml passes action-validator", () => {
        execFileSync(path.join(BIN, "action-validator"), [WORKFLOW], { stdio: "pipe" });
    });

    it("CI-1: runs on every pull request with read-only default permissions", () => {
        assert.ok("pull_request" in workflow.on);
        assert.deepStrictEqual(workflow.permissions, { contents: "read" });
    });

    it("CI-1: installs with npm ci, runs npm test, the secret scan and the checklist pre-flight", () => {
        assert.match(runs, /^npm ci$/m);
        assert.match(runs, /^npm test$/m);
        assert.match(runs, /npx secretlint /);
        assert.match(runs, /npm run docs:checklist -- --check/);
        assert.match(runs, /npm run policy-check -- --stack "\$stack" --config "\$config"/);
    });

    it("CI-1: derives the stacks from the Pulumi.<stack>.yaml files, never a hard-coded list or region", () => {
        const text = fs.readFileSync(WORKFLOW, "utf8");
        const derive = workflow.jobs.stacks.steps.find((s) => s.run?.includes("--github-matrix"));
        assert.ok(derive, "a step writes the matrix from `npm run stacks -- --github-matrix`");
        assert.strictEqual(workflow.jobs.stacks.outputs?.matrix, "${{ steps.derive.outputs.matrix }}");
        for (const job of ["test", "images", "preview"]) {
            assert.ok([workflow.jobs[job].needs ?? []].flat().includes("stacks"), `${job} needs the stacks job`);
        }
        // No stack name, region or location typed into the workflow: each comes from its stack file.
        for (const stack of stackNames()) {
            assert.doesNotMatch(text, new RegExp(`--stack ${stack}\\b|stack: ${stack}\\b`), stack);
        }
        assert.doesNotMatch(text, /aws-region: [a-z]{2}-/);
    });

    it("CI-1: fails the digest check on the all-zero placeholder digest, and verifies each stack's images", () => {
        assert.match(runs, /@sha256:0\{64\}\$/);
        assert.match(runs, /done < images\.txt/);
    });

    it("CI-1: fails when an image the program deploys is not pinned by digest, and checks signatures with cosign", () => {
        assert.match(runs, /--images/);
        assert.match(runs, /@sha256:\[0-9a-f\]\{64\}\$/);
        assert.ok(steps.some((s) => s.uses?.startsWith("sigstore/cosign-installer@")));
        assert.match(runs, /cosign verify "\$image"/);
    });

    it("CI-1: previews every stack with pulumi/actions@v7, the policy pack and its config, and comments on the PR", () => {
        const preview = workflow.jobs.preview;
        assert.strictEqual(preview.strategy?.matrix, "${{ fromJSON(needs.stacks.outputs.matrix) }}");
        const aws = preview.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.strictEqual(aws?.with?.["aws-region"], "${{ matrix.region }}");
        const step = preview.steps.find((s) => s.uses === "pulumi/actions@v7");
        assert.ok(step, "uses pulumi/actions@v7");
        assert.strictEqual(step.with?.command, "preview");
        assert.strictEqual(step.with?.policyPacks, "policy-pack");
        assert.strictEqual(step.with?.policyPackConfigs, "${{ matrix.policyConfig }}");
        assert.strictEqual(step.with?.["comment-on-pr"], true);
        assert.strictEqual(step.with?.["stack-name"], "${{ vars.PULUMI_ORG }}/openclaw/${{ matrix.stack }}");
    });

    it("CI-1: the derived matrix lists every stack file present, with its cloud, region and an existing policy config", () => {
        let out = "";
        assert.strictEqual(stacksCli(["--github-matrix"], (t) => (out += t)), 0);
        const matrix = JSON.parse(out.replace(/^matrix=/, "")) as { include: StackEntry[] };
        assert.deepStrictEqual(matrix.include.map((m) => m.stack), stackNames());
        for (const m of matrix.include) {
            const config = readStackConfig(m.stack);
            assert.strictEqual(m.cloud, config["openclaw:cloud"]);
            assert.strictEqual(m.region, config[m.cloud === "aws" ? "aws:region" : "azure-native:location"]);
            assert.match(m.policyConfig, /^policy-pack\/policy-config\.[\w-]+\.json$/);
            assert.ok(fs.existsSync(path.join(PROJECT_ROOT, m.policyConfig)), m.policyConfig);
        }
    });

    it("CI-1: gets cloud credentials by OIDC only, never from long-lived keys", () => {
        const preview = workflow.jobs.preview;
        assert.strictEqual(preview.permissions?.["id-token"], "write");
        const aws = preview.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.ok(aws?.with?.["role-to-assume"]);
        const azure = preview.steps.find((s) => s.uses?.startsWith("azure/login@"));
        for (const key of ["client-id", "tenant-id", "subscription-id"]) {
            assert.ok(azure?.with?.[key], key);
        }
        const text = fs.readFileSync(WORKFLOW, "utf8");
        assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|client-secret|AZURE_CREDENTIALS|ARM_CLIENT_SECRET/);
    });

    it("CI-1: the secret scan configuration reports a planted token", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-"));
        try {
            fs.writeFileSync(path.join(dir, "leak.env"), `GITHUB_TOKEN=ghp_${"wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx"}\n`);
            const result = spawnSync(path.join(BIN, "secretlint"), ["--secretlintrc", path.join(PROJECT_ROOT, ".secretlintrc.json"), path.join(dir, "*")], { cwd: PROJECT_ROOT, encoding: "utf8" });
            assert.strictEqual(result.status, 1, result.stdout + result.stderr);
            assert.match(result.stdout, /GITHUB_TOKEN/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("docs/checklist.md", () => {
    it("is the generated matrix, up to date with the checklist, the policies and the tests (npm run docs:checklist)", () => {
        assert.strictEqual(fs.readFileSync(DOC_PATH, "utf8"), renderChecklistDoc(), "docs/checklist.md is stale: run `npm run docs:checklist`");
        let out = "";
        assert.strictEqual(checklistDoc(["--check"], (t) => (out += t)), 0, out);
    });

    it("lists at least one test naming each checklist id", () => {
        const mentions = findTestMentions();
        for (const id of CHECKLIST_IDS) {
            assert.ok((mentions.get(id) ?? []).length > 0, id);
        }
    });
});
