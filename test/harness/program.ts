// Runs the Pulumi program (or any function that registers resources) under recording mocks, from a stack file.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { CONFIG_NAMESPACE, decodeConfigValue, SECRET_KEYS } from "../../config/read";
import { invokeAnswer } from "./invokes";
import { mockState } from "./state";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const PROJECT_NAME = "openclaw";

/** One resource the program registered, as the engine received it. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Inputs with secrets unwrapped to plain values (see `secretPaths`). */
    readonly inputs: Record<string, unknown>;
    /** Top-level input names that were Pulumi secrets when registered. */
    readonly secretInputs: readonly string[];
    /** Dotted paths of every input value that was a Pulumi secret, nested ones included (`properties.value`). */
    readonly secretPaths: readonly string[];
    /** The state the mocks answered with (inputs plus invented outputs such as ids and ARNs). */
    readonly state: Record<string, unknown>;
    readonly custom: boolean;
    readonly parent?: string;
    readonly provider?: string;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    /** The `retainOnDelete` resource option (`pulumi destroy` leaves the resource in the cloud). */
    readonly retainOnDelete: boolean;
    /** The `ignoreChanges` resource option. */
    readonly ignoreChanges: readonly string[];
}

export interface RecordedInvoke {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
}

export interface ProgramRun {
    readonly resources: readonly RecordedResource[];
    readonly invokes: readonly RecordedInvoke[];
    /** Stack outputs with secrets unwrapped; `secretOutputs` names the ones that were secret. */
    readonly outputs: Record<string, unknown>;
    readonly secretOutputs: readonly string[];
}

/** Fake model-provider keys the tests set; recognisable so a leak is easy to find. */
export const FAKE_SECRETS: Readonly<Record<string, string>> = {
    anthropicApiKey: "sk-ant-FAKE-KEY-0000-must-never-leak",
    openaiApiKey: "sk-FAKE-OPENAI-KEY-0000-must-never-leak",
};

/** A fake OIDC client secret (`openclaw:identityClientSecret`); IdP client secrets have no recognisable shape. */
export const FAKE_IDENTITY_CLIENT_SECRET = "FAKE-OIDC-CLIENT-SECRET-0000-must-never-leak";

/** The secrets every run gets unless told otherwise: one model key and the OIDC client secret the stacks' identity needs. */
const DEFAULT_SECRETS: Readonly<Record<string, string>> = {
    anthropicApiKey: FAKE_SECRETS.anthropicApiKey,
    identityClientSecret: FAKE_IDENTITY_CLIENT_SECRET,
};

export interface RunOptions {
    /** `Pulumi.<stack>.yaml` at the project root; its `openclaw:` values become the config. */
    readonly stack?: string;
    /** A stack file elsewhere to read instead of `Pulumi.<stack>.yaml` (the real-engine suite's own stack). */
    readonly stackFile?: string;
    /** Raw `openclaw:` values (without namespace) that replace or add to the stack file's; `undefined` removes a key. */
    readonly config?: Readonly<Record<string, unknown>>;
    /** Config of other namespaces (`aws:region`, `azure-native:location`), full keys, replacing the stack file's. */
    readonly providerConfig?: Readonly<Record<string, string>>;
    /** Secret `openclaw:` values. Defaults to FAKE_SECRETS' anthropic key and OIDC client secret. */
    readonly secrets?: Readonly<Record<string, string>>;
    /** Other `openclaw:` keys (without namespace) stored as secrets, as `pulumi config set --secret` would. */
    readonly secretKeys?: readonly string[];
    /** The directory holding `Pulumi.<stack>.yaml`; defaults to the project root. */
    readonly stackDir?: string;
    /** Run as `pulumi preview` (true) or `pulumi up` (false, the default). */
    readonly preview?: boolean;
    /** What to run; defaults to the program in index.ts. Its resolved return value becomes the stack outputs. */
    readonly program?: () => unknown;
}

