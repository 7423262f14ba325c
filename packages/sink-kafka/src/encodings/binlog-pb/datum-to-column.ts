import { formatDuration } from '@tidb-drainer/core/codec';
import type { ColumnInfo, ColumnValue } from '@tidb-drainer/core/sdk';
import { floatText } from '../../format/render-float.js';
import { renderTime } from '../../format/render-time.js';
import { isUnsigned, typeToStr } from '../../format/type-names.js';
import type { PbColumn } from './secondary-binlog.js';
import { plainText } from '../../format/value-text.js';

const NULL_COLUMN: PbColumn = Object.freeze({ isNull: true });
const UTF8 = new TextEncoder();

/** BIT(M) as the drainer sends it: big-endian, ⌈M/8⌉ bytes (at least one). */
export function bitBytes(v: bigint, flen: number): Uint8Array {
  const n = Math.max(1, Math.ceil(Math.max(flen, 1) / 8));
  const out = new Uint8Array(n);
  let x = BigInt.asUintN(64, v);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Go `%v`-style text of any value, for `geometry` and unknown types (string_value). */
function goText(col: ColumnInfo, v: Exclude<ColumnValue, null>, zone: string): string {
  if (typeof v === 'bigint' || typeof v === 'string') return String(v);
  if (typeof v === 'number') return floatText(v, false);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  switch (v.kind) {
    case 'decimal': return v.text;
    case 'time': return renderTime(v, zone);
    case 'duration': return formatDuration(v);
    case 'json': return v.text;
    case 'enum': return v.name;
    case 'set': return v.names.join(',');
  }
  return String(col.name);
}

function asBytes(v: Exclude<ColumnValue, null>): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return UTF8.encode(v);
  if (typeof v === 'object' && v.kind === 'json') return UTF8.encode(v.text);
  return UTF8.encode(plainText(v));
}

function asText(col: ColumnInfo, v: Exclude<ColumnValue, null>, zone: string): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return goText(col, v, zone);
}

function asInteger(v: Exclude<ColumnValue, null>): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'object' && !(v instanceof Uint8Array)) {
    if (v.kind === 'enum') return BigInt(v.index);
    if (v.kind === 'set') return v.mask;
  }
  return 0n;
}

/**
 * `DatumToColumn` of the Go drainer (tidb-binlog.md §8.3, tidb-row-codec.md §9.6): which `*_value` field a
 * column gets is decided by its `mysql_type` string; NULL sets only `is_null`. TIMESTAMP is rendered in `zone`.
 */
export function datumToColumn(col: ColumnInfo, v: ColumnValue, zone: string): PbColumn {
  if (v === null) return NULL_COLUMN;
  const tp = typeToStr(col);
  switch (tp) {
    case 'date':
    case 'datetime':
    case 'time':
    case 'timestamp':
    case 'year':
    case 'decimal':
      return { stringValue: goText(col, v, zone) };
    case 'int':
    case 'bigint':
    case 'smallint':
    case 'tinyint':
    case 'mediumint':
      return isUnsigned(col) ? { uint64Value: BigInt.asUintN(64, asInteger(v)) } : { int64Value: BigInt.asIntN(64, asInteger(v)) };
    case 'float':
    case 'double':
      // A FLOAT is already narrowed with Math.fround; widening to double keeps that value, as Go's float64(f32).
      return { doubleValue: typeof v === 'number' ? v : Number(asText(col, v, zone)) };
    case 'bit':
      return { bytesValue: bitBytes(asInteger(v), col.length) };
    case 'text':
    case 'longtext':
    case 'mediumtext':
    case 'char':
    case 'tinytext':
    case 'varchar':
    case 'var_string':
      // Go's string(bytes): a binary value goes on the wire as its raw bytes.
      return { stringValue: v instanceof Uint8Array ? v : asText(col, v, zone) };
    case 'blob':
    case 'longblob':
    case 'mediumblob':
    case 'binary':
    case 'tinyblob':
    case 'varbinary':
    case 'json':
      return { bytesValue: asBytes(v) };
    case 'enum':
    case 'set':
      return { uint64Value: asInteger(v) };
    default:
      return { stringValue: goText(col, v, zone) };
  }
}
