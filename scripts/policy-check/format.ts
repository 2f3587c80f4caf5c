// The three renderings of a policy-check report: text for a terminal, JSON for tools, Markdown for a PR comment.
import type { ExceptionInForce } from "../../policy-pack/policies/lib/meta";
import type { CheckReport, Violation } from "./index";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One line: the verdict and the counts a reviewer looks at first. */
export function summaryLine(report: CheckReport): string {
    const count = (status: string) => report.rows.filter((r) => r.status === status).length;
    const lapsed = report.exceptions.filter((e) => e.state !== "in force").length;
    const inForce = report.exceptions.length - lapsed;
    const failingIds = report.rows.filter((r) => r.status === "fail").map((r) => r.id);
    return [
        `policy-check ${report.stack}: ${report.passed ? "PASS" : "FAIL"}`,
        `${plural(report.violations.length, "violation")}${failingIds.length > 0 ? ` (${failingIds.join(", ")})` : ""}`,
        `${plural(inForce, "exception")} in force${lapsed > 0 ? `, ${lapsed} expired or incomplete` : ""}`,
        plural(report.warnings.length, "warning"),
        `checklist: ${count("pass")} pass, ${count("pass with exception")} pass with exception, ${count("fail")} fail, ${count("not applicable")} n/a`,
    ].join(" · ");
}

const causedBy = (v: Violation) => (v.configKey ? `caused by ${v.configKey}` : "no openclaw: key decides it (a program default)");

function weakens(e: ExceptionInForce): string {
    return Object.entries(e.weakens).map(([property, items]) => `${property} ${JSON.stringify(items)}`).join(", ");
}

const recordText = (e: ExceptionInForce) =>
    `reason: ${String(e.record.reason ?? "(none)")}; owner: ${String(e.record.owner ?? "(none)")}; expires: ${String(e.record.expires ?? "(none)")}`;

const MARKS: Readonly<Record<CheckReport["rows"][number]["status"], string>> = { pass: "pass", "pass with exception": "exc ", fail: "FAIL", "not applicable": "n/a " };

/** The terminal report: the summary, one row per checklist id, then each violation once, exceptions and warnings. */
export function formatText(report: CheckReport): string {
    const lines = [
        summaryLine(report),
        `(offline pre-flight under mocks with ${report.configFile ?? "the pack's defaults"}; \`pulumi preview --policy-pack policy-pack\` is the real gate)`,
        "",
    ];
    for (const row of report.rows) {
        const extra = [
            row.violations.length > 0 ? plural(row.violations.length, "violation") : "",
            row.exceptions.length > 0 ? `exception in ${row.exceptions.join(", ")}` : "",
            row.unverified.length > 0 ? `${row.unverified.length} check(s) unverifiable until the update` : "",
        ].filter((x) => x !== "");
        lines.push(`${MARKS[row.status]}  ${row.id.padEnd(7)} ${row.text}${extra.length > 0 ? ` (${extra.join("; ")})` : ""}`);
    }
    if (report.violations.length > 0) {
        lines.push("", `Violations (${report.violations.length}), each once:`);
        for (const v of report.violations) {
            lines.push(`  ${v.policy} on ${v.resource ?? "the stack"}: ${v.message}`, `      checklist ${v.checklist.join(", ")}; ${causedBy(v)}`);
        }
    }
    if (report.exceptions.length > 0) {
        lines.push("", `Exceptions named in the pack config (${report.exceptions.length}):`);
        for (const e of report.exceptions) {
            lines.push(`  ${e.state === "in force" ? "in force" : e.state.toUpperCase()}  ${e.policy}: ${weakens(e)}`, `      ${recordText(e)}`);
        }
    }
    if (report.warnings.length > 0) {
        lines.push("", `Warnings (${report.warnings.length}):`, ...report.warnings.map((w) => `  ${w}`));
    }
    lines.push("", summaryLine(report));
    return lines.join("\n");
}

/** JSON for tools: the summary, each violation once, exceptions, warnings and the rows. */
export function formatJson(report: CheckReport): string {
    return JSON.stringify(
        {
            stack: report.stack,
            passed: report.passed,
            summary: summaryLine(report),
            configFile: report.configFile ?? null,
            violations: report.violations,
            exceptions: report.exceptions,
            warnings: report.warnings,
            rows: report.rows,
        },
        null,
        2,
    );
}

/** A table cell: pipes escaped, newlines flattened, so a message cannot break the table. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** Markdown for a pull-request comment: the summary, a table of failures, a table of exceptions, the warnings. */
export function formatMarkdown(report: CheckReport): string {
    const lines = [`### ${report.passed ? "✅" : "❌"} ${cell(summaryLine(report))}`, ""];
    if (report.violations.length > 0) {
        lines.push("| Policy | Resource | Checklist | Config key | Finding |", "|---|---|---|---|---|");
        for (const v of report.violations) {
            lines.push(`| \`${v.policy}\` | ${cell(v.resource ?? "the stack")} | ${v.checklist.join(", ")} | ${v.configKey ? `\`${v.configKey}\`` : "program default"} | ${cell(v.message)} |`);
        }
        lines.push("");
    }
    if (report.exceptions.length > 0) {
        lines.push("| Exception in | Weakens | Reason | Owner | Expires | State |", "|---|---|---|---|---|---|");
        for (const e of report.exceptions) {
            lines.push(`| \`${e.policy}\` | ${cell(weakens(e))} | ${cell(String(e.record.reason ?? ""))} | ${cell(String(e.record.owner ?? ""))} | ${cell(String(e.record.expires ?? ""))} | ${e.state} |`);
        }
        lines.push("");
    }
    if (report.warnings.length > 0) {
        lines.push("**Warnings**", "", ...report.warnings.map((w) => `- ${cell(w)}`), "");
    }
    lines.push(`<sub>Offline pre-flight under mocks with ${report.configFile ? `\`${report.configFile}\`` : "the pack's defaults"}; \`pulumi preview --policy-pack policy-pack\` is the real gate.</sub>`);
    return lines.join("\n");
}
