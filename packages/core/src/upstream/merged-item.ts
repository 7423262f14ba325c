import type { CommitTs } from '../model/commit-ts.js';
import type { TipbBinlog } from '../protocol/tipb-types.js';

/**
 * What the Merger emits, in strictly increasing `commitTs` across all pumps (tidb-binlog.md §4).
 *
 * - `binlog`: a merged C-binlog from a pump (§3.3): `tp = Commit`, `commitTs > startTs`; DML when
 *   `binlog.prewriteValue` is set (decode it with `decodePrewriteValue`), DDL when `binlog.ddlJobId > 0n`.
 *   `payloadBytes` is the size of the serialized Binlog as received (what byte budgets should count).
 *   The decoder turns these into `Txn` / `DdlEvent` (or a `Resolved` when it filters the item).
 * - `fake`: a fake binlog (`start_ts == commit_ts`, §3.4): no data, only the promise that every item with a
 *   commit ts ≤ `commitTs` from that pump has been delivered. Becomes a `Resolved { commitTs }` watermark.
 *
 * `pump` is the node id of the pump the item came from (for errors, logs and the status API).
 */
export type MergedItem = MergedBinlog | MergedFake;

export interface MergedBinlog {
  readonly kind: 'binlog';
  readonly commitTs: CommitTs;
  readonly startTs: CommitTs;
  readonly binlog: TipbBinlog;
  readonly payloadBytes: number;
  readonly pump: string;
}

export interface MergedFake {
  readonly kind: 'fake';
  readonly commitTs: CommitTs;
  readonly pump: string;
}
