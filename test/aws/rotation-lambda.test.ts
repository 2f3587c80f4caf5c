// The rotation function against a mocked Secrets Manager: the four steps, idempotence, and the version-stage checks AWS documents.
import * as assert from "assert";
import * as vm from "vm";
import {
    DescribeSecretCommand,
    GetSecretValueCommand,
    PutSecretValueCommand,
    ResourceNotFoundException,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { handler, RotationEvent } from "../../components/aws/rotation-lambda/handler";
import { ROTATION_MODE_TAG, RotationMode } from "../../components/aws/rotation-lambda/modes";
import { ROTATION_RUNTIME, rotationCode } from "../../components/aws/rotation";

const SECRET = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:openclaw-dev/gateway-token-AbC123";
const TOKEN = "11111111-2222-3333-4444-555555555555";
const CURRENT = "00000000-0000-0000-0000-000000000000";
const sm = mockClient(SecretsManagerClient);

const notFound = () => new ResourceNotFoundException({ message: "not found", $metadata: {} });

function givenSecret(mode: RotationMode, stages: Record<string, string[]>, rotationEnabled = true) {
    sm.on(DescribeSecretCommand).resolves({ ARN: SECRET, RotationEnabled: rotationEnabled, VersionIdsToStages: stages, Tags: [{ Key: ROTATION_MODE_TAG, Value: mode }] });
}

const event = (Step: string): RotationEvent => ({ SecretId: SECRET, ClientRequestToken: TOKEN, Step });

describe("rotation function", () => {
    const quiet = console.log;
    beforeEach(() => {
        sm.reset();
        // The function logs one JSON line per step; keep the test output readable.
        console.log = () => undefined;
    });
    afterEach(() => {
        console.log = quiet;
    });

    describe("createSecret", () => {
        it("mints a 256-bit base64url gateway token as AWSPENDING under the request token", async () => {
            givenSecret("generate", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPENDING"] });
            sm.on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" }).resolves({ SecretString: "old-token" });
            sm.on(GetSecretValueCommand, { VersionId: TOKEN, VersionStage: "AWSPENDING" }).rejects(notFound());
            sm.on(PutSecretValueCommand).resolves({});
            await handler(event("createSecret"));
            const put = sm.commandCalls(PutSecretValueCommand)[0].args[0].input;
            assert.strictEqual(put.ClientRequestToken, TOKEN);
            assert.deepStrictEqual(put.VersionStages, ["AWSPENDING"]);
            assert.match(put.SecretString ?? "", /^[A-Za-z0-9_-]{43}$/);
            assert.notStrictEqual(put.SecretString, "old-token");
        });

        it("mints the first token when the secret has no current value yet (the immediate rotation after creation)", async () => {
            givenSecret("generate", { [TOKEN]: ["AWSPENDING"] });
            sm.on(GetSecretValueCommand).rejects(notFound());
            sm.on(PutSecretValueCommand).resolves({});
            await handler(event("createSecret"));
            assert.strictEqual(sm.commandCalls(PutSecretValueCommand).length, 1);
        });

        it("is idempotent: a retried createSecret leaves an existing pending version alone", async () => {
            givenSecret("generate", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPENDING"] });
            sm.on(GetSecretValueCommand).resolves({ SecretString: "x".repeat(43) });
            await handler(event("createSecret"));
            assert.strictEqual(sm.commandCalls(PutSecretValueCommand).length, 0);
        });

        it("carries a provider key over unchanged (notify mode): only the provider can issue a new one", async () => {
            givenSecret("notify", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPENDING"] });
            sm.on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" }).resolves({ SecretString: "sk-provider-key" });
            sm.on(GetSecretValueCommand, { VersionId: TOKEN, VersionStage: "AWSPENDING" }).rejects(notFound());
            sm.on(PutSecretValueCommand).resolves({});
            await handler(event("createSecret"));
            assert.strictEqual(sm.commandCalls(PutSecretValueCommand)[0].args[0].input.SecretString, "sk-provider-key");
        });

        it("fails a provider key rotation when there is no key to carry over", async () => {
            givenSecret("notify", { [TOKEN]: ["AWSPENDING"] });
            sm.on(GetSecretValueCommand).rejects(notFound());
            await assert.rejects(handler(event("createSecret")), /no current value/);
        });
    });

    describe("version-stage checks", () => {
        it("refuses a secret that is not enabled for rotation", async () => {
            givenSecret("generate", { [TOKEN]: ["AWSPENDING"] }, false);
            await assert.rejects(handler(event("createSecret")), /not enabled for rotation/);
        });

        it("refuses a token that is not a version of the secret", async () => {
            givenSecret("generate", { [CURRENT]: ["AWSCURRENT"] });
            await assert.rejects(handler(event("createSecret")), /has no stage for rotation/);
        });

        it("refuses a version that is neither AWSCURRENT nor AWSPENDING", async () => {
            givenSecret("generate", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPREVIOUS"] });
            await assert.rejects(handler(event("setSecret")), /not set as AWSPENDING/);
        });

        it("does nothing for a version that is already AWSCURRENT", async () => {
            givenSecret("generate", { [TOKEN]: ["AWSCURRENT", "AWSPENDING"] });
            await handler(event("finishSecret"));
            assert.strictEqual(sm.commandCalls(UpdateSecretVersionStageCommand).length, 0);
        });

        it("refuses an unknown step and a secret without a rotation mode tag", async () => {
            givenSecret("generate", { [TOKEN]: ["AWSPENDING"] });
            await assert.rejects(handler(event("deleteSecret")), /invalid step/);
            sm.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { [TOKEN]: ["AWSPENDING"] }, Tags: [] });
            await assert.rejects(handler(event("createSecret")), /rotation tag|openclaw:rotation/);
        });
    });

    describe("testSecret", () => {
        it("accepts a well-formed pending token and rejects a malformed one", async () => {
            givenSecret("generate", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPENDING"] });
            sm.on(GetSecretValueCommand, { VersionId: TOKEN, VersionStage: "AWSPENDING" }).resolves({ SecretString: "A".repeat(43) });
            await handler(event("testSecret"));
            sm.on(GetSecretValueCommand, { VersionId: TOKEN, VersionStage: "AWSPENDING" }).resolves({ SecretString: "short" });
            await assert.rejects(handler(event("testSecret")), /not a valid gateway token/);
        });
    });

    describe("finishSecret", () => {
        it("moves AWSCURRENT to the new version and off the old one", async () => {
            givenSecret("generate", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPENDING"] });
            sm.on(UpdateSecretVersionStageCommand).resolves({});
            await handler(event("finishSecret"));
            assert.deepStrictEqual(sm.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input, {
                SecretId: SECRET,
                VersionStage: "AWSCURRENT",
                MoveToVersionId: TOKEN,
                RemoveFromVersionId: CURRENT,
            });
        });

        it("promotes the first version when there was no current one", async () => {
            givenSecret("generate", { [TOKEN]: ["AWSPENDING"] });
            sm.on(UpdateSecretVersionStageCommand).resolves({});
            await handler(event("finishSecret"));
            assert.strictEqual(sm.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input.RemoveFromVersionId, undefined);
        });
    });

    it("setSecret changes nothing: no downstream system holds a copy", async () => {
        givenSecret("generate", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPENDING"] });
        await handler(event("setSecret"));
        assert.deepStrictEqual(sm.calls().map((c) => c.args[0].constructor.name), ["DescribeSecretCommand"]);
    });

    it("never logs a secret value", async () => {
        const logged: string[] = [];
        const original = console.log;
        console.log = (...args: unknown[]) => logged.push(args.map(String).join(" "));
        try {
            givenSecret("notify", { [CURRENT]: ["AWSCURRENT"], [TOKEN]: ["AWSPENDING"] });
            sm.on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" }).resolves({ SecretString: "sk-provider-key" });
            sm.on(GetSecretValueCommand, { VersionId: TOKEN, VersionStage: "AWSPENDING" }).rejects(notFound());
            sm.on(PutSecretValueCommand).resolves({});
            await handler(event("createSecret"));
        } finally {
            console.log = original;
        }
        assert.ok(logged.length > 0);
        assert.ok(logged.every((line) => !line.includes("sk-provider-key")));
    });

    it("ships as CommonJS that loads in Node with only the SDK and its sibling module, exporting handler", () => {
        assert.strictEqual(ROTATION_RUNTIME, "nodejs22.x");
        const files = rotationCode();
        assert.deepStrictEqual(Object.keys(files).sort(), ["handler.js", "modes.js"]);
        const load = (file: string): Record<string, unknown> => {
            const module = { exports: {} as Record<string, unknown> };
            const requireInLambda = (id: string): unknown => {
                if (id === "./modes") {
                    return load("modes.js");
                }
                assert.ok(["node:crypto", "@aws-sdk/client-secrets-manager"].includes(id), `the function imports ${id}, which the Lambda runtime lacks`);
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(id);
            };
            vm.runInNewContext(files[file], { module, exports: module.exports, require: requireInLambda, console });
            return module.exports;
        };
        assert.strictEqual(typeof load("handler.js").handler, "function");
    });
});
