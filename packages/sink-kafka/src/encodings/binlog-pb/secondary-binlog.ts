/**
 * The Go drainer's secondary binlog (proto2, package `slave.binlog`, tidb-binlog.md §8.3) as plain objects.
 * Optional fields are `undefined` when absent: consumers test which `*_value` is set, so presence is part of
 * the format. Fields the drainer always encodes (gogoproto non-nullable) are required here.
 */
export const MutationType = { Insert: 0, Update: 1, Delete: 2 } as const;
export type MutationType = (typeof MutationType)[keyof typeof MutationType];

export const BinlogType = { DML: 0, DDL: 1 } as const;
export type BinlogType = (typeof BinlogType)[keyof typeof BinlogType];

export interface PbColumn {
  /** The drainer sets it only to `true` (NULL); absent otherwise. */
  readonly isNull?: boolean;
  readonly int64Value?: bigint;
  readonly uint64Value?: bigint;
  readonly doubleValue?: number;
  readonly bytesValue?: Uint8Array;
  /** A Uint8Array holds raw bytes (Go strings are bytes: a binary VAR_STRING column); decoding gives a string when the bytes are valid UTF-8. */
  readonly stringValue?: string | Uint8Array;
}

export interface PbColumnInfo {
  readonly name: string;
  /** `TypeToStr` name, e.g. `int`, `varbinary`, `longtext`. */
  readonly mysqlType: string;
  readonly isPrimaryKey: boolean;
  readonly flen: number;
  readonly decimal: number;
}

export interface PbRow {
  readonly columns: readonly PbColumn[];
}

export interface PbTableMutation {
  readonly type: MutationType;
  /** New values for insert/update, old values for delete. */
  readonly row: PbRow;
  /** Update only: the old values. */
  readonly changeRow?: PbRow;
}

export interface PbKey {
  readonly name?: string;
  readonly columnNames: readonly string[];
}

export interface PbTable {
  readonly schemaName?: string;
  readonly tableName?: string;
  readonly columnInfo: readonly PbColumnInfo[];
  readonly mutations: readonly PbTableMutation[];
  readonly uniqueKeys: readonly PbKey[];
}

export interface PbDdlData {
  readonly schemaName?: string;
  readonly tableName?: string;
  readonly ddlQuery?: Uint8Array;
}

export interface SecondaryBinlog {
  readonly type: BinlogType;
  readonly commitTs: bigint;
  readonly dmlData?: { readonly tables: readonly PbTable[] };
  readonly ddlData?: PbDdlData;
  /** Never set by the drainer; kept so decoding other producers' messages loses nothing. */
  readonly timeZone?: string;
}
