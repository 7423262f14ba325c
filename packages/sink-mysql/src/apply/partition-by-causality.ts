import type { SequencedChange } from '../sql/plan-statements.js';
import { causalityKeys } from './causality-keys.js';

/**
 * Splits a batch's changes (in commit order) over `workers` queues so that changes touching a common key — same
 * primary/unique key value, old or new image — land in the same queue in their original order, while unrelated
 * changes may run in parallel. Unlike the Go drainer (which flushes everything when a key links two groups), the
 * whole batch is known up front, so connected groups are found with union-find and nothing is flushed early.
 * Groups fill the queues in order of first appearance, each queue up to its fair share of rows, so a queue gets a
 * contiguous stretch of the batch: consecutive keys (an AUTO_INCREMENT run) stay together and the workers insert
 * into different regions of the index instead of interleaving in the same pages. Empty queues are dropped.
 */
export function partitionByCausality(changes: readonly SequencedChange[], workers: number): SequencedChange[][] {
  if (workers <= 1 || changes.length <= 1) return changes.length === 0 ? [] : [changes.slice()];
  const parent = new Int32Array(changes.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[i] !== r) {
      const next = parent[i] as number;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const owner = new Map<string, number>();
  changes.forEach((sc, i) => {
    for (const key of causalityKeys(sc.change)) {
      const j = owner.get(key);
      if (j === undefined) {
        owner.set(key, i);
        continue;
      }
      const a = find(i);
      const b = find(j);
      // Keep the earlier change as root so a group's root is its first change.
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  });
  // Sizes first so that each group goes, whole, to the queue with the fewest rows so far.
  const size = new Map<number, number>();
  for (let i = 0; i < changes.length; i++) {
    const r = find(i);
    size.set(r, (size.get(r) ?? 0) + 1);
  }
  const queues: SequencedChange[][] = Array.from({ length: workers }, () => []);
  const fair = Math.ceil(changes.length / workers);
  let current = 0;
  let load = 0;
  const queueOf = new Map<number, number>();
  changes.forEach((sc, i) => {
    const r = find(i);
    let q = queueOf.get(r);
    if (q === undefined) {
      if (load >= fair && current < workers - 1) {
        current++;
        load = 0;
      }
      q = current;
      load += size.get(r) ?? 1;
      queueOf.set(r, q);
    }
    (queues[q] as SequencedChange[]).push(sc);
  });
  return queues.filter((q) => q.length > 0);
}
