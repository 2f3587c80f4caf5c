// Every Azure name the example stack generates, checked against the pattern and length its REST spec states, and the
// name functions checked for any project and stack name Pulumi accepts. The patterns below are copied from the spec
// files named beside them (Azure/azure-rest-api-specs, the API version @pulumi/azure-native 3.28.0 uses), not from
// components/azure/names.ts.
import * as assert from "assert";
import * as fc from "fast-check";
import * as names from "../../components/azure/names";
import { PROJECT_NAME } from "../harness/program";
import { MOCK_AZURE_SUBSCRIPTION } from "../harness/state-azure";
import { AzureRun, get, runAzure } from "./run";

interface SpecRule {
    readonly kind: names.NamedKind;
    readonly type: string;
    /** Where the name is in the recorded inputs; `[]` marks a list of objects. */
    readonly path: readonly string[];
    /** The pattern exactly as the spec writes it (JSON unescaped). */
    readonly pattern: string;
    readonly min: number;
    readonly max: number;
}

const SPEC: readonly SpecRule[] = [
    // storage/.../Microsoft.Storage/stable/2024-01-01/storage.json #/parameters/ResourceGroupName
    { kind: "resourceGroup", type: "azure-native:resources:ResourceGroup", path: ["resourceGroupName"], pattern: String.raw`^[-\w\._\(\)]+$`, min: 1, max: 90 },
    // keyvault/.../Microsoft.KeyVault/stable/2024-11-01/keyvault.json #/parameters/VaultName
    { kind: "keyVault", type: "azure-native:keyvault:Vault", path: ["vaultName"], pattern: "^[a-zA-Z0-9-]{3,24}$", min: 3, max: 24 },
    // keyvault/.../2024-11-01/keys.json, Keys_CreateIfNotExist keyName
    { kind: "keyVaultKey", type: "azure-native:keyvault:Key", path: ["keyName"], pattern: "^[a-zA-Z0-9-]{1,127}$", min: 1, max: 127 },
    // keyvault/.../2024-11-01/secrets.json, Secrets_CreateOrUpdate secretName
    { kind: "keyVaultSecret", type: "azure-native:keyvault:Secret", path: ["secretName"], pattern: "^[a-zA-Z0-9-]{1,127}$", min: 1, max: 127 },
    // storage/.../2024-01-01/storage.json #/parameters/StorageAccountName (3-24, "numbers and lower-case letters only")
    { kind: "storageAccount", type: "azure-native:storage:StorageAccount", path: ["accountName"], pattern: "^[a-z0-9]+$", min: 3, max: 24 },
    // containerservice/.../aks/stable/2025-09-01/managedClusters.json #/parameters/ResourceNameParameter
    { kind: "managedCluster", type: "azure-native:containerservice:ManagedCluster", path: ["resourceName"], pattern: "^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$", min: 1, max: 63 },
    // same file, #/parameters/AgentPoolNameParameter
    { kind: "agentPool", type: "azure-native:containerservice:ManagedCluster", path: ["agentPoolProfiles", "[]", "name"], pattern: "^[a-z][a-z0-9]{0,11}$", min: 1, max: 12 },
    // a resource group: the ResourceGroupName rule above
    { kind: "nodeResourceGroup", type: "azure-native:containerservice:ManagedCluster", path: ["nodeResourceGroup"], pattern: String.raw`^[-\w\._\(\)]+$`, min: 1, max: 90 },
    // operationalinsights/resource-manager/common/v1/types.json #/parameters/WorkspaceNameParameter
    { kind: "workspace", type: "azure-native:operationalinsights:Workspace", path: ["workspaceName"], pattern: "^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$", min: 4, max: 63 },
    // msi/.../stable/2023-01-31/ManagedIdentity.json #/parameters/FederatedIdentityCredentialResourceNameParameter
    { kind: "federatedIdentityCredential", type: "azure-native:managedidentity:FederatedIdentityCredential", path: ["federatedIdentityCredentialResourceName"], pattern: "^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$", min: 3, max: 120 },
    // dnsresolver/.../preview/2023-07-01-preview/dnsresolverpolicy.json #/parameters/*NameParameter (four of them)
    { kind: "dnsResolverPolicy", type: "azure-native:dnsresolver:DnsResolverPolicy", path: ["dnsResolverPolicyName"], pattern: String.raw`^[a-zA-Z0-9]([a-zA-Z0-9_\-]*[a-zA-Z0-9])?$`, min: 1, max: 80 },
    { kind: "dnsResolverDomainList", type: "azure-native:dnsresolver:DnsResolverDomainList", path: ["dnsResolverDomainListName"], pattern: String.raw`^[a-zA-Z0-9]([a-zA-Z0-9_\-]*[a-zA-Z0-9])?$`, min: 1, max: 80 },
    { kind: "dnsSecurityRule", type: "azure-native:dnsresolver:DnsSecurityRule", path: ["dnsSecurityRuleName"], pattern: String.raw`^[a-zA-Z0-9]([a-zA-Z0-9_\-]*[a-zA-Z0-9])?$`, min: 1, max: 80 },
    { kind: "dnsResolverPolicyVirtualNetworkLink", type: "azure-native:dnsresolver:DnsResolverPolicyVirtualNetworkLink", path: ["dnsResolverPolicyVirtualNetworkLinkName"], pattern: String.raw`^[a-zA-Z0-9]([a-zA-Z0-9_\-]*[a-zA-Z0-9])?$`, min: 1, max: 80 },
    // authorization roleAssignment (2022-04-01): "It can be any valid GUID."
    { kind: "roleAssignment", type: "azure-native:authorization:RoleAssignment", path: ["roleAssignmentName"], pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", min: 36, max: 36 },
    // eventgrid (2025-02-15): "between 3 and 64 characters in length and use alphanumeric letters only"
    { kind: "eventSubscription", type: "azure-native:eventgrid:SystemTopicEventSubscription", path: ["eventSubscriptionName"], pattern: "^[A-Za-z0-9]+$", min: 3, max: 64 },
];

/** The values at a path of the recorded inputs, `[]` fanning out over a list. */
function valuesAt(inputs: unknown, path: readonly string[]): unknown[] {
    if (path.length === 0) {
        return [inputs];
    }
    const [head, ...rest] = path;
    if (head === "[]") {
        return (Array.isArray(inputs) ? inputs : []).flatMap((item) => valuesAt(item, rest));
    }
    const next = (inputs as Record<string, unknown> | undefined)?.[head];
    return next === undefined ? [] : valuesAt(next, rest);
}

const fitsSpec = (rule: SpecRule, name: string) => new RegExp(rule.pattern).test(name) && name.length >= rule.min && name.length <= rule.max;

/** Stack and project names as Pulumi accepts them: letters, digits, `-`, `_`, `.` (pulumi.com/docs/iac/concepts/stacks). */
const pulumiName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,120}$/);

