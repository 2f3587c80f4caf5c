// The whole program (index.ts) with the real-engine suite's test-only transforms (transforms.ts), for the suite's
// `pulumi up` of an example stack on the stand-in cloud providers against the local API server.
//   OPENCLAW_ENGINE_CHARTS  a directory with one tiny chart per chart of record (the suite writes them)
import { registerEngineTransforms } from "./transforms";
// index.ts uses `export =`; this import form is how TypeScript takes such a module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import program = require("../../index");

export = async () => {
    const charts = process.env.OPENCLAW_ENGINE_CHARTS;
    if (!charts) {
        throw new Error("program-up: OPENCLAW_ENGINE_CHARTS is not set (the real-engine suite sets it)");
    }
    registerEngineTransforms(charts);
    return program();
};
