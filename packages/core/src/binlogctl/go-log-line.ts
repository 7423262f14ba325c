/** pingcap/log levels as printed. */
export type GoLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2019/04/11 17:44:10.861 -04:00`: pingcap/log's local time stamp. */
export function goLogTime(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return (
    `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)} ` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** pingcap/log quotes a value that is empty or holds spaces, `=`, quotes, brackets or non-printable characters. */
function quote(s: string): string {
  return s === '' || /[^\x21-\x7e]|[="[\]]/.test(s) ? JSON.stringify(s) : s;
}

/**
 * One line in the pingcap/log text format the Go tools print:
 * `[time] [LEVEL] [caller] [message] [key=value]…` (see the tutorial's `binlogctl -cmd drainers` output).
 */
export function goLogLine(
  level: GoLogLevel,
  caller: string,
  message: string,
  fields: ReadonlyArray<readonly [string, string]> = [],
  now: Date = new Date(),
): string {
  const parts = [`[${goLogTime(now)}]`, `[${level}]`, `[${caller}]`, `[${quote(message)}]`];
  for (const [k, v] of fields) parts.push(`[${quote(k)}=${quote(v)}]`);
  return parts.join(' ');
}

/**
 * Go's `time.Time.String()` for a local time: `2019-04-11 17:44:10.861 -0400 EDT` (fraction without trailing zeros,
 * omitted when zero). The zone abbreviation comes from Intl (`UTC`, `EDT`, or `GMT+3` where none exists).
 */
export function goTimeString(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const ms = d.getMilliseconds();
  const frac = ms === 0 ? '' : `.${pad(ms, 3).replace(/0+$/, '')}`;
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')
      ?.value ?? '';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac} ` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)} ${zone}`
  );
}
