import { checkpointUpsertSql, encodeCheckpointJson, MysqlCheckpointStore } from '@tidb-drainer/core';
import { setMaxListeners } from 'node:events';
import type { PoolConnection } from 'mysql2/promise';
import { AbortedError, SinkError } from '@tidb-drainer/core/sdk';
import type {
  Checkpoint,
  CheckResult,
  CommitTs,
  DdlEvent,
  Sink,
  SinkCapabilities,
  SinkContext,
  SinkEnv,
  TxnBatch,
} from '@tidb-drainer/core/sdk';
import { applyDdl } from './apply/apply-ddl.js';
import { DownstreamColumns } from './apply/downstream-columns.js';
import { ER_BAD_FIELD, ER_DUP_ENTRY, MysqlErrorCode, toSinkError } from './apply/classify-error.js';
import { partitionByCausality } from './apply/partition-by-causality.js';
import { runTransaction } from './apply/run-transaction.js';
import type { TrailerStatement } from './apply/run-transaction.js';
import { parseReadTimeout } from './config/parse-read-timeout.js';
import type { MysqlSinkConfig } from './config/mysql-sink-config.js';
import { connectionOptions } from './connection/connection-options.js';
import { Downstream } from './connection/downstream.js';
import { releaseConnection } from './connection/lease.js';
import { createSinkMetrics } from './mysql-sink-metrics.js';
import type { SinkMetrics } from './mysql-sink-metrics.js';
import { planStatements } from './sql/plan-statements.js';
import type { PlanOptions, SequencedChange } from './sql/plan-statements.js';

/** SQL text per round trip: far below MariaDB's 16 MiB max_allowed_packet default, big enough to amortise it. */
const MAX_PACKET_CHARS = 4 * 1024 * 1024;
/** Rows per downstream transaction when neither rows-per-txn nor txn-batch says otherwise. */
const FALLBACK_ROWS_PER_TXN = 1024;

/**
 * Replicates into MySQL / MariaDB / TiDB (spec §8.2). One `write` is applied by up to `worker-count` connections
 * in parallel, split by causality (changes touching the same key stay on one connection, in order); each
 * connection applies its share as transactions of up to rows-per-txn rows, statements merged into multi-row
 * INSERT/REPLACE/DELETE where order allows. `write` resolves when every transaction committed.
 *
 * Safe mode (REPLACE, update = delete + replace) is used when `[syncer] safe-mode` is set, for batches inside the
 * replay window after a restart, and when the runner resends a batch that failed (part of it may have committed).
 *
 * `exactly-once`: each batch is ONE transaction on one connection, ending with the Go-format checkpoint row
 * (`tidb_binlog.checkpoint`), so a crash can never replay committed data; the runner then reads the resume point
 * from `loadCheckpoint()`. Safe mode is then not needed for the replay window (a duplicate key there — data from
 * an earlier non-exactly-once run — rolls back and re-applies that batch in safe mode).
 */
export class MysqlSink implements Sink {
  readonly capabilities: SinkCapabilities;
  private ctx: SinkContext | undefined;
  private downstream: Downstream | undefined;
  private store: MysqlCheckpointStore | undefined;
  private metrics: SinkMetrics | undefined;
  private columns: DownstreamColumns | undefined;
  private readonly exactlyOnce: boolean;
  private readonly timeoutMs: number;
  private readonly rowsPerTxn: number;
  /**
   * The last commit ts of any batch that failed: a resend (same seq or rebuilt) may find part of it committed, so
   * batches starting at or below it are applied in safe mode (or, exactly-once, checked against the checkpoint).
   */
  private failedUpTo: CommitTs = -1n;
  /** Exactly-once: the commit ts the stored checkpoint covers; transactions at or below it are already applied. */
  private storedTs: CommitTs = 0n;
  private schemaVersion = 0;
  private closed = false;

