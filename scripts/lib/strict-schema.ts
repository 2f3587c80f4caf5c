// Validates Kubernetes objects with kubernetes-models' compiled schemas, strictly: unknown fields are errors too.
//
// kubernetes-models' validators ignore properties their schema does not declare. They do, however, read every
// declared property of every object they check, and enumerate the keys of free-form maps. So the object is wrapped
// in Proxies that record those reads: a key the validator never read, in an object whose declared properties it
// did read and whose keys it never enumerated, is a field the schema does not know.
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";

/** One problem: a schema violation, or a field the schema does not declare. */
export interface SchemaProblem {
    readonly path: string;
    readonly message: string;
}

interface AjvError {
    instancePath: string;
    message?: string;
    keyword: string;
    params: unknown;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** Not every model package exports its `_schemas`; they are loaded by file path from the project's node_modules. */
const NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");

/** Where the compiled schema of each API group/version lives; the file name is this prefix plus the kind. */
const SCHEMA_PREFIX: Readonly<Record<string, string>> = {
    v1: "kubernetes-models/_schemas/IoK8sApiCoreV1",
    "apps/v1": "kubernetes-models/_schemas/IoK8sApiAppsV1",
    "batch/v1": "kubernetes-models/_schemas/IoK8sApiBatchV1",
    "networking.k8s.io/v1": "kubernetes-models/_schemas/IoK8sApiNetworkingV1",
    "rbac.authorization.k8s.io/v1": "kubernetes-models/_schemas/IoK8sApiRbacV1",
    "policy/v1": "kubernetes-models/_schemas/IoK8sApiPolicyV1",
    // Kinds charts render beside their workloads (charts:render checks them too).
    "admissionregistration.k8s.io/v1": "kubernetes-models/_schemas/IoK8sApiAdmissionregistrationV1",
    "apiextensions.k8s.io/v1": "kubernetes-models/_schemas/IoK8sApiextensionsApiserverPkgApisApiextensionsV1",
    "autoscaling/v2": "kubernetes-models/_schemas/IoK8sApiAutoscalingV2",
    "coordination.k8s.io/v1": "kubernetes-models/_schemas/IoK8sApiCoordinationV1",
    "scheduling.k8s.io/v1": "kubernetes-models/_schemas/IoK8sApiSchedulingV1",
    "gateway.networking.k8s.io/v1": "@kubernetes-models/gateway-api/_schemas/IoK8sSigsGatewayApiApisV1",
    "cert-manager.io/v1": "@kubernetes-models/cert-manager/_schemas/ComGithubCertManagerCertManagerPkgApisCertmanagerV1",
    "external-secrets.io/v1": "@kubernetes-models/external-secrets/_schemas/ComGithubExternalSecretsExternalSecretsApisExternalsecretsV1",
};

/** API groups this project uses that have no model package; objects in them cannot be validated here. */
export const UNMODELLED_API_VERSIONS: readonly string[] = ["gateway.envoyproxy.io/v1alpha1"];

/**
 * Parts of an object whose unknown fields are not reported (schema errors there still are). A CRD's versions hold
 * a JSON Schema and printer columns whose `description` and nested keywords the compiled validators never read
 * (kubernetes-models' JSONSchemaProps is not recursive), so the read-tracking above would report valid keywords.
 */
const OPEN_SUBTREES: Readonly<Record<string, RegExp>> = {
    "apiextensions.k8s.io/v1 CustomResourceDefinition": /^\/spec\/versions\/\d+\//,
};

const validators = new Map<string, Promise<Validator>>();

/** Loads a compiled validator by its module path (ESM-only packages, hence the dynamic import). */
export function loadValidator(modulePath: string): Promise<Validator> {
    let v = validators.get(modulePath);
    if (v === undefined) {
        const file = pathToFileURL(path.join(NODE_MODULES, `${modulePath}.js`)).href;
        v = (import(file) as Promise<{ validate: Validator }>).then((m) => m.validate);
        validators.set(modulePath, v);
    }
    return v;
}

/** The validator module for an object's apiVersion and kind, or undefined when no model package covers it. */
export function schemaModuleFor(apiVersion: string, kind: string): string | undefined {
    const prefix = SCHEMA_PREFIX[apiVersion];
    return prefix === undefined ? undefined : `${prefix}${kind}`;
}

interface Visit {
    readonly path: string;
    readonly read: Set<string>;
    enumerated: boolean;
}

function track(value: unknown, path: string, visits: Map<object, Visit>): unknown {
    if (value === null || typeof value !== "object") {
        return value;
    }
    const visit: Visit = visits.get(value) ?? { path, read: new Set(), enumerated: false };
    visits.set(value, visit);
    return new Proxy(value, {
        get(target, key, receiver) {
            const child = Reflect.get(target, key, receiver) as unknown;
            if (typeof key !== "string") {
                return child;
            }
            visit.read.add(key);
            return Object.prototype.hasOwnProperty.call(target, key) ? track(child, `${path}/${key}`, visits) : child;
        },
        has(target, key) {
            if (typeof key === "string") {
                visit.read.add(key);
            }
            return Reflect.has(target, key);
        },
        ownKeys(target) {
            visit.enumerated = true;
            return Reflect.ownKeys(target);
        },
    });
}

/** Validates `data` with `validate`, returning schema errors plus every undeclared field. */
export function validateStrictWith(validate: Validator, data: unknown, openSubtree?: RegExp): SchemaProblem[] {
    // A deep copy, so the Proxies never see Pulumi's own objects.
    const copy = JSON.parse(JSON.stringify(data)) as unknown;
    const visits = new Map<object, Visit>();
    const problems: SchemaProblem[] = [];
    if (!validate(track(copy, "", visits))) {
        for (const e of validate.errors ?? []) {
            problems.push({ path: e.instancePath || "/", message: `${e.keyword}: ${e.message ?? JSON.stringify(e.params)}` });
        }
    }
    for (const [object, visit] of visits) {
        if (Array.isArray(object) || visit.enumerated || visit.read.size === 0 || openSubtree?.test(visit.path)) {
            continue;
        }
        for (const key of Object.keys(object)) {
            if (!visit.read.has(key)) {
                problems.push({ path: `${visit.path}/${key}`, message: "unknown field: the schema does not declare it" });
            }
        }
    }
    return problems;
}

/** Strictly validates one Kubernetes object; undefined when no model package covers its API group and kind. */
export async function validateObjectStrict(o: { apiVersion: string; kind: string }): Promise<SchemaProblem[] | undefined> {
    const modulePath = schemaModuleFor(o.apiVersion, o.kind);
    // A kind the model package does not ship (a `v1 List`, a kind newer than the package) is not validated either.
    if (modulePath === undefined || !fs.existsSync(path.join(NODE_MODULES, `${modulePath}.js`))) {
        return undefined;
    }
    return validateStrictWith(await loadValidator(modulePath), o, OPEN_SUBTREES[`${o.apiVersion} ${o.kind}`]);
}
