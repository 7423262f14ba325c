import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CommitTs } from '../model/commit-ts.js';
import type { DdlEvent, Txn } from '../model/events.js';

/**
 * When the runner closes a batch: whichever limit is reached first. The sink declares a default; the user's
 * config (`[syncer] txn-batch`, `batch-bytes`, `batch-delay-ms`) overrides it.
 */
export interface BatchPolicy {
  /** At most this many transactions per batch (a single larger transaction is never split). */
  readonly maxTxns: number;
  /** At most this many payload bytes per batch (a single larger transaction is never split). */
  readonly maxBytes: number;
  /** A partial batch is sent after waiting this long for more transactions. */
  readonly maxDelayMs: number;
}

export interface SinkCapabilities {
  /**
   * How many `write` calls may be outstanding at once. 1 = the next batch is sent only after the previous one
   * resolved. With more, batches are still *issued* in commit-ts order and the sink must make them durable in a
   * way that keeps per-row order (e.g. Kafka partitions, MySQL causality).
   */
  readonly maxInFlight: number;
  /** False: DDL events are not passed to `writeDdl` (they still act as a barrier and advance the checkpoint). */
  readonly supportsDdl: boolean;
  /**
   * The sink stores the checkpoint itself, in the same atomic unit as the data (a MySQL transaction, a Kafka
   * transaction): exactly-once delivery. The runner then sends batches one at a time (maxInFlight is treated as
   * 1), passes the checkpoint to store in `TxnBatch.checkpoint` / `DdlEvent` commit ts, and reads the resume
   * point with `loadCheckpoint()` instead of the configured checkpoint store.
   */
  readonly ownsCheckpoint?: boolean;
  readonly defaultBatch: BatchPolicy;
}

/** The checkpoint as the Go drainer stores it. */
export interface Checkpoint {
  /** Everything with commit ts ≤ this has been durably applied downstream. */
  readonly commitTs: CommitTs;
  /** Schema version of the last DDL applied (0 when unknown). */
  readonly schemaVersion: number;
  /** True only when written by a clean shutdown: nothing after `commitTs` was applied. */
  readonly consistent: boolean;
  /** The Go drainer's `ts-map` (primary/secondary ts pairs for TiDB-to-TiDB sync); kept as read. */
  readonly tsMap?: Readonly<Record<string, CommitTs>>;
}

/** Where the sink resumes after a restart. */
export interface ResumePoint {
  /** The stored checkpoint (or initial-commit-ts when none): data ≤ this is already downstream. */
  readonly checkpoint: CommitTs;
  /**
   * Up to and including this commit ts the sink may be sent transactions it already applied before a crash (the
   * checkpoint is saved periodically, not per batch). The sink must apply them idempotently (e.g. the MySQL sink
   * switches to safe mode: REPLACE / delete+insert). Equal to `checkpoint` after a clean (consistent) shutdown.
   */
  readonly replaySafeUntil: CommitTs;
}

/**
 * What the runner hands to `Sink.open`. Build one for tests with `createSinkContext()`.
 */
export interface SinkContext {
  /** A child logger bound to `{ sink: <type> }`. Log per batch or per incident, never per row. */
  readonly logger: Logger;
  /** Register the sink's own metrics here (prefix them with the sink type). */
  readonly metrics: Registry;
  /**
   * The hard-stop signal for the whole run: aborted when the drainer must stop *now* (a fatal error elsewhere, the
   * shutdown drain deadline passed, a second SIGINT). A graceful shutdown does NOT abort it: outstanding writes are
   * allowed to finish first. Every call also receives its own signal; pass whichever is at hand to every I/O call.
   */
  readonly signal: AbortSignal;
  readonly resume: ResumePoint;
  /** The upstream PD cluster id (the Go drainer keys its checkpoint row and Kafka topic by it). */
  readonly clusterId: bigint;
  /** Name of this drainer node (`host:port`), for sinks that tag their output. */
  readonly nodeId: string;
  /** Directory the sink may use for its own state (`<data-dir>/<sink type>`), created by the runner. */
  readonly dataDir: string;
}

/**
 * A run of whole transactions in strictly increasing commit-ts order, built by the runner (never by the sink).
 * Treat it as immutable: the runner may resend the very same object after a retryable failure. Build one in tests
 * with `buildTxnBatch()`.
 */
export interface TxnBatch {
  /** Increases by one per batch within a run of the drainer; resends of the same batch keep it. */
  readonly seq: number;
  readonly txns: readonly Txn[];
  readonly firstCommitTs: CommitTs;
  readonly lastCommitTs: CommitTs;
  /** Sum of the transactions' `bytes`. */
  readonly bytes: number;
  /** Number of row changes in the batch. */
  readonly rows: number;
  /**
   * For `ownsCheckpoint` sinks: the checkpoint to store atomically with this batch (it covers this batch and may
   * be later than `lastCommitTs` when a resolved watermark follows). Undefined for other sinks.
   */
  readonly checkpoint?: Checkpoint;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
}

