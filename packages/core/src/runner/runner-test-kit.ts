import type { CommitTs } from '../model/commit-ts.js';
import type { ChangeEvent, DdlEvent, Resolved, Txn } from '../model/events.js';
import type { TableInfo } from '../model/table-info.js';
import type { BatchPolicy, Checkpoint, Sink, SinkCapabilities, SinkContext, TxnBatch } from '../sdk/sink.js';

/**
 * Small builders and a scriptable in-memory sink for runner tests and benchmarks (not a sink anyone deploys: it
 * keeps what it is sent in memory and lets a test decide when and how each call settles).
 */
const TABLE: TableInfo = {
  id: 1, schema: 's', name: 't', columns: [], indices: [], pkIsHandle: false, isCommonHandle: false, schemaVersion: 1, charset: 'utf8mb4', collation: 'utf8mb4_bin',
};

export function testTxn(commitTs: CommitTs, rows = 1, bytes = 100): Txn {
  const changes = Array.from({ length: rows }, (_, i) => ({ op: 'insert' as const, schema: 's', table: 't', tableInfo: TABLE, after: [BigInt(i)] }));
  return { kind: 'txn', commitTs, startTs: commitTs - 1n, schemaVersion: 1, changes, bytes };
}

export function testDdl(commitTs: CommitTs, schemaVersion = 2): DdlEvent {
  return { kind: 'ddl', commitTs, schema: 's', table: 't', query: 'ALTER TABLE t ADD COLUMN c INT', jobId: 1, jobType: 5, schemaVersion };
}

export function testResolved(commitTs: CommitTs): Resolved {
  return { kind: 'resolved', commitTs };
}

// eslint-disable-next-line @typescript-eslint/require-await -- a synchronous source behind the async-iterable interface
export async function* fromArray(events: readonly ChangeEvent[]): AsyncGenerator<ChangeEvent> {
  for (const e of events) yield e;
}

export type WriteHook = (batch: TxnBatch, signal: AbortSignal, attempt: number) => Promise<void> | void;

/** Records calls; `onWrite` decides how each write settles (default: at once). */
export class ScriptedSink implements Sink {
  readonly capabilities: SinkCapabilities;
  readonly writes: TxnBatch[] = [];
  readonly acked: TxnBatch[] = [];
  readonly ddls: DdlEvent[] = [];
  readonly resolvedTs: CommitTs[] = [];
  readonly log: string[] = [];
  ctx: SinkContext | undefined;
  closeCalls = 0;
  inFlight = 0;
  maxObservedInFlight = 0;
  stored: Checkpoint | undefined;
  onWrite: WriteHook = () => undefined;
  onOpen: () => Promise<void> | void = () => undefined;

  constructor(caps: Partial<Omit<SinkCapabilities, 'defaultBatch'>> & { readonly defaultBatch?: Partial<BatchPolicy> } = {}) {
    this.capabilities = {
      maxInFlight: caps.maxInFlight ?? 1,
      supportsDdl: caps.supportsDdl ?? true,
      ownsCheckpoint: caps.ownsCheckpoint,
      defaultBatch: { maxTxns: 4, maxBytes: 1 << 20, maxDelayMs: 5, ...caps.defaultBatch },
    };
  }

  async open(ctx: SinkContext): Promise<void> {
    this.log.push('open');
    await this.onOpen();
    this.ctx = ctx;
  }

  async write(batch: TxnBatch, signal: AbortSignal): Promise<void> {
    const attempt = this.writes.filter((b) => b === batch).length + 1;
    this.writes.push(batch);
    this.inFlight += 1;
    this.maxObservedInFlight = Math.max(this.maxObservedInFlight, this.inFlight);
    this.log.push(`write ${batch.seq}`);
    try {
      await this.onWrite(batch, signal, attempt);
      this.acked.push(batch);
      if (batch.checkpoint !== undefined) this.stored = batch.checkpoint;
      this.log.push(`ack ${batch.seq}`);
    } finally {
      this.inFlight -= 1;
    }
  }

  writeDdl(ddl: DdlEvent): Promise<void> {
    this.log.push(`ddl ${ddl.commitTs} inFlight=${this.inFlight}`);
    this.ddls.push(ddl);
    if (this.capabilities.ownsCheckpoint === true) this.stored = { commitTs: ddl.commitTs, schemaVersion: ddl.schemaVersion, consistent: false };
    return Promise.resolve();
  }

  loadCheckpoint(): Promise<Checkpoint | undefined> {
    return Promise.resolve(this.stored);
  }

  saveCheckpoint(cp: Checkpoint): Promise<void> {
    this.log.push(`saveCheckpoint ${cp.commitTs} ${String(cp.consistent)} inFlight=${this.inFlight}`);
    this.stored = cp;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closeCalls += 1;
    this.log.push('close');
    return Promise.resolve();
  }

  /** Commit ts of every acknowledged transaction, in acknowledgement order of batches. */
  ackedTs(): CommitTs[] {
    return this.acked.flatMap((b) => b.txns.map((t) => t.commitTs));
  }
}

/** A promise with its resolve/reject, for tests that settle calls by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
