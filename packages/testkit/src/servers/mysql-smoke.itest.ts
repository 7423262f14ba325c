import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { assertTestServerReachable } from './assert-server-reachable.js';
import { testServers } from './test-servers.js';
import { uniqueName } from './unique-name.js';

// Proves the MariaDB of scripts/services.sh: TCP root without password, utf8mb4, exact 64-bit and decimal values.
describe('MariaDB test server', () => {
  const db = uniqueName('smoke');
  let conn: Connection | undefined;
  const c = (): Connection => {
    if (conn === undefined) throw new Error('no connection');
    return conn;
  };

  beforeAll(async () => {
    await assertTestServerReachable('mysql');
    const { host, port, user, password } = testServers().mysql;
    conn = await createConnection({ host, port, user, password, supportBigNumbers: true, bigNumberStrings: true });
    await c().query(`CREATE DATABASE ${db}`);
  });

  afterAll(async () => {
    await conn?.query(`DROP DATABASE IF EXISTS ${db}`);
    await conn?.end();
  });

  it('round-trips rows over TCP as root', async () => {
    const [who] = await c().query<RowDataPacket[]>('SELECT CURRENT_USER() AS u, VERSION() AS v');
    expect(String(who[0]?.['u'])).toMatch(/^root@/);
    expect(String(who[0]?.['v'])).toMatch(/MariaDB/);

    await c().query(
      `CREATE TABLE ${db}.t (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(30,10), name VARCHAR(32)) DEFAULT CHARSET=utf8mb4`,
    );
    await c().query(`INSERT INTO ${db}.t VALUES (?, ?, ?), (?, ?, ?)`, [
      '18446744073709551615',
      '12345678901234567890.0123456789',
      'größe 🚀',
      '434271871498256385',
      '-0.5000000000',
      'plain',
    ]);
    const [rows] = await c().query<RowDataPacket[]>(`SELECT id, amount, name FROM ${db}.t ORDER BY id`);
    expect(rows.map((r): unknown[] => [r['id'], r['amount'], r['name']])).toEqual([
      ['434271871498256385', '-0.5000000000', 'plain'],
      ['18446744073709551615', '12345678901234567890.0123456789', 'größe 🚀'],
    ]);
  });
});
