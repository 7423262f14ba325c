import type { TimeValue } from '../model/values.js';

/**
 * TiDB's packed uint64 time (`ToPackedUint`, spec §6.1), the form DATE/DATETIME/TIMESTAMP take in rows:
 * `((((year*13+month) << 5 | day) << 17 | hour<<12 | minute<<6 | second) << 24) | microsecond`; 0 = zero date.
 * The value is split into two 32-bit halves so no bigint arithmetic is needed on the hot path.
 */
export function unpackTime(packed: bigint, type: TimeValue['type'], fsp: number): TimeValue {
  const hi = Number(packed >> 32n);
  const lo = Number(packed & 0xffffffffn);
  return unpackTimeParts(hi, lo, type, fsp);
}

/** Same as {@link unpackTime} from the high and low 32-bit halves. */
export function unpackTimeParts(hi: number, lo: number, type: TimeValue['type'], fsp: number): TimeValue {
  const microsecond = lo & 0xffffff;
  // ymdhms = packed >> 24 = hi * 2^8 + (lo >>> 24): at most 39 bits, exact in a double.
  const ymdhms = hi * 256 + (lo >>> 24);
  const hms = ymdhms % 131072;
  const ymd = Math.floor(ymdhms / 131072);
  const ym = Math.floor(ymd / 32);
  return {
    kind: 'time',
    type,
    year: Math.floor(ym / 13),
    month: ym % 13,
    day: ymd % 32,
    hour: hms >>> 12,
    minute: (hms >>> 6) & 63,
    second: hms & 63,
    microsecond,
    fsp,
  };
}

/** Inverse of {@link unpackTime}: the packed uint64 of a time value (fsp is not stored). */
export function packTime(
  t: Pick<TimeValue, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'microsecond'>,
): bigint {
  const ymd = BigInt((t.year * 13 + t.month) * 32 + t.day);
  const hms = BigInt(t.hour * 4096 + t.minute * 64 + t.second);
  return (((ymd << 17n) | hms) << 24n) | BigInt(t.microsecond);
}
