import type { Connection, Pool, PoolConnection } from 'mysql2/promise';
import { AbortedError } from '../errors/drainer-error.js';

/** A value bound to a `?` placeholder. bigints are sent as decimal text so 64-bit values stay exact. */
export type SqlParam = string | number | bigint | boolean | null;
export type SqlRow = Readonly<Record<string, unknown>>;

/**
 * The little the MySQL checkpoint store needs from a connection. The store can run on its own mysql2 pool
 * (`[syncer.to.checkpoint]`) or on a connection the MySQL sink already owns (`mysql2SqlClient(conn)`), e.g. inside
 * the sink's transaction for exactly-once checkpoints. Rejections are the driver's own errors (the store wraps
 * them once). SELECT resolves to its rows; other statements resolve to [].
 */
export interface SqlClient {
  query(sql: string, params: readonly SqlParam[], signal?: AbortSignal): Promise<readonly SqlRow[]>;
}

/**
 * Adapts a mysql2/promise Pool, Connection or PoolConnection. BIGINT columns come back as strings
 * (`supportBigNumbers` + `bigNumberStrings`) so nothing is rounded.
 */
export function mysql2SqlClient(conn: Pool | Connection | PoolConnection): SqlClient {
  return {
    async query(sql, params, signal) {
      if (signal?.aborted === true) throw new AbortedError('sql query', signal.reason);
      const values = params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
      const [rows] = await conn.query({ sql, values, supportBigNumbers: true, bigNumberStrings: true });
      return Array.isArray(rows) ? (rows as SqlRow[]) : [];
    },
  };
}
