import type { ColumnValue, DurationValue, JsonNode, TimeValue } from '../sdk/index.js';

/**
 * A column value in MySQL's text form (what `SELECT` prints with dateStrings): integers in full, DECIMAL with its
 * scale, DATETIME/TIMESTAMP as `YYYY-MM-DD HH:MM:SS[.ffffff]` (fsp digits; TIMESTAMP in UTC, as stored), TIME as
 * `[-]HH:MM:SS[.ffffff]`, binary strings as lower-case hex, ENUM by name, SET as comma-joined names, JSON in
 * compact form with keys sorted. `null` for SQL NULL. Used by the print sink and as the conformance suite's
 * canonical form, so two sinks' outputs can be compared value by value.
 */
export function valueText(v: ColumnValue): string | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  switch (v.kind) {
    case 'decimal':
      return v.text;
    case 'time':
      return timeText(v);
    case 'duration':
      return durationText(v);
    case 'json':
      return jsonText(v.value);
    case 'enum':
      return v.name;
    case 'set':
      return v.names.join(',');
    default:
      return assertNever(v);
  }
}

function pad(n: number | bigint, width: number): string {
  return n.toString().padStart(width, '0');
}

function fraction(micro: number | bigint, fsp: number): string {
  return fsp > 0 ? `.${pad(micro, 6).slice(0, fsp)}` : '';
}

function timeText(t: TimeValue): string {
  const date = `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}`;
  if (t.type === 'date') return date;
  return `${date} ${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${fraction(t.microsecond, t.fsp)}`;
}

function durationText(d: DurationValue): string {
  const neg = d.nanos < 0n;
  const micros = (neg ? -d.nanos : d.nanos) / 1000n;
  const secs = micros / 1_000_000n;
  const h = secs / 3600n;
  const m = (secs / 60n) % 60n;
  const s = secs % 60n;
  return `${neg ? '-' : ''}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction(micros % 1_000_000n, d.fsp)}`;
}

/** Compact JSON with object keys sorted, so servers that reorder keys (MySQL 8) compare equal. */
export function jsonText(n: JsonNode): string {
  if (n === null) return 'null';
  if (typeof n === 'bigint') return n.toString();
  if (typeof n === 'number' || typeof n === 'boolean') return JSON.stringify(n);
  if (typeof n === 'string') return JSON.stringify(n);
  if (Array.isArray(n)) return `[${(n as readonly JsonNode[]).map(jsonText).join(',')}]`;
  const o = n as { readonly [key: string]: JsonNode };
  const keys = Object.keys(o).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonText(o[k] ?? null)}`).join(',')}}`;
}

function assertNever(x: never): never {
  throw new TypeError(`unexpected column value ${String(x)}`);
}
