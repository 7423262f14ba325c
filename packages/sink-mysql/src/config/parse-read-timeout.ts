import { ConfigError } from '@tidb-drainer/core';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DAY_MS = 86_400_000;

/**
 * `read-timeout` as the Go drainer reads it: a Go duration ("1m", "1h30m", "2.5s") or a bare number meaning days.
 * Returns milliseconds.
 */
export function parseReadTimeout(value: string | number, key = 'syncer.to.read-timeout'): number {
  if (typeof value === 'number') return value * DAY_MS;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * DAY_MS;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    part.lastIndex = pos;
    const m = part.exec(text);
    if (!m) throw new ConfigError(`${key}: "${value}" is not a duration such as "1m" or "90s"`, { key });
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    pos = part.lastIndex;
  }
  if (text.length === 0) throw new ConfigError(`${key} is empty`, { key });
  return total;
}
