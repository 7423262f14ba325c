import { formatTime, timestampToZone } from '@tidb-drainer/core/codec';
import type { TimeValue } from '@tidb-drainer/core/sdk';

/** The wall clock a TimeValue shows in `zone`: TIMESTAMPs are stored in UTC and converted; other types as is. */
export function timeInZone(v: TimeValue, zone: string): TimeValue {
  return v.type === 'timestamp' ? timestampToZone(v, zone) : v;
}

/**
 * MySQL text form of a DATE / DATETIME / TIMESTAMP in `zone` (the zero timestamp stays zero), as TiDB's
 * `Time.String()` after conversion. TIME values use core's `formatDuration` directly.
 */
export function renderTime(v: TimeValue, zone: string): string {
  return formatTime(timeInZone(v, zone));
}
