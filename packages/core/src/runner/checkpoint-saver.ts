import type { Logger } from 'pino';
import type { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import type { CommitTs } from '../model/commit-ts.js';
import { tsoPhysicalMs } from '../model/commit-ts.js';
import type { Checkpoint, Sink } from '../sdk/sink.js';
import type { ProgressTracker } from './progress-tracker.js';
import { withRetries } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import type { RunnerMetrics } from './runner-metrics.js';
import type { WriteWindow } from './write-window.js';

export interface CheckpointSaverDeps {
  readonly sink: Sink;
  /** Where checkpoints go unless the sink ownsCheckpoint. */
  readonly store: CheckpointStore | undefined;
  readonly owns: boolean;
  /** The runner's current tracker (it is replaced once the start checkpoint is known). */
  readonly tracker: () => ProgressTracker;
  readonly window: WriteWindow;
  readonly retry: RetryPolicy;
  readonly metrics: RunnerMetrics;
  readonly log: Logger;
  readonly onRetry: (what: string, err: unknown, attempt: number) => void;
}

/**
 * Persists the tracker's checkpoint: to the checkpoint store, or through `saveCheckpoint` for sinks that own it
 * (which then also report durable checkpoints written with their batches through `markDurable`).
 */
export class CheckpointSaver {
  private savedCp: Checkpoint = { commitTs: 0n, schemaVersion: 0, consistent: false };
  private tsMapValue: Readonly<Record<string, CommitTs>> | undefined;
  private durableTs: CommitTs = 0n;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly d: CheckpointSaverDeps) {}

  /** The last checkpoint saved (or the start checkpoint). */
  get saved(): Checkpoint {
    return this.savedCp;
  }

  /** The start checkpoint's ts map, carried into every checkpoint saved. */
  get tsMap(): Readonly<Record<string, CommitTs>> | undefined {
    return this.tsMapValue;
  }

  /** Records the start checkpoint (nothing is saved). */
  begin(start: Checkpoint): void {
    this.tsMapValue = start.tsMap;
    this.savedCp = start;
  }

  /** A checkpoint the sink made durable itself (ownsCheckpoint). */
  markDurable(cp: Checkpoint): void {
    if (cp.commitTs > this.durableTs) this.durableTs = cp.commitTs;
    this.savedCp = { ...cp, tsMap: this.tsMapValue };
    this.d.metrics.checkpointTso.set(tsoPhysicalMs(cp.commitTs));
  }

  /**
   * Saves every `intervalMs` until `stop` aborts, `failed()` says the run failed, or a save fails (reported to
   * `fail`, then the loop ends).
   */
  async loop(intervalMs: number, stop: AbortSignal, signal: AbortSignal, failed: () => boolean, fail: (err: unknown) => void): Promise<void> {
    for (;;) {
      // `stop` may have aborted during the save below; an abort listener added now would never fire.
      if (stop.aborted) return;
      const woke = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => done(true), intervalMs);
        const done = (v: boolean): void => {
          clearTimeout(t);
          stop.removeEventListener('abort', onAbort);
          resolve(v);
        };
        const onAbort = (): void => done(false);
        stop.addEventListener('abort', onAbort, { once: true });
      });
      if (!woke || failed()) return;
      try {
        await this.save(false, signal);
      } catch (err) {
        fail(err);
        return;
      }
    }
  }

  /** Saves the tracker's checkpoint when it moved (or to mark it consistent). Serialised; retried; errors are fatal. */
  save(consistent: boolean, signal: AbortSignal): Promise<void> {
    const next = this.chain.then(() => this.saveNow(consistent, signal));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async saveNow(consistent: boolean, signal: AbortSignal): Promise<void> {
    const { sink, owns, retry, window, metrics } = this.d;
    const tracker = this.d.tracker();
    const cp: Checkpoint = { commitTs: tracker.checkpointTs, schemaVersion: tracker.schemaVersion, consistent, tsMap: this.tsMapValue };
    const saved = this.savedCp;
    if (cp.commitTs === saved.commitTs && cp.consistent === saved.consistent && cp.schemaVersion === saved.schemaVersion) return;
    const onRetry = (e: unknown, n: number): void => this.d.onRetry('save checkpoint', e, n);
    if (owns) {
      if (sink.saveCheckpoint === undefined || (cp.commitTs === this.durableTs && !consistent)) return;
      // saveCheckpoint must not overlap a write: hold the dispatcher while it runs.
      if (window.busy) {
        if (!consistent) return;
        await window.allSettled();
      }
      await window.exclusively(() => withRetries(() => sink.saveCheckpoint?.(cp, signal) ?? Promise.resolve(), retry, signal, onRetry));
    } else {
      const store = this.d.store as CheckpointStore;
      await withRetries(() => store.save(cp, signal), retry, signal, onRetry);
    }
    this.savedCp = cp;
    metrics.checkpointTso.set(tsoPhysicalMs(cp.commitTs));
    metrics.checkpointSaves.inc({ consistent: String(consistent) });
    this.d.log.debug({ commitTs: cp.commitTs.toString(), consistent }, 'write save point');
  }
}