/**
 * A destination for change data. The contract (the runner guarantees the left half, the sink the right half).
 * MUST/SHOULD are used as in RFC 2119.
 *
 * - **Lifecycle.** The runner calls `open` once, then any number of `write`/`writeDdl`/`resolved`/`flush`, then
 *   `close` exactly once — also after a failed or aborted `open`. No method is called before `open` resolved or
 *   after `close` was called. When `open` rejects with a retryable SinkError the runner calls `open` again on the
 *   same instance after a backoff, so the sink MUST release partial resources before rejecting (or reuse them).
 * - **Ordering.** Batches and DDL are issued in strictly increasing commit-ts order. A transaction is never split
 *   across batches. At most `capabilities.maxInFlight` writes are outstanding at once; they are *issued* in order,
 *   may *resolve* in any order, and the checkpoint only advances over the contiguous resolved prefix.
 * - **Resolving means durable.** When `write`/`writeDdl` resolves, its data MUST survive a crash of the drainer
 *   and of the downstream (fsync'd, committed, acked by all in-sync replicas). The runner may save a checkpoint
 *   past it at any moment after. A sink that buffers MUST NOT resolve before the buffer is durable.
 * - **Retries resend the same batch.** On a retryable rejection the runner resends the identical batch (same
 *   object, same `seq`) after a jittered exponential backoff, so re-applying any prefix of a batch MUST be
 *   harmless. Batches with commit ts ≤ `resume.replaySafeUntil` may have been applied before a crash and MUST be
 *   applied idempotently (MySQL: REPLACE / delete+insert; log sinks: at-least-once, readers dedupe by commit ts).
 *   A fatal rejection (or any non-DrainerError) stops the drainer; the checkpoint stays before that batch.
 * - **DDL barrier.** `writeDdl` is called only after every earlier batch has resolved, and no later batch is
 *   issued until it resolves. A DDL is never concurrent with any other call. The runner saves a checkpoint
 *   right after a DDL resolves (as the Go drainer does).
 * - **Resolved watermarks.** `resolved(ts)` means every change with commit ts ≤ ts has been delivered to the sink
 *   and acknowledged; it is called only when no write is outstanding (and may be throttled by the runner).
 * - **Abort.** When a call's `signal` aborts, the sink SHOULD stop promptly and reject with an AbortedError (or
 *   any error); the batch counts as not delivered and will be resent after a restart.
 * - **Concurrency.** Calls come from one runner; the sink needs no locking for its own methods except that up to
 *   `maxInFlight` `write` calls overlap. `writeDdl`, `resolved`, `flush` and `close` never overlap anything.
 * - **Errors.** Reject with a `SinkError` built from the driver's error *code* (never its message text), with
 *   `retryable` set and details naming commit ts / schema / table, never row values or secrets.
 * - **Exactly-once (optional).** With `capabilities.ownsCheckpoint` the sink stores `batch.checkpoint` in the same
 *   atomic unit as the batch, answers `loadCheckpoint`, and MAY implement `saveCheckpoint` for advances that carry
 *   no data (idle watermarks, the final `consistent: true`).
 */
export interface Sink {
  readonly capabilities: SinkCapabilities;
  /** Connect and verify the destination. May create the sink's own metadata (tables, topics). */
  open(ctx: SinkContext): Promise<void>;
  /** Apply a batch durably. See the contract above. */
  write(batch: TxnBatch, signal: AbortSignal): Promise<void>;
  /** Apply one DDL durably (only called when `supportsDdl`). */
  writeDdl(ddl: DdlEvent, signal: AbortSignal): Promise<void>;
  /**
   * Optional: a watermark passed with no data after `commitTs` (idle or filtered). Sinks that emit resolved or
   * checkpoint events (Kafka canal-json WATERMARK, TiCDC resolved ts) use it; others ignore it. Called only when
   * no write is outstanding.
   */
  resolved?(commitTs: CommitTs, signal: AbortSignal): Promise<void>;
  /** Optional: push out anything buffered; called before the final checkpoint on shutdown. */
  flush?(signal: AbortSignal): Promise<void>;
  /** Optional: health checks for `drainer check` (reachability, permissions, versions). Must not write data. */
  check?(signal: AbortSignal): Promise<readonly CheckResult[]>;
  /** For `ownsCheckpoint` sinks: the checkpoint stored with the data, or undefined when there is none yet. */
  loadCheckpoint?(signal: AbortSignal): Promise<Checkpoint | undefined>;
  /**
   * Optional, for `ownsCheckpoint` sinks: store a checkpoint that covers no new data — a resolved watermark while
   * idle, and the final `consistent: true` save on a clean shutdown. Called only when no write is outstanding.
   * Without it such advances are not persisted and the next start replays from the last batch's checkpoint.
   */
  saveCheckpoint?(checkpoint: Checkpoint, signal: AbortSignal): Promise<void>;
  /** Release everything. Idempotent; called exactly once by the runner, also after a failed open. */
  close(): Promise<void>;
}
