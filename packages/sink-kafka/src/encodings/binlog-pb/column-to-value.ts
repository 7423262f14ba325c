import { parseDurationText, parseJsonText, parseTimeText, timestampFromZone } from '@tidb-drainer/core/codec';
import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue, TimeValue } from '@tidb-drainer/core/sdk';
import { isBinaryStringColumn } from '../../format/type-names.js';
import type { PbColumn } from './secondary-binlog.js';

const UTF8 = new TextDecoder();

function str(c: PbColumn): string {
  const s = c.stringValue;
  return s === undefined ? '' : typeof s === 'string' ? s : UTF8.decode(s);
}

function bytesOf(c: PbColumn): Uint8Array {
  if (c.bytesValue !== undefined) return c.bytesValue;
  const s = c.stringValue;
  return s === undefined ? new Uint8Array() : typeof s === 'string' ? new TextEncoder().encode(s) : s;
}

function bigEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function fspOf(col: ColumnInfo): number {
  return col.decimal > 0 ? Math.min(col.decimal, 6) : 0;
}

/**
 * The inverse of `datumToColumn` given the column definition (what a consumer with the table schema can do):
 * back to the lossless model value. TIMESTAMP text is read in `zone` (the drainer's) and returned in UTC.
 */
export function pbColumnToValue(col: ColumnInfo, c: PbColumn, zone: string): ColumnValue {
  if (c.isNull === true) return null;
  switch (col.type) {
    case MysqlType.Tiny: case MysqlType.Short: case MysqlType.Int24: case MysqlType.Long: case MysqlType.LongLong:
      return c.uint64Value ?? c.int64Value ?? 0n;
    case MysqlType.Year:
      return BigInt(str(c) || '0');
    case MysqlType.Float:
      return Math.fround(c.doubleValue ?? 0);
    case MysqlType.Double:
      return c.doubleValue ?? 0;
    case MysqlType.Decimal: case MysqlType.NewDecimal: {
      const text = str(c);
      const dot = text.indexOf('.');
      return { kind: 'decimal', text, precision: col.length, scale: dot < 0 ? 0 : text.length - dot - 1 };
    }
    case MysqlType.Bit:
      return bigEndian(bytesOf(c));
    case MysqlType.Enum: {
      const index = Number(c.uint64Value ?? 0n);
      return { kind: 'enum', index, name: col.elems[index - 1] ?? '' };
    }
    case MysqlType.Set: {
      const mask = c.uint64Value ?? 0n;
      return { kind: 'set', mask, names: col.elems.filter((_, i) => ((mask >> BigInt(i)) & 1n) === 1n) };
    }
    case MysqlType.Json:
      return parseJsonText(UTF8.decode(bytesOf(c)));
    case MysqlType.Date: case MysqlType.NewDate: case MysqlType.Datetime: case MysqlType.Timestamp: {
      const type: TimeValue['type'] = col.type === MysqlType.Timestamp ? 'timestamp' : col.type === MysqlType.Datetime ? 'datetime' : 'date';
      const t = parseTimeText(str(c), type, type === 'date' ? 0 : fspOf(col));
      if (t === undefined) throw new TypeError(`column ${col.name}: "${str(c)}" is not a ${type}`);
      return type === 'timestamp' ? timestampFromZone(t, zone) : t;
    }
    case MysqlType.Duration:
      return { kind: 'duration', nanos: parseDurationText(str(c)) ?? 0n, fsp: fspOf(col) };
    default:
      return isBinaryStringColumn(col) ? bytesOf(c) : c.bytesValue !== undefined ? UTF8.decode(c.bytesValue) : str(c);
  }
}
