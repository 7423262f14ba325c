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
  // hms = bits 24..40 and ymd = bits 41..62 of the packed value: both fall out of 32-bit integer operations.
  const hms = ((hi & 0x1ff) << 8) | (lo >>> 24);
  const ymd = hi >>> 9;
  const ym = ymd >>> 5;
  return {
    kind: 'time',
    type,
    year: (ym / 13) | 0,
    month: ym % 13,
    day: ymd & 31,
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
