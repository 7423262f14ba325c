import type { DurationValue, TimeValue } from '@tidb-drainer/core/sdk';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The first `fsp` digits of the 6-digit microseconds, with a leading dot; empty for fsp 0. */
function fraction(micros: number, fsp: number): string {
  if (fsp <= 0) return '';
  return '.' + pad(micros, 6).slice(0, Math.min(fsp, 6));
}

/**
 * TiDB's `Time.String` (spec row-codec §9.5): `YYYY-MM-DD` for DATE, `YYYY-MM-DD hh:mm:ss[.f…]` with fsp fraction
 * digits for DATETIME/TIMESTAMP. Zero dates and year 0 render as such (`0000-00-00 00:00:00`).
 */
export function renderTime(v: TimeValue): string {
  const date = `${pad(v.year, 4)}-${pad(v.month, 2)}-${pad(v.day, 2)}`;
  if (v.type === 'date') return date;
  return `${date} ${pad(v.hour, 2)}:${pad(v.minute, 2)}:${pad(v.second, 2)}${fraction(v.microsecond, v.fsp)}`;
}

const NANOS_PER_MICRO = 1000n;
const MICROS_PER_SECOND = 1_000_000n;

/** TiDB's `Duration.String`: `[-]hh:mm:ss[.f…]`, hours at least two digits (up to 838). */
export function renderDuration(v: DurationValue): string {
  const negative = v.nanos < 0n;
  const micros = (negative ? -v.nanos : v.nanos) / NANOS_PER_MICRO;
  const totalSeconds = Number(micros / MICROS_PER_SECOND);
  const frac = Number(micros % MICROS_PER_SECOND);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor(totalSeconds / 60) % 60;
  const s = totalSeconds % 60;
  return `${negative ? '-' : ''}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction(frac, v.fsp)}`;
}
