/**
 * The tipb binlog messages (proto2, package `binlog`; spec tidb-binlog.md §3.1) as plain typed objects.
 *
 * Conventions at our boundary:
 * - every int64 is a `bigint` (TSOs and ids exceed 2^53); int32 is a `number`;
 * - proto2 presence is kept: an optional `bytes` field that was absent on the wire is `undefined`, one that was present
 *   but empty is a zero-length `Uint8Array`. Fields the Go side marks gogoproto non-nullable are always present after
 *   decoding (absent on the wire → the proto2 default, 0);
 * - decoded `Uint8Array`s are views into the received buffer (no copy); do not mutate them.
 */

/** `binlog.BinlogType`. Values outside the enum are kept as their number (proto2 decoders must not reject them). */
export const BinlogType = {
  Prewrite: 0,
  Commit: 1,
  Rollback: 2,
  /** Obsolete, never written by TiDB v7. */
  PreDDL: 3,
  /** Obsolete, never written by TiDB v7. */
  PostDDL: 4,
} as const;
export type BinlogType = (typeof BinlogType)[keyof typeof BinlogType];

/** `binlog.MutationType`: the k-th Insert in `sequence` uses `insertedRows[k]`, and likewise for Update / DeleteRow. */
export const MutationType = {
  Insert: 0,
  Update: 1,
  /** Obsolete, never written. */
  DeleteID: 2,
  /** Obsolete, never written. */
  DeletePK: 3,
  DeleteRow: 4,
} as const;
export type MutationType = (typeof MutationType)[keyof typeof MutationType];

/** `binlog.TableMutation`: every row change of one logical table in one transaction. */
export interface TableMutation {
  /** Logical table id (a partitioned table's id, not the partition's). */
  tableId: bigint;
  /** Handle datums ++ old-format row (tidb-row-codec.md). */
  insertedRows: Uint8Array[];
  /** Old row ++ new row. */
  updatedRows: Uint8Array[];
  /** Obsolete, never written by TiDB v7; kept for completeness. */
  deletedIds: bigint[];
  /** Obsolete, never written by TiDB v7; kept for completeness. */
  deletedPks: Uint8Array[];
  /** Full old row. */
  deletedRows: Uint8Array[];
  /** Original statement order across the three row lists. Unknown enum numbers are kept as numbers. */
  sequence: MutationType[];
}

/** `binlog.PrewriteValue`: the DML body of a transaction (the Binlog's `prewriteValue` bytes decode to this). */
export interface PrewriteValue {
  /** TiDB schema version the transaction used. */
  schemaVersion: bigint;
  /** One per table touched, in TiDB's order. */
  mutations: TableMutation[];
}

/**
 * `binlog.Binlog`. What a drainer receives from a pump (§3.3) is either a merged Commit (`tp = Commit`,
 * `commitTs > startTs`, with `prewriteValue` for DML or `ddlJobId > 0` for DDL) or a fake binlog
 * (`startTs == commitTs`, `tp = Rollback`) — see `isFakeBinlog`.
 */
export interface TipbBinlog {
  tp: BinlogType;
  startTs: bigint;
  commitTs: bigint;
  /** The transaction's primary key (P-binlogs; pumps keep whatever the C-binlog carried). */
  prewriteKey?: Uint8Array;
  /** Serialized `PrewriteValue`; decode it with `decodePrewriteValue`. */
  prewriteValue?: Uint8Array;
  /** DDL text (UTF-8). */
  ddlQuery?: Uint8Array;
  /** > 0 ⇒ DDL binlog. */
  ddlJobId: bigint;
  /** The job's SchemaState when the binlog was written (1 = DeleteOnly). */
  ddlSchemaState: number;
}

/** The drainer's test for a fake (watermark) binlog (§3.4): `start_ts == commit_ts`. */
export function isFakeBinlog(b: Pick<TipbBinlog, 'startTs' | 'commitTs'>): boolean {
  return b.startTs === b.commitTs;
}

/** A TipbBinlog with every optional field absent and every non-nullable one at its default. */
export function emptyTipbBinlog(): TipbBinlog {
  return { tp: BinlogType.Prewrite, startTs: 0n, commitTs: 0n, ddlJobId: 0n, ddlSchemaState: 0 };
}
