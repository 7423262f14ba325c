import {
  BINARY_CHARSET,
  ColumnFlag,
  MysqlType,
  ValueKind,
  encodeUtf8,
  packTime,
  valueKindOf,
} from '@tidb-drainer/core/codec';
import type { ColumnInfo, ColumnValue, RowValues, TableInfo } from '@tidb-drainer/core/codec';
import { ByteWriter } from './byte-writer.js';
import { padBinary, writeColumnValue } from './column-encoder.js';
import { writeDatum } from './datum-encoder.js';

/** Column id of the hidden `_tidb_rowid` in update/delete rows. */
const EXTRA_HANDLE_ID = -1;

export interface RowEncodeOptions {
  /** `_tidb_rowid` of the row: required for tables with neither pk-is-handle nor a clustered primary key. */
  readonly rowId?: bigint;
  /** `new_collations_enabled_on_first_bootstrap` (on by default since v6.0): decides which clustered PK strings
   * are also written into the row (`NeedRestoredData`). */
  readonly newCollation?: boolean;
}

/**
 * `tablecodec.EncodeOldRow` (spec §3): `colID value` pairs as datums, `00` for an empty row; with `rowId` the pair
 * `(-1, rowId)` is appended (update/delete rows of `_tidb_rowid` tables).
 */
export function encodeOldRow(
  columns: readonly ColumnInfo[],
  values: readonly ColumnValue[],
  rowId?: bigint,
): Uint8Array {
  const w = new ByteWriter();
  writeOldRow(w, columns, values, rowId);
  return w.finish();
}

function writeOldRow(
  w: ByteWriter,
  columns: readonly ColumnInfo[],
  values: readonly ColumnValue[],
  rowId?: bigint,
): void {
  if (columns.length === 0 && rowId === undefined) {
    writeDatum.nil(w);
    return;
  }
  columns.forEach((col, i) => {
    writeDatum.int(w, BigInt(col.id));
    writeColumnValue(w, col, values[i] ?? null);
  });
  if (rowId !== undefined) {
    writeDatum.int(w, BigInt(EXTRA_HANDLE_ID));
    writeDatum.int(w, rowId);
  }
}

/**
 * An `inserted_rows` entry (spec §2.1): the handle prefix, then the columns TiDB does not skip (`CanSkip`): not the
 * pk-is-handle column, not full clustered PK columns that need no restored data, not NULLs of columns without any
 * default, not VIRTUAL generated columns, not `undefined` (absent) values.
 */
export function encodeInsertRow(table: TableInfo, values: RowValues, opts: RowEncodeOptions = {}): Uint8Array {
  const newCollation = opts.newCollation ?? true;
  const w = new ByteWriter();
  writeHandlePrefix(w, table, values, opts);
  const pk = table.isCommonHandle ? table.indices.find((ix) => ix.primary) : undefined;
  const handleCol = table.pkIsHandle ? pkHandleColumn(table) : undefined;
  const cols: ColumnInfo[] = [];
  const vals: ColumnValue[] = [];
  for (const col of table.columns) {
    const v = values[col.offset];
    if (v === undefined) continue;
    if (col.generated && !col.generatedStored) continue;
    if (handleCol === col) continue;
    if (pk !== undefined) {
      const i = pk.columns.indexOf(col.offset);
      if (i >= 0 && (pk.lengths[i] ?? -1) < 0 && !needRestoredData(col, newCollation)) continue;
    }
    if (v === null && !hasDefault(col)) continue;
    cols.push(col);
    vals.push(v);
  }
  writeOldRow(w, cols, vals);
  return w.finish();
}

/** An `updated_rows` entry (spec §2.2): every non-virtual column, old half then new half, + `(-1, rowId)`. */
export function encodeUpdateRow(
  table: TableInfo,
  before: RowValues,
  after: RowValues,
  opts: RowEncodeOptions = {},
): Uint8Array {
  const cols = table.columns.filter((c) => !(c.generated && !c.generatedStored));
  const rowId = rowIdFor(table, opts);
  const w = new ByteWriter();
  writeOldRow(
    w,
    cols,
    cols.map((c) => before[c.offset] ?? null),
    rowId,
  );
  writeOldRow(
    w,
    cols,
    cols.map((c) => after[c.offset] ?? null),
    rowId,
  );
  return w.finish();
}

/** A `deleted_rows` entry (spec §2.3): every public column of the old row, no prefix, + `(-1, rowId)`. */
export function encodeDeleteRow(table: TableInfo, values: RowValues, opts: RowEncodeOptions = {}): Uint8Array {
  return encodeOldRow(
    table.columns,
    table.columns.map((c) => values[c.offset] ?? null),
    rowIdFor(table, opts),
  );
}

