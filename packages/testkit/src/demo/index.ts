export { runDemo } from './run-demo.js';
export type { DemoOptions, DemoProgress, DemoSummary, DemoSinkChoice, DemoOutputFile } from './run-demo.js';
export { planDemoWorkload, expectDemoWorkload, DEMO_SCHEMA } from './demo-workload.js';
export type { DemoStep, DemoRowOp, DemoExpectation, DemoWorkloadOptions } from './demo-workload.js';
export { writeDemoStep } from './write-demo-step.js';
export { CountingSink } from './counting-sink.js';
export type { DeliveredCounts } from './counting-sink.js';
export { formatDemoSummary, demoSummaryJson, demoMatchesWorkload } from './format-demo-summary.js';
