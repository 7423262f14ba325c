import { pino } from 'pino';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { AbortedError, DrainerError, ErrorCode } from '../errors/drainer-error.js';
import type { CommitTs } from '../model/commit-ts.js';
import type { ChangeEvent, DdlEvent } from '../model/events.js';
import type { BatchPolicy, Checkpoint, ResumePoint, SinkContext } from '../sdk/sink.js';
import { buildTxnBatch } from '../sdk/txn-batch.js';
import { ByteQuota } from './byte-quota.js';
import { CheckpointSaver } from './checkpoint-saver.js';
import { EventQueue } from './event-queue.js';
import type { ExitCode } from './exit-codes.js';
import { heldBytesOf } from './held-bytes.js';
import { appendTxn, batchCheckpointTs, batchSchemaVersion, isFull, msUntilDue, startBatch, wouldOverflow } from './open-batch.js';
import type { OpenBatch } from './open-batch.js';
import { ProgressTracker } from './progress-tracker.js';
import { resolveResumePoint } from './replay-window.js';
import { DEFAULT_RETRY_POLICY, withRetries } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import { RunnerMetrics } from './runner-metrics.js';
import { definedOnly, describe, exitCodeFor, lazyResumeContext, stoppable, stringify } from './runner-support.js';
import type { RunOutcome } from './runner-support.js';
import * as D from './runner-options.js';
import type { RunnerOptions } from './runner-options.js';
import { StopSequence } from './stop-sequence.js';
import { WriteWindow } from './write-window.js';

export interface RunResult {
  /** completed: the input ended; stopped: graceful signal; fatal: an error stopped it; drain-timeout / forced. */
  readonly outcome: RunOutcome;
  readonly exitCode: ExitCode;
  /** The last checkpoint saved (the start checkpoint when none was saved). */
  readonly checkpoint: Checkpoint;
  readonly error?: unknown;
  readonly stats: { readonly batches: number; readonly txns: number; readonly rows: number; readonly retries: number; readonly peakHeldBytes: number };
}

/**
 * Drives one Sink from a stream of ChangeEvents (see the Sink contract in sdk/sink.ts for what it guarantees).
 * Usage: `const resume = await runner.open(signal)` (load checkpoint, open sink), start the upstream after
 * `resume.checkpoint`, then `await runner.run(events, gracefulSignal, forceSignal)`, which always closes the sink
 * and the checkpoint store. If `open` rejects, everything is already closed.
 */
export class Runner {
  private readonly o: RunnerOptions;
  private readonly log: Logger;
  private readonly registry: Registry;
  private readonly metrics: RunnerMetrics;
  private readonly policy: BatchPolicy;
  private readonly retry: RetryPolicy;
  private readonly owns: boolean;
  private readonly window: number;
  private readonly hard = new AbortController();
  private readonly quota: ByteQuota;
  private tracker = new ProgressTracker(0n);
  private resume: ResumePoint | undefined;
  private readonly writes = new WriteWindow(this.hard.signal);
  private readonly checkpoints: CheckpointSaver;
  private failure: { error: unknown } | undefined;
  private seq = 0;
  private lastResolvedForward = 0;
  private closed = false;
  private readonly stats = { batches: 0, txns: 0, rows: 0, retries: 0 };

