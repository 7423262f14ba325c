import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError } from './checkpoint-store.js';
import { MysqlCheckpointStore } from './mysql-checkpoint-store.js';
import { mysql2SqlClient } from './sql-client.js';

const port = Number(process.env['DRAINER_TEST_MYSQL_PORT'] ?? 3306);
const connection = { host: '127.0.0.1', port, user: 'root', password: '' };
const schema = `cp_${randomBytes(4).toString('hex')}`;
/** PD cluster ids are random uint64s; this one is above 2^63 to check the unsigned column end to end. */
const CLUSTER = 17_937_012_431_211_227_871n;
const BIG_TS = 434_271_871_498_256_385n;

let admin: Connection;
beforeAll(async () => {
  try {
    admin = await createConnection({ ...connection, supportBigNumbers: true, bigNumberStrings: true });
  } catch (err) {
    throw new Error(`MariaDB is not reachable on 127.0.0.1:${port} — run \`bash scripts/services.sh up mysql\` (${String(err)})`);
  }
});
afterAll(async () => {
  await admin?.query(`drop database if exists ${schema}`);
  await admin?.end();
});

describe('MysqlCheckpointStore (tidb_binlog.checkpoint format, real MariaDB)', () => {
  it('creates the Go table, saves the Go JSON and reads it back exactly', async () => {
    const store = MysqlCheckpointStore.connect({ clusterId: CLUSTER, schema, connection });
    try {
      await store.open();
      expect(await store.load()).toBeUndefined();
      await store.save({ commitTs: BIG_TS, schemaVersion: 42, consistent: false });
      const [rows] = await admin.query(`select clusterID, checkPoint from ${schema}.checkpoint`);
      expect(rows).toEqual([{ clusterID: CLUSTER.toString(), checkPoint: '{"consistent":false,"commitTS":434271871498256385,"ts-map":{},"schema-version":42}' }]);
      expect(await store.load()).toEqual({ commitTs: BIG_TS, schemaVersion: 42, consistent: false, tsMap: {} });
      await store.save({ commitTs: BIG_TS + 5n, schemaVersion: 43, consistent: true, tsMap: {} });
      expect(await store.load()).toMatchObject({ commitTs: BIG_TS + 5n, consistent: true });
      const [count] = await admin.query(`select count(*) as n from ${schema}.checkpoint`);
      expect(count).toEqual([{ n: '1' }]); // bigNumberStrings: COUNT(*) is a BIGINT
    } finally {
      await store.close();
    }
  });

  it('reads a row the Go drainer wrote (interpolated JSON with a ts-map) and keeps the ts-map on save', async () => {
    await admin.query(`create database if not exists ${schema}`);
    await admin.query(`create table if not exists ${schema}.checkpoint(clusterID bigint unsigned primary key, checkPoint MEDIUMTEXT)`);
    await admin.query(
      `replace into ${schema}.checkpoint values(6938254562346542318, '{"consistent":true,"commitTS":412361808537191540,"ts-map":{"primary-ts":412361808537191540,"secondary-ts":412361808537191999},"schema-version":7}')`,
    );
    // A store on a connection someone else owns (how the MySQL sink shares its pool).
    const store = new MysqlCheckpointStore({ clusterId: 6938254562346542318n, schema, client: mysql2SqlClient(admin) });
    const cp = await store.load();
    expect(cp).toEqual({
      commitTs: 412361808537191540n,
      schemaVersion: 7,
      consistent: true,
      tsMap: { 'primary-ts': 412361808537191540n, 'secondary-ts': 412361808537191999n },
    });
    await store.save({ ...(cp as NonNullable<typeof cp>), commitTs: 412361808537191541n, consistent: false });
    const [rows] = await admin.query(`select checkPoint from ${schema}.checkpoint where clusterID = 6938254562346542318`);
    expect(rows).toEqual([
      { checkPoint: '{"consistent":false,"commitTS":412361808537191541,"ts-map":{"primary-ts":412361808537191540,"secondary-ts":412361808537191999},"schema-version":7}' },
    ]);
    await store.close();
    expect(admin.threadId).toBeGreaterThan(0); // the borrowed connection is not closed by the store
    await admin.query('select 1');
  });

  it('a stored commitTS of 0 counts as no checkpoint; errors are classified by driver code', async () => {
    const store = new MysqlCheckpointStore({ clusterId: 1n, schema, client: mysql2SqlClient(admin) });
    await store.open();
    await store.save({ commitTs: 0n, schemaVersion: 0, consistent: false });
    expect(await store.load()).toBeUndefined();

    const missing = new MysqlCheckpointStore({ clusterId: 1n, schema: `${schema}_absent`, client: mysql2SqlClient(admin) });
    const err = await missing.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err).toMatchObject({ retryable: false, details: { driverCode: 'ER_NO_SUCH_TABLE' } });

    const unreachable = MysqlCheckpointStore.connect({ clusterId: 1n, schema, connection: { ...connection, port: 1, connectTimeout: 2_000 } });
    const down = await unreachable.load().catch((e: unknown) => e);
    await unreachable.close();
    expect(down).toMatchObject({ retryable: true, details: { driverCode: 'ECONNREFUSED' } });
  });
});
