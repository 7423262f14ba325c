import { createConnection, createPool } from 'mysql2/promise';
import type { Connection, ConnectionOptions, Pool, PoolConnection } from 'mysql2/promise';
import { mysql2SqlClient } from '@tidb-drainer/core';
import type { SqlClient } from '@tidb-drainer/core';
import { AbortedError } from '@tidb-drainer/core/sdk';
import { destroyConnection } from './lease.js';
import { setupSession } from './session-setup.js';
import type { SessionSetup } from './session-setup.js';

/**
 * The sink's downstream connections: one mysql2 pool for DML and checkpoints (each session prepared once, on first
 * use: TiDB variables, params, sql_mode, UTC time zone), and short-lived single connections for DDL (prepared
 * with the user's time zone and the full sql_mode). Owns the pool; `end()` closes it.
 */
export class Downstream {
  private readonly pool: Pool;
  /** Underlying connections whose session is set up (the promise wrappers differ per checkout). */
  private readonly ready = new WeakSet<object>();

  constructor(
    private readonly options: ConnectionOptions,
    poolSize: number,
    private readonly setup: Omit<SessionSetup, 'purpose'>,
  ) {
    this.pool = createPool({ ...options, connectionLimit: poolSize, maxIdle: poolSize, waitForConnections: true, queueLimit: 0, enableKeepAlive: true });
  }

  /** A prepared pooled connection. Rejects with the driver's error (callers wrap it) or AbortedError. */
  async acquire(signal: AbortSignal): Promise<PoolConnection> {
    if (signal.aborted) throw new AbortedError('acquire a downstream connection', signal.reason);
    const conn = await this.pool.getConnection();
    if (!this.ready.has(conn.connection)) {
      try {
        await setupSession(conn, { ...this.setup, purpose: 'dml' });
      } catch (err) {
        destroyConnection(conn);
        throw err;
      }
      this.ready.add(conn.connection);
    }
    return conn;
  }

  /** A fresh connection for one DDL (no multi-statements: the DDL text is sent as is). Close it with `end()`. */
  async ddlConnection(): Promise<Connection> {
    const conn = await createConnection({ ...this.options, multipleStatements: false });
    try {
      await setupSession(conn, { ...this.setup, purpose: 'ddl' });
    } catch (err) {
      conn.destroy();
      throw err;
    }
    return conn;
  }

  /** Plain pooled queries for metadata and the checkpoint store (they need no session setup). */
  sqlClient(): SqlClient {
    return mysql2SqlClient(this.pool);
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
