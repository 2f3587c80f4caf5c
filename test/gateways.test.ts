// A gateway per team (issue 15 item 5): both example stacks with two more gateways, checked on the recorded
// resources for what the isolation rests on (NetworkPolicies, Kubernetes RBAC, cloud grants, External Secrets and
// the vault, routes and sign-on), and that adding gateways renames or replaces nothing the stack already has.
import * as assert from "assert";
import { exampleRun, type ExampleStack } from "./harness/examples";
import { gatewaysRun, TEAMS } from "./harness/gateways";
import type { ProgramRun, RecordedResource } from "./harness/program";
import { kubernetesObjects, namespaceOf, nameOf, objectsOfKind, type KubernetesObject } from "./kubernetes/layer-run";

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v ?? {}) as Obj;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Each gateway as the test expects it: namespaces as config/gateways.ts documents them (`openclaw-<name>` unless set). */
const GATEWAYS = [
    { name: "default", namespace: "openclaw", sandbox: "openclaw-sandbox", hostname: "openclaw.example.com" },
    { name: "research", namespace: "openclaw-research", sandbox: "openclaw-research-sandbox", hostname: "research.openclaw.example.com" },
    { name: "finance", namespace: "openclaw-fin", sandbox: "openclaw-fin-sandbox", hostname: "finance.openclaw.example.com" },
] as const;
const namespacesOf = (g: (typeof GATEWAYS)[number]): string[] => [g.namespace, g.sandbox];
const others = (g: (typeof GATEWAYS)[number]): string[] => GATEWAYS.filter((x) => x !== g).flatMap(namespacesOf);

function teamGroups(stack: ExampleStack, name: string): string[] {
    const team = TEAMS[stack].find((t) => t.name === name);
    return Object.values(o(team?.groups)).flatMap((list) => list as string[]);
}

/** A route whose every rule is a RequestRedirect to https and forwards nowhere. */
function onlyRedirects(route: KubernetesObject): boolean {
    const rules = arr(o(route.spec).rules);
    return rules.length > 0 && rules.every((r) => arr(r.backendRefs).length === 0 && arr(r.filters).some((f) => f.type === "RequestRedirect" && o(f.requestRedirect).scheme === "https"));
}

const PROVIDER = { dev: "aws", "dev-azure": "azure" } as const;

