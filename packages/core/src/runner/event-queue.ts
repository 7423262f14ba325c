/**
 * A single-producer single-consumer FIFO whose consumer can wait with a deadline. Unbounded by count on purpose:
 * the runner bounds it by bytes (ByteQuota) before pushing.
 */
export class EventQueue<T extends object> {
  private readonly items: (T | undefined)[] = [];
  private head = 0;
  private ended = false;
  private waiter: (() => void) | undefined;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.ended) throw new Error('push after end');
    this.items.push(item);
    this.notify();
  }

  /** No more items will be pushed; `take` returns 'end' once the queue is empty. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /**
   * The next item; 'timeout' when none arrived within `timeoutMs` (undefined = wait indefinitely); 'end' when the
   * queue ended and is empty; 'aborted' when `signal` aborted.
   */
  async take(timeoutMs: number | undefined, signal: AbortSignal): Promise<T | QueueSignal> {
    for (;;) {
      if (this.head < this.items.length) {
        const item = this.items[this.head] as T;
        this.items[this.head] = undefined;
        this.head += 1;
        // Compact occasionally so the backing array does not grow forever.
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items.splice(0, this.head);
          this.head = 0;
        }
        return item;
      }
      if (this.ended) return 'end';
      if (signal.aborted) return 'aborted';
      if (timeoutMs !== undefined && timeoutMs <= 0) return 'timeout';
      const woke = await this.wait(timeoutMs, signal);
      if (!woke) return signal.aborted ? 'aborted' : 'timeout';
    }
  }

  private wait(timeoutMs: number | undefined, signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const finish = (woke: boolean): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        resolve(woke);
      };
      const onAbort = (): void => finish(false);
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish(false), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = () => finish(true);
    });
  }

  private notify(): void {
    this.waiter?.();
  }
}

/** What `take` returns instead of an item (items are objects, so `typeof v === 'string'` tells them apart). */
export type QueueSignal = 'timeout' | 'end' | 'aborted';
