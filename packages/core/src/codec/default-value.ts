import { BINARY_CHARSET, MysqlType } from '../model/mysql-type.js';
import type { ColumnInfo } from '../model/table-info.js';
import type { ColumnValue } from '../model/values.js';
import { columnFsp } from './value-kind.js';

/**
 * The value the real drainer gives a column absent from a row (`getDefaultOrZeroValue`, spec §9.3): the origin
 * default if the column has one, else NULL if nullable, else the first ENUM member, else the type's zero value.
 * TIMESTAMP origin defaults stay in UTC here (model TIMESTAMPs are UTC; sinks convert when rendering).
 */
export function defaultOrZeroValue(col: ColumnInfo): ColumnValue {
  if (col.originDefault !== undefined && col.originDefault !== null) return col.originDefault;
  if (col.nullable) return null;
  return zeroValue(col);
}

/** TiDB's zero value of a NOT NULL column type (`GetZeroValue`; ENUM → its first member). */
export function zeroValue(
  col: Pick<ColumnInfo, 'type' | 'decimal' | 'length' | 'charset' | 'collation' | 'elems'>,
): ColumnValue {
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
    case MysqlType.NewDecimal: {
      const scale = Math.max(col.decimal, 0);
      return {
        kind: 'decimal',
        text: scale > 0 ? '0.' + '0'.repeat(scale) : '0',
        precision: col.length > 0 ? col.length : 10,
        scale,
      };
    }
    case MysqlType.Date:
    case MysqlType.NewDate:
    case MysqlType.Datetime:
    case MysqlType.Timestamp:
      return {
        kind: 'time',
        type: col.type === MysqlType.Datetime ? 'datetime' : col.type === MysqlType.Timestamp ? 'timestamp' : 'date',
        year: 0,
        month: 0,
        day: 0,
        hour: 0,
        minute: 0,
        second: 0,
        microsecond: 0,
        fsp: columnFsp(col),
      };
    case MysqlType.Duration:
      return { kind: 'duration', nanos: 0n, fsp: columnFsp(col) };
    case MysqlType.Enum:
      return col.elems.length > 0
        ? { kind: 'enum', index: 1, name: col.elems[0]! }
        : { kind: 'enum', index: 0, name: '' };
    case MysqlType.Set:
      return { kind: 'set', mask: 0n, names: [] };
    case MysqlType.Json:
      return { kind: 'json', value: null, text: 'null' };
    default:
      if (col.charset === BINARY_CHARSET) {
        // BINARY(n) is fixed-width: its zero value is n zero bytes.
        return col.type === MysqlType.String && col.length > 0 ? new Uint8Array(col.length) : new Uint8Array(0);
      }
      return '';
  }
}
