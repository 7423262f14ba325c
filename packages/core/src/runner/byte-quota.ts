import { AbortedError } from '../errors/drainer-error.js';

/**
 * A byte semaphore: the runner's memory bound. Bytes are acquired before an event enters the queue and released
 * when its batch is acknowledged, so queued, batching and in-flight data all count against one limit and memory
 * does not grow with the upstream backlog. Waiters are served in FIFO order (no starvation of a large event by a
 * stream of small ones). A single request larger than the whole limit is admitted once nothing else is held, so
 * an oversized transaction is never a deadlock.
 */
export class ByteQuota {
  private used = 0;
  private peakUsed = 0;
  private readonly waiters: { bytes: number; resolve: () => void; reject: (e: unknown) => void; cleanup: () => void }[] = [];

  constructor(readonly limit: number) {
    if (!(Number.isSafeInteger(limit) && limit > 0)) throw new RangeError(`memory quota must be a positive integer (got ${limit})`);
  }

  get usedBytes(): number {
    return this.used;
  }

  /** The highest `usedBytes` ever reached (tests assert the bound with it). */
  get peakBytes(): number {
    return this.peakUsed;
  }

  /** Resolves once `bytes` fit; rejects with AbortedError when `signal` aborts first. */
  acquire(bytes: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new AbortedError('memory quota wait', signal.reason));
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.take(bytes);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new AbortedError('memory quota wait', signal.reason));
        this.wake();
      };
      const waiter = { bytes, resolve, reject, cleanup: () => signal.removeEventListener('abort', onAbort) };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(bytes: number): void {
    this.used -= bytes;
    if (this.used < 0) throw new RangeError('ByteQuota released more than was acquired');
    this.wake();
  }

  private fits(bytes: number): boolean {
    return this.used + bytes <= this.limit || this.used === 0;
  }

  private take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.peakUsed) this.peakUsed = this.used;
  }

  private wake(): void {
    for (let w = this.waiters[0]; w !== undefined && this.fits(w.bytes); w = this.waiters[0]) {
      this.waiters.shift();
      w.cleanup();
      this.take(w.bytes);
      w.resolve();
    }
  }
}
