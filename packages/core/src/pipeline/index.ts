export { Drainer } from './drainer.js';
export type { DrainerOptions, DrainerStatus } from './drainer.js';
export { resolveSink, BUILTIN_SINKS } from './resolve-sink.js';
export type { ResolvedSink } from './resolve-sink.js';
export { prepareSink } from './prepare-sink.js';
export type { PreparedSink } from './prepare-sink.js';
export { planCheckpoint } from './checkpoint-plan.js';
export type { CheckpointPlan } from './checkpoint-plan.js';
export { runChecks } from './run-checks.js';
