// Small statistics and formatting helpers for the benchmark tables.

export interface Summary {
    readonly median: number;
    readonly min: number;
    readonly max: number;
    readonly n: number;
}

export function summarize(values: readonly number[]): Summary {
    if (values.length === 0) {
        return { median: NaN, min: NaN, max: NaN, n: 0 };
    }
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** `1.23 s (1.10–1.40)`: median and the range of the runs. */
export function formatSeconds(s: Summary): string {
    if (s.n === 0) {
        return "-";
    }
    const f = (ms: number) => (ms / 1000).toFixed(2);
    return s.n === 1 ? `${f(s.median)} s` : `${f(s.median)} s (${f(s.min)}–${f(s.max)})`;
}

export function formatMiB(kib: number): string {
    return `${Math.round(kib / 1024)} MiB`;
}

export function formatInt(n: number): string {
    return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-";
}

/** A plain-text table: header, a rule, rows; columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: readonly string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
