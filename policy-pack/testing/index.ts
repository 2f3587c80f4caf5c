// The offline policy harness: resources from recorded runs or fixtures, evaluated the way the policy runtime does.
export { loadPolicyConfigFile, resolvePolicyConfig, validateValue } from "./config";
export type { ResolvedPolicyConfig } from "./config";
export { evaluatePolicies } from "./evaluate";
export type { Diagnostic, EvaluateOptions, EvaluationResult, NotApplicable } from "./evaluate";
export { fixtureUrn, fromFixtures, fromRecordedRun, STACK_TYPE } from "./resources";
export type { AnalyzedResource, FixtureResource, RecordedLike, RecordedRunLike } from "./resources";
export { isUnknownSentinel, toWire, unknown, UNKNOWN } from "./unknown";
export type { UnknownKind } from "./unknown";
