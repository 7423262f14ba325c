import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors/drainer-error.js';
import { ByteQuota } from './byte-quota.js';

describe('ByteQuota', () => {
  it('blocks acquisitions beyond the limit until bytes are released, in FIFO order', async () => {
    const q = new ByteQuota(100);
    const signal = new AbortController().signal;
    await q.acquire(60, signal);
    const order: string[] = [];
    const big = q.acquire(50, signal).then(() => order.push('big'));
    const small = q.acquire(10, signal).then(() => order.push('small'));
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    q.release(60);
    await Promise.all([big, small]);
    expect(order).toEqual(['big', 'small']);
    expect(q.usedBytes).toBe(60);
    expect(q.peakBytes).toBe(60);
  });

  it('admits one oversized request when nothing is held, and aborts waiters', async () => {
    const q = new ByteQuota(100);
    const ac = new AbortController();
    await q.acquire(500, ac.signal);
    const waiting = q.acquire(1, ac.signal);
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    q.release(500);
    expect(q.usedBytes).toBe(0);
  });
});
