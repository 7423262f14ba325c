import { ConfigError } from '../errors/drainer-error.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DAY_MS = 86_400_000;

/**
 * Parses a duration the way the Go drainer's `util.Duration` does: a bare integer (TOML number or a numeric
 * string) means **days**, anything else is a Go `time.ParseDuration` string such as `1m30s` or `1.5h`.
 * Returns milliseconds.
 */
export function parseGoDuration(value: string | number | bigint, key: string): number {
  if (typeof value !== 'string') return Number(value) * DAY_MS;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text) * DAY_MS;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (m === null && text !== '0') {
    throw new ConfigError(
      `\`${key}\`: invalid duration "${text}" (use a number of days or a Go duration like "1m30s")`,
      { key },
    );
  }
  if (text === '0') return 0;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? 0);
  }
  return text.startsWith('-') ? -total : total;
}
