// The log alert queries against what a log alert rule can see: no query may look further back than the rule's
// query time range, which is at most two days (MicrosoftDocs/azure-monitor-docs
// articles/azure-monitor/alerts/alerts-create-log-alert-rule.md: "The alert time range is limited to a maximum of
// two days. Even if the query contains an ago command with a time range of longer than two days, the two-day
// maximum time range is applied.").
import * as assert from "assert";
import { ALERT_KINDS, alertQueries } from "../../components/azure/alerts";

const TWO_DAYS_S = 2 * 86400; // the page above

/** Seconds of an ISO 8601 duration as the rules use them (PnD, PTnH, PTnM). */
const iso = (d: string) => {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(d);
    assert.ok(m, `not a duration: ${d}`);
    return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60;
};
/** Seconds of a KQL timespan literal (2d, 1h, 30m). */
const kqlSpan = (t: string) => Number(t.slice(0, -1)) * { d: 86400, h: 3600, m: 60 }[t.slice(-1) as "d" | "h" | "m"];

describe("Azure log alert queries", () => {
    const queries = alertQueries(["api.anthropic.com"]);

    for (const kind of ALERT_KINDS) {
        it(`${kind}: looks back no further than the rule lets it see (at most two days)`, () => {
            const q = queries[kind];
            const range = iso(q.queryTimeRange ?? q.window);
            assert.ok(range <= TWO_DAYS_S, `${kind} asks for ${q.queryTimeRange ?? q.window}`);
            for (const [, span] of q.query.matchAll(/ago\((\d+[dhm])\)/g)) {
                assert.ok(kqlSpan(span) <= range, `${kind}: ago(${span}) is outside its ${range} s query time range`);
            }
        });
    }

    it("model-traffic-spike: compares the last hour with a baseline the rule can see", () => {
        const q = queries["model-traffic-spike"];
        assert.strictEqual(iso(q.queryTimeRange!), TWO_DAYS_S);
        assert.match(q.query, /between \(ago\(2d\) \.\. ago\(1h\)\) \| summarize count\(\) \/ 47\.0/);
        assert.match(q.query, /TimeGenerated > ago\(1h\)/);
    });
});
