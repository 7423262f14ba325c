import type { DurationValue, TimeValue } from '@tidb-drainer/core/sdk';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

/** Fraction digits for `fsp` (0–6) of a microsecond count, with the leading dot; '' when fsp is 0. */
function fraction(micros: number, fsp: number): string {
  if (fsp <= 0) return '';
  return `.${String(micros).padStart(6, '0').slice(0, Math.min(fsp, 6))}`;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT' || zone === 'Z';
}

/** Converts a UTC wall clock to the wall clock of `zone` (IANA name). */
export function utcToZone(t: WallClock, zone: string): WallClock {
  if (isUtc(zone)) return t;
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month - 1, t.day);
  d.setUTCHours(t.hour, t.minute, t.second, 0);
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(d)) parts[p.type] = p.value;
  const yearRaw = Number(parts['year']);
  return {
    year: parts['era'] === 'BC' ? 1 - yearRaw : yearRaw,
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  };
}

function isZeroTime(v: TimeValue): boolean {
  return v.year === 0 && v.month === 0 && v.day === 0 && v.hour === 0 && v.minute === 0 && v.second === 0 && v.microsecond === 0;
}

/**
 * MySQL text form of a DATE / DATETIME / TIMESTAMP: `YYYY-MM-DD[ HH:MM:SS[.f{fsp}]]`. TIMESTAMP values are stored
 * in UTC and rendered in `zone` (the zero timestamp stays zero), as TiDB's `Time.String()` after conversion.
 */
export function renderTime(v: TimeValue, zone: string): string {
  let w: WallClock = v;
  if (v.type === 'timestamp' && !isZeroTime(v)) w = utcToZone(v, zone);
  const date = `${pad4(w.year)}-${pad2(w.month)}-${pad2(w.day)}`;
  if (v.type === 'date') return date;
  return `${date} ${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}${fraction(v.microsecond, v.fsp)}`;
}

/** The wall clock a TimeValue shows in `zone` (TIMESTAMP converted from UTC), with microseconds. */
export function timeInZone(v: TimeValue, zone: string): WallClock & { readonly microsecond: number } {
  if (v.type === 'timestamp' && !isZeroTime(v)) return { ...utcToZone(v, zone), microsecond: v.microsecond };
  return v;
}

/** MySQL text form of a TIME: `[-]HH:MM:SS[.f{fsp}]`, hours up to 838. */
export function renderDuration(v: DurationValue): string {
  const neg = v.nanos < 0n;
  const abs = neg ? -v.nanos : v.nanos;
  // TiDB rounds to the column's fsp when storing, so truncating the sub-microsecond part is exact here.
  const totalMicros = abs / 1000n;
  const micros = Number(totalMicros % 1_000_000n);
  const totalSeconds = Number(totalMicros / 1_000_000n);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${neg ? '-' : ''}${pad2(h)}:${pad2(m)}:${pad2(s)}${fraction(micros, v.fsp)}`;
}

/** Signed microseconds of a TIME value. */
export function durationMicros(v: DurationValue): bigint {
  return v.nanos / 1000n;
}