for (const stack of ["dev", "dev-azure"] as const) {
    describe(`three gateways on the ${stack} example stack`, function () {
        this.timeout(300_000);
        let run: ProgramRun;
        let single: ProgramRun;
        before(async () => {
            single = await exampleRun(stack);
            run = await gatewaysRun(stack);
        });

        it("keeps every resource of the one-gateway stack under the same URN and the same cloud and Kubernetes names", () => {
            const names = (r: RecordedResource) => {
                const md = o(r.inputs.metadata);
                return JSON.stringify([r.inputs.name, r.inputs.secretName, r.inputs.roleName, md.name, md.namespace, r.inputs.resourceName, r.inputs.vaultName, r.inputs.accountName]);
            };
            const after = new Map(run.resources.map((r) => [r.urn, names(r)]));
            const missing = single.resources.filter((r) => !after.has(r.urn)).map((r) => r.urn);
            assert.deepStrictEqual(missing, [], "no resource of the existing stack is dropped or renamed");
            const renamed = single.resources.filter((r) => after.get(r.urn) !== names(r)).map((r) => r.urn);
            assert.deepStrictEqual(renamed, [], "no physical name changes");
        });

        it("gives each gateway its own namespaces, each denying all traffic but DNS by default", () => {
            const namespaces = objectsOfKind(run, "Namespace").map(nameOf);
            for (const g of GATEWAYS) {
                for (const ns of namespacesOf(g)) {
                    assert.ok(namespaces.includes(ns), ns);
                    const policies = objectsOfKind(run, "NetworkPolicy").filter((p) => namespaceOf(p) === ns).map(nameOf);
                    assert.ok(policies.includes("default-deny-all") && policies.includes("allow-dns"), `${ns}: ${policies.join(", ")}`);
                }
            }
        });

        it("NetworkPolicies: no gateway namespace admits traffic from another gateway's namespace, and egress skips the pod ranges", () => {
            for (const g of GATEWAYS) {
                for (const policy of objectsOfKind(run, "NetworkPolicy").filter((p) => namespacesOf(g).includes(namespaceOf(p)))) {
                    for (const rule of arr(o(policy.spec).ingress)) {
                        for (const peer of arr(rule.from)) {
                            const selector = o(o(peer.namespaceSelector).matchLabels);
                            // A peer is either the ingress proxies' namespace, by name, or an IP block; never all namespaces.
                            assert.ok(peer.ipBlock !== undefined || selector["kubernetes.io/metadata.name"] === "envoy-gateway-system", `${namespaceOf(policy)}/${nameOf(policy)} admits ${JSON.stringify(peer)}`);
                            assert.ok(!others(g).includes(String(selector["kubernetes.io/metadata.name"])));
                        }
                    }
                    for (const rule of arr(o(policy.spec).egress)) {
                        for (const peer of arr(rule.to)) {
                            if (peer.namespaceSelector !== undefined) {
                                // Only cluster DNS (allow-dns), never another namespace of the cluster.
                                assert.deepStrictEqual(o(peer.namespaceSelector).matchLabels, { "kubernetes.io/metadata.name": "kube-system" }, `${namespaceOf(policy)}/${nameOf(policy)}`);
                            }
                            const block = o(peer.ipBlock);
                            if (block.cidr === "0.0.0.0/0") {
                                // Pods of every namespace take addresses inside the platform's private ranges, excluded here.
                                const except = (block.except ?? []) as string[];
                                assert.ok(except.some((c) => c === (stack === "dev" ? "10.20.0.0/16" : "100.64.0.0/16")), `${nameOf(policy)} except ${except.join(",")}`);
                            }
                        }
                    }
                }
            }
        });

        it("the proxies merge onto one fleet, and each gateway's pods admit only the proxies of the ingress namespace", () => {
            const envoyProxy = objectsOfKind(run, "EnvoyProxy")[0];
            assert.strictEqual(o(envoyProxy.spec).mergeGateways, true);
            assert.strictEqual(o(objectsOfKind(single, "EnvoyProxy")[0].spec).mergeGateways, undefined, "one gateway: unchanged");
            for (const g of GATEWAYS) {
                const [allow] = objectsOfKind(run, "NetworkPolicy").filter((p) => namespaceOf(p) === g.namespace && nameOf(p) === "allow-ingress-from-envoy");
                const from = arr(arr(o(allow.spec).ingress)[0].from)[0];
                // Envoy Gateway labels merged proxies with their GatewayClass (internal/gatewayapi OwningGatewayClassLabel).
                assert.ok(o(o(from.podSelector).matchLabels)["gateway.envoyproxy.io/owning-gatewayclass"] !== undefined, g.namespace);
            }
        });

        it("Kubernetes RBAC: a team's groups are bound only by RoleBindings in its own namespaces, and no other group there", () => {
            const bindings = [...objectsOfKind(run, "RoleBinding"), ...objectsOfKind(run, "ClusterRoleBinding")];
            const subjectsOf = (b: KubernetesObject) => arr(b.subjects).map((s) => String(s.name));
            for (const g of GATEWAYS.slice(1)) {
                const kubernetesGroups = new Set(bindings.filter((b) => namespacesOf(g).includes(namespaceOf(b))).flatMap(subjectsOf));
                assert.ok(kubernetesGroups.size > 0, `${g.name} has bindings`);
                for (const b of bindings) {
                    const shared = subjectsOf(b).filter((s) => kubernetesGroups.has(s));
                    if (shared.length > 0) {
                        assert.strictEqual(b.kind, "RoleBinding", `${nameOf(b)} binds ${shared.join(", ")} cluster-wide`);
                        assert.ok(namespacesOf(g).includes(namespaceOf(b)), `${nameOf(b)} in ${namespaceOf(b)} binds ${g.name}'s groups`);
                    }
                }
            }
            // The stack's own groups (the first gateway's people and the platform admins) get no binding in a team namespace.
            const stackGroups = new Set(bindings.filter((b) => namespaceOf(b) === "openclaw").flatMap(subjectsOf));
            for (const b of bindings.filter((x) => others(GATEWAYS[0]).includes(namespaceOf(x)))) {
                assert.deepStrictEqual(subjectsOf(b).filter((s) => stackGroups.has(s)), [], `${namespaceOf(b)}/${nameOf(b)}`);
            }
        });

        if (PROVIDER[stack] === "aws") {
            it("AWS: each team role's access entry carries its own Kubernetes group, its access policy scoped to its namespaces only", () => {
                const associations = run.resources.filter((r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation" && /-access-(research|finance)-/.test(r.name));
                assert.ok(associations.length >= 4);
                for (const a of associations) {
                    const g = GATEWAYS.find((x) => a.name.includes(`-access-${x.name}-`));
                    assert.ok(g);
                    const scope = o(a.inputs.accessScope);
                    assert.strictEqual(scope.type, "namespace", a.name);
                    assert.deepStrictEqual((scope.namespaces as string[]).filter((n) => !namespacesOf(g).includes(n)), [], a.name);
                    // No Edit or Admin access policy on a namespace holding a runtime Secret (the gateway namespace itself).
                    if (/AmazonEKS(Edit|Admin)Policy$/.test(String(a.inputs.policyArn))) {
                        assert.ok(!(scope.namespaces as string[]).includes(g.namespace), a.name);
                    }
                }
                const entries = run.resources.filter((r) => r.type === "aws:eks/accessEntry:AccessEntry" && /-access-(research|finance)-/.test(r.name));
                for (const e of entries) {
                    const name = /-access-(research|finance)-/.exec(e.name)?.[1];
                    assert.ok((e.inputs.kubernetesGroups as string[]).every((k) => k.startsWith(`openclaw:${name}:`)), e.name);
                }
                // Each team role is assumed only by that team's SSO roles.
                for (const role of run.resources.filter((r) => r.type === "aws:iam/role:Role" && /-access-(research|finance)-/.test(r.name))) {
                    const name = /-access-(research|finance)-/.exec(role.name)?.[1] ?? "";
                    const trusted = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.ArnEquals["aws:PrincipalArn"] as string[];
                    assert.deepStrictEqual(trusted.filter((arn) => !teamGroups(stack, name).includes(arn)), [], role.name);
                }
            });
        } else {
            it("Azure: each team group's AKS roles apply to its own namespaces (or only fetch a kubeconfig on the cluster)", () => {
                const assignments = run.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
                for (const g of GATEWAYS.slice(1)) {
                    const ids = teamGroups(stack, g.name);
                    const mine = assignments.filter((a) => ids.includes(String(a.inputs.principalId)));
                    assert.ok(mine.length > 0, g.name);
                    for (const a of mine) {
                        const scope = String(a.inputs.scope);
                        const ns = /\/namespaces\/([^/]+)$/.exec(scope)?.[1];
                        if (ns === undefined) {
                            // Azure Kubernetes Service Cluster User Role (learn.microsoft.com built-in roles: 4abbcc35-e782-43d8-92c5-2d3f1bd2253f).
                            assert.match(String(a.inputs.roleDefinitionId), /4abbcc35-e782-43d8-92c5-2d3f1bd2253f$/, `${a.name} on ${scope}`);
                        } else {
                            assert.ok(namespacesOf(g).includes(ns), `${a.name} on namespace ${ns}`);
                        }
                    }
                }
            });
        }

        it("External Secrets: each gateway reads its own token, and its namespace's admission policy admits only its own vault keys", () => {
            const tokens = new Map<string, string>();
            for (const g of GATEWAYS) {
                const [runtime] = objectsOfKind(run, "ExternalSecret").filter((e) => namespaceOf(e) === g.namespace && nameOf(e) === "openclaw-secrets");
                const data = arr(o(runtime.spec).data);
                // The gateway's vault secret: OPENCLAW_GATEWAY_PASSWORD under single sign-on (the break-glass password;
                // OpenClaw refuses a token with trusted-proxy auth), OPENCLAW_GATEWAY_TOKEN under allowSharedTokenAuth.
                const token = String(o(data.find((d) => d.secretKey === "OPENCLAW_GATEWAY_PASSWORD" || d.secretKey === "OPENCLAW_GATEWAY_TOKEN")?.remoteRef).key);
                tokens.set(g.name, token);
            }
            assert.strictEqual(new Set(tokens.values()).size, GATEWAYS.length, `one vault entry per gateway: ${[...tokens.values()].join(", ")}`);
            for (const g of GATEWAYS) {
                const policy = objectsOfKind(run, "ValidatingAdmissionPolicy").find((p) => nameOf(p) === `openclaw-vault-keys-${g.namespace}`);
                assert.ok(policy, g.namespace);
                const binding = objectsOfKind(run, "ValidatingAdmissionPolicyBinding").find((b) => nameOf(b) === `openclaw-vault-keys-${g.namespace}`);
                assert.deepStrictEqual(o(o(o(binding?.spec).matchResources).namespaceSelector).matchLabels, { "kubernetes.io/metadata.name": g.namespace });
                assert.deepStrictEqual(o(binding?.spec).validationActions, ["Deny"]);
                const expressions = arr(o(policy.spec).validations).map((v) => String(v.expression)).join("\n");
                assert.ok(expressions.includes(`'${tokens.get(g.name)}'`), `${g.name} may read its token`);
                for (const other of GATEWAYS.filter((x) => x !== g)) {
                    assert.ok(!expressions.includes(`'${tokens.get(other.name)}'`), `${g.name} may not read ${other.name}'s token`);
                }
                assert.match(expressions, /!has\(object\.spec\.dataFrom\)/);
                assert.match(expressions, /!has\(d\.sourceRef\)/);
                // Every ExternalSecret the program puts in the namespace passes its own policy's key list.
                for (const es of objectsOfKind(run, "ExternalSecret").filter((e) => namespaceOf(e) === g.namespace)) {
                    for (const d of arr(o(es.spec).data)) {
                        assert.ok(expressions.includes(`'${String(o(d.remoteRef).key)}'`), `${g.namespace}/${nameOf(es)} reads ${String(o(d.remoteRef).key)}`);
                    }
                }
            }
        });

        it("the vault: each further gateway's token is its own entry with its own rotation", () => {
            if (PROVIDER[stack] === "aws") {
                const rotations = run.resources.filter((r) => r.type === "aws:secretsmanager/secretRotation:SecretRotation" && /gateway-token/.test(r.name)).map((r) => r.name).sort();
                assert.deepStrictEqual(rotations, ["openclaw-secrets-gateway-token", "openclaw-secrets-gateway-token-finance", "openclaw-secrets-gateway-token-research"]);
                // External Secrets' identity may read each new token (it is in the controller's policy).
                const policy = String(run.resources.find((r) => r.name === "openclaw-workloads-external-secrets-policy")?.inputs.policy);
                for (const team of ["research", "finance"]) {
                    const token = run.resources.find((r) => r.type === "aws:secretsmanager/secret:Secret" && r.name === `openclaw-secrets-gateway-token-${team}`);
                    assert.strictEqual(token?.inputs.name, `openclaw-dev/gateways/${team}/gateway-token`);
                    assert.ok(policy.includes(String(token?.state.arn)), team);
                }
            } else {
                for (const team of ["research", "finance"]) {
                    const read = run.resources.find((r) => r.name === `openclaw-workload-roles-external-secrets-openclaw-gateway-token-${team}`);
                    assert.match(String(read?.inputs.scope), new RegExp(`/secrets/openclaw-gateway-token-${team}$`), team);
                }
                const jobs = objectsOfKind(run, "CronJob").filter((j) => nameOf(j) === "gateway-token-rotator");
                assert.deepStrictEqual(jobs.map(namespaceOf).sort(), ["openclaw-rotation", "openclaw-rotation-finance", "openclaw-rotation-research"]);
                // Each rotator's identity may write its own token only (Key Vault Secrets Officer on that one secret).
                const officers = run.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && /rotation-(research|finance)-roles/.test(r.name));
                for (const a of officers) {
                    const name = /rotation-(research|finance)-roles/.exec(a.name)?.[1];
                    assert.match(String(a.inputs.scope), new RegExp(`/secrets/openclaw-gateway-token-${name}$`), a.name);
                }
            }
        });

        it("routes: each hostname routes only to its own gateway's Service, behind its own sign-on admitting only its groups", () => {
            for (const g of GATEWAYS) {
                const gateways = objectsOfKind(run, "Gateway").filter((x) => namespaceOf(x) === g.namespace);
                assert.strictEqual(gateways.length, 1);
                for (const listener of arr(o(gateways[0].spec).listeners)) {
                    // The plain-HTTP listener is the first gateway's alone and has no hostname (see the port-80 test).
                    assert.strictEqual(listener.hostname, listener.protocol === "HTTP" ? undefined : g.hostname);
                    assert.deepStrictEqual(o(o(listener.allowedRoutes).namespaces).from, "Same");
                }
                for (const route of objectsOfKind(run, "HTTPRoute").filter((r) => arr(o(r.spec).hostnames).length > 0 && (o(r.spec).hostnames as string[]).includes(g.hostname))) {
                    if (onlyRedirects(route)) {
                        continue;
                    }
                    assert.strictEqual(namespaceOf(route), g.namespace, `${g.hostname} is routed from ${namespaceOf(route)}`);
                    for (const rule of arr(o(route.spec).rules)) {
                        for (const backend of arr(rule.backendRefs)) {
                            assert.strictEqual(backend.namespace ?? g.namespace, g.namespace);
                        }
                    }
                }
                const [policy] = objectsOfKind(run, "SecurityPolicy").filter((p) => namespaceOf(p) === g.namespace);
                const admitted = arr(o(o(policy.spec).authorization).rules).flatMap((r) => arr(o(o(r.principal).jwt).claims)).flatMap((c) => c.values as string[]);
                const expected = g.name === "default" ? undefined : Object.values(o(TEAMS[stack].find((t) => t.name === g.name)?.roleGroups)).flatMap((v) => v as string[]);
                if (expected !== undefined) {
                    assert.deepStrictEqual([...admitted].sort(), [...expected].sort(), `${g.name} admits exactly its groups`);
                }
                for (const other of GATEWAYS.filter((x) => x !== g && x.name !== "default")) {
                    const theirs = Object.values(o(TEAMS[stack].find((t) => t.name === other.name)?.roleGroups)).flatMap((v) => v as string[]);
                    assert.deepStrictEqual(admitted.filter((a) => theirs.includes(a) && !(expected ?? []).includes(a)), [], `${g.name} admits ${other.name}'s groups`);
                }
                assert.strictEqual(o(o(policy.spec).oidc).redirectURL, `https://${g.hostname}/oauth2/callback`);
            }
        });

        it("port 80: one plain-HTTP listener across the merged Gateways, redirecting every hostname with a 301", () => {
            // Envoy Gateway refuses a Gateway-wide ClientTrafficPolicy on a plain-HTTP listener sharing its port with
            // another Gateway's (envoyproxy/gateway internal/gatewayapi/clienttrafficpolicy.go
            // validatePortOverlapForClientTrafficPolicy; TLS listeners are exempt, helpers.go listenersWithSameHTTPPort).
            const plain = objectsOfKind(run, "Gateway").flatMap((gw) => arr(o(gw.spec).listeners).filter((l) => l.protocol !== "HTTPS").map((l) => ({ gw, l })));
            const ports = plain.map(({ l }) => Number(l.port));
            assert.deepStrictEqual(ports, [...new Set(ports)], `plain-HTTP listeners share a port: ${plain.map(({ gw, l }) => `${namespaceOf(gw)}/${nameOf(gw)}/${String(l.name)}:${String(l.port)}`).join(", ")}`);
            assert.deepStrictEqual(plain.map(({ gw, l }) => [namespaceOf(gw), l.port, l.hostname]), [["openclaw", 80, undefined]]);
            const redirects = objectsOfKind(run, "HTTPRoute").filter(onlyRedirects);
            assert.deepStrictEqual(redirects.map((r) => [namespaceOf(r), arr(o(r.spec).parentRefs).map((p) => p.sectionName)]), [["openclaw", ["http"]]]);
            assert.deepStrictEqual([...(o(redirects[0].spec).hostnames as string[])].sort(), GATEWAYS.map((g) => g.hostname).sort());
            // Each gateway's policy still targets its whole Gateway, and the first one's is the only one on port 80.
            assert.deepStrictEqual(objectsOfKind(run, "ClientTrafficPolicy").map(namespaceOf).sort(), GATEWAYS.map((g) => g.namespace).sort());
        });

        it("each gateway has its own state volume, at its own size", () => {
            const claims = objectsOfKind(run, "PersistentVolumeClaim").filter((c) => nameOf(c) === "openclaw-state");
            assert.deepStrictEqual(claims.map((c) => `${namespaceOf(c)}=${String(o(o(o(c.spec).resources).requests).storage)}`).sort(), ["openclaw-fin=10Gi", "openclaw-research=20Gi", "openclaw=10Gi"]);
        });

        it("creates nothing cluster-wide per team except its admission policy", () => {
            const baseline = new Set(kubernetesObjects(single).filter((x) => namespaceOf(x) === "").map((x) => `${x.kind}/${nameOf(x)}`));
            const added = kubernetesObjects(run).filter((x) => namespaceOf(x) === "" && !baseline.has(`${x.kind}/${nameOf(x)}`)).map((x) => `${x.kind}/${nameOf(x)}`);
            assert.deepStrictEqual(added.filter((k) => !/^(Namespace|ValidatingAdmissionPolicy|ValidatingAdmissionPolicyBinding)\//.test(k)), []);
        });
    });
}
