import type { TimeValue } from '../model/values.js';

/**
 * TIMESTAMP zone conversion. Model TIMESTAMPs are UTC (as TiDB stores them); sinks that write into a session with
 * another `time_zone`, or print local times like the real drainer (`time.Local`), convert here. The zero
 * timestamp is never converted (TiDB does not either). Zones: IANA names ("Asia/Shanghai"), "UTC", or fixed
 * offsets ("+08:00", "-05:30").
 */
export function timestampToZone(t: TimeValue, zone: string): TimeValue {
  if (isZero(t)) return t;
  const ms = utcMillis(t);
  return withWallClock(t, ms + offsetMinutesAt(zone, ms) * 60_000);
}

/**
 * The inverse: a wall-clock time in `zone` → UTC. For a local time that occurs twice (DST fall-back) the earlier
 * instant is chosen; one that does not exist (spring-forward gap) is shifted by the gap, like Go's `time.Date`.
 */
export function timestampFromZone(t: TimeValue, zone: string): TimeValue {
  if (isZero(t)) return t;
  const wall = utcMillis(t);
  // The offsets in force half a day either side bound every transition that can affect this wall-clock time.
  const before = offsetMinutesAt(zone, wall - HALF_DAY_MS);
  const after = offsetMinutesAt(zone, wall + HALF_DAY_MS);
  const candidates = [wall - before * 60_000, wall - after * 60_000].filter(
    (ms) => ms + offsetMinutesAt(zone, ms) * 60_000 === wall,
  );
  return withWallClock(t, candidates.length > 0 ? Math.min(...candidates) : wall - before * 60_000);
}

const HALF_DAY_MS = 12 * 3_600_000;

/** Offset of `zone` from UTC, in minutes, at the instant `ms`. */
export function offsetMinutesAt(zone: string, ms: number): number {
  const fixed = FIXED.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Z') return 0;
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'B') year = 1 - year;
  const asUtc = utcOf(year, get('month'), get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const FIXED = /^([+-])(\d{1,2}):(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    // Throws RangeError for unknown zones: config validation surfaces it before any row is converted.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'narrow',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

function isZero(t: TimeValue): boolean {
  return (
    t.year === 0 &&
    t.month === 0 &&
    t.day === 0 &&
    t.hour === 0 &&
    t.minute === 0 &&
    t.second === 0 &&
    t.microsecond === 0
  );
}

function utcOf(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function utcMillis(t: TimeValue): number {
  return utcOf(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

function withWallClock(t: TimeValue, ms: number): TimeValue {
  const d = new Date(ms);
  return {
    ...t,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
