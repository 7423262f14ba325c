import { MysqlType } from '@tidb-drainer/core';
import type { TidbColumnSpec } from './column-spec.js';

/** The origin default TiDB records when a NOT NULL column without DEFAULT is added: the type's zero value as text. */
export function zeroDefaultText(c: TidbColumnSpec): string {
  switch (c.tp) {
    case MysqlType.Date:
      return '0000-00-00';
    case MysqlType.Datetime:
    case MysqlType.Timestamp:
      return c.decimal > 0 ? `0000-00-00 00:00:00.${'0'.repeat(c.decimal)}` : '0000-00-00 00:00:00';
    case MysqlType.Duration:
      return c.decimal > 0 ? `00:00:00.${'0'.repeat(c.decimal)}` : '00:00:00';
    case MysqlType.Enum:
      return c.elems?.[0] ?? '';
    case MysqlType.Set:
    case MysqlType.String:
    case MysqlType.Varchar:
    case MysqlType.VarString:
    case MysqlType.TinyBlob:
    case MysqlType.Blob:
    case MysqlType.MediumBlob:
    case MysqlType.LongBlob:
      return '';
    case MysqlType.Json:
      return 'null';
    case MysqlType.Bit:
      // BIT defaults are the value's bytes (as a Go string), not decimal text.
      return '\u0000';
    case MysqlType.NewDecimal:
    case MysqlType.Decimal:
      return c.decimal > 0 ? `0.${'0'.repeat(c.decimal)}` : '0';
    default:
      return '0';
  }
}
