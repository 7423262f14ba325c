import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { jsonText, parseJsonLossless } from '@tidb-drainer/core';
import type { JsonNode } from '@tidb-drainer/core/sdk';
import { testServers } from '@tidb-drainer/testkit';

/** The MariaDB of `bash scripts/services.sh up mysql` (port from DRAINER_TEST_MYSQL_PORT). */
export const mariadb = testServers().mysql;

export async function adminConnection(): Promise<Connection> {
  try {
    return await createConnection({
      ...mariadb,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      jsonStrings: true,
      multipleStatements: true,
    });
  } catch (err) {
    throw new Error(
      `MariaDB is not reachable at ${mariadb.host}:${mariadb.port}; start it with \`bash scripts/services.sh up mysql\``,
      { cause: err },
    );
  }
}

/**
 * Rows of one table in the conformance canonical text form: TIMESTAMP in UTC, binary as hex, BIT as a number,
 * FLOAT widened exactly, JSON compact with sorted keys; NULL columns left out.
 */
export async function canonicalRows(
  conn: Connection,
  schema: string,
  table: string,
): Promise<Record<string, string>[]> {
  await conn.query("SET time_zone = '+00:00'");
  const [cols] = await conn.query(
    'SELECT COLUMN_NAME AS c, DATA_TYPE AS d, COLUMN_TYPE AS ct FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  );
  const [checks] = await conn.query(
    'SELECT CHECK_CLAUSE AS k FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, table],
  );
  const json = new Set((checks as { k: string }[]).map((r) => /json_valid\(`(.+)`\)/.exec(r.k)?.[1] ?? ''));
  const list = cols as { c: string; d: string }[];
  const select = list
    .map(({ c, d }) => (d === 'float' ? `CAST(\`${c}\` AS DOUBLE) AS \`${c}\`` : `\`${c}\``))
    .join(',');
  const [rows] = await conn.query(`SELECT ${select} FROM \`${schema}\`.\`${table}\``);
  return (rows as Record<string, unknown>[]).map((r) => {
    const out: Record<string, string> = {};
    for (const { c, d } of list) {
      const v = r[c];
      if (v === null || v === undefined) continue;
      if (Buffer.isBuffer(v))
        out[c] = d === 'bit' ? BigInt('0x' + (v.toString('hex') || '0')).toString() : v.toString('hex');
      else if (json.has(c) && typeof v === 'string') out[c] = jsonText(parseJsonLossless(v) as JsonNode);
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') out[c] = String(v);
      else throw new TypeError(`unexpected ${typeof v} read back from ${table}.${c}`);
    }
    return out;
  });
}
