import type { PoolConnection } from 'mysql2/promise';

/** Connections given up on (state unknown after an error or abort): never handed back to the pool. */
const destroyed = new WeakSet<PoolConnection>();

/** Closes the socket (the server rolls back any open transaction) and keeps it out of the pool. */
export function destroyConnection(conn: PoolConnection): void {
  if (destroyed.has(conn)) return;
  destroyed.add(conn);
  conn.destroy();
}

/** Returns a healthy connection to the pool; destroyed ones are dropped (the pool opens new ones on demand). */
export function releaseConnection(conn: PoolConnection): void {
  if (!destroyed.has(conn)) conn.release();
}
