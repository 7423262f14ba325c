import { ColumnFlag, MysqlType } from '@tidb-drainer/core';
import type { TidbColumnInfo, TidbFieldType } from '@tidb-drainer/core';

/** Options every column builder takes. */
export interface TidbColumnOptions {
  readonly notNull?: boolean;
  readonly unsigned?: boolean;
  /** DEFAULT as TiDB stores it (text, e.g. "0", "abc", "2020-01-02 03:04:05"); `null` = DEFAULT NULL. */
  readonly default?: string | null;
  /** BIT defaults: the value's bytes (TiDB stores them base64 in `default_bit`). */
  readonly defaultBit?: Uint8Array;
  readonly generated?: { readonly expr: string; readonly stored: boolean };
  readonly charset?: string;
  readonly collate?: string;
  readonly comment?: string;
}

/** A column definition for the fake TiDB's table model; `toTidbColumn` turns it into TiDB's ColumnInfo JSON. */
export interface TidbColumnSpec extends TidbColumnOptions {
  readonly name: string;
  readonly tp: number;
  readonly flen: number;
  readonly decimal: number;
  readonly elems?: readonly string[];
}

const UNSPECIFIED = -1;

function spec(
  name: string,
  tp: number,
  flen: number,
  decimal: number,
  o: TidbColumnOptions = {},
  elems?: readonly string[],
): TidbColumnSpec {
  return { name, tp, flen, decimal, ...o, ...(elems !== undefined ? { elems } : {}) };
}

/** Builders for every column type TiDB 7.1 supports, with TiDB's default lengths (what `CREATE TABLE` stores). */
export const tidbCol = {
  tinyint: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Tiny, o.unsigned === true ? 3 : 4, 0, o),
  smallint: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Short, o.unsigned === true ? 5 : 6, 0, o),
  mediumint: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Int24, o.unsigned === true ? 8 : 9, 0, o),
  int: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Long, o.unsigned === true ? 10 : 11, 0, o),
  bigint: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.LongLong, 20, 0, o),
  float: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Float, 12, UNSPECIFIED, o),
  double: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Double, 22, UNSPECIFIED, o),
  decimal: (n: string, precision = 10, scale = 0, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.NewDecimal, precision, scale, o),
  date: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Date, 10, 0, o),
  datetime: (n: string, fsp = 0, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.Datetime, fsp > 0 ? 20 + fsp : 19, fsp, o),
  timestamp: (n: string, fsp = 0, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.Timestamp, fsp > 0 ? 20 + fsp : 19, fsp, o),
  time: (n: string, fsp = 0, o: TidbColumnOptions = {}) => spec(n, MysqlType.Duration, fsp > 0 ? 11 + fsp : 10, fsp, o),
  year: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Year, 4, 0, o),
  char: (n: string, len = 1, o: TidbColumnOptions = {}) => spec(n, MysqlType.String, len, 0, o),
  varchar: (n: string, len = 255, o: TidbColumnOptions = {}) => spec(n, MysqlType.Varchar, len, 0, o),
  binary: (n: string, len = 1, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.String, len, 0, { ...o, charset: 'binary', collate: 'binary' }),
  varbinary: (n: string, len = 255, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.Varchar, len, 0, { ...o, charset: 'binary', collate: 'binary' }),
  tinytext: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.TinyBlob, 255, 0, o),
  text: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.Blob, 65535, 0, o),
  mediumtext: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.MediumBlob, 16777215, 0, o),
  longtext: (n: string, o: TidbColumnOptions = {}) => spec(n, MysqlType.LongBlob, 4294967295, 0, o),
  tinyblob: (n: string, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.TinyBlob, 255, 0, { ...o, charset: 'binary', collate: 'binary' }),
  blob: (n: string, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.Blob, 65535, 0, { ...o, charset: 'binary', collate: 'binary' }),
  mediumblob: (n: string, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.MediumBlob, 16777215, 0, { ...o, charset: 'binary', collate: 'binary' }),
  longblob: (n: string, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.LongBlob, 4294967295, 0, { ...o, charset: 'binary', collate: 'binary' }),
  json: (n: string, o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.Json, UNSPECIFIED, 0, { ...o, charset: 'binary', collate: 'binary' }),
  enum: (n: string, elems: readonly string[], o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.Enum, UNSPECIFIED, 0, o, elems),
  set: (n: string, elems: readonly string[], o: TidbColumnOptions = {}) =>
    spec(n, MysqlType.Set, UNSPECIFIED, 0, o, elems),
  bit: (n: string, width = 1, o: TidbColumnOptions = {}) => spec(n, MysqlType.Bit, width, 0, o),
};

/**
 * One column of every type TiDB 7.1 supports (integers signed and unsigned, floats, decimal, every time type with
 * fsp, strings text and binary, blobs, JSON, ENUM, SET, BIT), all nullable, after an `id BIGINT` primary key.
 * Names are the type names (`c_int`, `c_bigint_u`, …).
 */