/** The stack file of `stack` in `dir` (the project root by default). */
export function stackFileOf(stack: string, dir: string = PROJECT_ROOT): string {
    return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** Reads a stack file's config (`Pulumi.<stack>.yaml`, or `file`) into Pulumi's flat `ns:key` → string form. */
export function readStackConfig(stack: string, file = stackFileOf(stack)): Record<string, string> {
    if (!fs.existsSync(file)) {
        const dir = path.dirname(file);
        const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)) : [];
        throw new Error(`no stack file ${path.relative(process.cwd(), file) || file} for stack "${stack}"; present: ${present.join(", ") || "none"} (create one with \`pulumi stack init ${stack}\`, or pass --stack <name>)`);
    }
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        flat[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return flat;
}

/**
 * The `openclaw:` namespace of a stack file as Pulumi hands it to the program (keys without the namespace, values
 * as stored strings), plus one fake provider key; an override set to undefined removes its key.
 */
export function rawNamespaceConfig(stack: string, overrides: Readonly<Record<string, unknown>> = {}): Record<string, string> {
    const raw: Record<string, string> = { ...DEFAULT_SECRETS, ...namespaceOf(stack) };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete raw[key];
        } else {
            raw[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return raw;
}

/** The raw `openclaw:` values of a stack file, keys without the namespace, values decoded. */
export function stackValues(stack: string): Record<string, unknown> {
    return Object.fromEntries(Object.entries(namespaceOf(stack)).map(([key, value]) => [key, decodeConfigValue(value)]));
}

/** A stack file's `openclaw:` values as stored strings, keys without the namespace. */
function namespaceOf(stack: string): Record<string, string> {
    const prefix = `${CONFIG_NAMESPACE}:`;
    return Object.fromEntries(
        Object.entries(readStackConfig(stack))
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
}

interface MonitorRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getProtect(): boolean;
    getRetainondelete(): boolean | undefined;
    getIgnorechangesList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface MockMonitorLike {
    registerResource(req: MonitorRequest, callback: (err: unknown, response: { getUrn(): string } | undefined) => void): Promise<void>;
}

/** Runs the program under mocks and returns every resource it registered. Throws what the program throws. */
export async function runProgram(options: RunOptions = {}): Promise<ProgramRun> {
    const stack = options.stack ?? "dev";
    const flat = readStackConfig(stack, options.stackFile ?? stackFileOf(stack, options.stackDir));
    for (const [key, value] of Object.entries(options.config ?? {})) {
        const fullKey = `${CONFIG_NAMESPACE}:${key}`;
        if (value === undefined) {
            delete flat[fullKey];
        } else {
            flat[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    Object.assign(flat, options.providerConfig ?? {});
    const requested = options.secrets ?? DEFAULT_SECRETS;
    // A key the overrides set to undefined is removed, secrets included.
    const secrets = Object.fromEntries(Object.entries(requested).filter(([key]) => !(options.config && key in options.config && options.config[key] === undefined)));
    for (const [key, value] of Object.entries(secrets)) {
        flat[`${CONFIG_NAMESPACE}:${key}`] = value;
    }
    const secretKeys = Object.keys(secrets).map((k) => `${CONFIG_NAMESPACE}:${k}`);
    for (const key of secretKeys) {
        if (!SECRET_KEYS.includes(key.slice(CONFIG_NAMESPACE.length + 1))) {
            throw new Error(`harness: ${key} is not a secret key of the program`);
        }
    }
    secretKeys.push(...(options.secretKeys ?? []).map((k) => `${CONFIG_NAMESPACE}:${k}`));

    const resources: RecordedResource[] = [];
    const invokes: RecordedInvoke[] = [];
    let lastRegistered: { inputs: Record<string, unknown>; state: Record<string, unknown>; custom: boolean } | undefined;

    const takeLastRegistered = () => lastRegistered;

    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                // The mock's deserialization keeps some secrets wrapped (a secret nested in an object); unwrap them all
                // so `inputs` holds plain values and `secretPaths` alone says what was secret.
                const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
                const state = mockState(args.type, args.name, inputs, flat);
                lastRegistered = { inputs, state, custom: args.custom ?? false };
                return { id: args.custom ? `${args.name}-id` : undefined, state };
            },
            call(args) {
                invokes.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
                return invokeAnswer(args.token, args.inputs as Record<string, unknown>, flat);
            },
        },
        PROJECT_NAME,
        stack,
        options.preview ?? false,
    );
    pulumi.runtime.setAllConfig(flat, secretKeys);

    // The mock monitor passes neither parents, dependencies nor options to `newResource`: read them off the
    // request. `newResource` runs synchronously inside `registerResource`, before its first await.
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value, key) => {
            propertyDependencies[key] = value.getUrnsList();
        });
        const secretPaths = secretPathsOf(req.getObject()?.toJavaScript() ?? {});
        const secretInputs = secretPaths.filter((p) => !p.includes("."));
        lastRegistered = undefined;
        const done = register(req, (err, response) => {
            if (!err && response && registered) {
                resources.push({
                    urn: response.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    ...registered,
                    secretInputs,
                    secretPaths,
                    parent: req.getParent() || undefined,
                    provider: req.getProvider() || undefined,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    protect: req.getProtect(),
                    retainOnDelete: req.getRetainondelete() ?? false,
                    ignoreChanges: req.getIgnorechangesList(),
                });
            }
            callback(err, response);
        });
        // Read through a function: control flow analysis would otherwise narrow it to the `undefined` set above.
        const registered = takeLastRegistered();
        return done;
    };

    const program = options.program ?? (loadProgram() as () => unknown);
    let rawOutputs: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            rawOutputs = await program();
            return rawOutputs;
        });
    } catch (err) {
        await waitForRegistrations();
        throw new ProgramFailure(err, resources);
    }
    await waitForRegistrations();

    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [key, value] of Object.entries((rawOutputs ?? {}) as Record<string, unknown>)) {
        const { value: plain, secret } = await unwrap(value);
        outputs[key] = plain;
        if (secret) {
            secretOutputs.push(key);
        }
    }
    return { resources, invokes, outputs, secretOutputs };
}

