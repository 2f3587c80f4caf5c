// Loaded by mocha after ts-node: plain V8 stack traces instead of source-mapped ones. The Pulumi SDK captures a
// stack for every promise it wraps (runtime/debuggable.js), and mapping each through source maps costs about a
// third of the test run; failures then show the transpiled line numbers, which transpile-only keeps close.
delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
