import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { jsonText, parseJsonLossless } from '@tidb-drainer/core';
import type { JsonNode, SinkEnv } from '@tidb-drainer/core/sdk';
import { mysqlSinkConfigSchema } from '../config/mysql-sink-config.js';
import type { MysqlSinkConfig } from '../config/mysql-sink-config.js';

/** Test-only helpers for the real MariaDB started by `bash scripts/services.sh up mysql`. */
export const MYSQL_HOST = '127.0.0.1';
export const MYSQL_PORT = Number(process.env['DRAINER_TEST_MYSQL_PORT'] ?? '3306');

/** A root connection (no database). Fails with a clear message when the server is not running. */
export async function adminConnection(): Promise<Connection> {
  try {
    return await createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, jsonStrings: true, multipleStatements: true });
  } catch (err) {
    throw new Error(`MariaDB is not reachable at ${MYSQL_HOST}:${MYSQL_PORT}; start it with \`bash scripts/services.sh up mysql\``, { cause: err });
  }
}

/** The drainer's checkpoint row for `clusterId` in `tidb_binlog.checkpoint` (its JSON text), if any. */
export async function checkpointText(admin: Connection, clusterId: bigint): Promise<string | undefined> {
  const [rows] = await admin.query('SELECT checkPoint FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
  return (rows as { checkPoint: string }[])[0]?.checkPoint;
}

/** The commitTS of that checkpoint; 0 while none is stored. */
export async function checkpointCommitTs(admin: Connection, clusterId: bigint): Promise<bigint> {
  return BigInt(/"commitTS":(\d+)/.exec((await checkpointText(admin, clusterId)) ?? '')?.[1] ?? '0');
}

/** Drops what an end-to-end test left downstream: its database and its cluster's checkpoint row. */
export async function dropTestState(admin: Connection, schema: string, clusterId: bigint): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
  await admin.query('DELETE FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
}

/** The `[syncer.to]` section for the test MariaDB (or a proxy in front of it on `port`). */
export function syncerToToml(port: number = MYSQL_PORT): string {
  return `[syncer.to]\nhost = "127.0.0.1"\nuser = "root"\npassword = ""\nport = ${port}\n`;
}

/** A database name unique to this test run. */
export function uniqueDb(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export function sinkConfig(overrides: Record<string, unknown> = {}): MysqlSinkConfig {
  return mysqlSinkConfigSchema.parse({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', ...overrides });
}

export function sinkEnv(overrides: Partial<SinkEnv> = {}): SinkEnv {
  return { dbType: 'mysql', workerCount: 4, txnBatch: 20, safeMode: false, timezone: 'UTC', ...overrides };
}

type TextRow = Record<string, string | null>;

/**
 * Every table of `schema` as rows of MySQL text values in the conformance suite's canonical form (`valueText`):
 * TIMESTAMP in UTC, binary as lower-case hex, BIT as a decimal number, FLOAT widened exactly, JSON compact with
 * sorted keys.
 */
export async function readTables(conn: Connection, schema: string): Promise<Record<string, TextRow[]>> {
  await conn.query("SET time_zone = '+00:00'");
  const [cols] = await conn.query(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION',
    [schema],
  );
  const [checks] = await conn.query('SELECT TABLE_NAME AS t, CHECK_CLAUSE AS k FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?', [schema]);
  const jsonCols = new Set((checks as { t: string; k: string }[]).map((r) => `${r.t}.${/json_valid\(`(.+)`\)/.exec(r.k)?.[1] ?? ''}`));
  const byTable = new Map<string, { c: string; d: string }[]>();
  for (const r of cols as { t: string; c: string; d: string }[]) {
    const list = byTable.get(r.t) ?? [];
    list.push(r);
    byTable.set(r.t, list);
  }
  const out: Record<string, TextRow[]> = {};
  for (const [table, list] of byTable) {
    const exprs = list.map(({ c, d }) => (d === 'float' ? `CAST(\`${c}\` AS DOUBLE) AS \`${c}\`` : `\`${c}\``));
    const [rows] = await conn.query(`SELECT ${exprs.join(',')} FROM \`${schema}\`.\`${table}\``);
    out[`${schema}.${table}`] = (rows as Record<string, unknown>[]).map((r) => {
      const row: TextRow = {};
      for (const { c, d } of list) row[c] = canonical(r[c], d, jsonCols.has(`${table}.${c}`));
      return row;
    });
  }
  return out;
}

function canonical(v: unknown, dataType: string, isJson: boolean): string | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return dataType === 'bit' ? BigInt('0x' + (v.toString('hex') || '0')).toString() : v.toString('hex');
  if (isJson && typeof v === 'string') return jsonText(parseJsonLossless(v) as JsonNode);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new TypeError(`unexpected ${typeof v} read back`);
}
