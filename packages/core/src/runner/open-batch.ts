import type { CommitTs } from '../model/commit-ts.js';
import type { Txn } from '../model/events.js';
import type { BatchPolicy } from '../sdk/sink.js';
import { heldBytesOf } from './held-bytes.js';

/** Transactions the dispatcher is collecting into the next TxnBatch. */
export interface OpenBatch {
  readonly txns: Txn[];
  /** Payload bytes (what maxBytes limits). */
  bytes: number;
  /** Quota bytes (released when the batch is acknowledged). */
  held: number;
  readonly startedAt: number;
  /** The latest resolved ts seen while the batch was open (the batch's checkpoint may move up to it). */
  watermark: CommitTs;
}

export function startBatch(): OpenBatch {
  return { txns: [], bytes: 0, held: 0, startedAt: Date.now(), watermark: 0n };
}

/** True when adding `txn` to `open` would exceed maxBytes (so `open` should be issued first). */
export function wouldOverflow(open: OpenBatch | undefined, txn: Txn, policy: BatchPolicy): boolean {
  return open !== undefined && open.bytes + txn.bytes > policy.maxBytes;
}

export function appendTxn(open: OpenBatch, txn: Txn): void {
  open.txns.push(txn);
  open.bytes += txn.bytes;
  open.held += heldBytesOf(txn);
}

export function isFull(open: OpenBatch, policy: BatchPolicy): boolean {
  return open.txns.length >= policy.maxTxns || open.bytes >= policy.maxBytes;
}

/** How long the dispatcher may wait for more events before issuing `open` (undefined: nothing open, wait freely). */
export function msUntilDue(open: OpenBatch | undefined, policy: BatchPolicy): number | undefined {
  return open === undefined ? undefined : Math.max(0, open.startedAt + policy.maxDelayMs - Date.now());
}

/** The checkpoint the batch moves to once acknowledged: its last commit ts, or a later watermark seen meanwhile. */
export function batchCheckpointTs(open: OpenBatch): CommitTs {
  const last = open.txns[open.txns.length - 1] as Txn;
  return open.watermark > last.commitTs ? open.watermark : last.commitTs;
}

export function batchSchemaVersion(open: OpenBatch): number {
  return open.txns.reduce((v, t) => Math.max(v, t.schemaVersion), 0);
}