  constructor(
    private readonly config: MysqlSinkConfig,
    private readonly env: SinkEnv,
  ) {
    this.exactlyOnce = config['exactly-once'];
    this.timeoutMs = parseReadTimeout(config['read-timeout']);
    this.rowsPerTxn = config['rows-per-txn'] > 0 ? config['rows-per-txn'] : FALLBACK_ROWS_PER_TXN;
    this.capabilities = {
      // Parallelism is inside a write (workers); one write at a time keeps causality simple and exact.
      maxInFlight: 1,
      supportsDdl: true,
      ownsCheckpoint: this.exactlyOnce,
      // Big batches give the workers something to share; bytes bound memory.
      defaultBatch: { maxTxns: 1024, maxBytes: 4 * 1024 * 1024, maxDelayMs: 20 },
    };
  }

  async open(ctx: SinkContext): Promise<void> {
    this.ctx = ctx;
    this.metrics ??= createSinkMetrics(ctx.metrics);
    if (this.downstream === undefined) {
      const poolSize = this.config['pool-size'] > 0 ? this.config['pool-size'] : this.env.workerCount + 1;
      this.downstream = new Downstream(connectionOptions(this.config), poolSize, {
        sqlMode: this.env.sqlMode,
        partialColumns: this.config['sync-mode'] === 2,
        params: this.config.params,
      });
    }
    const checkpoint = this.config.checkpoint;
    this.columns ??= new DownstreamColumns(this.downstream.sqlClient());
    this.store ??= new MysqlCheckpointStore({
      clusterId: ctx.clusterId,
      schema: checkpoint.schema,
      table: checkpoint.table,
      client: this.downstream.sqlClient(),
    });
    // Verify the downstream now (connect + session setup) rather than on the first batch.
    await this.withConnection('connect to the downstream', ctx.signal, () => Promise.resolve());
    if (this.exactlyOnce) {
      await this.store.open(ctx.signal);
      const cp = await this.store.load(ctx.signal);
      this.storedTs = cp?.commitTs ?? 0n;
      this.schemaVersion = cp?.schemaVersion ?? 0;
    }
  }

  async write(batch: TxnBatch, signal: AbortSignal): Promise<void> {
    const ctx = this.opened();
    const abort = this.callSignal(signal, ctx);
    const resend = batch.firstCommitTs <= this.failedUpTo;
    if (this.exactlyOnce && resend) {
      // The last attempt may have committed before its connection died: the checkpoint row says.
      const cp = await this.store?.load(abort);
      if (cp !== undefined && cp.commitTs > this.storedTs) this.storedTs = cp.commitTs;
    }
    const changes: SequencedChange[] = [];
    for (const txn of batch.txns) {
      if (this.exactlyOnce && txn.commitTs <= this.storedTs) continue;
      for (const change of txn.changes) changes.push({ change, commitTs: txn.commitTs });
    }
    try {
      await this.columns?.load(distinctTables(changes), abort);
    } catch (err) {
      throw toSinkError(err, { what: 'read downstream columns', schema: changes[0]?.change.schema, table: changes[0]?.change.table }, abort);
    }
    const inReplayWindow = batch.firstCommitTs <= ctx.resume.replaySafeUntil;
    try {
      if (this.exactlyOnce) {
        // Nothing past the stored checkpoint can be downstream (it commits with the data), so no safe mode for the
        // replay window — unless the data says otherwise (a checkpoint left by a non-exactly-once run): a duplicate
        // key inside the window rolls back and the batch is applied again in safe mode.
        try {
          await this.writeAtomically(batch, changes, this.env.safeMode, abort);
        } catch (err) {
          if (this.env.safeMode || !inReplayWindow || !isDuplicateKey(err)) throw err;
          ctx.logger.warn({ batchSeq: batch.seq, firstCommitTs: batch.firstCommitTs.toString() }, 'duplicate key in the replay window; applying the batch in safe mode');
          await this.writeAtomically(batch, changes, true, abort);
        }
      } else {
        await this.writeParallel(changes, this.env.safeMode || inReplayWindow || resend, abort);
      }
    } catch (err) {
      if (batch.lastCommitTs > this.failedUpTo) this.failedUpTo = batch.lastCommitTs;
      const failure = this.unknownColumnIsRetryable(err);
      if (failure instanceof SinkError && failure.retryable) this.metrics?.retryableErrors.inc();
      throw failure;
    }
    this.metrics?.countRows(changes);
  }

