import { format } from 'mysql2';
import type { SqlValue } from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';
import type { DrainerError } from '@tidb-drainer/core/sdk';
import type { Statement } from '../sql/plan-statements.js';
import type { SqlParam } from '../sql/sql-param.js';
import { destroyConnection } from '../connection/lease.js';
import { driverErrorInfo, toSinkError } from './classify-error.js';

/** A statement run after the data and before COMMIT (the exactly-once checkpoint row). */
export interface TrailerStatement {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  readonly what: string;
}

export interface TransactionOptions {
  readonly signal: AbortSignal;
  /** Per round trip; a timeout loses the connection (retryable). */
  readonly timeoutMs: number;
  /** Most SQL text per round trip. */
  readonly maxPacketChars: number;
  readonly trailer?: TrailerStatement;
  /** Called with each round trip's duration in seconds, for the query-duration histogram. */
  readonly observe?: (seconds: number) => void;
}

/**
 * Runs `statements` as ONE downstream transaction on `conn`: `BEGIN`, the statements (several per round trip as a
 * multi-statement packet, their parameters bound client-side by mysql2), the optional trailer, `COMMIT`.
 * Resolves once COMMIT succeeded. On failure the transaction is rolled back (or the connection destroyed when it
 * is no longer usable) and the promise rejects with a SinkError; for a fatal error the statements are replayed one
 * by one inside a transaction that is rolled back, so the error names the failing statement's table and commit ts.
 * The caller releases `conn` with `releaseConnection` afterwards (a connection given up on is not pooled again).
 */
export async function runTransaction(conn: PoolConnection, statements: readonly Statement[], options: TransactionOptions): Promise<void> {
  const packets = toPackets(statements, options);
  const onAbort = (): void => destroyConnection(conn);
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal.aborted) throw options.signal.reason;
    for (const sql of packets) {
      const started = performance.now();
      await conn.query({ sql, timeout: options.timeoutMs });
      options.observe?.((performance.now() - started) / 1000);
    }
  } catch (err) {
    const info = driverErrorInfo(err);
    const first = statements[0];
    let failure: DrainerError = toSinkError(
      err,
      { what: 'apply transaction', schema: first?.schema, table: first?.table, commitTs: first?.commitTs },
      options.signal,
    );
    if (info.fatal || options.signal.aborted || failure.retryable) {
      destroyConnection(conn);
    } else {
      try {
        failure = await pinpoint(conn, statements, options, failure);
      } catch {
        destroyConnection(conn);
      }
    }
    throw failure;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
}

/** Splits BEGIN + statements + trailer + COMMIT into multi-statement packets of at most maxPacketChars. */
function toPackets(statements: readonly Statement[], options: TransactionOptions): string[] {
  const packets: string[] = [];
  let current = 'BEGIN';
  const add = (text: string): void => {
    if (current.length + text.length + 1 > options.maxPacketChars && current !== '') {
      packets.push(current);
      current = text;
    } else {
      current = current === '' ? text : `${current};${text}`;
    }
  };
  for (const s of statements) add(format(s.sql, s.params));
  if (options.trailer !== undefined) add(format(options.trailer.sql, [...options.trailer.params] as SqlValue[]));
  add('COMMIT');
  packets.push(current);
  return packets;
}

/**
 * After a non-retryable failure: roll back, then re-run the statements one at a time in a fresh transaction
 * (rolled back at the end) to find which one fails, and report that one. Falls back to the original error.
 */
async function pinpoint(
  conn: PoolConnection,
  statements: readonly Statement[],
  options: TransactionOptions,
  original: DrainerError,
): Promise<DrainerError> {
  try {
    await conn.query({ sql: 'ROLLBACK', timeout: options.timeoutMs });
    await conn.query({ sql: 'BEGIN', timeout: options.timeoutMs });
    for (const s of statements) {
      try {
        await conn.query({ sql: s.sql, values: s.params, timeout: options.timeoutMs });
      } catch (err) {
        const verb = s.sql.slice(0, s.sql.indexOf(' '));
        return toSinkError(err, { what: `${verb} statement`, schema: s.schema, table: s.table, commitTs: s.commitTs, statement: verb }, options.signal);
      }
    }
    if (options.trailer !== undefined) {
      try {
        await conn.query({ sql: options.trailer.sql, values: [...options.trailer.params], timeout: options.timeoutMs });
      } catch (err) {
        return toSinkError(err, { what: options.trailer.what }, options.signal);
      }
    }
    return original;
  } finally {
    try {
      await conn.query({ sql: 'ROLLBACK', timeout: options.timeoutMs });
    } catch {
      destroyConnection(conn);
    }
  }
}
