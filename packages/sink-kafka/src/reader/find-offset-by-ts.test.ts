import { describe, expect, it } from 'vitest';
import { findOffsetByTs } from './find-offset-by-ts.js';

describe('findOffsetByTs (Go reader binary search)', () => {
  const tsList = [10n, 20n, 20n, 30n, 45n, 50n];
  const base = 100n; // offsets 100..105
  let probes = 0;
  const tsAt = (o: bigint): Promise<bigint> => {
    probes++;
    const ts = tsList[Number(o - base)];
    if (ts === undefined) throw new RangeError(`offset ${o} out of range`);
    return Promise.resolve(ts);
  };
  const find = (target: bigint): Promise<bigint> => findOffsetByTs(tsAt, base, base + BigInt(tsList.length), target);

  it('follows the Go rules at the edges and finds the first ts > target', async () => {
    expect(await find(5n)).toBe(100n); // before the oldest
    expect(await find(10n)).toBe(101n); // equal to the oldest
    expect(await find(20n)).toBe(103n);
    expect(await find(44n)).toBe(104n);
    expect(await find(50n)).toBe(106n); // none greater: newest
    expect(await find(99n)).toBe(106n);
    expect(await findOffsetByTs(tsAt, 7n, 7n, 1n)).toBe(7n); // empty partition
  });

  it('needs O(log n) probes', async () => {
    const n = 1_000_000n;
    let count = 0;
    const at = (o: bigint): Promise<bigint> => {
      count++;
      return Promise.resolve(o * 2n);
    };
    expect(await findOffsetByTs(at, 0n, n, 777_777n)).toBe(388_889n);
    expect(count).toBeLessThanOrEqual(22);
    expect(probes).toBeGreaterThan(0);
  });
});