  async writeDdl(ddl: DdlEvent, signal: AbortSignal): Promise<void> {
    const ctx = this.opened();
    const abort = this.callSignal(signal, ctx);
    if (this.exactlyOnce && ddl.commitTs <= this.storedTs) return;
    await applyDdl(this.downstream as Downstream, ddl, { signal: abort, timeoutMs: this.timeoutMs, logger: ctx.logger });
    this.columns?.clear();
    this.schemaVersion = Math.max(this.schemaVersion, ddl.schemaVersion);
    // A DDL commits implicitly, so its checkpoint follows it; a crash in between re-runs an idempotent-by-ignore DDL.
    if (this.exactlyOnce) await this.saveCheckpoint({ commitTs: ddl.commitTs, schemaVersion: this.schemaVersion, consistent: false }, abort);
  }

  async loadCheckpoint(signal: AbortSignal): Promise<Checkpoint | undefined> {
    const store = this.store;
    if (store === undefined) throw new AbortedError('load checkpoint before open');
    return store.load(signal);
  }

  async saveCheckpoint(checkpoint: Checkpoint, signal: AbortSignal): Promise<void> {
    // Never move the stored checkpoint back (equal is written: the final save flips `consistent`).
    if (!this.exactlyOnce || checkpoint.commitTs < this.storedTs) return;
    await this.store?.save(checkpoint, signal);
    if (checkpoint.commitTs > this.storedTs) this.storedTs = checkpoint.commitTs;
  }

  async check(signal: AbortSignal): Promise<readonly CheckResult[]> {
    const results: CheckResult[] = [];
    try {
      const version = await this.withConnection('check the downstream', signal, async (conn) => {
        const [rows] = await conn.query('SELECT VERSION() AS v');
        const v = Array.isArray(rows) ? (rows[0] as { v?: unknown } | undefined)?.v : undefined;
        return typeof v === 'string' ? v : 'unknown';
      });
      results.push({ name: 'mysql: reachable', ok: true, message: `${this.config.host}:${this.config.port} version ${version}` });
    } catch (err) {
      results.push({ name: 'mysql: reachable', ok: false, message: err instanceof Error ? err.message : String(err) });
    }
    return results;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.downstream?.end();
  }

  private planOptions(safeMode: boolean): PlanOptions {
    const columns = this.columns;
    return {
      safeMode,
      rowsPerStatement: this.config['rows-per-statement'],
      mergeUpdates: this.config.merge,
      ...(columns !== undefined ? { downstreamColumns: (schema: string, table: string) => columns.get(schema, table) } : {}),
    };
  }

  /**
   * sync-mode 2 (partial columns): an unknown column (1054) means the downstream table changed under us — refresh
   * its column list and retry, as the Go drainer does. Otherwise the error stands.
   */
  private unknownColumnIsRetryable(err: unknown): unknown {
    if (this.config['sync-mode'] !== 2 || !(err instanceof SinkError) || err.details['errno'] !== ER_BAD_FIELD) return err;
    this.columns?.clear();
    return new SinkError(MysqlErrorCode.Retryable, `${err.message} (sync-mode 2: downstream columns refreshed, retrying)`, {
      retryable: true,
      cause: err,
      details: err.details,
    });
  }

  /** The call's signal joined with the run's; every worker transaction listens on it (hence the raised limit). */
  private callSignal(signal: AbortSignal, ctx: SinkContext): AbortSignal {
    const joined = AbortSignal.any([signal, ctx.signal]);
    setMaxListeners(this.env.workerCount + 8, joined);
    return joined;
  }

  private opened(): SinkContext {
    if (this.ctx === undefined || this.downstream === undefined) throw new AbortedError('write before open');
    return this.ctx;
  }

