import { BINARY_CHARSET, ColumnFlag, MysqlType } from '../model/mysql-type.js';
import type { ColumnInfo } from '../model/table-info.js';

/** How a column's datums turn into model values; computed once per column (see table-plan.ts). */
export const ValueKind = {
  Int: 0,
  Uint: 1,
  Float: 2,
  Double: 3,
  Decimal: 4,
  Text: 5,
  Bytes: 6,
  Date: 7,
  Datetime: 8,
  Timestamp: 9,
  Duration: 10,
  Enum: 11,
  Set: 12,
  Bit: 13,
  Json: 14,
} as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

type KindColumn = Pick<ColumnInfo, 'type' | 'flag' | 'unsigned' | 'charset' | 'collation'>;

export function isUnsignedColumn(col: Pick<ColumnInfo, 'flag' | 'unsigned'>): boolean {
  return col.unsigned || (col.flag & ColumnFlag.Unsigned) !== 0;
}

export function isBinaryStringColumn(col: Pick<ColumnInfo, 'charset' | 'collation'>): boolean {
  return col.charset === BINARY_CHARSET || (col.charset === '' && col.collation === BINARY_CHARSET);
}

export function valueKindOf(col: KindColumn): ValueKind {
  switch (col.type) {
    case MysqlType.Tiny:
    case MysqlType.Short:
    case MysqlType.Int24:
    case MysqlType.Long:
    case MysqlType.LongLong:
      return isUnsignedColumn(col) ? ValueKind.Uint : ValueKind.Int;
    case MysqlType.Year:
      return ValueKind.Int;
    case MysqlType.Bit:
      return ValueKind.Bit;
    case MysqlType.Float:
      return ValueKind.Float;
    case MysqlType.Double:
      return ValueKind.Double;
    case MysqlType.Decimal:
    case MysqlType.NewDecimal:
      return ValueKind.Decimal;
    case MysqlType.Date:
    case MysqlType.NewDate:
      return ValueKind.Date;
    case MysqlType.Datetime:
      return ValueKind.Datetime;
    case MysqlType.Timestamp:
      return ValueKind.Timestamp;
    case MysqlType.Duration:
      return ValueKind.Duration;
    case MysqlType.Enum:
      return ValueKind.Enum;
    case MysqlType.Set:
      return ValueKind.Set;
    case MysqlType.Json:
      return ValueKind.Json;
    case MysqlType.Varchar:
    case MysqlType.VarString:
    case MysqlType.String:
    case MysqlType.TinyBlob:
    case MysqlType.MediumBlob:
    case MysqlType.LongBlob:
    case MysqlType.Blob:
      return isBinaryStringColumn(col) ? ValueKind.Bytes : ValueKind.Text;
    default:
      // GEOMETRY and NULL-typed columns carry raw bytes.
      return ValueKind.Bytes;
  }
}

/** Fractional-second precision of a time/duration column (`decimal`, -1 = unspecified = 0). */
export function columnFsp(col: Pick<ColumnInfo, 'decimal' | 'type'>): number {
  if (col.type === MysqlType.Date || col.type === MysqlType.NewDate) return 0;
  return col.decimal > 0 ? Math.min(col.decimal, 6) : 0;
}
