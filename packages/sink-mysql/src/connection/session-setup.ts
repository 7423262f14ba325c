import type { Connection } from 'mysql2/promise';
import { driverErrorInfo, ER_UNKNOWN_SYSTEM_VARIABLE } from '../apply/classify-error.js';

/** TiDB session variables the Go drainer tries at connect; other servers lack them (error 1193, skipped). */
const OPTIONAL_VARIABLES: readonly (readonly [string, string])[] = [
  ['allow_auto_random_explicit_insert', '1'],
  ['tidb_txn_mode', 'optimistic'],
  ['tidb_placement_mode', 'IGNORE'],
];

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface SessionSetup {
  /** `[syncer] sql-mode`, when set. */
  readonly sqlMode: string | undefined;
  /** `[syncer.to] sync-mode = 2`: drop STRICT_TRANS_TABLES from the session's sql_mode. */
  readonly partialColumns: boolean;
  /** `[syncer.to.params]`. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /**
   * DML sessions render TIMESTAMP values in UTC and so run with time_zone '+00:00' (any `params.time_zone` is for
   * DDL sessions); they also drop NO_BACKSLASH_ESCAPES because bound strings are escaped with backslashes.
   */
  readonly purpose: 'dml' | 'ddl';
}

function withoutMode(mode: string, drop: string): string {
  return mode
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '' && m.toUpperCase() !== drop)
    .join(',');
}

/** Prepares a fresh downstream session. Rejects with the driver's error (the caller wraps it). */
export async function setupSession(conn: Connection, setup: SessionSetup): Promise<void> {
  for (const [name, value] of OPTIONAL_VARIABLES) {
    try {
      await conn.query(`SET SESSION ${name} = ?`, [value]);
    } catch (err) {
      if (driverErrorInfo(err).errno !== ER_UNKNOWN_SYSTEM_VARIABLE) throw err;
    }
  }
  for (const [name, value] of Object.entries(setup.params)) {
    if (!VARIABLE_NAME.test(name)) throw new TypeError(`syncer.to.params: "${name}" is not a variable name`);
    if (setup.purpose === 'dml' && name.toLowerCase() === 'time_zone') continue;
    await conn.query(`SET SESSION ${name} = ?`, [typeof value === 'boolean' ? Number(value) : value]);
  }
  let mode = setup.sqlMode;
  if (setup.partialColumns) {
    if (mode !== undefined) await conn.query('SET SESSION sql_mode = ?', [mode]);
    const [rows] = await conn.query('SELECT @@SESSION.sql_mode AS mode');
    const current = Array.isArray(rows) ? (rows[0] as { mode?: unknown } | undefined)?.mode : undefined;
    mode = withoutMode(typeof current === 'string' ? current : '', 'STRICT_TRANS_TABLES');
  }
  if (mode !== undefined && setup.purpose === 'dml') mode = withoutMode(mode, 'NO_BACKSLASH_ESCAPES');
  if (mode !== undefined) await conn.query('SET SESSION sql_mode = ?', [mode]);
  if (setup.purpose === 'dml') await conn.query("SET SESSION time_zone = '+00:00'");
}