/**
 * The handle prefix of an insert: one varint int64 (the pk-is-handle value — unsigned reinterpreted as int64 — or
 * the `_tidb_rowid`), or for clustered tables one datum per PK column as TiDB re-encodes the decoded key: strings
 * as their collation key (approximated here by the value, trailing spaces trimmed for PAD SPACE collations; `_ci`
 * weight strings are not computed — TiDB writes those columns into the row anyway), prefix-indexed columns
 * truncated, TIME as 0x07, flattened times/ENUM/SET/BIT as 0x09.
 */
export function writeHandlePrefix(
  w: ByteWriter,
  table: TableInfo,
  values: RowValues,
  opts: RowEncodeOptions = {},
): void {
  if (table.pkIsHandle) {
    const col = pkHandleColumn(table);
    const v = values[col.offset];
    if (typeof v !== 'bigint') throw new TypeError(`pk-is-handle column ${col.name} needs a bigint value`);
    writeDatum.int(w, BigInt.asIntN(64, v));
    return;
  }
  const pk = table.isCommonHandle ? table.indices.find((ix) => ix.primary) : undefined;
  if (pk === undefined) {
    writeDatum.int(w, rowIdFor(table, opts) ?? 0n);
    return;
  }
  const newCollation = opts.newCollation ?? true;
  pk.columns.forEach((offset, i) => {
    const col = table.columns[offset]!;
    const v = values[offset];
    if (v === undefined || v === null) throw new TypeError(`clustered PK column ${col.name} needs a value`);
    writeKeyDatum(w, col, v, pk.lengths[i] ?? -1, newCollation);
  });
}

function writeKeyDatum(w: ByteWriter, col: ColumnInfo, v: ColumnValue, prefixLen: number, newCollation: boolean): void {
  switch (valueKindOf(col)) {
    case ValueKind.Text: {
      let s = v as string;
      if (prefixLen >= 0) s = Array.from(s).slice(0, prefixLen).join('');
      if (newCollation) s = s.replace(/ +$/, '');
      writeDatum.compactBytes(w, encodeUtf8(s));
      return;
    }
    case ValueKind.Bytes: {
      let b = padBinary(col, v as Uint8Array);
      if (prefixLen >= 0) b = b.subarray(0, prefixLen);
      writeDatum.compactBytes(w, b);
      return;
    }
    case ValueKind.Duration:
      writeDatum.duration(w, (v as { nanos: bigint }).nanos);
      return;
    case ValueKind.Date:
    case ValueKind.Datetime:
    case ValueKind.Timestamp:
      writeDatum.uint(w, packTime(v as Parameters<typeof packTime>[0]));
      return;
    case ValueKind.Int:
    case ValueKind.Uint:
    case ValueKind.Float:
    case ValueKind.Double:
    case ValueKind.Decimal:
    case ValueKind.Enum:
    case ValueKind.Set:
    case ValueKind.Bit:
    case ValueKind.Json:
      writeColumnValue(w, col, v);
  }
}

/** TiDB `NeedRestoredData`: with new collations, non-binary strings whose collation is not `_bin`, and VARCHARs. */
export function needRestoredData(col: ColumnInfo, newCollation = true): boolean {
  if (!newCollation || valueKindOf(col) !== ValueKind.Text || col.charset === BINARY_CHARSET) return false;
  return !col.collation.endsWith('_bin') || col.type === MysqlType.Varchar || col.type === MysqlType.VarString;
}

function hasDefault(col: ColumnInfo): boolean {
  return (
    (col.defaultValue !== undefined && col.defaultValue !== null) ||
    (col.originDefault !== undefined && col.originDefault !== null)
  );
}

function pkHandleColumn(table: TableInfo): ColumnInfo {
  const pk = table.indices.find((ix) => ix.primary);
  const col =
    table.columns.find((c) => (c.flag & ColumnFlag.PriKey) !== 0) ?? (pk ? table.columns[pk.columns[0]!] : undefined);
  if (col === undefined) throw new TypeError(`table ${table.name} is pk-is-handle but has no primary key column`);
  return col;
}

function rowIdFor(table: TableInfo, opts: RowEncodeOptions): bigint | undefined {
  if (table.pkIsHandle || table.isCommonHandle) return undefined;
  if (opts.rowId === undefined) throw new TypeError(`table ${table.name} has a _tidb_rowid handle: pass opts.rowId`);
  return opts.rowId;
}
