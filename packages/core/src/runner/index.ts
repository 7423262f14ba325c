export * from './runner.js';
export * from './runner-options.js';
export * from './progress-tracker.js';
export * from './byte-quota.js';
export * from './retry-policy.js';
export * from './replay-window.js';
export * from './exit-codes.js';
export * from './shutdown-signals.js';
export { RunnerMetrics } from './runner-metrics.js';
