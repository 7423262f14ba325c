import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeInsertRow, encodeUpdateRow, rowsMutation, spawnDrainer, tidbCol, waitUntil } from '@tidb-drainer/testkit';
import type { DrainerProcess } from '@tidb-drainer/testkit';
import { checkpointCommitTs, syncerToToml } from './test-support/mariadb.js';
import { mysqlE2eSuite } from './test-support/mysql-e2e-suite.js';

const TXNS = 3000;
const ROWS_PER_TXN = 5;
const TOTAL_ROWS = TXNS * ROWS_PER_TXN;

/**
 * `kill -9` of the drainer process in the middle of replicating into MariaDB, then a restart: the final state is
 * the model's; with `exactly-once`, an insert trigger proves no row was applied twice. The upstream (simulated pump,
 * fake TiDB API) lives in the test process; the drainer runs from sources (tsx, the test tsconfig's path mapping so
 * the sink and core are the sources too). `txn-batch = 100` keeps batches small enough to be killed between them.
 */
describe.each([
  { mode: 'default', sinkSection: '', exactlyOnce: false },
  { mode: 'exactly-once', sinkSection: '[sink]\nexactly-once = true\n', exactlyOnce: true },
])('kill -9 mid-run and restart ($mode)', ({ mode, sinkSection, exactlyOnce }) => {
  const suite = mysqlE2eSuite({ dbPrefix: 'crash', tmpPrefix: 'sink-mysql-crash-', pumps: 1, etcdUrl: null, clusterIdBase: 7_000_000_000_000_000_000n });
  const { schema, clusterId, up } = suite;
  const { dir, model, api } = up;
  let lastTs = 0n;

  beforeAll(async () => {
    // The downstream table exists beforehand with an insert-counting trigger; the replicated DDL is then ignored
    // (1007 / 1050), as it would be for a downstream prepared by hand.
    await suite.admin.query(
      `CREATE DATABASE \`${schema}\`;
       CREATE TABLE \`${schema}\`.data (id BIGINT PRIMARY KEY, v BIGINT);
       CREATE TABLE \`${schema}\`.applied (n BIGINT NOT NULL); INSERT INTO \`${schema}\`.applied VALUES (0);
       CREATE TRIGGER \`${schema}\`.count_inserts AFTER INSERT ON \`${schema}\`.data FOR EACH ROW UPDATE \`${schema}\`.applied SET n = n + 1;`,
    );
    const driver = up.cluster.driver({ choose: () => 0 });
    for (const job of [
      model.createDatabase(schema),
      model.createTable(
        schema,
        { name: 'data', columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.bigint('v')], primaryKey: ['id'] },
        'CREATE TABLE data (id bigint primary key, v bigint)',
      ),
    ]) {
      await up.writeDdl(driver, job);
    }
    const t = model.modelTable(schema, 'data');
    // Txn i inserts ids 5i…5i+4 with v = i and updates the first row of txn i-1 to v = -i.
    for (let i = 0; i < TXNS; i++) {
      const base = BigInt(i * ROWS_PER_TXN);
      const inserted = Array.from({ length: ROWS_PER_TXN }, (_, k) => encodeInsertRow(t, [base + BigInt(k), BigInt(i)]));
      const prev = BigInt((i - 1) * ROWS_PER_TXN);
      const updated = i === 0 ? [] : [encodeUpdateRow(t, [prev, BigInt(i - 1)], [prev, BigInt(-i)])];
      lastTs = await up.writeDml(driver, [rowsMutation(t.id, inserted, updated)]);
    }
    driver.close();
  }, 120_000);

  function startDrainer(): DrainerProcess {
    const toml = join(dir, 'drainer.toml');
    writeFileSync(
      toml,
      `log-file = "${join(dir, 'drainer.log')}"\ndata-dir = "${join(dir, 'data')}"\ninitial-commit-ts = 0\n` +
        `[syncer]\ndb-type = "mysql"\nworker-count = 4\ntxn-batch = 100\n${syncerToToml()}${sinkSection}`,
    );
    const args = [
      '-config',
      toml,
      '-cluster-id',
      String(up.cluster.clusterId),
      `-pump-addrs=${up.cluster.pumps.map((p) => p.host).join(',')}`,
      '--tidb-status-addrs',
      api.address,
    ];
    return spawnDrainer(args, { sourcePaths: true });
  }

  const count = async (sql: string): Promise<number> => {
    const [rows] = await suite.admin.query(sql);
    return Number((rows as { n: number | string }[])[0]?.n);
  };
  const downstreamRows = (): Promise<number> => count(`SELECT COUNT(*) AS n FROM \`${schema}\`.data`);

  it(`ends in the model's state${exactlyOnce ? ' with every insert applied exactly once' : ''}`, async () => {
    const first = startDrainer();
    const deadline = Date.now() + 90_000;
    await waitUntil(async () => first.child.exitCode !== null || (await downstreamRows()) >= 500, deadline, 10);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await downstreamRows();
    expect(atKill, `the drainer must be killed mid-run (${mode}); stderr: ${first.stderr()}`).toBeGreaterThan(0);
    expect(atKill, 'the drainer finished before it could be killed; raise TXNS').toBeLessThan(TOTAL_ROWS);

    const second = startDrainer();
    await waitUntil(async () => second.child.exitCode !== null || (await checkpointCommitTs(suite.admin, clusterId)) >= lastTs, deadline, 100);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr()).toBe(0);

    const [rows] = await suite.admin.query(`SELECT id, v FROM \`${schema}\`.data ORDER BY id`);
    const got = (rows as { id: string; v: string }[]).map((r) => `${r.id}:${r.v}`);
    const want: string[] = [];
    for (let i = 0; i < TXNS; i++) {
      for (let k = 0; k < ROWS_PER_TXN; k++) want.push(`${i * ROWS_PER_TXN + k}:${k === 0 && i < TXNS - 1 ? -(i + 1) : i}`);
    }
    expect(got.length).toBe(TOTAL_ROWS);
    expect(got).toEqual(want);
    const inserts = await count(`SELECT n FROM \`${schema}\`.applied`);
    if (exactlyOnce) expect(inserts).toBe(TOTAL_ROWS);
    else expect(inserts).toBeGreaterThanOrEqual(TOTAL_ROWS);
  }, 180_000);
});