describe("Azure resource names", function () {
    let run: AzureRun;
    before(async function () {
        run = await runAzure();
    });

    it("keeps the same limits as the REST specs in the names table", function () {
        for (const rule of SPEC) {
            const table: names.NameRule = names.NAME_RULES[rule.kind];
            assert.deepStrictEqual([table.type, table.minLength, table.maxLength], [rule.type, rule.min, rule.max], rule.kind);
        }
        assert.deepStrictEqual(Object.keys(names.NAME_RULES).sort(), SPEC.map((r) => r.kind).sort(), "every table entry is checked here");
    });

    for (const rule of SPEC) {
        it(`names every ${rule.kind} explicitly, within the spec's rule`, function () {
            const resources = run.ofType(rule.type);
            assert.ok(resources.length > 0, `the example stack creates no ${rule.type}`);
            for (const resource of resources) {
                const values = valuesAt(resource.inputs, rule.path);
                assert.ok(values.length > 0, `${resource.name} has no explicit ${rule.path.join(".")}: azure-native would invent one`);
                for (const value of values) {
                    assert.ok(typeof value === "string" && fitsSpec(rule, value), `${resource.name}: ${JSON.stringify(value)} does not fit ${rule.pattern} (${rule.min}-${rule.max})`);
                }
            }
        });
    }

    it("derives the globally unique names from subscription, project and stack, stable across runs", async function () {
        const again = await runAzure();
        for (const rule of SPEC) {
            // Registration order varies with the order outputs resolve; the set of names must not.
            const first = run.ofType(rule.type).flatMap((r) => valuesAt(r.inputs, rule.path)).map(String).sort();
            const second = again.ofType(rule.type).flatMap((r) => valuesAt(r.inputs, rule.path)).map(String).sort();
            assert.deepStrictEqual(second, first, rule.kind);
        }
        const seed = { project: PROJECT_NAME, stack: "dev-azure", subscriptionId: MOCK_AZURE_SUBSCRIPTION };
        assert.strictEqual(get(run.one("azure-native:keyvault:Vault"), "vaultName"), names.keyVaultName(seed));
        assert.strictEqual(get(run.one("azure-native:storage:StorageAccount"), "accountName"), names.archiveAccountName(seed));
        assert.strictEqual(get(run.one("azure-native:network:FlowLog"), "flowLogName"), names.flowLogName(seed));
    });

    it("fits every rule for any project and stack name Pulumi accepts, however long", function () {
        const rule = (kind: names.NamedKind) => SPEC.find((r) => r.kind === kind)!;
        fc.assert(fc.property(pulumiName, pulumiName, fc.uuid(), (project, stack, subscriptionId) => {
            const seed = { project, stack, subscriptionId };
            return fitsSpec(rule("resourceGroup"), names.resourceGroupName(seed)) && fitsSpec(rule("nodeResourceGroup"), names.nodeResourceGroupName(seed))
                && fitsSpec(rule("keyVault"), names.keyVaultName(seed)) && fitsSpec(rule("storageAccount"), names.archiveAccountName(seed))
                // Microsoft.Network has no name pattern in its spec; keep the flow log name short and plain.
                && /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/.test(names.flowLogName(seed));
        }), { numRuns: 300 });
    });

    it("gives different stacks and subscriptions different names where Azure wants them unique", function () {
        fc.assert(fc.property(pulumiName, pulumiName, fc.uuid(), fc.uuid(), (stack, other, sub, otherSub) => {
            fc.pre(stack !== other && sub !== otherSub);
            const a = { project: "openclaw", stack, subscriptionId: sub };
            const fns = [names.resourceGroupName, names.keyVaultName, names.archiveAccountName, names.flowLogName];
            return fns.every((f) => f(a) !== f({ ...a, stack: other })) && [names.keyVaultName, names.archiveAccountName].every((f) => f(a) !== f({ ...a, subscriptionId: otherSub }));
        }), { numRuns: 200 });
    });

    it("names a role assignment by what it grants: a GUID, the same for the same grant", function () {
        const guid = new RegExp(SPEC.find((r) => r.kind === "roleAssignment")!.pattern);
        fc.assert(fc.property(fc.string(), fc.uuid(), fc.string(), (scope, principal, role) => {
            const name = names.roleAssignmentName(scope, principal, role);
            return guid.test(name) && name === names.roleAssignmentName(scope, principal, role) && name !== names.roleAssignmentName(`${scope}/x`, principal, role);
        }));
        const recorded = run.ofType("azure-native:authorization:RoleAssignment").map((r) => r.inputs.roleAssignmentName);
        assert.strictEqual(new Set(recorded).size, recorded.length, "two grants share a role assignment name");
    });

    it("reports a name outside its rule", function () {
        assert.deepStrictEqual(names.nameProblems("keyVault", "openclaw-kv-vault3b2f8a1c"), [
            'keyVault name "openclaw-kv-vault3b2f8a1c" has 25 characters; accepted: 3-24',
            'keyVault name "openclaw-kv-vault3b2f8a1c" does not match /^[a-zA-Z0-9-]{3,24}$/',
        ]);
        assert.deepStrictEqual(names.nameProblems("storageAccount", "oclogabc"), []);
    });
});
