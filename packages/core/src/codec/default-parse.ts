import { DecodeError } from '../errors/drainer-error.js';
import type { ColumnInfo } from '../model/table-info.js';
import type { ColumnValue, TimeValue } from '../model/values.js';
import { enumValue } from './column-value.js';
import { parseJsonText } from './json-parse.js';
import { MAX_DECIMAL_FRAC } from './my-decimal.js';
import { encodeUtf8 } from './utf8.js';
import { ValueKind, columnFsp, valueKindOf } from './value-kind.js';
import { MysqlType } from '../model/mysql-type.js';

/**
 * Turns a column default as TiDB stores it in its TableInfo JSON (`default` / `origin_default`: text for every
 * type; `default_bit` / `origin_default_bit`: the bytes of a BIT value) into the model value of the column type.
 * TIMESTAMP defaults are stored in UTC by TiDB and stay UTC (model TIMESTAMPs are UTC). Expression defaults
 * (CURRENT_TIMESTAMP…) are not constants: callers must not pass them. Unparseable text → DecodeError naming the
 * column.
 */
export function parseColumnDefault(column: ColumnInfo, raw: string | Uint8Array): ColumnValue {
  const kind = valueKindOf(column);
  if (raw instanceof Uint8Array) {
    if (kind === ValueKind.Bit || kind === ValueKind.Uint || kind === ValueKind.Int) return bytesToBigint(raw);
    if (kind === ValueKind.Bytes) return padFixed(column, raw);
    return parseColumnDefault(column, new TextDecoder().decode(raw));
  }
  const text = raw;
  const bad = (what: string): never => {
    throw new DecodeError(`column ${column.name}: default ${JSON.stringify(text)} is not a valid ${what}`, {
      column: column.name,
      columnId: column.id,
    });
  };
  switch (kind) {
    case ValueKind.Int:
    case ValueKind.Uint: {
      const t = text.trim();
      if (/^[+-]?\d+$/.test(t)) return BigInt(t);
      const n = Number(t);
      return Number.isFinite(n) ? BigInt(Math.round(n)) : bad('integer');
    }
    case ValueKind.Bit: {
      // A BIT default that arrives as text holds the raw bytes of the value (Go string of []byte).
      const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
      return bytesToBigint(bytes);
    }
    case ValueKind.Float:
    case ValueKind.Double: {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) return bad('number');
      return kind === ValueKind.Float ? Math.fround(n) : n;
    }
    case ValueKind.Decimal:
      return normalizeDecimal(text, column) ?? bad('decimal');
    case ValueKind.Text:
      return text;
    case ValueKind.Bytes:
      return padFixed(column, encodeUtf8(text));
    case ValueKind.Date:
    case ValueKind.Datetime:
    case ValueKind.Timestamp:
      return (
        parseTimeText(
          text,
          kind === ValueKind.Date ? 'date' : kind === ValueKind.Datetime ? 'datetime' : 'timestamp',
          columnFsp(column),
        ) ?? bad('time')
      );
    case ValueKind.Duration: {
      const nanos = parseDurationText(text);
      return nanos === undefined ? bad('time') : { kind: 'duration', nanos, fsp: columnFsp(column) };
    }
    case ValueKind.Enum: {
      const i = column.elems.findIndex((e) => e.toLowerCase() === text.toLowerCase());
      if (i >= 0) return { kind: 'enum', index: i + 1, name: column.elems[i]! };
      if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= column.elems.length)
        return enumValue(BigInt(text), column);
      return text === '' ? { kind: 'enum', index: 0, name: '' } : bad('ENUM member');
    }
    case ValueKind.Set: {
      if (text === '') return { kind: 'set', mask: 0n, names: [] };
      let mask = 0n;
      for (const part of text.split(',')) {
        const i = column.elems.findIndex((e) => e.toLowerCase() === part.toLowerCase());
        if (i < 0) return bad('SET value');
        mask |= 1n << BigInt(i);
      }
      return { kind: 'set', mask, names: column.elems.filter((_, i) => (mask >> BigInt(i)) & 1n) };
    }
    case ValueKind.Json:
      return parseJsonText(text);
  }
}

/** `YYYY-MM-DD[ hh:mm:ss[.ffffff]]` (also `T` as separator); fraction kept to microseconds. */
export function parseTimeText(text: string, type: TimeValue['type'], fsp: number): TimeValue | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{0,6})\d*)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  const micro = Number((m[7] ?? '').padEnd(6, '0'));
  const full = {
    kind: 'time',
    type,
    year: n(1),
    month: n(2),
    day: n(3),
    hour: n(4),
    minute: n(5),
    second: n(6),
    microsecond: micro,
    fsp,
  } as const;
  return type === 'date' ? { ...full, hour: 0, minute: 0, second: 0, microsecond: 0 } : full;
}

/** `[-]hh:mm:ss[.ffffff]` (hours may exceed 24) → nanoseconds. */
export function parseDurationText(text: string): bigint | undefined {
  const m = /^(-?)(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{0,9}))?$/.exec(text.trim());
  if (!m) return undefined;
  const seconds = BigInt(m[2]!) * 3600n + BigInt(m[3]!) * 60n + BigInt(m[4]!);
  const nanos = seconds * 1_000_000_000n + BigInt((m[5] ?? '').padEnd(9, '0'));
  return m[1] === '-' ? -nanos : nanos;
}

/** Decimal text rounded (half away from zero) to the column scale; precision = the column's M. */
function normalizeDecimal(text: string, column: ColumnInfo): ColumnValue | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const scale = Math.min(Math.max(column.decimal, 0), MAX_DECIMAL_FRAC);
  let digits = (m[2] ?? '') + (m[3] ?? '').padEnd(scale + 1, '0').slice(0, scale);
  const roundUp = ((m[3] ?? '')[scale] ?? '0') >= '5';
  let big = BigInt(digits === '' ? '0' : digits);
  if (roundUp) big += 1n;
  digits = big.toString().padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale);
  const body = scale > 0 ? `${intPart}.${digits.slice(digits.length - scale)}` : intPart;
  const negative = m[1] === '-' && big !== 0n;
  const precision = column.length > 0 ? column.length : Math.max(intPart.length + scale, 1);
  return { kind: 'decimal', text: negative ? '-' + body : body, precision, scale };
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function padFixed(column: ColumnInfo, bytes: Uint8Array): Uint8Array {
  if (column.type !== MysqlType.String || column.length <= 0 || bytes.length >= column.length) return bytes;
  const out = new Uint8Array(column.length);
  out.set(bytes);
  return out;
}
