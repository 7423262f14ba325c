import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue } from '@tidb-drainer/core/sdk';
import { isBinaryStringColumn } from './type-names.js';

const ZERO_TIME = { kind: 'time', year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0 } as const;

/**
 * The value the Go drainer substitutes for a column absent from the row bytes (`getDefaultOrZeroValue`): the
 * origin default, else NULL for a nullable column, else the first ENUM member, else the type's zero value.
 */
export function defaultOrZero(col: ColumnInfo): ColumnValue {
  if (col.originDefault !== undefined) return col.originDefault;
  if (col.nullable) return null;
  return zeroValue(col);
}

export function zeroValue(col: ColumnInfo): ColumnValue {
  const fsp = Math.max(0, col.decimal);
  switch (col.type) {
    case MysqlType.Tiny:
    case MysqlType.Short:
    case MysqlType.Int24:
    case MysqlType.Long:
    case MysqlType.LongLong:
    case MysqlType.Year:
    case MysqlType.Bit:
      return 0n;
    case MysqlType.Float:
    case MysqlType.Double:
      return 0;
    case MysqlType.Decimal:
    case MysqlType.NewDecimal:
      return { kind: 'decimal', text: '0', precision: col.length, scale: 0 };
    case MysqlType.Date:
    case MysqlType.NewDate:
      return { ...ZERO_TIME, type: 'date', fsp: 0 };
    case MysqlType.Datetime:
      return { ...ZERO_TIME, type: 'datetime', fsp };
    case MysqlType.Timestamp:
      return { ...ZERO_TIME, type: 'timestamp', fsp };
    case MysqlType.Duration:
      return { kind: 'duration', nanos: 0n, fsp };
    case MysqlType.Json:
      return { kind: 'json', value: null, text: 'null' };
    case MysqlType.Enum: {
      const first = col.elems[0];
      return first === undefined ? { kind: 'enum', index: 0, name: '' } : { kind: 'enum', index: 1, name: first };
    }
    case MysqlType.Set:
      return { kind: 'set', mask: 0n, names: [] };
    case MysqlType.String:
      if (isBinaryStringColumn(col)) return new Uint8Array(Math.max(0, col.length));
      return '';
    default:
      return isBinaryStringColumn(col) ? new Uint8Array(0) : '';
  }
}
