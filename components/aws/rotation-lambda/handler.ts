// The Secrets Manager rotation function (SEC-4): the four rotation steps, idempotent, with the version-stage checks AWS documents.
// Shipped transpiled to Lambda (nodejs22.x, whose runtime provides the AWS SDK v3) with ./modes; it may import nothing else.
import { randomBytes } from "node:crypto";
import {
    DescribeSecretCommand,
    GetSecretValueCommand,
    PutSecretValueCommand,
    ResourceNotFoundException,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { ROTATION_MODE_TAG, ROTATION_MODES, RotationMode } from "./modes";

export const ROTATION_STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** The event Secrets Manager invokes the function with. */
export interface RotationEvent {
    readonly SecretId: string;
    readonly ClientRequestToken: string;
    readonly Step: string;
}

/** Length of a generated token in bytes (256 bits), encoded base64url. */
export const TOKEN_BYTES = 32;
const GENERATED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function log(message: string, fields: Record<string, string>): void {
    // Never a secret value: only ids, steps and stages. Lambda ships stdout to the function's log group.
    // eslint-disable-next-line no-console
    console.log(JSON.stringify({ message, ...fields }));
}

function isRotationStep(step: string): step is RotationStep {
    return (ROTATION_STEPS as readonly string[]).includes(step);
}

/** Runs one rotation step against `client`. Throws (so Secrets Manager records a failure) on any inconsistency. */
export async function rotate(client: SecretsManagerClient, event: RotationEvent): Promise<void> {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    if (!isRotationStep(step)) {
        throw new Error(`invalid step ${step}`);
    }
    const metadata = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (!metadata.RotationEnabled) {
        throw new Error(`secret ${secretId} is not enabled for rotation`);
    }
    const stages = metadata.VersionIdsToStages ?? {};
    const tokenStages = stages[token];
    if (tokenStages === undefined) {
        throw new Error(`secret version ${token} has no stage for rotation of secret ${secretId}`);
    }
    if (tokenStages.includes("AWSCURRENT")) {
        log("version is already AWSCURRENT; nothing to do", { secretId, token, step });
        return;
    }
    if (!tokenStages.includes("AWSPENDING")) {
        throw new Error(`secret version ${token} is not set as AWSPENDING for rotation of secret ${secretId}`);
    }
    const mode = rotationMode(metadata.Tags ?? [], secretId);

    switch (step) {
        case "createSecret":
            return createSecret(client, secretId, token, mode);
        case "setSecret":
            // No external system holds a copy: OpenClaw reads the value through External Secrets after finishSecret.
            log("setSecret: no downstream system to update", { secretId, token, mode });
            return;
        case "testSecret":
            return testSecret(client, secretId, token, mode);
        case "finishSecret":
            return finishSecret(client, secretId, token, stages);
        default:
            return assertNever(step);
    }
}

function rotationMode(tags: readonly { Key?: string; Value?: string }[], secretId: string): RotationMode {
    const value = tags.find((t) => t.Key === ROTATION_MODE_TAG)?.Value;
    if (value === undefined || !(ROTATION_MODES as readonly string[]).includes(value)) {
        throw new Error(`secret ${secretId} has no valid ${ROTATION_MODE_TAG} tag (${ROTATION_MODES.join(" | ")})`);
    }
    return value as RotationMode;
}

async function currentValue(client: SecretsManagerClient, secretId: string): Promise<string | undefined> {
    try {
        const current = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: "AWSCURRENT" }));
        return current.SecretString;
    } catch (error) {
        if (error instanceof ResourceNotFoundException) {
            return undefined;
        }
        throw error;
    }
}

async function createSecret(client: SecretsManagerClient, secretId: string, token: string, mode: RotationMode): Promise<void> {
    const current = await currentValue(client, secretId);
    try {
        await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: "AWSPENDING" }));
        log("createSecret: pending version exists already", { secretId, token });
        return;
    } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) {
            throw error;
        }
    }
    let value: string;
    switch (mode) {
        case "generate":
            // The first rotation (right after creation) has no current value: it mints the initial token.
            value = randomBytes(TOKEN_BYTES).toString("base64url");
            break;
        case "notify":
            if (current === undefined) {
                throw new Error(`secret ${secretId} has no current value to carry over; set it with pulumi config set --secret`);
            }
            value = current;
            break;
        default:
            return assertNever(mode);
    }
    await client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: value, VersionStages: ["AWSPENDING"] }));
    log("createSecret: put the pending version", { secretId, token, mode });
}

async function testSecret(client: SecretsManagerClient, secretId: string, token: string, mode: RotationMode): Promise<void> {
    const pending = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: "AWSPENDING" }));
    const value = pending.SecretString ?? "";
    const valid = mode === "generate" ? GENERATED_TOKEN.test(value) : value.length > 0;
    if (!valid) {
        throw new Error(`pending version ${token} of secret ${secretId} is not a valid ${mode === "generate" ? "gateway token" : "key"}`);
    }
    log("testSecret: pending version is valid", { secretId, token, mode });
}

async function finishSecret(client: SecretsManagerClient, secretId: string, token: string, stages: Record<string, string[]>): Promise<void> {
    const currentVersion = Object.entries(stages).find(([, s]) => s.includes("AWSCURRENT"))?.[0];
    if (currentVersion === token) {
        log("finishSecret: version is already AWSCURRENT", { secretId, token });
        return;
    }
    await client.send(new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: "AWSCURRENT",
        MoveToVersionId: token,
        ...(currentVersion !== undefined ? { RemoveFromVersionId: currentVersion } : {}),
    }));
    log("finishSecret: moved AWSCURRENT", { secretId, token, from: currentVersion ?? "none" });
}

function assertNever(value: never): never {
    throw new Error(`unhandled value: ${String(value)}`);
}

const client = new SecretsManagerClient({});

/** The Lambda entry point (`index.handler`). */
export async function handler(event: RotationEvent): Promise<void> {
    await rotate(client, event);
}
