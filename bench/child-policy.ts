// Benchmark child: one policy pack's throughput on the real stack and on synthetic stacks, in a fresh process.
//   child-policy.ts <ours|awsguard> <stack> <sizes,...> <runs> <up|preview>
import type { Policies } from "@pulumi/policy";
import type { PackResult } from "./policy";
import { finish } from "./result";

/* eslint-disable @typescript-eslint/no-require-imports -- modules load after the process starts, as in the analyzer */
async function main(pack: string, stack: string, sizes: number[], runs: number, preview: boolean): Promise<PackResult> {
    if (pack !== "ours" && pack !== "awsguard") {
        throw new Error(`bench child: unknown pack ${pack}`);
    }
    const { runProgram } = require("../test/harness/program") as typeof import("../test/harness/program");
    const { evaluatePolicies, fromRecordedRun } = require("../policy-pack/testing") as typeof import("../policy-pack/testing");
    const { measurePack } = require("./policy") as typeof import("./policy");
    const run = await runProgram({ stack, preview });
    const base = fromRecordedRun(run, { preview });
    let policies: Policies;
    let loadMs: number;
    let excluded: readonly string[] = [];
    if (pack === "ours") {
        const start = performance.now();
        policies = (require("../policy-pack/policies") as typeof import("../policy-pack/policies")).policies;
        loadMs = performance.now() - start;
    } else {
        const { loadAwsGuard } = require("./awsguard") as typeof import("./awsguard");
        const loaded = loadAwsGuard();
        policies = loaded.offline;
        loadMs = loaded.loadMs;
        excluded = loaded.live;
    }
    return measurePack({ pack, stack, policies, loadMs, excluded, base, sizes, runs, evaluate: evaluatePolicies });
}
/* eslint-enable @typescript-eslint/no-require-imports */

if (require.main === module) {
    const [pack, stack, sizes, runs, mode] = process.argv.slice(2);
    finish(main(pack, stack, (sizes ?? "").split(",").map(Number), Number(runs), mode === "preview"));
}
