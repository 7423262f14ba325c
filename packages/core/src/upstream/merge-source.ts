import type { MergedItem } from './merged-item.js';

/**
 * One input of the Merger: an ordered stream of items from one pump. Contract:
 * - items come out in the order the pump sent them (the pump guarantees ascending commit ts, §4.3);
 * - `tryTake()` never blocks: it returns the next buffered item, `undefined` when none is ready, and throws the
 *   source's fatal error once everything received before the failure has been taken;
 * - `readable()` resolves when `tryTake()` may return something new (an item or a failure); callers may call it
 *   repeatedly — it hands out one shared promise per wait, so a silent source does not pile up listeners.
 */
export interface MergeSource {
  readonly nodeId: string;
  tryTake(): MergedItem | undefined;
  readable(): Promise<void>;
}

/** A reusable "something happened" signal: `wait()` shares one promise until `fire()` resolves it. */
export class Signal {
  private pending: { promise: Promise<void>; resolve: () => void } | undefined;

  wait(): Promise<void> {
    if (this.pending === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending = { promise, resolve };
    }
    return this.pending.promise;
  }

  /** True while someone waits on `wait()`. */
  get waiting(): boolean {
    return this.pending !== undefined;
  }

  fire(): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    p.resolve();
  }
}
