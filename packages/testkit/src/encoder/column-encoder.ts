import { MysqlType, ValueKind, encodeUtf8, packTime, valueKindOf } from '@tidb-drainer/core/codec';
import type { ColumnInfo, ColumnValue } from '@tidb-drainer/core/codec';
import type { ByteWriter } from './byte-writer.js';
import { writeDatum } from './datum-encoder.js';

/**
 * Writes a model value as the datum TiDB stores for the column (flattening, spec §3): DATE/DATETIME/TIMESTAMP →
 * packed uint64 (model TIMESTAMPs are already UTC), TIME → int64 ns, ENUM → index, SET → mask, BIT → uint64,
 * DECIMAL at the column's (M,D), FLOAT narrowed to float32, CHAR trailing spaces trimmed and BINARY(n) zero-padded
 * (as TiDB's value conversion does at insert). `null` → 0x00. A value of the wrong shape is a TypeError.
 */
export function writeColumnValue(w: ByteWriter, col: ColumnInfo, value: ColumnValue): void {
  if (value === null) return writeDatum.nil(w);
  const kind = valueKindOf(col);
  switch (kind) {
    case ValueKind.Int:
      return writeDatum.int(w, asBigint(value, col));
    case ValueKind.Uint:
    case ValueKind.Bit:
      return writeDatum.uint(w, asBigint(value, col));
    case ValueKind.Float:
      return writeDatum.float(w, Math.fround(asNumber(value, col)));
    case ValueKind.Double:
      return writeDatum.float(w, asNumber(value, col));
    case ValueKind.Decimal: {
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'decimal') throw wrongShape(col, value);
      const precision = col.length > 0 ? col.length : value.precision;
      const frac = col.length > 0 && col.decimal >= 0 ? col.decimal : value.scale;
      return writeDatum.decimal(w, value, precision, frac);
    }
    case ValueKind.Text: {
      if (typeof value !== 'string') throw wrongShape(col, value);
      const s = col.type === MysqlType.String ? value.replace(/ +$/, '') : value;
      return writeDatum.compactBytes(w, encodeUtf8(s));
    }
    case ValueKind.Bytes: {
      if (!(value instanceof Uint8Array)) throw wrongShape(col, value);
      return writeDatum.compactBytes(w, padBinary(col, value));
    }
    case ValueKind.Date:
    case ValueKind.Datetime:
    case ValueKind.Timestamp:
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'time') throw wrongShape(col, value);
      return writeDatum.uint(w, packTime(value));
    case ValueKind.Duration:
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'duration') throw wrongShape(col, value);
      return writeDatum.int(w, value.nanos);
    case ValueKind.Enum:
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'enum') throw wrongShape(col, value);
      return writeDatum.uint(w, BigInt(value.index));
    case ValueKind.Set:
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'set') throw wrongShape(col, value);
      return writeDatum.uint(w, value.mask);
    case ValueKind.Json:
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'json') throw wrongShape(col, value);
      return writeDatum.json(w, value.value);
  }
}

/** BINARY(n) values are right-padded with 0x00 to n bytes. */
export function padBinary(col: ColumnInfo, bytes: Uint8Array): Uint8Array {
  if (col.type !== MysqlType.String || col.length <= 0 || bytes.length >= col.length) return bytes;
  const out = new Uint8Array(col.length);
  out.set(bytes);
  return out;
}

function asBigint(value: ColumnValue, col: ColumnInfo): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  throw wrongShape(col, value);
}

function asNumber(value: ColumnValue, col: ColumnInfo): number {
  if (typeof value === 'number') return value;
  throw wrongShape(col, value);
}

function wrongShape(col: ColumnInfo, value: ColumnValue): TypeError {
  const shape =
    value instanceof Uint8Array ? 'bytes' : typeof value === 'object' && value !== null ? value.kind : typeof value;
  return new TypeError(`column ${col.name} (type ${col.type}) cannot hold a ${shape} value`);
}
