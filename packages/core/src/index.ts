export * from './model/index.js';
export * from './errors/drainer-error.js';
export * from './sdk/sink.js';
export { SinkError } from './sdk/sink-error.js';
export { defineSink, isSinkDefinition } from './sdk/define-sink.js';
export type { SinkDefinition, SinkEnv } from './sdk/define-sink.js';
export * from './util/index.js';
export * from './protocol/index.js';
