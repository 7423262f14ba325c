import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Drainer, EtcdPumpRegistry, encodePrewriteValue, loadConfig, MutationType, prepareSink } from '@tidb-drainer/core';
import { encodeInsertRow, FakeTidbStatusApi, PumpCluster, TidbSchemaModel, tidbCol } from '@tidb-drainer/testkit';
import { FaultProxy } from './test-support/fault-proxy.js';
import { adminConnection, MYSQL_HOST, MYSQL_PORT, uniqueDb } from './test-support/mariadb.js';

const TXNS = 1000;
const ROWS_PER_TXN = 5;

/**
 * The downstream goes away in the middle of a run (every connection cut, new ones refused for 2 s, as during a
 * MariaDB restart — simulated with a TCP proxy so the shared server keeps running): the drainer retries, reconnects
 * and finishes with the model's state and a consistent checkpoint.
 */
describe('downstream outage mid-run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sink-mysql-outage-'));
  const schema = uniqueDb('outage');
  const clusterId = 7_100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9));
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  let cluster: PumpCluster;
  let admin: Connection;
  let proxy: FaultProxy;

  beforeAll(async () => {
    admin = await adminConnection();
    proxy = await FaultProxy.start({ host: MYSQL_HOST, port: MYSQL_PORT });
    cluster = await PumpCluster.start({ pumps: 1, fakeIntervalMs: 50, clusterId });
    await api.start();
  });
  afterAll(async () => {
    await cluster?.close();
    await api.close();
    await proxy.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    await admin.query('DELETE FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits, reconnects and finishes with the same final state', async () => {
    const driver = cluster.driver({ choose: () => 0 });
    for (const job of [
      model.createDatabase(schema),
      model.createTable(schema, { name: 'data', columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.bigint('v')], primaryKey: ['id'] }, 'CREATE TABLE data (id bigint primary key, v bigint)'),
    ]) {
      await driver.write({ kind: 'ddl', query: job.query, jobId: BigInt(job.id) });
    }
    const t = model.modelTable(schema, 'data');
    let last = 0n;
    for (let i = 0; i < TXNS; i++) {
      const rows = Array.from({ length: ROWS_PER_TXN }, (_, k) => encodeInsertRow(t, [BigInt(i * ROWS_PER_TXN + k), BigInt(i)]));
      const mutation = { tableId: BigInt(t.id), insertedRows: rows, updatedRows: [], deletedIds: [], deletedPks: [], deletedRows: [], sequence: rows.map(() => MutationType.Insert) };
      last = (await driver.write({ kind: 'dml', prewriteValue: encodePrewriteValue({ schemaVersion: BigInt(model.schemaVersion), mutations: [mutation] }) })).commitTs;
    }
    driver.close();

    const { config, origins } = await loadConfig({
      env: {},
      tomlText: `data-dir = "${join(dir, 'data')}"\nlog-file = "${join(dir, 'drainer.log')}"\ninitial-commit-ts = 0\ntidb-status-addrs = "${api.address}"\n` +
        `[syncer]\ndb-type = "mysql"\nworker-count = 4\ntxn-batch = 20\n[syncer.to]\nhost = "127.0.0.1"\nuser = "root"\npassword = ""\nport = ${proxy.port}\n`,
    });
    const drainer = new Drainer({
      config,
      sink: await prepareSink(config, { env: {} }),
      txnBatchExplicit: origins.has('syncer.txn-batch'),
      registry: new EtcdPumpRegistry({ etcd: cluster.etcd! }),
      clusterId: cluster.clusterId,
    });
    const stop = new AbortController();
    await drainer.open(stop.signal);
    const running = drainer.run(stop.signal);
    const count = async (): Promise<number> => {
      const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${schema}\`.data`).catch(() => [[{ n: 0 }]]);
      return Number((rows as { n: number }[])[0]?.n);
    };
    const checkpointTs = async (): Promise<bigint> => {
      const [rows] = await admin.query('SELECT checkPoint FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
      return BigInt(/"commitTS":(\d+)/.exec((rows as { checkPoint: string }[])[0]?.checkPoint ?? '')?.[1] ?? '0');
    };
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await count()) < 500) await new Promise((r) => setTimeout(r, 10));
    proxy.outage();
    const during = await count();
    await new Promise((r) => setTimeout(r, 2000));
    proxy.up();
    expect(during, 'the outage must start mid-run').toBeLessThan(TXNS * ROWS_PER_TXN);
    while (Date.now() < deadline && (await checkpointTs()) < last) await new Promise((r) => setTimeout(r, 100));
    // The outage was noticed: writes failed with the sink's retryable error and were retried.
    expect(await drainer.metrics.metrics()).toMatch(/drainer_runner_retries_total\{[^}]*code="E_MYSQL_RETRYABLE"[^}]*\} [1-9]/);
    stop.abort();
    const result = await running;
    expect(result.outcome).toBe('stopped');

    const [rows] = await admin.query(`SELECT id, v FROM \`${schema}\`.data ORDER BY id`);
    expect((rows as { id: string; v: string }[]).map((r) => `${r.id}:${r.v}`)).toEqual(
      Array.from({ length: TXNS * ROWS_PER_TXN }, (_, j) => `${j}:${Math.floor(j / ROWS_PER_TXN)}`),
    );
    const [cp] = await admin.query('SELECT checkPoint FROM tidb_binlog.checkpoint WHERE clusterID = ?', [clusterId.toString()]);
    expect((cp as { checkPoint: string }[])[0]?.checkPoint).toMatch(/^\{"consistent":true,"commitTS":\d+,"ts-map":\{\},"schema-version":\d+\}$/);
    expect(await checkpointTs()).toBeGreaterThanOrEqual(last);
  }, 120_000);
});
