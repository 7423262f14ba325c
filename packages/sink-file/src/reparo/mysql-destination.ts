import { createPool } from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';
import type { Logger } from 'pino';
import { buildTxnBatch, createSinkContext } from '@tidb-drainer/core/sdk';
import type { DdlEvent, Sink, Txn } from '@tidb-drainer/core/sdk';
import { mysqlSink } from '@tidb-drainer/sink-mysql';
import { KeyCache } from './key-cache.js';
import type { ReparoConfig } from './reparo-config.js';
import type { RestoreDestination } from './restore-destination.js';

/** Transactions per batch handed to the MySQL sink: big enough to fill its workers, small enough to bound memory. */
const TXNS_PER_BATCH = 512;

/**
 * `dest-type = mysql`: applies through @tidb-drainer/sink-mysql (causality-parallel workers, safe mode), with
 * table keys read from the destination as Go's loader does.
 */
export class MysqlDestination implements RestoreDestination {
  private readonly pool: Pool;
  readonly keys: KeyCache;
  private readonly sink: Sink;
  private pending: Txn[] = [];
  private seq = 0;
  private opened = false;

  constructor(
    private readonly cfg: ReparoConfig,
    private readonly logger: Logger,
  ) {
    const db = cfg['dest-db'];
    this.pool = createPool({ host: db.host, port: db.port, user: db.user, password: db.password, connectionLimit: 2 });
    this.keys = new KeyCache(this.pool);
    const config = mysqlSink.configSchema.parse({ host: db.host, port: db.port, user: db.user, password: db.password });
    this.sink = mysqlSink.create(config, {
      dbType: 'mysql',
      workerCount: cfg['worker-count'],
      txnBatch: cfg['txn-batch'],
      safeMode: cfg['safe-mode'],
      timezone: 'UTC',
    });
  }

  async open(signal: AbortSignal): Promise<void> {
    await this.sink.open(createSinkContext({ logger: this.logger, signal }));
    this.opened = true;
  }

  async prepare(tables: readonly { readonly schema: string; readonly table: string }[]): Promise<void> {
    for (const t of tables) await this.keys.ensure(t.schema, t.table);
  }

  async apply(e: Txn | DdlEvent, signal: AbortSignal): Promise<void> {
    if (e.kind === 'txn') {
      this.pending.push(e);
      if (this.pending.length >= TXNS_PER_BATCH) await this.flush(signal);
      return;
    }
    await this.flush(signal);
    await this.sink.writeDdl(e, signal);
    this.keys.forget();
  }

  async flush(signal: AbortSignal): Promise<void> {
    if (this.pending.length === 0) return;
    const txns = this.pending;
    this.pending = [];
    await this.sink.write(buildTxnBatch(++this.seq, txns), signal);
  }

  async close(): Promise<void> {
    try {
      if (this.opened) await this.sink.close();
    } finally {
      await this.pool.end();
    }
  }
}
