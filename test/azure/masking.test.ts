// The ingestion-time masking (LOG-2 backstop), run as Azure Monitor would run it: the DCR's transformKql text is
// parsed and evaluated by a small interpreter of exactly the KQL it may use, over sample records holding the
// checklist's PII and this platform's secrets. The interpreter refuses anything outside the functions Microsoft
// lists for transformations, so a test pass means both "only supported KQL" and "the masking works".
import * as assert from "assert";
import { INGESTION_MASKS, maskingTransformKql, OVERFLOW_MESSAGE } from "../../components/azure/logging";
import { FAKE_SECRETS } from "../harness/program";

/**
 * Scalar functions and tabular operators supported in transformations, as listed by MicrosoftDocs/azure-monitor-docs
 * articles/azure-monitor/data-collection/data-collection-transformations-kql.md ("Supported tabular operators",
 * "Scalar functions", ms.date 01/20/2026). Only the ones the interpreter implements; `replace_regex` and
 * `replace_string` are absent from the page.
 */
const SUPPORTED_FUNCTIONS = ["tostring", "extract", "isempty", "iif", "strcat", "substring", "indexof", "strlen", "parse_json"] as const;
const SUPPORTED_OPERATORS = ["extend", "project-away"] as const;

type Value = string | number | boolean;
type Row = Record<string, Value>;

/** A tokenizer and recursive-descent parser for the expression subset; evaluation is direct. */
class Expr {
    private pos = 0;
    constructor(private readonly text: string, private readonly row: Row) {}

    static evaluate(text: string, row: Row): Value {
        const e = new Expr(text, row);
        const value = e.or();
        e.skip();
        if (e.pos !== text.length) {
            throw new Error(`unparsed KQL: ${text.slice(e.pos, e.pos + 40)}`);
        }
        return value;
    }

    private skip() {
        while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
    }
    private peek(word: string): boolean {
        this.skip();
        return this.text.startsWith(word, this.pos);
    }
    private take(word: string) {
        if (!this.peek(word)) throw new Error(`expected ${word} at ${this.text.slice(this.pos, this.pos + 30)}`);
        this.pos += word.length;
    }
    private or(): Value {
        let left = this.matches();
        while (this.peek(" or ") || this.peek("or ")) {
            this.take("or");
            const right = this.matches();
            left = Boolean(left) || Boolean(right);
        }
        return left;
    }
    private matches(): Value {
        const left = this.sum();
        if (this.peek("matches regex")) {
            this.take("matches regex");
            const pattern = String(this.sum());
            return new RegExp(pattern).test(String(left));
        }
        return left;
    }
    private sum(): Value {
        let left = this.primary();
        while (this.peek("+")) {
            this.take("+");
            left = Number(left) + Number(this.primary());
        }
        return left;
    }
    private primary(): Value {
        this.skip();
        const rest = this.text.slice(this.pos);
        const verbatim = /^@'([^']*)'/.exec(rest);
        if (verbatim) {
            this.pos += verbatim[0].length;
            return verbatim[1];
        }
        const literal = /^'([^'\\]*)'/.exec(rest);
        if (literal) {
            this.pos += literal[0].length;
            return literal[1];
        }
        const number = /^\d+/.exec(rest);
        if (number) {
            this.pos += number[0].length;
            return Number(number[0]);
        }
        const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
        if (!ident) throw new Error(`unexpected KQL at ${rest.slice(0, 30)}`);
        this.pos += ident[0].length;
        if (!this.peek("(")) {
            if (!(ident[0] in this.row)) throw new Error(`unknown column ${ident[0]}`);
            return this.row[ident[0]];
        }
        this.take("(");
        const args: Value[] = [];
        while (!this.peek(")")) {
            args.push(this.or());
            if (this.peek(",")) this.take(",");
        }
        this.take(")");
        return call(ident[0], args);
    }
}

function call(fn: string, args: Value[]): Value {
    if (!(SUPPORTED_FUNCTIONS as readonly string[]).includes(fn)) {
        throw new Error(`${fn} is not a function supported in transformations (or not implemented here)`);
    }
    const s = (i: number) => String(args[i]);
    switch (fn) {
        case "tostring":
        case "parse_json": // the stored value is the masked text; its JSON-ness is not what is tested
            return s(0);
        case "extract": {
            // extract(regex, captureGroup, source): the group of the first match, "" when there is none (RE2 and
            // JavaScript agree on these patterns: no look-around, no back-references).
            const match = new RegExp(s(0)).exec(s(2));
            return match?.[Number(args[1])] ?? "";
        }
        case "isempty":
            return s(0) === "";
        case "iif":
            return args[0] ? args[1] : args[2];
        case "strcat":
            return args.map(String).join("");
        case "substring":
            return args.length > 2 ? s(0).substr(Number(args[1]), Number(args[2])) : s(0).slice(Number(args[1]));
        case "indexof":
            return s(0).indexOf(s(1));
        case "strlen":
            return s(0).length;
        default:
            throw new Error(`unhandled ${fn}`);
    }
}