export function allTidbTypeColumns(): TidbColumnSpec[] {
  return [
    tidbCol.bigint('id', { notNull: true }),
    tidbCol.tinyint('c_tinyint'),
    tidbCol.tinyint('c_tinyint_u', { unsigned: true }),
    tidbCol.smallint('c_smallint'),
    tidbCol.smallint('c_smallint_u', { unsigned: true }),
    tidbCol.mediumint('c_mediumint'),
    tidbCol.mediumint('c_mediumint_u', { unsigned: true }),
    tidbCol.int('c_int'),
    tidbCol.int('c_int_u', { unsigned: true }),
    tidbCol.bigint('c_bigint'),
    tidbCol.bigint('c_bigint_u', { unsigned: true }),
    tidbCol.float('c_float'),
    tidbCol.double('c_double'),
    tidbCol.decimal('c_decimal', 20, 6),
    tidbCol.decimal('c_decimal_wide', 65, 30),
    tidbCol.date('c_date'),
    tidbCol.datetime('c_datetime'),
    tidbCol.datetime('c_datetime6', 6),
    tidbCol.timestamp('c_timestamp'),
    tidbCol.timestamp('c_timestamp3', 3),
    tidbCol.time('c_time'),
    tidbCol.time('c_time6', 6),
    tidbCol.year('c_year'),
    tidbCol.char('c_char', 10),
    tidbCol.varchar('c_varchar', 64),
    tidbCol.binary('c_binary', 8),
    tidbCol.varbinary('c_varbinary', 64),
    tidbCol.tinytext('c_tinytext'),
    tidbCol.text('c_text'),
    tidbCol.mediumtext('c_mediumtext'),
    tidbCol.longtext('c_longtext'),
    tidbCol.tinyblob('c_tinyblob'),
    tidbCol.blob('c_blob'),
    tidbCol.mediumblob('c_mediumblob'),
    tidbCol.longblob('c_longblob'),
    tidbCol.json('c_json'),
    tidbCol.enum('c_enum', ['a', 'b', 'c']),
    tidbCol.set('c_set', ['x', 'y', 'z']),
    tidbCol.bit('c_bit', 10),
  ];
}

function isStringTp(tp: number): boolean {
  return (
    tp === MysqlType.Varchar ||
    tp === MysqlType.VarString ||
    tp === MysqlType.String ||
    tp === MysqlType.TinyBlob ||
    tp === MysqlType.Blob ||
    tp === MysqlType.MediumBlob ||
    tp === MysqlType.LongBlob ||
    tp === MysqlType.Enum ||
    tp === MysqlType.Set
  );
}

function isBlobTp(tp: number): boolean {
  return (
    tp === MysqlType.TinyBlob ||
    tp === MysqlType.Blob ||
    tp === MysqlType.MediumBlob ||
    tp === MysqlType.LongBlob ||
    tp === MysqlType.Json
  );
}

/** TiDB's FieldType for a spec; `extraFlag` adds PriKey/UniqueKey flags from the table's keys. */
export function toFieldType(
  c: TidbColumnSpec,
  extraFlag = 0,
  tableCharset = 'utf8mb4',
  tableCollate = 'utf8mb4_bin',
): TidbFieldType {
  const stringy = isStringTp(c.tp);
  const charset = c.charset ?? (stringy ? tableCharset : 'binary');
  const collate = c.collate ?? (stringy ? (c.charset === undefined ? tableCollate : `${charset}_bin`) : 'binary');
  let flag = extraFlag;
  if (c.notNull === true) flag |= ColumnFlag.NotNull;
  if (c.unsigned === true) flag |= ColumnFlag.Unsigned;
  if (charset === 'binary') flag |= ColumnFlag.Binary;
  if (isBlobTp(c.tp)) flag |= ColumnFlag.Blob;
  if (c.tp === MysqlType.Enum) flag |= ColumnFlag.Enum;
  if (c.tp === MysqlType.Set) flag |= ColumnFlag.Set;
  return {
    Tp: c.tp,
    Flag: flag,
    Flen: c.flen,
    Decimal: c.decimal,
    Charset: charset,
    Collate: collate,
    Elems: c.elems ?? null,
  };
}

/**
 * TiDB's ColumnInfo JSON for a spec at `offset` with column id `id`. `originDefault` is what TiDB records as
 * `origin_default`: the default at CREATE TABLE time, or the value existing rows get when the column is added.
 */
export function toTidbColumn(
  c: TidbColumnSpec,
  id: number,
  offset: number,
  opts: {
    readonly extraFlag?: number;
    readonly charset?: string;
    readonly collate?: string;
    readonly originDefault?: string | null;
  } = {},
): TidbColumnInfo & Record<string, unknown> {
  const isBit = c.tp === MysqlType.Bit;
  const bitB64 = c.defaultBit !== undefined ? Buffer.from(c.defaultBit).toString('base64') : null;
  const def = isBit
    ? c.defaultBit !== undefined
      ? Buffer.from(c.defaultBit).toString('latin1')
      : null
    : (c.default ?? null);
  const origin = opts.originDefault !== undefined ? opts.originDefault : def;
  return {
    id,
    name: { O: c.name, L: c.name.toLowerCase() },
    offset,
    origin_default: origin,
    // TiDB keeps a BIT default's bytes as a Go string; `*_bit` holds the same bytes (base64 in JSON).
    origin_default_bit: isBit && origin !== null ? Buffer.from(origin, 'latin1').toString('base64') : null,
    default: def,
    default_bit: bitB64,
    default_is_expr: false,
    generated_expr_string: c.generated?.expr ?? '',
    generated_stored: c.generated?.stored ?? false,
    dependences: null,
    type: toFieldType(c, opts.extraFlag ?? 0, opts.charset, opts.collate),
    state: 5,
    comment: c.comment ?? '',
    hidden: false,
    change_state_info: null,
    version: 2,
  };
}
