import type { Connection } from 'mysql2/promise';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Drainer, EtcdPumpRegistry, encodePrewriteValue, loadConfig, parseJsonLossless, prepareSink } from '@tidb-drainer/core';
import { encodeInsertRow, FakeTidbStatusApi, PumpCluster, TidbSchemaModel, tidbCol } from '@tidb-drainer/testkit';
import { adminConnection, MYSQL_PORT, uniqueDb } from './test-support/mariadb.js';

/**
 * The seed tutorial end to end, in process: simulated pump (registered in real etcd) and fake TiDB status API →
 * Drainer (the tutorial's drainer.toml, `db-type = "mysql"`) → MariaDB. `CREATE DATABASE tidbtest`, `t1` with an
 * AUTO_INCREMENT primary key, `insert into t1 () values (),(),(),(),()` → 5 rows downstream, and the cluster's row
 * in `tidb_binlog.checkpoint` with a JSON commitTS.
 */
describe.each([
  { mode: 'default', sinkSection: '', owns: false },
  { mode: 'exactly-once', sinkSection: '[sink]\nexactly-once = true\n', owns: true },
])('tutorial: simulated TiDB → drainer → MariaDB ($mode)', ({ sinkSection, owns }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sink-mysql-tutorial-'));
  const schema = uniqueDb('tidbtest');
  const clusterId = 6_678_715_361_817_107_733n + BigInt(Math.floor(Math.random() * 1e9));
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  let cluster: PumpCluster;
  let admin: Connection;

  beforeAll(async () => {
    admin = await adminConnection();
    cluster = await PumpCluster.start({ pumps: 1, fakeIntervalMs: 50, clusterId });
    await api.start();
  });
  afterAll(async () => {
    await cluster?.close();
    await api.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    await admin.query('DELETE FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replicates the tutorial workload and checkpoints in the Go format', async () => {
    const driver = cluster.driver({ choose: () => 0 });
    const ddl = async (job: { id: number; query: string }): Promise<bigint> =>
      (await driver.write({ kind: 'ddl', query: job.query, jobId: BigInt(job.id) })).commitTs;
    await ddl(model.createDatabase(schema));
    await ddl(
      model.createTable(
        schema,
        { name: 't1', columns: [tidbCol.int('id', { notNull: true, unsigned: true })], primaryKey: ['id'] },
        'create table t1 (id int unsigned not null AUTO_INCREMENT primary key)',
      ),
    );
    const t1 = model.modelTable(schema, 't1');
    const { commitTs: last } = await driver.write({
      kind: 'dml',
      prewriteValue: encodePrewriteValue({
        schemaVersion: BigInt(model.schemaVersion),
        mutations: [
          {
            tableId: BigInt(t1.id),
            insertedRows: [1n, 2n, 3n, 4n, 5n].map((id) => encodeInsertRow(t1, [id])),
            updatedRows: [],
            deletedIds: [],
            deletedPks: [],
            deletedRows: [],
            sequence: [0, 0, 0, 0, 0],
          },
        ],
      }),
    });
    driver.close();

    // The tutorial's drainer.toml, plus what a test run needs (data dir, start point, the fake TiDB API).
    const { config, origins } = await loadConfig({
      env: {},
      tomlText: `
log-file = "${join(dir, 'drainer.log')}"
data-dir = "${join(dir, 'data')}"
initial-commit-ts = 0
tidb-status-addrs = "${api.address}"
[syncer]
db-type = "mysql"
[syncer.to]
host = "127.0.0.1"
user = "root"
password = ""
port = ${MYSQL_PORT}
${sinkSection}`,
    });
    const prepared = await prepareSink(config, { env: {} });
    expect(prepared.definition.type).toBe('mysql');
    expect(prepared.sink.capabilities.ownsCheckpoint).toBe(owns);
    const drainer = new Drainer({
      config,
      sink: prepared,
      txnBatchExplicit: origins.has('syncer.txn-batch'),
      registry: new EtcdPumpRegistry({ etcd: cluster.etcd! }),
      clusterId: cluster.clusterId,
    });
    const stop = new AbortController();
    await drainer.open(stop.signal);
    const running = drainer.run(stop.signal);
    const checkpoint = async (): Promise<Record<string, unknown> | undefined> => {
      const [rows] = await admin.query('SELECT checkPoint FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
      const text = (rows as { checkPoint: string }[])[0]?.checkPoint;
      return text === undefined ? undefined : (parseJsonLossless(text) as Record<string, unknown>);
    };
    const deadline = Date.now() + 30_000;
    const ids = async (): Promise<number[]> => {
      const [rows] = await admin.query(`SELECT id FROM \`${schema}\`.t1 ORDER BY id`).catch(() => [[]]);
      return (rows as { id: number }[]).map((r) => r.id);
    };
    while (Date.now() < deadline && (await ids()).length < 5) await new Promise((r) => setTimeout(r, 100));
    while (Date.now() < deadline && (((await checkpoint())?.['commitTS'] as bigint | undefined) ?? 0n) < last) {
      await new Promise((r) => setTimeout(r, 100));
    }
    stop.abort();
    const result = await running;
    expect(result.outcome).toBe('stopped');

    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
    const [tables] = await admin.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'tidb_binlog'");
    expect((tables as { t: string }[]).map((r) => r.t)).toContain('checkpoint');
    const cp = await checkpoint();
    expect(cp?.['commitTS']).toBeGreaterThanOrEqual(last);
    expect(cp?.['ts-map']).toEqual({});
    expect(cp?.['consistent']).toBe(true);
  });
});
