import type { Txn } from '../model/events.js';
import type { Checkpoint, TxnBatch } from './sink.js';

/**
 * Builds a TxnBatch from whole transactions, checking the invariants the runner guarantees (non-empty, strictly
 * increasing commit ts). Used by the runner, by tests and by tools that drive a sink directly.
 */
export function buildTxnBatch(seq: number, txns: readonly Txn[], checkpoint?: Checkpoint): TxnBatch {
  const first = txns[0];
  const last = txns[txns.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('a TxnBatch holds at least one transaction');
  let bytes = 0;
  let rows = 0;
  let prev: bigint | undefined;
  for (const t of txns) {
    if (prev !== undefined && t.commitTs <= prev) {
      throw new RangeError(`transactions must be in strictly increasing commit-ts order (${t.commitTs} after ${prev})`);
    }
    prev = t.commitTs;
    bytes += t.bytes;
    rows += t.changes.length;
  }
  const batch: TxnBatch = { seq, txns, firstCommitTs: first.commitTs, lastCommitTs: last.commitTs, bytes, rows };
  return checkpoint === undefined ? batch : { ...batch, checkpoint };
}

/** The `details` a sink attaches to errors about a batch: where, never what (no row values). */
export function batchErrorDetails(batch: TxnBatch): Readonly<Record<string, unknown>> {
  return { batchSeq: batch.seq, firstCommitTs: batch.firstCommitTs, lastCommitTs: batch.lastCommitTs };
}
