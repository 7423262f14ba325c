/**
 * The Go reader's start-offset search (tidb-binlog.md §8.3, tidb-tools `driver/reader`): with the commit ts of
 * the message at an offset available through `tsAt`, returns the first offset whose commit ts is greater than
 * `target` in `[oldest, newest)`:
 * target < ts(oldest) → oldest; target = ts(oldest) → oldest + 1; otherwise a binary search over
 * [oldest, newest − 1] for the first commit ts > target, or `newest` when there is none.
 */
export async function findOffsetByTs(tsAt: (offset: bigint) => Promise<bigint>, oldest: bigint, newest: bigint, target: bigint): Promise<bigint> {
  if (newest <= oldest) return oldest;
  const oldestTs = await tsAt(oldest);
  if (target < oldestTs) return oldest;
  if (target === oldestTs) return oldest + 1n;
  let lo = oldest;
  let hi = newest - 1n;
  let found = newest;
  while (lo <= hi) {
    const mid = (lo + hi) / 2n;
    const ts = await tsAt(mid);
    if (ts > target) {
      found = mid;
      hi = mid - 1n;
    } else lo = mid + 1n;
  }
  return found;
}
