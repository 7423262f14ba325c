import { AbortedError, DrainerError, SinkError } from '@tidb-drainer/core/sdk';
import type { CommitTs } from '@tidb-drainer/core/sdk';

/** Stable error codes of the MySQL sink. */
export const MysqlErrorCode = {
  /** Repeating the batch can succeed: lost connection, deadlock, lock wait timeout, read-only failover… */
  Retryable: 'E_MYSQL_RETRYABLE',
  /** The downstream rejected a statement for good (syntax, duplicate key, missing table, permissions…). */
  Statement: 'E_MYSQL_STATEMENT',
  /** A DDL statement failed with an error that is not in the ignore list. */
  Ddl: 'E_MYSQL_DDL',
  /** Cannot connect for a reason retrying will not fix (access denied, unknown host…). */
  Connect: 'E_MYSQL_CONNECT',
} as const;

/**
 * Server errnos where repeating the same statements can succeed. 1205 lock wait timeout, 1213 deadlock, 1040 too
 * many connections, 1053 server shutdown, 1317 query interrupted, 1927 connection killed (MariaDB), 1290 / 1836 /
 * 1792 read-only (failover in progress), 2006 / 2013 server gone / lost connection; TiDB: 8002 / 8022 retryable
 * write conflict, 8028 schema changed, 9001 PD timeout, 9002 TiKV timeout, 9005 region unavailable, 9007 write
 * conflict.
 */
const RETRYABLE_ERRNOS: ReadonlySet<number> = new Set([
  1040, 1053, 1205, 1213, 1290, 1317, 1792, 1836, 1927, 2006, 2013, 8002, 8022, 8028, 9001, 9002, 9005, 9007,
]);

/** mysql2 / Node socket codes for a connection that failed or was lost (no server errno). */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** DDL errors the Go drainer ignores (spec §8.2): database/table/column/index already exists or does not exist. */
export const IGNORABLE_DDL_ERRNOS: ReadonlySet<number> = new Set([
  1007, 1008, 1049, 1050, 1051, 1146, 1054, 1060, 1061, 1091, 1176, 1831,
]);

/** Unknown column. */
export const ER_BAD_FIELD = 1054;

/** Duplicate entry for a unique key. */
export const ER_DUP_ENTRY = 1062;

/** Unknown system variable: a session variable another server flavour does not have (skipped at connect). */
export const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

export interface DriverErrorInfo {
  readonly errno: number | undefined;
  readonly code: string | undefined;
  readonly sqlState: string | undefined;
  /** mysql2 marks errors after which the connection is unusable. */
  readonly fatal: boolean;
}

export function driverErrorInfo(err: unknown): DriverErrorInfo {
  const o = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  return {
    errno: typeof o['errno'] === 'number' ? o['errno'] : undefined,
    code: typeof o['code'] === 'string' ? o['code'] : undefined,
    sqlState: typeof o['sqlState'] === 'string' ? o['sqlState'] : undefined,
    fatal: o['fatal'] === true,
  };
}

/** Classified by errno / driver code only, never by message text. */
export function isRetryableDriverError(info: DriverErrorInfo): boolean {
  return (info.errno !== undefined && RETRYABLE_ERRNOS.has(info.errno)) || (info.code !== undefined && RETRYABLE_CODES.has(info.code));
}

export interface ErrorWhere {
  readonly what: string;
  readonly schema?: string;
  readonly table?: string;
  readonly commitTs?: CommitTs;
  readonly statement?: string;
}

/**
 * Wraps a driver error once, at the boundary: a retryable SinkError for transient conditions, a fatal one with
 * where it happened otherwise. DrainerErrors pass through; an aborted signal yields AbortedError.
 */
export function toSinkError(err: unknown, where: ErrorWhere, signal?: AbortSignal, fatalCode: string = MysqlErrorCode.Statement): DrainerError {
  if (err instanceof DrainerError) return err;
  if (signal?.aborted === true) return new AbortedError(where.what, err);
  const info = driverErrorInfo(err);
  const details = {
    schema: where.schema,
    table: where.table,
    commitTs: where.commitTs,
    statement: where.statement,
    errno: info.errno,
    driverCode: info.code,
    sqlState: info.sqlState,
  };
  const reason = err instanceof Error ? err.message : String(err);
  const at = where.table !== undefined ? ` on ${where.schema ?? ''}.${where.table}` : '';
  const ts = where.commitTs !== undefined ? ` (commit ts ${where.commitTs.toString()})` : '';
  if (isRetryableDriverError(info)) {
    return SinkError.retryable(MysqlErrorCode.Retryable, `${where.what}${at}${ts} failed, will retry: ${reason}`, err, details);
  }
  return SinkError.fatal(fatalCode, `${where.what}${at}${ts} failed: ${reason}`, err, details);
}
