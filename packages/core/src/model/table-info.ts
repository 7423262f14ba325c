import type { ColumnValue } from './values.js';

/**
 * A column as the sinks see it (derived from TiDB's `model.ColumnInfo`). Ids are numbers: TiDB allocates table,
 * column and index ids from a global counter bounded by 2^48, so they are always safe integers (the schema loader
 * checks this at the boundary).
 */
export interface ColumnInfo {
  readonly id: number;
  readonly name: string;
  /** Position in `TableInfo.columns` and in every `RowValues` array of this table. */
  readonly offset: number;
  /** MySQL type code ({@link MysqlType}). */
  readonly type: number;
  /** MySQL column flags ({@link ColumnFlag}). */
  readonly flag: number;
  /** Display length / precision (`Flen`); -1 when unspecified. */
  readonly length: number;
  /** Scale for DECIMAL, fsp for DATETIME/TIMESTAMP/TIME (`Decimal`); -1 when unspecified. */
  readonly decimal: number;
  readonly charset: string;
  readonly collation: string;
  /** ENUM/SET members in definition order. */
  readonly elems: readonly string[];
  readonly unsigned: boolean;
  readonly nullable: boolean;
  /** Generated column (virtual or stored): never written by DML sinks, value computed downstream. */
  readonly generated: boolean;
  readonly generatedStored: boolean;
  readonly generatedExpr?: string;
  /** Default from the column definition, already decoded to a model value (undefined = no default). */
  readonly defaultValue?: ColumnValue;
  /** The "origin default" recorded when the column was added (used for rows written before the ADD COLUMN). */
  readonly originDefault?: ColumnValue;
  /** Hidden/invisible columns (e.g. expression-index helpers) are not replicated to MySQL. */
  readonly hidden: boolean;
  /** MySQL type text as `SHOW CREATE TABLE` prints it, e.g. "decimal(10,2) unsigned". */
  readonly typeText: string;
}

export interface IndexInfo {
  readonly id: number;
  readonly name: string;
  readonly primary: boolean;
  readonly unique: boolean;
  /** Column offsets in `TableInfo.columns`, in index order. */
  readonly columns: readonly number[];
  /** Prefix lengths per index column (-1 = whole column). */
  readonly lengths: readonly number[];
}

export interface PartitionInfo {
  /** Partition id → partition name. DML on a partition id is reported on the logical table. */
  readonly definitions: readonly { readonly id: number; readonly name: string }[];
}

/**
 * One version of a table's definition. Shared by every row change of that version: sinks may cache derived data
 * (SQL text, Avro schemas) keyed by object identity or by `(id, schemaVersion)`.
 */
export interface TableInfo {
  readonly id: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly indices: readonly IndexInfo[];
  /** The primary key is an integer column stored as the row handle. */
  readonly pkIsHandle: boolean;
  /** Clustered index on a non-integer (or multi-column) primary key: the handle is the encoded key. */
  readonly isCommonHandle: boolean;
  readonly partition?: PartitionInfo;
  /** Schema version at which this definition became current. */
  readonly schemaVersion: number;
  readonly charset: string;
  readonly collation: string;
}

/** The key sinks use to identify a row: the primary key, else the first not-null unique key; undefined if none. */
export function handleKeyIndex(table: TableInfo): IndexInfo | undefined {
  const pk = table.indices.find((i) => i.primary);
  if (pk) return pk;
  return table.indices.find((i) => i.unique && i.columns.every((c) => table.columns[c]?.nullable === false));
}
