/**
 * Every error the drainer raises on purpose is a `DrainerError`: a stable machine-readable `code`, whether retrying
 * the same operation can succeed (`retryable`), the underlying `cause`, and structured `details` naming what and
 * where (commit ts, schema, table, column, config key, pump, file, offset). Third-party errors are wrapped once, at
 * the boundary where they enter our code, and classified by their driver codes, never by message text.
 */
export interface DrainerErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class DrainerError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: DrainerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  /** A JSON-safe view for structured logs (bigints become strings). */
  toLog(): Record<string, unknown> {
    const details: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.details)) details[k] = typeof v === 'bigint' ? v.toString() : v;
    return { code: this.code, retryable: this.retryable, message: this.message, ...details };
  }
}

/** True when `err` is a DrainerError that says retrying can help. Anything unknown is treated as fatal. */
export function isRetryable(err: unknown): boolean {
  return err instanceof DrainerError && err.retryable;
}

/** Stable error codes. Adding a code is fine; renaming one breaks users' alerting. */
export const ErrorCode = {
  Config: 'E_CONFIG',
  ConfigUnknownKey: 'E_CONFIG_UNKNOWN_KEY',
  ConfigUnsupportedKey: 'E_CONFIG_UNSUPPORTED_KEY',
  Decode: 'E_DECODE',
  Protocol: 'E_PROTOCOL',
  PumpUnavailable: 'E_PUMP_UNAVAILABLE',
  ClusterIdMismatch: 'E_CLUSTER_ID_MISMATCH',
  SchemaMissing: 'E_SCHEMA_MISSING',
  DdlJobMissing: 'E_DDL_JOB_MISSING',
  Checkpoint: 'E_CHECKPOINT',
  Sink: 'E_SINK',
  SinkRetryable: 'E_SINK_RETRYABLE',
  Aborted: 'E_ABORTED',
  Internal: 'E_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A binlog or datum that cannot be decoded. Never skipped: the drainer stops and the checkpoint stays before it. */
export class DecodeError extends DrainerError {
  constructor(message: string, details: DecodeErrorDetails, cause?: unknown) {
    super(ErrorCode.Decode, message, { retryable: false, cause, details: { ...details } });
  }
}
export interface DecodeErrorDetails {
  readonly commitTs?: bigint;
  readonly schema?: string;
  readonly table?: string;
  readonly tableId?: number;
  readonly columnId?: number;
  readonly column?: string;
  readonly offset?: number;
  readonly pump?: string;
}

/** Bad configuration: names the key (dotted path) and what is wrong with it. */
export class ConfigError extends DrainerError {
  constructor(message: string, details: { readonly key?: string; readonly file?: string } & Record<string, unknown> = {}, code: string = ErrorCode.Config) {
    super(code, message, { retryable: false, details });
  }
}

/** The operation was aborted through its AbortSignal (shutdown). Not an error to report, not retryable. */
export class AbortedError extends DrainerError {
  constructor(what = 'operation', cause?: unknown) {
    super(ErrorCode.Aborted, `${what} aborted`, { retryable: false, cause });
  }
}
