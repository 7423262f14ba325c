import { createPool } from 'mysql2/promise';
import type { Pool, PoolOptions } from 'mysql2/promise';
import { AbortedError, DrainerError } from '../errors/drainer-error.js';
import type { Checkpoint } from '../sdk/sink.js';
import { decodeCheckpointJson, encodeCheckpointJson } from './checkpoint-json.js';
import { CheckpointError } from './checkpoint-store.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { mysql2SqlClient } from './sql-client.js';
import type { SqlClient, SqlParam } from './sql-client.js';

/** The Go defaults for `[syncer.to.checkpoint]` (spec §7.1). */
export const DEFAULT_CHECKPOINT_SCHEMA = 'tidb_binlog';
export const DEFAULT_CHECKPOINT_TABLE = 'checkpoint';

export interface CheckpointTable {
  readonly schema: string;
  readonly table: string;
}

/**
 * The Go drainer's statements, byte for byte except that values are bound instead of interpolated (names are
 * not quoted, as in Go, so they must be plain identifiers — checked here). A sink that owns the checkpoint runs
 * `checkpointUpsertSql` inside its own transaction with `[clusterId, encodeCheckpointJson(cp)]`.
 */
export function checkpointTableDdl(t: CheckpointTable): readonly string[] {
  const name = qualified(t);
  return [`create schema if not exists ${t.schema}`, `create table if not exists ${name}(clusterID bigint unsigned primary key, checkPoint MEDIUMTEXT)`];
}
export function checkpointUpsertSql(t: CheckpointTable): string {
  return `replace into ${qualified(t)} values(?, ?)`;
}
export function checkpointSelectSql(t: CheckpointTable): string {
  return `select checkPoint from ${qualified(t)} where clusterID = ?`;
}

export interface MysqlCheckpointStoreOptions extends Partial<CheckpointTable> {
  /** The PD cluster id: the row key. */
  readonly clusterId: bigint;
  /** A client the caller owns (not closed by the store), e.g. the MySQL sink's connection. */
  readonly client: SqlClient;
}

/**
 * `tidb_binlog.checkpoint` (spec §7.2): one row per cluster id, the checkpoint as Go-compatible JSON. `open()`
 * creates the schema and table if missing, as the Go drainer does at startup.
 */
export class MysqlCheckpointStore implements CheckpointStore {
  readonly kind = 'mysql';
  readonly location: string;
  private readonly table: CheckpointTable;
  private ownedPool: Pool | undefined;
  private closed = false;

  constructor(private readonly options: MysqlCheckpointStoreOptions) {
    this.table = { schema: options.schema ?? DEFAULT_CHECKPOINT_SCHEMA, table: options.table ?? DEFAULT_CHECKPOINT_TABLE };
    this.location = `${qualified(this.table)}#${options.clusterId.toString()}`;
  }

  /** A store on its own mysql2 pool (one connection), closed with the store. */
  static connect(options: Omit<MysqlCheckpointStoreOptions, 'client'> & { readonly connection: PoolOptions }): MysqlCheckpointStore {
    // One connection: saves are serialised by the runner anyway, and a checkpoint must not hog the downstream.
    const pool = createPool({ ...options.connection, connectionLimit: 1, supportBigNumbers: true, bigNumberStrings: true });
    const store = new MysqlCheckpointStore({ ...options, client: mysql2SqlClient(pool) });
    store.ownedPool = pool;
    return store;
  }

  /** Creates the schema and table when missing. Safe to call again. */
  async open(signal?: AbortSignal): Promise<void> {
    for (const sql of checkpointTableDdl(this.table)) await this.run('create the checkpoint table', sql, [], signal);
  }

  async load(signal?: AbortSignal): Promise<Checkpoint | undefined> {
    const rows = await this.run('read the checkpoint', checkpointSelectSql(this.table), [this.options.clusterId], signal);
    const text = rows[0]?.['checkPoint'];
    if (text === undefined || text === null) return undefined;
    if (typeof text !== 'string') throw this.badRow('checkPoint is not text');
    let cp: Checkpoint;
    try {
      cp = decodeCheckpointJson(text);
    } catch (err) {
      throw new CheckpointError('the stored checkpoint is not valid', { retryable: false, cause: err, details: { table: this.location } });
    }
    return cp.commitTs === 0n ? undefined : cp;
  }

  async save(checkpoint: Checkpoint, signal?: AbortSignal): Promise<void> {
    await this.run('save the checkpoint', checkpointUpsertSql(this.table), [this.options.clusterId, encodeCheckpointJson(checkpoint)], signal, checkpoint.commitTs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ownedPool?.end();
  }

  private async run(what: string, sql: string, params: readonly SqlParam[], signal?: AbortSignal, commitTs?: bigint) {
    if (this.closed) throw new CheckpointError(`cannot ${what}: the store is closed`, { retryable: false, details: { table: this.location } });
    try {
      return await this.options.client.query(sql, params, signal);
    } catch (err) {
      if (err instanceof DrainerError) throw err;
      if (signal?.aborted === true) throw new AbortedError(what, err);
      const code = driverCode(err);
      const errno = driverErrno(err);
      throw new CheckpointError(`cannot ${what}`, {
        retryable: (code !== undefined && RETRYABLE_CODES.has(code)) || (errno !== undefined && RETRYABLE_ERRNOS.has(errno)),
        cause: err,
        details: { table: this.location, commitTs, driverCode: code },
      });
    }
  }

  private badRow(message: string): CheckpointError {
    return new CheckpointError(message, { retryable: false, details: { table: this.location } });
  }
}

/** Connection-level and lock-contention conditions where repeating the statement can succeed. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
]);

/** Server errnos for the same conditions (MariaDB names some differently, e.g. 1927 ER_CONNECTION_KILLED). */
const RETRYABLE_ERRNOS = new Set([1040, 1053, 1205, 1213, 1317, 1927, 2006, 2013]);

function driverErrno(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'errno' in err && typeof err.errno === 'number') return err.errno;
  return undefined;
}

function driverCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

const IDENT = /^[A-Za-z0-9_$]+$/;
function qualified(t: CheckpointTable): string {
  if (!IDENT.test(t.schema) || !IDENT.test(t.table)) throw new TypeError(`checkpoint schema/table must be plain identifiers (got ${t.schema}.${t.table})`);
  return `${t.schema}.${t.table}`;
}
