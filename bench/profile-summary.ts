// Summarizes a `node --cpu-prof` profile of a benchmark child: CPU time by where it goes, and the top functions.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof -r ts-node/register/transpile-only bench/child-stack.ts dev 0 up
//   npx ts-node --transpile-only bench/profile-summary.ts /tmp/prof/<file>.cpuprofile
import * as fs from "fs";
import { table } from "./stats";

interface ProfileNode {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
}

interface Profile {
    readonly nodes: readonly ProfileNode[];
    readonly samples: readonly number[];
    readonly timeDeltas: readonly number[];
}

/** Categories by the innermost frame that decides them, checked in this order (first match wins). */
const CATEGORIES: readonly { readonly name: string; readonly match: (url: string, fn: string) => boolean }[] = [
    { name: "garbage collection", match: (_u, fn) => fn === "(garbage collector)" },
    { name: "stack traces mapped through source maps", match: (u) => u.includes("source-map-support") || u.includes("trace-mapping") || u.includes("sourcemap-codec") },
    { name: "ts-node / TypeScript compiler", match: (u) => u.includes("/typescript/lib/") || u.includes("/ts-node/") },
    { name: "policy runtime (@pulumi/policy)", match: (u) => u.includes("/@pulumi/policy/") },
    { name: "Pulumi SDK (@pulumi/pulumi)", match: (u) => u.includes("/@pulumi/pulumi/") },
    { name: "provider SDKs (aws, azure-native, kubernetes, random)", match: (u) => /\/@pulumi\/(aws|azure-native|kubernetes|random)\//.test(u) },
    { name: "other node_modules", match: (u) => u.includes("/node_modules/") },
    { name: "policy pack (policy-pack/policies)", match: (u) => u.includes("/policy-pack/policies/") },
    { name: "offline policy harness (policy-pack/testing)", match: (u) => u.includes("/policy-pack/testing/") },
    { name: "program (index.ts, components/, config/)", match: (u) => /\/(index\.ts|components\/|config\/)/.test(u) },
    { name: "recording mocks (test/harness)", match: (u) => u.includes("/test/harness/") },
    { name: "benchmark (bench/)", match: (u) => u.includes("/bench/") },
    { name: "Node.js (module loading, fs, vm, ...)", match: (u) => u.startsWith("node:") || u === "" },
];

function categoryOf(url: string, fn: string): string {
    return CATEGORIES.find((c) => c.match(url, fn))?.name ?? "other";
}

export function summarizeProfile(profile: Profile, top = 15): string {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    for (const [id, us] of self) {
        const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
        const fn = functionName || "(anonymous)";
        // Native frames (url "") are attributed to the category of the function name where it says something.
        const category = categoryOf(url, fn);
        byCategory.set(category, (byCategory.get(category) ?? 0) + us);
        const where = url ? `${url.replace(/^.*\/work\/main\//, "").replace(/^file:\/\//, "")}:${lineNumber + 1}` : "(native)";
        byFunction.set(`${fn} ${where}`, (byFunction.get(`${fn} ${where}`) ?? 0) + us);
    }
    const ms = (us: number) => `${Math.round(us / 1000)} ms`;
    const pct = (us: number) => `${((100 * us) / total).toFixed(1)} %`;
    const rows = (m: Map<string, number>, n: number) =>
        [...m]
            .sort((a, b) => b[1] - a[1])
            .slice(0, n)
            .map(([k, us]) => [k, ms(us), pct(us)]);
    return [`CPU samples: ${ms(total)}`, "", table(["where (self time)", "CPU", "share"], rows(byCategory, 20)), "", table(["function", "CPU", "share"], rows(byFunction, top))].join("\n");
}

if (require.main === module) {
    const file = process.argv[2];
    if (!file) {
        console.error("usage: ts-node --transpile-only bench/profile-summary.ts <file.cpuprofile> [top]");
        process.exit(2);
    }
    console.log(summarizeProfile(JSON.parse(fs.readFileSync(file, "utf8")) as Profile, Number(process.argv[3] ?? "15")));
}
