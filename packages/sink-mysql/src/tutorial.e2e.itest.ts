import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '@tidb-drainer/core';
import { encodeInsertRow, rowsMutation, startInProcessDrainer, tidbCol, waitUntil } from '@tidb-drainer/testkit';
import { checkpointText, MYSQL_PORT } from './test-support/mariadb.js';
import { mysqlE2eSuite } from './test-support/mysql-e2e-suite.js';

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
  const suite = mysqlE2eSuite({ dbPrefix: 'tidbtest', tmpPrefix: 'sink-mysql-tutorial-', pumps: 1, clusterIdBase: 6_678_715_361_817_107_733n });
  const { schema, clusterId, up } = suite;
  const { dir, model, api } = up;

  it('replicates the tutorial workload and checkpoints in the Go format', async () => {
    const driver = up.cluster.driver({ choose: () => 0 });
    await up.writeDdl(driver, model.createDatabase(schema));
    await up.writeDdl(
      driver,
      model.createTable(
        schema,
        { name: 't1', columns: [tidbCol.int('id', { notNull: true, unsigned: true })], primaryKey: ['id'] },
        'create table t1 (id int unsigned not null AUTO_INCREMENT primary key)',
      ),
    );
    const t1 = model.modelTable(schema, 't1');
    const last = await up.writeDml(driver, [
      rowsMutation(
        t1.id,
        [1n, 2n, 3n, 4n, 5n].map((id) => encodeInsertRow(t1, [id])),
      ),
    ]);
    driver.close();

    // The tutorial's drainer.toml, plus what a test run needs (data dir, start point, the fake TiDB API).
    const running = await startInProcessDrainer(
      `
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
      up.cluster,
    );
    expect(running.prepared.definition.type).toBe('mysql');
    expect(running.prepared.sink.capabilities.ownsCheckpoint).toBe(owns);
    const checkpoint = async (): Promise<Record<string, unknown> | undefined> => {
      const text = await checkpointText(suite.admin, clusterId);
      return text === undefined ? undefined : (parseJsonLossless(text) as Record<string, unknown>);
    };
    const deadline = Date.now() + 30_000;
    const ids = async (): Promise<number[]> => {
      const [rows] = await suite.admin.query(`SELECT id FROM \`${schema}\`.t1 ORDER BY id`).catch(() => [[]]);
      return (rows as { id: number }[]).map((r) => r.id);
    };
    await waitUntil(async () => (await ids()).length >= 5, deadline, 100);
    await waitUntil(async () => (((await checkpoint())?.['commitTS'] as bigint | undefined) ?? 0n) >= last, deadline, 100);
    const result = await running.stop();
    expect(result.outcome).toBe('stopped');

    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
    const [tables] = await suite.admin.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'tidb_binlog'");
    expect((tables as { t: string }[]).map((r) => r.t)).toContain('checkpoint');
    const cp = await checkpoint();
    expect(cp?.['commitTS']).toBeGreaterThanOrEqual(last);
    expect(cp?.['ts-map']).toEqual({});
    expect(cp?.['consistent']).toBe(true);
  });
});
