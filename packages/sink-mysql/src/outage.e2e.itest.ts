import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeInsertRow, rowsMutation, startInProcessDrainer, tidbCol, waitUntil } from '@tidb-drainer/testkit';
import { FaultProxy } from './test-support/fault-proxy.js';
import { checkpointCommitTs, checkpointText, MYSQL_HOST, MYSQL_PORT, syncerToToml } from './test-support/mariadb.js';
import { mysqlE2eSuite } from './test-support/mysql-e2e-suite.js';

const TXNS = 1000;
const ROWS_PER_TXN = 5;

/**
 * The downstream goes away in the middle of a run (every connection cut, new ones refused for 2 s, as during a
 * MariaDB restart — simulated with a TCP proxy so the shared server keeps running): the drainer retries, reconnects
 * and finishes with the model's state and a consistent checkpoint.
 */
describe('downstream outage mid-run', () => {
  const suite = mysqlE2eSuite({ dbPrefix: 'outage', tmpPrefix: 'sink-mysql-outage-', pumps: 1, clusterIdBase: 7_100_000_000_000_000_000n });
  const { schema, clusterId, up } = suite;
  const { dir, model, api } = up;
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await FaultProxy.start({ host: MYSQL_HOST, port: MYSQL_PORT });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('waits, reconnects and finishes with the same final state', async () => {
    const driver = up.cluster.driver({ choose: () => 0 });
    for (const job of [
      model.createDatabase(schema),
      model.createTable(schema, { name: 'data', columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.bigint('v')], primaryKey: ['id'] }, 'CREATE TABLE data (id bigint primary key, v bigint)'),
    ]) {
      await up.writeDdl(driver, job);
    }
    const t = model.modelTable(schema, 'data');
    let last = 0n;
    for (let i = 0; i < TXNS; i++) {
      const rows = Array.from({ length: ROWS_PER_TXN }, (_, k) => encodeInsertRow(t, [BigInt(i * ROWS_PER_TXN + k), BigInt(i)]));
      last = await up.writeDml(driver, [rowsMutation(t.id, rows)]);
    }
    driver.close();

    const running = await startInProcessDrainer(
      `data-dir = "${join(dir, 'data')}"\nlog-file = "${join(dir, 'drainer.log')}"\ninitial-commit-ts = 0\ntidb-status-addrs = "${api.address}"\n` +
        `[syncer]\ndb-type = "mysql"\nworker-count = 4\ntxn-batch = 20\n${syncerToToml(proxy.port)}`,
      up.cluster,
    );
    const { drainer } = running;
    const count = async (): Promise<number> => {
      const [rows] = await suite.admin.query(`SELECT COUNT(*) AS n FROM \`${schema}\`.data`).catch(() => [[{ n: 0 }]]);
      return Number((rows as { n: number }[])[0]?.n);
    };
    const checkpointTs = (): Promise<bigint> => checkpointCommitTs(suite.admin, clusterId);
    const deadline = Date.now() + 60_000;
    await waitUntil(async () => (await count()) >= 500, deadline, 10);
    proxy.outage();
    const during = await count();
    await new Promise((r) => setTimeout(r, 2000));
    proxy.up();
    expect(during, 'the outage must start mid-run').toBeLessThan(TXNS * ROWS_PER_TXN);
    await waitUntil(async () => (await checkpointTs()) >= last, deadline, 100);
    // The outage was noticed: writes failed with the sink's retryable error and were retried.
    expect(await drainer.metrics.metrics()).toMatch(/drainer_runner_retries_total\{[^}]*code="E_MYSQL_RETRYABLE"[^}]*\} [1-9]/);
    const result = await running.stop();
    expect(result.outcome).toBe('stopped');

    const [rows] = await suite.admin.query(`SELECT id, v FROM \`${schema}\`.data ORDER BY id`);
    expect((rows as { id: string; v: string }[]).map((r) => `${r.id}:${r.v}`)).toEqual(
      Array.from({ length: TXNS * ROWS_PER_TXN }, (_, j) => `${j}:${Math.floor(j / ROWS_PER_TXN)}`),
    );
    expect(await checkpointText(suite.admin, clusterId)).toMatch(/^\{"consistent":true,"commitTS":\d+,"ts-map":\{\},"schema-version":\d+\}$/);
    expect(await checkpointTs()).toBeGreaterThanOrEqual(last);
  }, 120_000);
});
