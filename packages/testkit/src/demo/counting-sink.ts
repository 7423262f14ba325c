import type {
  Checkpoint,
  CheckResult,
  CommitTs,
  DdlEvent,
  Sink,
  SinkCapabilities,
  SinkContext,
  TxnBatch,
} from '@tidb-drainer/core/sdk';

/** What reached the downstream durably, as counted by `CountingSink`. */
export interface DeliveredCounts {
  txns: number;
  rows: number;
  ddls: number;
  /** Highest commit ts delivered (txn, DDL or resolved watermark); 0 before anything. */
  lastCommitTs: CommitTs;
  /** `schema.table` → row changes by kind. */
  readonly tables: Record<string, { insert: number; update: number; delete: number }>;
}

/**
 * A pass-through Sink that counts what the wrapped sink acknowledged, for the demo's live progress and summary.
 * Counts move only after the inner call resolved (i.e. the data is durable), so a retried batch is counted once.
 * It forwards every optional method the inner sink has and keeps its capabilities unchanged.
 */
export class CountingSink implements Sink {
  readonly capabilities: SinkCapabilities;
  readonly counts: DeliveredCounts = { txns: 0, rows: 0, ddls: 0, lastCommitTs: 0n, tables: {} };
  readonly resolved?: (commitTs: CommitTs, signal: AbortSignal) => Promise<void>;
  readonly flush?: (signal: AbortSignal) => Promise<void>;
  readonly check?: (signal: AbortSignal) => Promise<readonly CheckResult[]>;
  readonly loadCheckpoint?: (signal: AbortSignal) => Promise<Checkpoint | undefined>;
  readonly saveCheckpoint?: (checkpoint: Checkpoint, signal: AbortSignal) => Promise<void>;

  constructor(private readonly inner: Sink) {
    this.capabilities = inner.capabilities;
    // `resolved` is always exposed (watermarks move the demo's lag while idle; forwarding is a no-op for sinks
    // without it); the other optional methods only when the inner sink has them, so the runner treats the wrapper
    // exactly as it would the inner sink (e.g. ownsCheckpoint needs loadCheckpoint).
    const resolved = inner.resolved?.bind(inner);
    this.resolved = async (ts, signal) => {
      await resolved?.(ts, signal);
      this.advance(ts);
    };
    if (inner.flush !== undefined) this.flush = inner.flush.bind(inner);
    if (inner.check !== undefined) this.check = inner.check.bind(inner);
    if (inner.loadCheckpoint !== undefined) this.loadCheckpoint = inner.loadCheckpoint.bind(inner);
    if (inner.saveCheckpoint !== undefined) this.saveCheckpoint = inner.saveCheckpoint.bind(inner);
  }

  open(ctx: SinkContext): Promise<void> {
    return this.inner.open(ctx);
  }

  async write(batch: TxnBatch, signal: AbortSignal): Promise<void> {
    await this.inner.write(batch, signal);
    this.counts.txns += batch.txns.length;
    this.counts.rows += batch.rows;
    for (const txn of batch.txns) {
      for (const change of txn.changes) {
        const key = `${change.schema}.${change.table}`;
        const t = (this.counts.tables[key] ??= { insert: 0, update: 0, delete: 0 });
        t[change.op]++;
      }
    }
    this.advance(batch.lastCommitTs);
  }

  async writeDdl(ddl: DdlEvent, signal: AbortSignal): Promise<void> {
    await this.inner.writeDdl(ddl, signal);
    this.counts.ddls++;
    this.advance(ddl.commitTs);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private advance(ts: CommitTs): void {
    if (ts > this.counts.lastCommitTs) this.counts.lastCommitTs = ts;
  }
}
