// The ingestion-time masking (LOG-2 backstop): the DCR transformation's patterns, applied the way KQL's
// replace_regex applies them (RE2 and JavaScript agree on these patterns; `\1` is `$1` in JavaScript).
import * as assert from "assert";
import { INGESTION_MASKS, maskingTransformKql } from "../../components/azure/logging";
import { FAKE_SECRETS } from "../harness/program";

const mask = (line: string) => INGESTION_MASKS.reduce((text, m) => text.replace(new RegExp(m.pattern, "g"), m.replacement.replace(/\\(\d)/g, "$$$1")), line);

describe("ingestion masking transformation", () => {
    it("masks e-mail addresses", () => {
        assert.strictEqual(mask('{"user":"alice.smith+test@example.co.uk","path":"/chat"}'), '{"user":"[email]","path":"/chat"}');
    });

    it("masks bearer tokens but keeps the scheme", () => {
        assert.strictEqual(mask("authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x"), "authorization: Bearer [redacted]");
    });

    it("masks credentials written as key=value or JSON fields", () => {
        assert.strictEqual(mask("password=hunter2 token: abc123"), "password=[redacted] token: [redacted]");
        assert.strictEqual(mask('{"api_key":"0123456789","other":"kept"}'), '{"api_key":"[redacted]","other":"kept"}');
    });

    it("masks provider-shaped API keys anywhere in a message", () => {
        for (const key of Object.values(FAKE_SECRETS)) {
            assert.ok(!mask(`calling upstream with ${key} failed`).includes(key), key);
        }
    });

    it("keeps the access log's user id, an Entra object id (a GUID, the oid claim), unchanged", () => {
        const line = '{"user":"9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f","path":"/chat","status":"200"}';
        assert.strictEqual(mask(line), line);
    });

    it("leaves ordinary log lines unchanged", () => {
        const line = '{"status":200,"path":"/v1/chat","duration_ms":42,"model":"claude"}';
        assert.strictEqual(mask(line), line);
    });

    it("applies every mask to the message column in the DCR transformation", () => {
        const kql = maskingTransformKql();
        assert.strictEqual((kql.match(/replace_regex\(/g) ?? []).length, INGESTION_MASKS.length);
        assert.match(kql, /^source \| extend LogMessage = /);
        assert.ok(!INGESTION_MASKS.some((m) => m.pattern.includes("'")), "a quote would end the KQL verbatim string");
    });
});
