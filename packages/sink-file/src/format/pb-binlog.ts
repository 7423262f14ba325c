/**
 * The Go drainer's `pb_binlog` messages (proto2, package `pb_binlog`; spec §8.5), as plain data. Field numbers are
 * in pb-binlog-codec.ts.
 */
export const PbEventType = { Insert: 0, Update: 1, Delete: 2 } as const;
export type PbEventType = (typeof PbEventType)[keyof typeof PbEventType];

export const PbBinlogType = { DML: 0, DDL: 1 } as const;
export type PbBinlogType = (typeof PbBinlogType)[keyof typeof PbBinlogType];

export interface PbColumn {
  readonly name: string;
  /** MySQL type code (stored as a 1-byte `bytes` field). */
  readonly tp: number;
  /** TypeToStr of the column (`varchar`, `blob`, `decimal`…). */
  readonly mysqlType: string;
  /** Datum value encoding; for updates the old value. */
  readonly value?: Uint8Array;
  /** Updates only: the new value. */
  readonly changedValue?: Uint8Array;
}

export interface PbEvent {
  readonly schemaName?: string;
  readonly tableName?: string;
  readonly tp: PbEventType;
  readonly row: readonly PbColumn[];
}

export interface PbBinlog {
  readonly tp: PbBinlogType;
  readonly commitTs: bigint;
  /** DML only. */
  readonly events?: readonly PbEvent[];
  /** DDL only: `use \`db\`; <query>;`. */
  readonly ddlQuery?: Uint8Array;
}
