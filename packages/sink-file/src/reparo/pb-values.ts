import { isUtf8 } from 'node:buffer';
import {
  DecodeError,
  decodeDatum,
  parseDurationText,
  parseJsonText,
  parseTimeText,
  timestampFromZone,
} from '@tidb-drainer/core/codec';
import type { ColumnValue, Datum } from '@tidb-drainer/core/codec';
import { MysqlType } from '@tidb-drainer/core/sdk';
import type { TimeValue } from '@tidb-drainer/core/sdk';

/** True for the `mysql_type` strings of binary string columns (TypeToStr with charset binary). */
export function isBinaryTypeStr(s: string): boolean {
  return s.endsWith('blob') || s === 'binary' || s === 'varbinary' || s === 'geometry';
}

function text(d: Datum, what: string): string {
  if (d.flag !== 'bytes')
    throw new DecodeError(`pb column ${what}: expected a string datum, got ${d.flag}`, { column: what });
  return Buffer.from(d.value.buffer, d.value.byteOffset, d.value.byteLength).toString('utf8');
}

function int(d: Datum, what: string): bigint {
  if (d.flag === 'int' || d.flag === 'uint') return d.value;
  throw new DecodeError(`pb column ${what}: expected an integer datum, got ${d.flag}`, { column: what });
}

/** Fraction digits in a time/duration text (its fsp). */
function fspOf(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * Decodes a pb column value (TiDB `DecodeOne`) and types it by the column's type code, as reparo does: DATE/TIME/
 * DECIMAL/JSON arrive as text, ENUM/SET/BIT as uint64, TIMESTAMP text is wall-clock in `zone` (converted back to
 * UTC, the model's convention). ENUM/SET carry only their index/mask (the file has no member names).
 */
export function pbColumnValue(tp: number, typeStr: string, bytes: Uint8Array, name: string, zone: string): ColumnValue {
  const d = decodeDatum(bytes);
  if (d.flag === 'nil') return null;
  switch (tp) {
    case MysqlType.Tiny:
    case MysqlType.Short:
    case MysqlType.Int24:
    case MysqlType.Long:
    case MysqlType.LongLong:
    case MysqlType.Year:
    case MysqlType.Bit:
      return int(d, name);
    case MysqlType.Float:
    case MysqlType.Double:
      if (d.flag !== 'float')
        throw new DecodeError(`pb column ${name}: expected a float datum, got ${d.flag}`, { column: name });
      return tp === MysqlType.Float ? Math.fround(d.value) : d.value;
    case MysqlType.Decimal:
    case MysqlType.NewDecimal: {
      const t = text(d, name);
      const digits = t.replace(/[-.]/g, '');
      return { kind: 'decimal', text: t, precision: Math.max(digits.length, 1), scale: fspOf(t) };
    }
    case MysqlType.Date:
    case MysqlType.NewDate:
    case MysqlType.Datetime:
    case MysqlType.Timestamp: {
      const t = text(d, name);
      const type: TimeValue['type'] =
        tp === MysqlType.Timestamp ? 'timestamp' : tp === MysqlType.Datetime ? 'datetime' : 'date';
      const v = parseTimeText(t, type, fspOf(t));
      if (v === undefined)
        throw new DecodeError(`pb column ${name}: bad time text ${JSON.stringify(t)}`, { column: name });
      return type === 'timestamp' ? timestampFromZone(v, zone) : v;
    }
    case MysqlType.Duration: {
      const t = text(d, name);
      const nanos = parseDurationText(t);
      if (nanos === undefined)
        throw new DecodeError(`pb column ${name}: bad time text ${JSON.stringify(t)}`, { column: name });
      return { kind: 'duration', nanos, fsp: fspOf(t) };
    }
    case MysqlType.Json:
      return parseJsonText(text(d, name));
    case MysqlType.Enum:
      return { kind: 'enum', index: Number(int(d, name)), name: '' };
    case MysqlType.Set:
      return { kind: 'set', mask: int(d, name), names: [] };
    default:
      // `var_string` stays `var_string` for binary columns in TypeToStr: bytes that are not UTF-8 stay bytes.
      if (d.flag === 'bytes') return isBinaryTypeStr(typeStr) || !isUtf8(d.value) ? d.value : text(d, name);
      if (d.flag === 'int' || d.flag === 'uint') return d.value;
      if (d.flag === 'float') return d.value;
      throw new DecodeError(`pb column ${name}: unexpected ${d.flag} datum for type ${tp}`, { column: name });
  }
}