  /** Exactly-once: the whole batch and its checkpoint row in one transaction. */
  private async writeAtomically(batch: TxnBatch, changes: readonly SequencedChange[], safeMode: boolean, signal: AbortSignal): Promise<void> {
    const ctx = this.opened();
    const checkpoint: Checkpoint = batch.checkpoint ?? { commitTs: batch.lastCommitTs, schemaVersion: this.schemaVersion, consistent: false };
    // A resent batch wholly at or below the stored checkpoint: nothing to apply, and the checkpoint must not move back.
    if (changes.length === 0 && checkpoint.commitTs <= this.storedTs) return;
    const trailer: TrailerStatement = {
      sql: checkpointUpsertSql({ schema: this.config.checkpoint.schema, table: this.config.checkpoint.table }),
      params: [ctx.clusterId, encodeCheckpointJson(checkpoint)],
      what: 'save the checkpoint',
    };
    const statements = planStatements(changes, this.planOptions(safeMode));
    await this.withConnection('apply batch', signal, (conn) =>
      runTransaction(conn, statements, { signal, timeoutMs: this.timeoutMs, maxPacketChars: MAX_PACKET_CHARS, trailer, observe: this.metrics?.observeQuery }),
    );
    this.metrics?.txns.inc();
    if (checkpoint.commitTs > this.storedTs) this.storedTs = checkpoint.commitTs;
  }

  /** Default mode: causality-partitioned queues applied in parallel, each as a series of transactions. */
  private async writeParallel(changes: readonly SequencedChange[], safeMode: boolean, signal: AbortSignal): Promise<void> {
    const queues = partitionByCausality(changes, this.env.workerCount);
    const results = await Promise.allSettled(queues.map((q) => this.applyQueue(q, safeMode, signal)));
    let failure: Error | undefined;
    for (const r of results) {
      if (r.status !== 'rejected') continue;
      const reason = r.reason instanceof Error ? r.reason : new Error(String(r.reason));
      // A fatal error wins over a retryable one: retrying cannot get past it.
      if (failure === undefined || (failure instanceof SinkError && failure.retryable)) failure = reason;
    }
    if (failure !== undefined) throw failure;
  }

  private async applyQueue(queue: readonly SequencedChange[], safeMode: boolean, signal: AbortSignal): Promise<void> {
    await this.withConnection('apply batch', signal, async (conn) => {
      for (let i = 0; i < queue.length; i += this.rowsPerTxn) {
        const chunk = queue.slice(i, i + this.rowsPerTxn);
        const statements = planStatements(chunk, this.planOptions(safeMode));
        await runTransaction(conn, statements, { signal, timeoutMs: this.timeoutMs, maxPacketChars: MAX_PACKET_CHARS, observe: this.metrics?.observeQuery });
        this.metrics?.txns.inc();
      }
    });
  }

  /** Checks out a prepared connection for `fn` and returns it (or drops it when it was given up on). */
  private async withConnection<T>(what: string, signal: AbortSignal, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
    const downstream = this.downstream;
    if (downstream === undefined) throw new AbortedError(what);
    let conn;
    try {
      conn = await downstream.acquire(signal);
    } catch (err) {
      throw toSinkError(err, { what }, signal, MysqlErrorCode.Connect);
    }
    try {
      return await fn(conn);
    } finally {
      releaseConnection(conn);
    }
  }
}

/** The (schema, table) pairs a batch writes, once each. */
function distinctTables(changes: readonly SequencedChange[]): (readonly [string, string])[] {
  const seen = new Set<string>();
  const out: (readonly [string, string])[] = [];
  for (const { change } of changes) {
    const id = `${change.schema}\u0000${change.table}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push([change.schema, change.table]);
  }
  return out;
}

/** MySQL ER_DUP_ENTRY (1062), as wrapped by toSinkError. */
function isDuplicateKey(err: unknown): boolean {
  return err instanceof SinkError && err.details['errno'] === ER_DUP_ENTRY;
}
