/**
 * Binlog file names (spec §8.5): `binlog-<index %016d>-<local yyyymmddhhmmss>`; parsers also accept
 * `binlog-<16 digits>` and `binlog-<16 digits>-<datetime>-<tso>.<ext>` (the tso is the file's first commit ts).
 */
export interface BinlogFileName {
  readonly name: string;
  readonly index: number;
  /** From the `-<tso>.<ext>` form only. */
  readonly firstTs?: bigint;
}

const NAME = /^binlog-(\d{16})(?:-(\d{14})(?:-(\d+)\.[A-Za-z0-9]+)?)?$/;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** The name of file `index` created at `at` (local time, as Go's `time.Now().Format("20060102150405")`). */
export function binlogFileName(index: number, at: Date): string {
  const dt =
    pad(at.getFullYear(), 4) +
    pad(at.getMonth() + 1, 2) +
    pad(at.getDate(), 2) +
    pad(at.getHours(), 2) +
    pad(at.getMinutes(), 2) +
    pad(at.getSeconds(), 2);
  return `binlog-${pad(index, 16)}-${dt}`;
}

/** Undefined for names that are not binlog files (`.lock`, `savepoint`, `*.tmp`…). */
export function parseBinlogFileName(name: string): BinlogFileName | undefined {
  const m = NAME.exec(name);
  if (m === null) return undefined;
  const index = Number(m[1]);
  return m[3] === undefined ? { name, index } : { name, index, firstTs: BigInt(m[3]) };
}
