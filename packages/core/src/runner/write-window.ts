import type { Logger } from 'pino';

/** After a hard stop, how long sinks get to reject their aborted writes before the runner stops waiting. */
const ABORT_GRACE_MS = 5_000;

/**
 * The runner's concurrency window over sink calls: batch writes may overlap (up to the sink's maxInFlight), while
 * exclusive calls (DDL, watermark, checkpoint-only save) run alone. Every wait gives up when `hard` aborts, so a
 * sink that ignores its signal cannot hang the runner.
 */
export class WriteWindow {
  private readonly inFlight = new Set<Promise<void>>();
  private exclusive: Promise<void> | undefined;

  constructor(private readonly hard: AbortSignal) {}

  /** Outstanding batch writes. */
  get size(): number {
    return this.inFlight.size;
  }

  /** True while a write or an exclusive call is outstanding. */
  get busy(): boolean {
    return this.inFlight.size > 0 || this.exclusive !== undefined;
  }

  /** Tracks a write until it settles; `write` must never reject (the caller handles its errors). */
  track(write: Promise<void>): void {
    const p: Promise<void> = write.finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits until at most `limit` writes are outstanding and no exclusive call runs; gives up on a hard stop. */
  async waitForSlot(limit: number): Promise<void> {
    while (this.inFlight.size > limit && !this.hard.aborted) await this.untilSettledOrHardStop([...this.inFlight]);
    while (this.exclusive !== undefined && !this.hard.aborted) await this.untilSettledOrHardStop([this.exclusive]);
  }

  /** Waits for every outstanding write, however long (no hard-stop escape). */
  async allSettled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Waits for every outstanding write; after a hard stop at most ABORT_GRACE_MS for sinks to notice the abort. */
  async settle(log: Logger): Promise<void> {
    const all = Promise.allSettled([...this.inFlight]).then(() => undefined);
    if (!this.hard.aborted) await this.untilSettledOrHardStop([all]);
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, ABORT_GRACE_MS)))]);
    clearTimeout(timer);
    if (this.inFlight.size > 0) log.warn({ outstanding: this.inFlight.size }, 'sink writes ignored the abort; giving up on them');
  }

  /** Runs a sink call that must not overlap any other (DDL, watermark, checkpoint-only save). */
  async exclusively(fn: () => Promise<void>): Promise<void> {
    while (this.exclusive !== undefined) await this.exclusive;
    const p = fn();
    this.exclusive = p.then(
      () => undefined,
      () => undefined,
    );
    try {
      await p;
    } finally {
      this.exclusive = undefined;
    }
  }

  /** Resolves when one of `ps` settles or the run is hard-stopped. */
  private untilSettledOrHardStop(ps: readonly Promise<void>[]): Promise<void> {
    const signal = this.hard;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      Promise.race(ps).then(done, done);
    });
  }
}
