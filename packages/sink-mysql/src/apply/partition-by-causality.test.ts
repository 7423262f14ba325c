import { describe, expect, it } from 'vitest';
import type { RowChange } from '@tidb-drainer/core/sdk';
import { del, ins, makeTable, upd } from '../test-support/make-table.js';
import type { SequencedChange } from '../sql/plan-statements.js';
import { partitionByCausality } from './partition-by-causality.js';

const t = makeTable({ name: 't', columns: [{ name: 'id' }, { name: 'u' }, { name: 'v' }], pk: ['id'], uniques: [{ name: 'uk_u', columns: ['u'] }] });
const seq = (changes: readonly RowChange[]): SequencedChange[] => changes.map((change, i) => ({ change, commitTs: BigInt(i + 1) }));
/** Which queue each change (by commit ts) landed in, and each queue's order. */
function layout(queues: SequencedChange[][]): { queueOf: Map<bigint, number>; orders: bigint[][] } {
  const queueOf = new Map<bigint, number>();
  queues.forEach((q, i) => q.forEach((c) => queueOf.set(c.commitTs, i)));
  return { queueOf, orders: queues.map((q) => q.map((c) => c.commitTs)) };
}

describe('partitionByCausality', () => {
  it('spreads independent rows over the workers', () => {
    const changes = seq([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n].map((id) => ins(t, { id, u: id, v: 0n })));
    const queues = partitionByCausality(changes, 4);
    expect(queues).toHaveLength(4);
    expect(queues.map((q) => q.length)).toEqual([2, 2, 2, 2]);
  });

  it('keeps changes of the same primary key in one queue, in order (delete then reinsert)', () => {
    const changes = seq([ins(t, { id: 1n, u: 1n, v: 0n }), ins(t, { id: 2n, u: 2n, v: 0n }), del(t, { id: 1n, u: 1n, v: 0n }), ins(t, { id: 3n, u: 3n, v: 0n }), ins(t, { id: 1n, u: 1n, v: 9n })]);
    const { queueOf, orders } = layout(partitionByCausality(changes, 4));
    expect(queueOf.get(1n)).toBe(queueOf.get(3n));
    expect(queueOf.get(1n)).toBe(queueOf.get(5n));
    for (const o of orders) expect([...o].sort((a, b) => Number(a - b))).toEqual(o);
  });

  it('links the old and new key of an update that changes the primary key', () => {
    const changes = seq([ins(t, { id: 10n, u: 10n, v: 0n }), upd(t, { id: 1n, u: 1n, v: 0n }, { id: 10n, u: 5n, v: 0n }), ins(t, { id: 1n, u: 7n, v: 0n })]);
    const { queueOf } = layout(partitionByCausality(changes, 8));
    expect(queueOf.get(1n)).toBe(queueOf.get(2n));
    expect(queueOf.get(2n)).toBe(queueOf.get(3n));
  });

  it('links rows that share a unique-key value (the downstream would see a conflict)', () => {
    const changes = seq([del(t, { id: 1n, u: 5n, v: 0n }), ins(t, { id: 2n, u: 5n, v: 0n }), ins(t, { id: 3n, u: 6n, v: 0n })]);
    const { queueOf } = layout(partitionByCausality(changes, 8));
    expect(queueOf.get(1n)).toBe(queueOf.get(2n));
    expect(queueOf.get(3n)).not.toBe(queueOf.get(1n));
  });

  it('case-insensitive collations link values differing in case and trailing spaces', () => {
    const ci = makeTable({ name: 'ci', columns: [{ name: 'k', collation: 'utf8mb4_general_ci' }], pk: ['k'] });
    const bin = makeTable({ name: 'bin', columns: [{ name: 'k', collation: 'utf8mb4_bin' }], pk: ['k'] });
    const a = layout(partitionByCausality(seq([del(ci, { k: 'Abc' }), ins(ci, { k: 'aBC  ' })]), 8));
    expect(a.queueOf.get(1n)).toBe(a.queueOf.get(2n));
    const b = layout(partitionByCausality(seq([del(bin, { k: 'Abc' }), ins(bin, { k: 'aBC' })]), 8));
    expect(b.queueOf.get(1n)).not.toBe(b.queueOf.get(2n));
  });

  it('a table without keys: identical row images are linked, others are not', () => {
    const nk = makeTable({ name: 'nk', columns: [{ name: 'x' }, { name: 'y' }] });
    const { queueOf } = layout(partitionByCausality(seq([ins(nk, { x: 1n, y: null }), ins(nk, { x: 2n, y: null }), del(nk, { x: 1n, y: null })]), 8));
    expect(queueOf.get(1n)).toBe(queueOf.get(3n));
    expect(queueOf.get(2n)).not.toBe(queueOf.get(1n));
  });

  it('the same key value in two tables does not link', () => {
    const t2 = makeTable({ name: 't2', columns: [{ name: 'id' }], pk: ['id'] });
    const { queueOf } = layout(partitionByCausality(seq([ins(t, { id: 1n, u: 1n, v: 0n }), ins(t2, { id: 1n })]), 8));
    expect(queueOf.get(1n)).not.toBe(queueOf.get(2n));
  });

  it('one worker gets everything in order', () => {
    const changes = seq([ins(t, { id: 1n, u: 1n, v: 0n }), ins(t, { id: 2n, u: 2n, v: 0n })]);
    expect(partitionByCausality(changes, 1)).toEqual([changes]);
    expect(partitionByCausality([], 4)).toEqual([]);
  });
});
