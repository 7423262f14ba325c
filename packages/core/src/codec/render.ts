import type {
  ColumnValue,
  DecimalValue,
  DurationValue,
  EnumValue,
  JsonValue,
  SetValue,
  TimeValue,
} from '../model/values.js';

/**
 * MySQL text forms of model values, as TiDB prints them (what the real drainer hands the MySQL driver for
 * DATE/DATETIME/TIMESTAMP/DECIMAL/JSON/TIME, spec §9.5). TIMESTAMPs print in whatever zone the value is in (model
 * values are UTC; convert with `timestampToZone` first when a session zone is wanted).
 */

/** TiDB `Time.String`: `YYYY-MM-DD` for DATE, else `YYYY-MM-DD hh:mm:ss` + `.` + the first fsp microsecond digits. */
export function formatTime(t: TimeValue): string {
  const date = `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}`;
  if (t.type === 'date') return date;
  const base = `${date} ${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}`;
  return t.fsp > 0 ? base + '.' + pad(t.microsecond, 6).slice(0, t.fsp) : base;
}

/** TiDB `Duration.String`: `[-]hh:mm:ss[.f…]`, hours at least two digits, fraction truncated to fsp digits. */
export function formatDuration(d: DurationValue): string {
  const neg = d.nanos < 0n;
  const abs = neg ? -d.nanos : d.nanos;
  const totalSeconds = abs / 1_000_000_000n;
  const micro = Number((abs / 1000n) % 1_000_000n);
  const hours = totalSeconds / 3600n;
  const minutes = Number((totalSeconds / 60n) % 60n);
  const seconds = Number(totalSeconds % 60n);
  const frac = d.fsp > 0 ? '.' + pad(micro, 6).slice(0, d.fsp) : '';
  return `${neg ? '-' : ''}${hours < 10n ? '0' : ''}${hours}:${pad(minutes, 2)}:${pad(seconds, 2)}${frac}`;
}

/** `MyDecimal.String` with the column scale: the model keeps exactly this text. */
export function formatDecimal(d: DecimalValue): string {
  return d.text;
}

/** TiDB `BinaryJSON.String` (spec §7.4). */
export function formatJson(j: JsonValue): string {
  return j.text;
}

export function formatEnum(e: EnumValue): string {
  return e.name;
}

export function formatSet(s: SetValue): string {
  return s.names.join(',');
}

/**
 * Shortest decimal text that reads back as the same float32 (how MySQL prints a FLOAT column), e.g. 0.1 not
 * 0.10000000149011612.
 */
export function formatFloat32(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatDouble(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return formatDouble(Number(s));
  }
  return formatDouble(x);
}

/** Shortest round-trip form; exponent written MySQL-style without '+' (1e21, 1e-7). */
export function formatDouble(x: number): string {
  return String(x).replace('e+', 'e');
}

/**
 * A value in MySQL text form: integers in full, DECIMAL with its scale, times per `Time.String`, TIME per
 * `Duration.String`, JSON text, ENUM/SET by name(s), FLOAT as its shortest float32 text (when `float32` is set —
 * the value itself does not say whether the column is FLOAT or DOUBLE). Binary strings stay bytes; NULL stays null.
 */
export function formatMysqlText(value: Uint8Array, opts?: FormatOptions): Uint8Array;
export function formatMysqlText(value: null, opts?: FormatOptions): null;
export function formatMysqlText(value: Exclude<ColumnValue, Uint8Array | null>, opts?: FormatOptions): string;
export function formatMysqlText(value: ColumnValue, opts?: FormatOptions): string | Uint8Array | null;
export function formatMysqlText(value: ColumnValue, opts: FormatOptions = {}): string | Uint8Array | null {
  if (value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return opts.float32 ? formatFloat32(value) : formatDouble(value);
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  switch (value.kind) {
    case 'decimal':
      return value.text;
    case 'time':
      return formatTime(value);
    case 'duration':
      return formatDuration(value);
    case 'json':
      return value.text;
    case 'enum':
      return value.name;
    case 'set':
      return formatSet(value);
    default: {
      const never: never = value;
      throw new TypeError(`unknown value kind ${String(never)}`);
    }
  }
}

export interface FormatOptions {
  /** The value comes from a FLOAT column: print the shortest float32 form. */
  readonly float32?: boolean;
}

function pad(v: number, width: number): string {
  const s = String(v);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}
