import { formatDuration, formatTime, timestampToZone } from '@tidb-drainer/core/codec';
import type { DurationValue, TimeValue } from '@tidb-drainer/core/sdk';

/**
 * MySQL text form of a DATE / DATETIME / TIMESTAMP: `YYYY-MM-DD[ HH:MM:SS[.f{fsp}]]`. TIMESTAMP values are stored
 * in UTC and rendered in `zone` (the zero timestamp stays zero), as TiDB's `Time.String()` after conversion.
 */
export function renderTime(v: TimeValue, zone: string): string {
  return formatTime(v.type === 'timestamp' ? timestampToZone(v, zone) : v);
}

/** The wall clock a TimeValue shows in `zone` (TIMESTAMP converted from UTC). */
export function timeInZone(v: TimeValue, zone: string): TimeValue {
  return v.type === 'timestamp' ? timestampToZone(v, zone) : v;
}

/** MySQL text form of a TIME: `[-]HH:MM:SS[.f{fsp}]`, hours up to 838. */
export function renderDuration(v: DurationValue): string {
  return formatDuration(v);
}

/** Signed microseconds of a TIME value. */
export function durationMicros(v: DurationValue): bigint {
  return v.nanos / 1000n;
}
