/**
 * The public Sink SDK: everything a custom sink needs. Import from `@tidb-drainer/core/sdk` only.
 */
export { z } from 'zod';
export * from '../model/index.js';
export { DrainerError, AbortedError, ErrorCode, isRetryable } from '../errors/drainer-error.js';
export { SinkError } from './sink-error.js';
export type { SinkErrorOptions } from './sink-error.js';
export { defineSink, isSinkDefinition, validateCapabilities } from './define-sink.js';
export { createSinkContext } from './sink-context.js';
export type { SinkContextOptions } from './sink-context.js';
export { buildTxnBatch, batchErrorDetails } from './txn-batch.js';
export type { SinkDefinition, SinkEnv } from './define-sink.js';
export type {
  BatchPolicy,
  Checkpoint,
  CheckResult,
  ResumePoint,
  Sink,
  SinkCapabilities,
  SinkContext,
  TxnBatch,
} from './sink.js';
export { valueText } from '../sinks/value-text.js';
