// A mocha reporter that prints the wall time of each test file (hooks included), slowest first, for finding
// where `npm test` spends its time:  npx mocha --reporter ./bench/mocha-file-times.ts
import * as path from "path";
import Mocha from "mocha";

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class FileTimes {
    constructor(runner: Mocha.Runner) {
        const started = new Map<Mocha.Suite, number>();
        const byFile = new Map<string, { ms: number; tests: number; failed: number }>();
        const entry = (file: string) => byFile.get(file) ?? byFile.set(file, { ms: 0, tests: 0, failed: 0 }).get(file)!;
        const fileOf = (s: Mocha.Suite | undefined) => path.relative(process.cwd(), s?.file ?? "?");
        runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
            if (suite.parent?.root) {
                started.set(suite, performance.now());
            }
        });
        runner.on(EVENT_SUITE_END, (suite: Mocha.Suite) => {
            const start = started.get(suite);
            if (start !== undefined) {
                entry(fileOf(suite)).ms += performance.now() - start;
            }
        });
        runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => void entry(fileOf(test.parent)).tests++);
        runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable) => {
            const e = entry(fileOf(test.parent));
            e.tests++;
            e.failed++;
        });
        runner.on(EVENT_RUN_END, () => {
            const rows = [...byFile].sort((a, b) => b[1].ms - a[1].ms);
            const total = rows.reduce((sum, [, v]) => sum + v.ms, 0);
            for (const [file, v] of rows) {
                console.log(`${(v.ms / 1000).toFixed(1).padStart(6)} s  ${String(v.tests).padStart(4)} tests${v.failed ? ` (${v.failed} failed)` : ""}  ${file}`);
            }
            console.log(`${(total / 1000).toFixed(1).padStart(6)} s  in test files`);
        });
    }
}

export = FileTimes;
