import { parseJsonText } from '../codec/json-parse.js';
import { columnFsp } from '../codec/value-kind.js';
import { BINARY_CHARSET, MysqlType } from '../model/mysql-type.js';
import type { ColumnInfo } from '../model/table-info.js';
import type { ColumnValue, DecimalValue, DurationValue, TimeValue } from '../model/values.js';

/**
 * TiDB's stored column default (ColumnInfo `default` / `origin_default`: MySQL text for every type; BIT as raw
 * bytes from `*_default_bit`) → the model value of the column's type. TIMESTAMP defaults are stored in UTC, which is
 * what model TIMESTAMPs hold, so no zone conversion happens here. Unparseable text throws (the caller names the
 * column and job).
 */
export function parseColumnDefault(col: ColumnInfo, raw: string | Uint8Array): ColumnValue {
  if (raw instanceof Uint8Array) return col.type === MysqlType.Bit ? bitsOf(raw) : col.charset === BINARY_CHARSET ? padded(col, raw) : new TextDecoder().decode(raw);
  const text = raw;
  switch (col.type) {
    case MysqlType.Tiny:
    case MysqlType.Short:
    case MysqlType.Int24:
    case MysqlType.Long:
    case MysqlType.LongLong:
    case MysqlType.Year:
      return integer(text, col.unsigned);
    case MysqlType.Bit:
      return bitsOf(Buffer.from(text, 'latin1'));
    case MysqlType.Float:
      return Math.fround(number(text));
    case MysqlType.Double:
      return number(text);
    case MysqlType.Decimal:
    case MysqlType.NewDecimal:
      return decimal(text, col);
    case MysqlType.Date:
    case MysqlType.NewDate:
      return time(text, 'date', 0);
    case MysqlType.Datetime:
      return time(text, 'datetime', columnFsp(col));
    case MysqlType.Timestamp:
      return time(text, 'timestamp', columnFsp(col));
    case MysqlType.Duration:
      return duration(text, columnFsp(col));
    case MysqlType.Json:
      return parseJsonText(text);
    case MysqlType.Enum: {
      const i = indexOfName(col.elems, text);
      if (i >= 0) return { kind: 'enum', index: i + 1, name: col.elems[i]! };
      if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= col.elems.length) {
        return { kind: 'enum', index: Number(text), name: col.elems[Number(text) - 1]! };
      }
      throw new Error(`"${text}" is not a member of the ENUM`);
    }
    case MysqlType.Set: {
      if (text === '') return { kind: 'set', mask: 0n, names: [] };
      let mask = 0n;
      for (const part of text.split(',')) {
        const i = indexOfName(col.elems, part);
        if (i < 0) throw new Error(`"${part}" is not a member of the SET`);
        mask |= 1n << BigInt(i);
      }
      return { kind: 'set', mask, names: col.elems.filter((_, i) => (mask >> BigInt(i)) & 1n) };
    }
    default:
      return col.charset === BINARY_CHARSET ? padded(col, new TextEncoder().encode(text)) : text;
  }
}

function indexOfName(elems: readonly string[], name: string): number {
  const exact = elems.indexOf(name);
  return exact >= 0 ? exact : elems.findIndex((e) => e.toLowerCase() === name.toLowerCase());
}

/** BINARY(n) values are right-padded with zero bytes to n (as TiDB stores them). */
function padded(col: ColumnInfo, bytes: Uint8Array): Uint8Array {
  if (col.type !== MysqlType.String || col.length <= bytes.length) return bytes;
  const out = new Uint8Array(col.length);
  out.set(bytes);
  return out;
}

function bitsOf(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function integer(text: string, unsigned: boolean): bigint {
  const t = text.trim();
  const v = /^[-+]?\d+$/.test(t) ? BigInt(t) : BigInt(Math.round(number(t)));
  return unsigned ? BigInt.asUintN(64, v) : v;
}

function number(text: string): number {
  const v = Number(text.trim());
  if (Number.isNaN(v)) throw new Error(`"${text}" is not a number`);
  return v;
}

function decimal(text: string, col: ColumnInfo): DecimalValue {
  const m = /^\s*([-+]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`"${text}" is not a decimal`);
  const scale = Math.max(col.decimal, 0);
  const digits = (m[2] ?? '') + (m[3] ?? '').padEnd(scale, '0');
  const kept = BigInt(digits.slice(0, digits.length - Math.max((m[3] ?? '').length - scale, 0)) || '0');
  const dropped = (m[3] ?? '').slice(scale);
  // MySQL rounds half away from zero when a default has more fraction digits than the column.
  const abs = dropped !== '' && dropped.charCodeAt(0) >= 0x35 ? kept + 1n : kept;
  const s = abs.toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}` : s;
  return { kind: 'decimal', text: m[1] === '-' && abs !== 0n ? `-${body}` : body, precision: col.length > 0 ? col.length : 10, scale };
}

function time(text: string, type: TimeValue['type'], fsp: number): TimeValue {
  const m = /^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{0,6})\d*)?)?\s*$/.exec(text);
  if (m === null) throw new Error(`"${text}" is not a ${type}`);
  const n = (i: number): number => Number(m[i] ?? '0');
  const micro = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  const keep = type === 'date' ? 0 : 10 ** (6 - fsp);
  return {
    kind: 'time',
    type,
    year: n(1),
    month: n(2),
    day: n(3),
    hour: type === 'date' ? 0 : n(4),
    minute: type === 'date' ? 0 : n(5),
    second: type === 'date' ? 0 : n(6),
    microsecond: type === 'date' ? 0 : Math.floor(micro / keep) * keep,
    fsp,
  };
}

function duration(text: string, fsp: number): DurationValue {
  const m = /^\s*(-?)(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{0,6})\d*)?\s*$/.exec(text);
  if (m === null) throw new Error(`"${text}" is not a TIME`);
  const micro = BigInt((m[5] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  const secs = BigInt(m[2]!) * 3600n + BigInt(m[3]!) * 60n + BigInt(m[4]!);
  const nanos = (secs * 1_000_000n + micro) * 1000n;
  return { kind: 'duration', nanos: m[1] === '-' ? -nanos : nanos, fsp };
}
