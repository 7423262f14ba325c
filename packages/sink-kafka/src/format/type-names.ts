import { isUnsignedColumn } from '@tidb-drainer/core/codec';
import { BINARY_CHARSET, ColumnFlag, MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo } from '@tidb-drainer/core/sdk';

/** TiDB's `TypeToStr` base names by type code (the Go drainer's `mysql_type` strings). */
const TYPE_TO_STR: ReadonlyMap<number, string> = new Map([
  [MysqlType.Decimal, 'unspecified'],
  [MysqlType.Tiny, 'tinyint'],
  [MysqlType.Short, 'smallint'],
  [MysqlType.Long, 'int'],
  [MysqlType.Float, 'float'],
  [MysqlType.Double, 'double'],
  [MysqlType.Null, 'null'],
  [MysqlType.Timestamp, 'timestamp'],
  [MysqlType.LongLong, 'bigint'],
  [MysqlType.Int24, 'mediumint'],
  [MysqlType.Date, 'date'],
  [MysqlType.Duration, 'time'],
  [MysqlType.Datetime, 'datetime'],
  [MysqlType.Year, 'year'],
  [MysqlType.NewDate, 'date'],
  [MysqlType.Varchar, 'varchar'],
  [MysqlType.Bit, 'bit'],
  [MysqlType.Json, 'json'],
  [MysqlType.NewDecimal, 'decimal'],
  [MysqlType.Enum, 'enum'],
  [MysqlType.Set, 'set'],
  [MysqlType.TinyBlob, 'tinytext'],
  [MysqlType.MediumBlob, 'mediumtext'],
  [MysqlType.LongBlob, 'longtext'],
  [MysqlType.Blob, 'text'],
  [MysqlType.VarString, 'var_string'],
  [MysqlType.String, 'char'],
  [MysqlType.Geometry, 'geometry'],
]);

/** True for string-family columns whose charset is `binary` (BINARY, VARBINARY, BLOB family). */
export function isBinaryStringColumn(col: ColumnInfo): boolean {
  return col.charset === BINARY_CHARSET || col.collation === BINARY_CHARSET;
}

/**
 * `types.TypeToStr(tp, charset)`: the type name with no length, e.g. `int`, `varbinary`, `longblob`. With charset
 * `binary` the text family becomes the blob family and char/varchar become binary/varbinary.
 */
export function typeToStr(col: ColumnInfo): string {
  const base = TYPE_TO_STR.get(col.type) ?? '';
  if (!isBinaryStringColumn(col)) return base;
  if (base.endsWith('text')) return `${base.slice(0, -4)}blob`;
  if (base === 'char') return 'binary';
  if (base === 'varchar') return 'varbinary';
  return base;
}

/** UNSIGNED by the model field or the column flag (core's rule). */
export const isUnsigned: (col: ColumnInfo) => boolean = isUnsignedColumn;

/** TiCDC canal-json `mysqlType`: base name, then ` unsigned`, then ` zerofill`. */
export function canalMysqlType(col: ColumnInfo): string {
  let s = typeToStr(col);
  if (s === 'var_string') s = isBinaryStringColumn(col) ? 'varbinary' : 'varchar';
  if (isUnsigned(col)) s += ' unsigned';
  if ((col.flag & ColumnFlag.Zerofill) !== 0) s += ' zerofill';
  return s;
}
