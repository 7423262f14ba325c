import type { Logger } from 'pino';
import pino from 'pino';

import { AbortedError, DrainerError } from '../errors/drainer-error.js';
import type { CommitTs } from '../model/commit-ts.js';
import type { MergedItem } from './merged-item.js';
import { type MergeSource, Signal } from './merge-source.js';
import { MinHeap } from '../util/min-heap.js';
import { MergerSourceFailedError } from './upstream-errors.js';
import type { UpstreamMetrics } from './upstream-metrics.js';

export interface MergerOptions {
  /** The last commit ts already delivered (checkpoint ts at startup): anything ≤ it is dropped. */
  readonly initialTs: CommitTs;
  readonly logger?: Logger;
  readonly metrics?: UpstreamMetrics;
}

interface SourceState {
  readonly source: MergeSource;
  head: MergedItem | undefined;
  removed: boolean;
}

/**
 * The k-way merge by commit ts of the Go drainer (tidb-binlog.md §4): one pending head per source, a min-heap of
 * heads, and an item is emitted only when every registered source has a head, so it is the global minimum. Items
 * with a commit ts below the last emitted are dropped as late, equal ones as duplicates (both counted and logged);
 * the output is strictly increasing. Adding or removing a source restarts the step, so a new pump can still
 * contribute a smaller item. A source with nothing to say (down, paused, partitioned) stalls the merge — that is the
 * protocol; `waitingOn()` names it for the status API.
 *
 * Single consumer: call `next()` / `tryNext()` (or iterate) from one place at a time.
 */
export class Merger implements AsyncIterable<MergedItem> {
  private readonly sources = new Map<string, SourceState>();
  /** Sources without a pending head: after a pop only the popped one, so a step costs O(log k), not O(k). */
  private needHead: SourceState[] = [];
  private readonly heap = new MinHeap<SourceState>((a, b) => a.head!.commitTs < b.head!.commitTs);
  private readonly changed = new Signal();
  private readonly log: Logger;
  private readonly metrics: UpstreamMetrics | undefined;
  private latest: CommitTs;
  private emitted = 0;
  private dropped = 0;

  constructor(options: MergerOptions) {
    this.latest = options.initialTs;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'merger' });
    this.metrics = options.metrics;
  }

  /** Commit ts of the last emitted item (initially the checkpoint ts): where a newly added pump starts pulling. */
  get latestTs(): CommitTs {
    return this.latest;
  }

  get stats(): { readonly emitted: number; readonly dropped: number; readonly sources: number } {
    return { emitted: this.emitted, dropped: this.dropped, sources: this.sources.size };
  }

  addSource(source: MergeSource): void {
    if (this.sources.has(source.nodeId)) throw new DrainerError('E_INTERNAL', `merge source ${source.nodeId} added twice`, { details: { pump: source.nodeId } });
    const state: SourceState = { source, head: undefined, removed: false };
    this.sources.set(source.nodeId, state);
    this.needHead.push(state);
    this.changed.fire();
  }

  /** Forgets a source and its pending head (the pump went offline after making every drainer catch up). */
  removeSource(nodeId: string): void {
    const s = this.sources.get(nodeId);
    if (s === undefined) return;
    s.removed = true;
    this.sources.delete(nodeId);
    if (s.head !== undefined) this.heap.removeWhere((x) => x === s);
    s.head = undefined;
    this.needHead = this.needHead.filter((x) => x !== s);
    this.changed.fire();
  }

  /** Node ids of the sources the merge is blocked on (registered, no pending item). Empty while items flow. */
  waitingOn(): string[] {
    return this.needHead.map((s) => s.source.nodeId);
  }

  /**
   * The next item if one can be emitted without waiting, else `undefined`. Throws `MergerSourceFailedError` when a
   * source failed fatally (after everything it delivered before the failure).
   */
  tryNext(): MergedItem | undefined {
    for (;;) {
      if (this.sources.size === 0) return undefined;
      if (!this.fillHeads()) return undefined;
      const s = this.heap.pop()!;
      const item = s.head!;
      s.head = undefined;
      this.needHead.push(s);
      if (item.commitTs > this.latest) {
        this.latest = item.commitTs;
        this.emitted++;
        return item;
      }
      this.drop(item);
    }
  }

  /** Waits for the next item. Rejects with `AbortedError` when `signal` aborts, or with a source's fatal error. */
  async next(signal?: AbortSignal): Promise<MergedItem> {
    for (;;) {
      const item = this.tryNext();
      if (item !== undefined) return item;
      await this.waitForProgress(signal);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MergedItem> {
    for (;;) yield await this.next();
  }

  /** Iterates until `signal` aborts (then returns normally). */
  async *items(signal: AbortSignal): AsyncGenerator<MergedItem> {
    for (;;) {
      let item: MergedItem;
      try {
        item = await this.next(signal);
      } catch (err) {
        if (err instanceof AbortedError) return;
        throw err;
      }
      yield item;
    }
  }

  /** Takes a head from every source that lacks one; true when all sources have one. */
  private fillHeads(): boolean {
    const need = this.needHead;
    let kept = 0;
    for (let i = 0; i < need.length; i++) {
      const s = need[i]!;
      let item: MergedItem | undefined;
      try {
        item = s.source.tryTake();
      } catch (err) {
        // Keep the list consistent before surfacing the failure.
        for (let j = i; j < need.length; j++) need[kept++] = need[j]!;
        need.length = kept;
        throw new MergerSourceFailedError(s.source.nodeId, err);
      }
      if (item === undefined) {
        need[kept++] = s;
        continue;
      }
      s.head = item;
      this.heap.push(s);
    }
    need.length = kept;
    return kept === 0;
  }

  private drop(item: MergedItem): void {
    this.dropped++;
    const reason = item.commitTs === this.latest ? 'duplicate' : 'late';
    this.metrics?.mergerDropped.inc({ reason });
    if (reason === 'duplicate') {
      this.log.warn({ pump: item.pump, commitTs: item.commitTs.toString() }, 'duplicate binlog');
    } else {
      this.log.error({ pump: item.pump, commitTs: item.commitTs.toString(), latestTs: this.latest.toString() }, "binlog's commit ts less than the last ts");
    }
  }

  private async waitForProgress(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) throw new AbortedError('merge', signal.reason);
    const waits: Promise<void>[] = [this.changed.wait()];
    for (const s of this.needHead) waits.push(s.source.readable());
    if (signal === undefined) {
      await Promise.race(waits);
      return;
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<void>((_, reject) => {
      onAbort = () => reject(new AbortedError('merge', signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([...waits, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }
}
