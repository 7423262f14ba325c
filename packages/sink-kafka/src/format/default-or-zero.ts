import { zeroValue as coreZeroValue } from '@tidb-drainer/core/codec';
import { BINARY_CHARSET, MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue } from '@tidb-drainer/core/sdk';
import { isBinaryStringColumn } from './type-names.js';

/**
 * The value the Go drainer substitutes for a column absent from the row bytes (`getDefaultOrZeroValue`): the
 * origin default, else NULL for a nullable column, else the first ENUM member, else the type's zero value.
 * Unlike core's `defaultOrZeroValue`, an explicit NULL origin default is kept (NULL) even on a NOT NULL column.
 */
export function defaultOrZero(col: ColumnInfo): ColumnValue {
  if (col.originDefault !== undefined) return col.originDefault;
  if (col.nullable) return null;
  return zeroValue(col);
}

/**
 * Core's `zeroValue` with the two places this sink's output differs: a DECIMAL zero is a bare `0` (Go's empty
 * `MyDecimal` prints no fraction digits, whatever the column's scale), and a column whose collation alone is
 * `binary` counts as a binary string (zero value = bytes, as `type-names.ts` classifies it for the mysql_type).
 */
function zeroValue(col: ColumnInfo): ColumnValue {
  if (col.type === MysqlType.Decimal || col.type === MysqlType.NewDecimal)
    return { kind: 'decimal', text: '0', precision: col.length, scale: 0 };
  return coreZeroValue(isBinaryStringColumn(col) ? { ...col, charset: BINARY_CHARSET } : col);
}