  constructor(options: RunnerOptions) {
    this.o = options;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ sink: options.sinkType });
    this.registry = options.metrics ?? new Registry();
    this.metrics = new RunnerMetrics(this.registry);
    const caps = options.sink.capabilities;
    this.policy = { ...caps.defaultBatch, ...definedOnly(options.batch ?? {}) };
    this.retry = { ...DEFAULT_RETRY_POLICY, ...definedOnly(options.retry ?? {}) };
    this.owns = caps.ownsCheckpoint === true;
    this.window = this.owns ? 1 : Math.max(1, caps.maxInFlight);
    this.quota = new ByteQuota(options.memoryQuotaBytes ?? D.DEFAULT_MEMORY_QUOTA_BYTES);
    this.metrics.queueLimitBytes.set(this.quota.limit);
    if (!this.owns && options.checkpointStore === undefined) throw new TypeError('Runner needs a checkpointStore unless the sink ownsCheckpoint');
    this.checkpoints = new CheckpointSaver({
      sink: options.sink,
      store: options.checkpointStore,
      owns: this.owns,
      tracker: () => this.tracker,
      window: this.writes,
      retry: this.retry,
      metrics: this.metrics,
      log: this.log,
      onRetry: (what, e, n) => this.onRetry(what, e, n),
    });
  }

  /** The last checkpoint saved (or the start checkpoint): what a restart would resume from. For status APIs. */
  get savedCheckpoint(): Checkpoint {
    return this.checkpoints.saved;
  }

  /** Everything ≤ this is acknowledged by the sink (may be ahead of the saved checkpoint by one save interval). */
  get acknowledgedTs(): CommitTs {
    return this.tracker.checkpointTs;
  }

  /** The highest number of bytes held at once so far (always ≤ the memory quota unless one event is larger). */
  get peakHeldBytes(): number {
    return this.quota.peakBytes;
  }

  /** Loads the checkpoint, computes the resume point and opens the sink (retrying retryable failures). */
  async open(signal: AbortSignal): Promise<ResumePoint> {
    const both = AbortSignal.any([signal, this.hard.signal]);
    try {
      if (this.owns) {
        await this.openSink(this.context(() => this.resume), both);
        const stored = await withRetries(() => this.loadOwned(both), this.retry, both, (e, n) => this.onRetry('load checkpoint', e, n));
        this.resume = await this.start(stored, both);
      } else {
        const store = this.o.checkpointStore as CheckpointStore;
        const stored = await withRetries(() => store.load(both), this.retry, both, (e, n) => this.onRetry('load checkpoint', e, n));
        this.resume = await this.start(stored, both);
        const resume = this.resume;
        await this.openSink(this.context(() => resume), both);
      }
      this.log.info(
        { checkpoint: this.resume.checkpoint.toString(), replaySafeUntil: this.resume.replaySafeUntil.toString(), maxInFlight: this.window, ...this.policy },
        'sink opened',
      );
      return this.resume;
    } catch (err) {
      this.log.error({ err: describe(err) }, 'startup failed');
      await this.close();
      throw err;
    }
  }

  /**
   * Consumes `events` until they end, `signal` asks for a graceful stop, `force` aborts, or an error is fatal.
   * Never rejects for sink/upstream failures: they are reported in the result (with the exit code to use).
   */
  async run(events: AsyncIterable<ChangeEvent>, signal: AbortSignal, force?: AbortSignal): Promise<RunResult> {
    if (this.resume === undefined || this.closed) throw new DrainerError(ErrorCode.Internal, 'Runner.run() needs a successful open() first');
    const stop = new StopSequence(this.hard, signal, force, this.o.drainTimeoutMs ?? D.DEFAULT_DRAIN_TIMEOUT_MS, this.log);

    const queue = new EventQueue<ChangeEvent>();
    const stopSaver = new AbortController();
    const reader = this.pull(events, queue, stop.stopPull.signal);
    const saver = this.checkpoints.loop(
      this.o.checkpointIntervalMs ?? D.DEFAULT_CHECKPOINT_INTERVAL_MS,
      stopSaver.signal,
      this.hard.signal,
      () => this.failure !== undefined,
      (err) => this.fail(err),
    );
    try {
      await this.dispatch(queue);
    } catch (err) {
      this.fail(err);
    }
    stop.stopPull.abort();
    await reader;
    await this.writes.settle(this.log);
    stopSaver.abort();
    await saver;

    let outcome: RunOutcome = stop.outcome(this.failure !== undefined);
    // The final save gets its own deadline: after a fatal error the run's signal is already aborted.
    const finalSignal = stop.finalSaveSignal();
    if (outcome === 'stopped' || outcome === 'completed') {
      try {
        await this.o.sink.flush?.(this.hard.signal);
        await this.checkpoints.save(true, finalSignal);
      } catch (err) {
        this.fail(err);
        outcome = stop.drainTimedOut ? 'drain-timeout' : 'fatal';
      }
    } else {
      // Progress up to the last contiguous ack is real: keep it, but say that more may have been applied.
      await this.checkpoints.save(false, finalSignal).catch((err: unknown) => this.log.error({ err: describe(err) }, 'final checkpoint save failed'));
    }
    stop.dispose();
    await this.close();
    const error = this.failure?.error;
    const exitCode = exitCodeFor(outcome, error);
    const level = outcome === 'fatal' ? 'error' : outcome === 'completed' || outcome === 'stopped' ? 'info' : 'warn';
    const saved = this.checkpoints.saved;
    this.log[level]({ outcome, exitCode, checkpoint: saved.commitTs.toString(), consistent: saved.consistent, err: error === undefined ? undefined : describe(error), ...this.stats }, 'runner stopped');
    return { outcome, exitCode, checkpoint: saved, error, stats: { ...this.stats, peakHeldBytes: this.quota.peakBytes } };
  }

  /** Closes the sink (exactly once) and the checkpoint store. Idempotent; `run` calls it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hard.abort(new AbortedError('runner closed'));
    try {
      await this.o.sink.close();
    } finally {
      await this.o.checkpointStore?.close();
    }
  }

  // ---- startup ------------------------------------------------------------------------------------------------

  private context(resume: () => ResumePoint | undefined): SinkContext {
    const o = this.o;
    return lazyResumeContext({ logger: this.log, metrics: this.registry, signal: this.hard.signal, clusterId: o.clusterId ?? 0n, nodeId: o.nodeId ?? '', dataDir: o.dataDir ?? '.' }, resume);
  }

  private async openSink(ctx: SinkContext, signal: AbortSignal): Promise<void> {
    await withRetries(() => this.o.sink.open(ctx), this.retry, signal, (e, n) => this.onRetry('open', e, n));
  }

  private async loadOwned(signal: AbortSignal): Promise<Checkpoint | undefined> {
    const cp = await this.o.sink.loadCheckpoint?.(signal);
    return cp === undefined || cp.commitTs === 0n ? undefined : cp;
  }

  private async start(stored: Checkpoint | undefined, signal: AbortSignal): Promise<ResumePoint> {
    const { start, resume } = await resolveResumePoint(stored, this.o, signal);
    this.checkpoints.begin(start.checkpoint);
    this.tracker = new ProgressTracker(start.checkpoint.commitTs, start.checkpoint.schemaVersion);
    if (!start.fromStore) this.log.info({ commitTs: start.checkpoint.commitTs.toString() }, 'no checkpoint stored: starting at initial-commit-ts');
    return resume;
  }

  // ---- pulling --------------------------------------------------------------------------------------------------

  private async pull(events: AsyncIterable<ChangeEvent>, queue: EventQueue<ChangeEvent>, stop: AbortSignal): Promise<void> {
    const it = events[Symbol.asyncIterator]();
    let last = this.tracker.checkpointTs;
    // One abort listener for the whole loop (an EventTarget add/remove per event costs more than the rest of it).
    let interrupt: (() => void) | undefined;
    const onStop = (): void => interrupt?.();
    stop.addEventListener('abort', onStop, { once: true });
    try {
      for (;;) {
        const next = await stoppable(it.next(), stop, (f) => (interrupt = f));
        if (next === undefined || next.done === true) break;
        const ev = next.value;
        if (ev.kind !== 'resolved' && ev.commitTs <= last) {
          throw new DrainerError(ErrorCode.Internal, `input out of order: ${ev.kind} at commit ts ${ev.commitTs} after ${last}`, { details: { commitTs: ev.commitTs } });
        }
        if (ev.kind !== 'resolved') last = ev.commitTs;
        await this.quota.acquire(heldBytesOf(ev), stop);
        queue.push(ev);
        this.metrics.queueBytes.set(this.quota.usedBytes);
      }
    } catch (err) {
      if (!(err instanceof AbortedError && stop.aborted)) this.fail(err);
    } finally {
      stop.removeEventListener('abort', onStop);
      queue.end();
      // Not awaited: an upstream blocked in next() settles only when it sees its own signal.
      it.return?.().catch(() => undefined);
    }
  }

  // ---- dispatching ----------------------------------------------------------------------------------------------

  private async dispatch(queue: EventQueue<ChangeEvent>): Promise<void> {
    let open: OpenBatch | undefined;
    const issueOpen = async (): Promise<void> => {
      if (open !== undefined) await this.issue(open);
      open = undefined;
    };
    for (;;) {
      if (this.failure !== undefined || this.hard.signal.aborted) return;
      const wait = msUntilDue(open, this.policy);
      const item = await queue.take(wait, this.hard.signal);
      if (item === 'aborted') return;
      if (item === 'timeout') {
        await issueOpen();
        continue;
      }
      if (item === 'end') {
        await issueOpen();
        return;
      }
      switch (item.kind) {
        case 'txn':
          if (wouldOverflow(open, item, this.policy)) await issueOpen();
          open ??= startBatch();
          appendTxn(open, item);
          if (isFull(open, this.policy)) await issueOpen();
          break;
        case 'ddl':
          await issueOpen();
          await this.applyDdl(item);
          break;
        case 'resolved':
          this.quota.release(heldBytesOf(item));
          if (open !== undefined) open.watermark = item.commitTs;
          else await this.resolved(item.commitTs);
          break;
        default:
          throw new DrainerError(ErrorCode.Internal, `unknown event kind ${String((item as { kind: unknown }).kind)}`);
      }
    }
  }

  private async issue(open: OpenBatch): Promise<void> {
    await this.writes.waitForSlot(this.window - 1);
    if (this.failure !== undefined || this.hard.signal.aborted) return;
    const cpTs = batchCheckpointTs(open);
    const version = batchSchemaVersion(open);
    const id = this.tracker.add(cpTs, version);
    const batch = buildTxnBatch(
      ++this.seq,
      open.txns,
      this.owns ? { commitTs: cpTs, schemaVersion: Math.max(version, this.tracker.schemaVersion), consistent: false, tsMap: this.checkpoints.tsMap } : undefined,
    );
    const startedAt = performance.now();
    const write = withRetries(() => this.o.sink.write(batch, this.hard.signal), this.retry, this.hard.signal, (e, n) => this.onRetry('write', e, n, batch.seq))
      .then(() => {
        this.tracker.ack(id);
        this.quota.release(open.held);
        this.metrics.queueBytes.set(this.quota.usedBytes);
        this.count(batch.txns.length, batch.rows, performance.now() - startedAt);
        if (this.owns) this.checkpoints.markDurable(batch.checkpoint as Checkpoint);
      })
      .catch((err: unknown) => this.fail(err, { batchSeq: batch.seq, firstCommitTs: batch.firstCommitTs, lastCommitTs: batch.lastCommitTs }));
    this.writes.track(write);
  }

  private async applyDdl(ddl: DdlEvent): Promise<void> {
    await this.writes.waitForSlot(0);
    if (this.failure !== undefined || this.hard.signal.aborted) return;
    const id = this.tracker.add(ddl.commitTs, ddl.schemaVersion);
    try {
      if (this.o.sink.capabilities.supportsDdl) {
        await this.writes.exclusively(() =>
          withRetries(() => this.o.sink.writeDdl(ddl, this.hard.signal), this.retry, this.hard.signal, (e, n) => this.onRetry('ddl', e, n)),
        );
        this.metrics.ddl.inc({ sink: this.o.sinkType });
      }
      this.tracker.ack(id);
      this.quota.release(heldBytesOf(ddl));
      this.log.info({ commitTs: ddl.commitTs.toString(), schema: ddl.schema, table: ddl.table, jobId: ddl.jobId }, 'ddl applied');
      // The Go drainer saves right after a DDL so a restart never re-executes it.
      if (this.owns) this.checkpoints.markDurable({ commitTs: ddl.commitTs, schemaVersion: this.tracker.schemaVersion, consistent: false });
      else await this.checkpoints.save(false, this.hard.signal);
    } catch (err) {
      this.fail(err, { commitTs: ddl.commitTs, schema: ddl.schema, table: ddl.table, jobId: ddl.jobId });
    }
  }

  private async resolved(ts: CommitTs): Promise<void> {
    this.tracker.addResolved(ts);
    const sink = this.o.sink;
    const interval = this.o.resolvedIntervalMs ?? D.DEFAULT_RESOLVED_INTERVAL_MS;
    if (sink.resolved === undefined || Date.now() - this.lastResolvedForward < interval) return;
    this.lastResolvedForward = Date.now();
    await this.writes.waitForSlot(0);
    if (this.failure !== undefined || this.hard.signal.aborted || this.tracker.checkpointTs < ts) return;
    try {
      await this.writes.exclusively(() =>
        withRetries(() => sink.resolved?.(ts, this.hard.signal) ?? Promise.resolve(), this.retry, this.hard.signal, (e, n) => this.onRetry('resolved', e, n)),
      );
    } catch (err) {
      this.fail(err, { commitTs: ts });
    }
  }

  // ---- bookkeeping ----------------------------------------------------------------------------------------------

  private count(txns: number, rows: number, ms: number): void {
    const sink = this.o.sinkType;
    this.stats.batches += 1;
    this.stats.txns += txns;
    this.stats.rows += rows;
    this.metrics.batches.inc({ sink });
    this.metrics.txns.inc({ sink }, txns);
    this.metrics.rows.inc({ sink }, rows);
    this.metrics.batchRows.observe({ sink }, rows);
    this.metrics.writeSeconds.observe({ sink }, ms / 1000);
  }

  private onRetry(what: string, err: unknown, attempt: number, batchSeq?: number): void {
    this.stats.retries += 1;
    const code = err instanceof DrainerError ? err.code : 'unknown';
    this.metrics.retries.inc({ sink: this.o.sinkType, code });
    // Once per failure streak, then every 10th attempt: enough to see a stuck sink without flooding the log.
    if (attempt === 1 || attempt % 10 === 0) this.log.warn({ what, attempt, batchSeq, err: describe(err) }, 'retryable sink failure, retrying');
  }

  private fail(error: unknown, where?: Record<string, unknown>): void {
    // After an abort (fatal elsewhere, drain deadline, force) failures are its consequences, not new causes.
    if (this.failure !== undefined || this.hard.signal.aborted) return;
    this.failure = { error };
    this.log.error({ err: describe(error), ...stringify(where) }, 'fatal error: stopping (checkpoint stays before it)');
    this.hard.abort(new AbortedError('fatal error'));
  }
}
