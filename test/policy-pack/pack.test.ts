// The pack as a whole: naming (STYLE.md #8), metadata the runtime reads, checklist coverage, config files, entry point.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { CHECKLIST, CHECKLIST_IDS, policies } from "../../policy-pack/policies";
import * as ci from "../../policy-pack/policies/ci";
import * as ingressAccess from "../../policy-pack/policies/ingress-access";
import * as logging from "../../policy-pack/policies/logging";
import { checklistIdsOf, FRAMEWORK_NAME, VERBS } from "../../policy-pack/policies/lib/meta";
import * as network from "../../policy-pack/policies/network";
import * as openclawLogging from "../../policy-pack/policies/openclaw-logging";
import * as openclawRbac from "../../policy-pack/policies/openclaw-rbac";
import * as openclawSecrets from "../../policy-pack/policies/openclaw-secrets";
import * as rbac from "../../policy-pack/policies/rbac";
import * as secrets from "../../policy-pack/policies/secrets";
import * as tls from "../../policy-pack/policies/tls";
import * as workload from "../../policy-pack/policies/workload";
import { loadPolicyConfigFile, resolvePolicyConfig } from "../../policy-pack/testing/config";
import { PROJECT_ROOT } from "../harness/program";

const PACK = path.join(PROJECT_ROOT, "policy-pack");
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const FILES = { network, secrets, tls, logging, rbac, workload, ci, "ingress-access": ingressAccess, "openclaw-rbac": openclawRbac, "openclaw-secrets": openclawSecrets, "openclaw-logging": openclawLogging } as const;

describe("the openclaw-checklist policy pack", () => {
    it("names every policy <cloud>-<resource>-<verb>-<what> with a verb from the fixed set, once", () => {
        const names = policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length, "policy names are unique");
        for (const name of names) {
            const parts = name.split("-");
            assert.ok(["aws", "azure", "kubernetes", "any"].includes(parts[0]), name);
            assert.ok(parts.some((p, i) => i >= 2 && (VERBS as readonly string[]).includes(p)), `${name} uses a verb from ${VERBS.join(", ")}`);
        }
    });

    it("exports each policy under the camel-cased form of its name, in the file of its checklist section", () => {
        for (const [file, module] of Object.entries(FILES)) {
            for (const [key, value] of Object.entries(module)) {
                if (value && typeof value === "object" && "name" in value && "description" in value && !Array.isArray(value)) {
                    const policy = value as { name: string; tags?: string[] };
                    assert.strictEqual(key, camel(policy.name), `${file}.ts exports ${policy.name} as ${key}`);
                    const sections = checklistIdsOf(policy).map((id) => CHECKLIST[id].section);
                    // workload.ts holds RBAC-5 pod policies; openclaw-<section>.ts the application layer's; ingress-access.ts
                    // who may reach the public routes (RBAC, network and logging ids).
                    const allowed = file === "workload" ? ["rbac"] : file === "ingress-access" ? ["rbac", "network", "logging"] : [file.replace(/^openclaw-/, "")];
                    assert.ok(sections.some((s) => allowed.includes(s)), `${policy.name} in ${file}.ts carries an id of ${allowed.join(" or ")} (${sections.join(", ")})`);
                }
            }
        }
    });

    it("gives every policy the metadata the runtime shows: description, mandatory level, severity, framework, tags, remediation", () => {
        for (const p of policies) {
            assert.ok(p.description.length > 20, p.name);
            assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
            assert.ok(p.severity, p.name);
            assert.strictEqual(p.framework?.name, FRAMEWORK_NAME, p.name);
            assert.ok(checklistIdsOf(p).length > 0, `${p.name} carries a checklist id`);
            assert.ok((p.remediationSteps ?? "").length > 10, p.name);
        }
    });

    it("has at least one policy for every checklist id", () => {
        for (const id of CHECKLIST_IDS) {
            assert.ok(policies.some((p) => checklistIdsOf(p).includes(id)), id);
        }
    });

    it("has a spec (compliant, failing and unknown fixtures) for every policy", () => {
        const specs = fs
            .readdirSync(__dirname)
            .filter((f) => f.endsWith(".test.ts"))
            .map((f) => fs.readFileSync(path.join(__dirname, f), "utf8"))
            .join("\n");
        for (const p of policies) {
            assert.ok(new RegExp(`describePolicy\\(\\w+\\.${camel(p.name)},`).test(specs), `${p.name} has a describePolicy spec`);
        }
    });

    it("accepts both example configs against the policies' schemas, and the SOC 2 one raises retention to 365 days", () => {
        for (const file of ["policy-config.default.json", "policy-config.soc2.json"]) {
            const resolved = resolvePolicyConfig(policies, loadPolicyConfigFile(path.join(PACK, file)), "advisory");
            assert.ok([...resolved.values()].every((c) => c.enforcementLevel === "mandatory"), file);
        }
        const soc2 = resolvePolicyConfig(policies, loadPolicyConfigFile(path.join(PACK, "policy-config.soc2.json")), "advisory");
        for (const [name, c] of soc2) {
            if ("minRetentionDays" in c.properties) {
                assert.strictEqual(c.properties.minRetentionDays, 365, name);
            }
        }
    });

    it("is an installable pack: PulumiPolicy.yaml, a versioned package.json, and an index.ts that only constructs the PolicyPack", () => {
        const manifest = YAML.parse(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8")) as { runtime: string; name: string };
        assert.strictEqual(manifest.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        assert.ok(pkg.dependencies["@pulumi/policy"]);
        const index = fs.readFileSync(path.join(PACK, "index.ts"), "utf8");
        assert.match(index, /new PolicyPack\("openclaw-checklist", \{/);
        assert.strictEqual((index.match(/^new /gm) ?? []).length, 1);
        assert.ok(!/^export /m.test(index), "index.ts exports nothing: tests import policies/index.ts");
    });
});