/** The value with every serialized secret wrapper replaced by the value it wraps. */
function unwrapSecrets(value: unknown): unknown {
    if (isSecretValue(value)) {
        return unwrapSecrets((value as Record<string, unknown>).value);
    }
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, unwrapSecrets(child)]));
    }
    return value;
}

/** Dotted paths of the values that are Pulumi secrets in a serialized property object. */
function secretPathsOf(value: unknown, at = ""): string[] {
    if (isSecretValue(value)) {
        return [at];
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, child]) => secretPathsOf(child, at ? `${at}.${key}` : key));
    }
    return [];
}

function isSecretValue(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
    );
}

/** What a failing program threw, with the resources it had registered by then. */
export class ProgramFailure extends Error {
    constructor(
        readonly cause: unknown,
        readonly resources: readonly RecordedResource[],
    ) {
        super(cause instanceof Error ? cause.message : String(cause));
        this.name = "ProgramFailure";
    }
}

function waitForRegistrations(): Promise<void> {
    // The settings module's `waitForRPCs` is internal (not in the .d.ts) but is what the language host awaits too.
    return (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

function loadProgram(): unknown {
    // index.ts uses `export =`, so require gives the program function itself.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(PROJECT_ROOT, "index"));
}

/** Resolves an output value fully, reporting whether any part of it was secret. */
export async function unwrap(value: unknown): Promise<{ value: unknown; secret: boolean }> {
    const output = pulumi.output(value);
    const secret = await (output as unknown as { isSecret: Promise<boolean> }).isSecret;
    // `promise` is internal to Output; it resolves even when the value is unknown (during preview).
    const resolved = await (output as unknown as { promise(withUnknowns: boolean): Promise<unknown> }).promise(true);
    return { value: resolved, secret };
}
