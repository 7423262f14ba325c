import { DrainerError, ErrorCode } from '../errors/drainer-error.js';
import type { CommitTs } from '../model/commit-ts.js';

export interface SinkErrorOptions {
  /** True when resending the same batch may succeed (lost connection, deadlock, broker not available…). */
  readonly retryable: boolean;
  readonly cause?: unknown;
  /** Where it happened: commitTs, schema, table, statement kind, partition… (never row values or secrets). */
  readonly details?: Readonly<Record<string, unknown>> & { readonly commitTs?: CommitTs; readonly schema?: string; readonly table?: string };
}

/**
 * The error a sink rejects with. The runner resends the same batch after a jittered exponential backoff when
 * `retryable` is true, and stops the drainer (checkpoint unmoved) when it is false. Any other thrown value is
 * treated as fatal. `code` is a stable, sink-specific string such as `E_MYSQL_DUPLICATE_KEY`.
 */
export class SinkError extends DrainerError {
  constructor(code: string, message: string, options: SinkErrorOptions) {
    super(code || (options.retryable ? ErrorCode.SinkRetryable : ErrorCode.Sink), message, options);
  }

  static retryable(code: string, message: string, cause?: unknown, details?: SinkErrorOptions['details']): SinkError {
    return new SinkError(code, message, { retryable: true, cause, details });
  }

  static fatal(code: string, message: string, cause?: unknown, details?: SinkErrorOptions['details']): SinkError {
    return new SinkError(code, message, { retryable: false, cause, details });
  }
}