/** Runs a transformation (`source | op | op ...`) over one record. */
function transform(kql: string, record: Row): Row {
    const [first, ...ops] = kql.split(/\n\| /);
    assert.strictEqual(first, "source");
    let row: Row = { ...record };
    for (const op of ops) {
        const extend = /^extend ([A-Za-z_][A-Za-z0-9_]*) = ([\s\S]+)$/.exec(op);
        const away = /^project-away (.+)$/.exec(op);
        if (extend) {
            row = { ...row, [extend[1]]: Expr.evaluate(extend[2], row) };
        } else if (away) {
            const drop = away[1].split(",").map((c) => c.trim());
            row = Object.fromEntries(Object.entries(row).filter(([k]) => !drop.includes(k)));
        } else {
            throw new Error(`tabular operator not supported or not implemented: ${op.slice(0, 40)}`);
        }
    }
    return row;
}

const KQL = maskingTransformKql();
const mask = (message: string) => String(transform(KQL, { LogMessage: message, TimeGenerated: "2026-12-01T00:00:00Z" }).LogMessage);

describe("ingestion masking transformation (DCR transformKql)", () => {
    it("uses only tabular operators and functions Microsoft lists for transformations", () => {
        const operators = KQL.split(/\n\| /).slice(1).map((op) => op.split(" ")[0]);
        assert.deepStrictEqual([...new Set(operators)].filter((o) => !(SUPPORTED_OPERATORS as readonly string[]).includes(o)), []);
        const functions = [...KQL.replace(/@'[^']*'|'[^']*'/g, "''").matchAll(/([A-Za-z_][A-Za-z0-9_]*)\(/g)].map((m) => m[1]);
        assert.deepStrictEqual([...new Set(functions)].filter((f) => !(SUPPORTED_FUNCTIONS as readonly string[]).includes(f)), []);
        assert.doesNotMatch(KQL, /replace_regex|replace_string/);
    });

    it("masks an e-mail address", () => {
        assert.strictEqual(mask('{"user":"alice.smith+test@example.co.uk","path":"/chat"}'), '{"user":"[email]","path":"/chat"}');
    });

    it("masks a bearer token but keeps the scheme", () => {
        assert.strictEqual(mask("authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x"), "authorization: Bearer [redacted]");
    });

    it("masks provider-shaped API keys anywhere in a message", () => {
        for (const key of Object.values(FAKE_SECRETS)) {
            const masked = mask(`calling upstream with ${key} failed`);
            assert.ok(!masked.includes(key) && masked.includes("[api-key]"), masked);
        }
    });

    it("keeps the access log's user id, an Entra object id (a GUID, the oid claim), unchanged", () => {
        const line = '{"user":"9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f","path":"/chat","status":"200"}';
        assert.strictEqual(mask(line), line);
    });

    it("masks an IPv4 address", () => {
        assert.strictEqual(mask('{"client":"203.0.113.7","status":401}'), '{"client":"[ip]","status":401}');
    });

    it("masks credentials written as key=value or JSON fields, keeping the key", () => {
        assert.strictEqual(mask("password=hunter2 token: abc123"), "password=[redacted] token: [redacted]");
        assert.strictEqual(mask('{"api_key":"0123456789","other":"kept"}'), '{"api_key":"[redacted]","other":"kept"}');
    });

    it("masks every kind in one record (e-mail, API key, bearer token, IP)", () => {
        const record = `{"msg":"login bob@example.org from 198.51.100.23 with Bearer abc.def.ghi calling ${FAKE_SECRETS.openaiApiKey}"}`;
        assert.strictEqual(mask(record), '{"msg":"login [email] from [ip] with Bearer [redacted] calling [api-key]"}');
    });

    it("masks several occurrences of one kind, and replaces a message with more than it can mask", () => {
        assert.strictEqual(mask("a@example.com b@example.com c@example.com"), "[email] [email] [email]");
        const many = Array.from({ length: 6 }, (_, i) => `u${i}@example.com`).join(" ");
        assert.strictEqual(mask(many), OVERFLOW_MESSAGE);
    });

    it("leaves ordinary log lines unchanged", () => {
        const line = '{"status":200,"path":"/v1/chat","duration_ms":42,"model":"claude"}';
        assert.strictEqual(mask(line), line);
    });

    it("writes patterns a KQL verbatim string can hold", () => {
        assert.ok(!INGESTION_MASKS.some((m) => m.pattern.includes("'")), "a quote would end the verbatim string");
        assert.ok(INGESTION_MASKS.every((m) => m.replacement.startsWith("[")));
    });
});
