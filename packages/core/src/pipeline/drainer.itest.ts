import { join } from 'node:path';
import {
  E2eUpstream,
  encodeInsertRow,
  encodeUpdateRow,
  jsonlLines,
  rowsMutation,
  startInProcessDrainer,
  tidbCol,
  waitUntil,
} from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../checkpoint/file-checkpoint-store.js';

/**
 * The assembled pipeline against the testkit upstream (2 simulated pumps registered in real etcd, the fake TiDB
 * status API): DDL + DML in, filtered and routed rows out of the jsonl sink, file checkpoint saved.
 */
describe('Drainer pipeline (simulated pumps → jsonl)', () => {
  const up = new E2eUpstream({ tmpPrefix: 'drainer-pipeline-', pumps: 2 });
  const { dir, model, api } = up;

  beforeAll(() => up.start());
  afterAll(() => up.close());

  it('replicates, filters, routes and checkpoints', async () => {
    const driver = up.cluster.driver({ choose: (i, n) => i % n });
    const ddl = (job: { id: number; query: string }): Promise<bigint> => up.writeDdl(driver, job);
    await ddl(model.createDatabase('shop'));
    await ddl(
      model.createTable(
        'shop',
        {
          name: 'orders',
          columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.varchar('note', 20)],
          primaryKey: ['id'],
        },
        'CREATE TABLE orders (id bigint primary key, note varchar(20))',
      ),
    );
    await ddl(
      model.createTable(
        'shop',
        { name: 'tmp_log', columns: [tidbCol.bigint('id', { notNull: true })], primaryKey: ['id'] },
        'CREATE TABLE tmp_log (id bigint primary key)',
      ),
    );
    const orders = model.modelTable('shop', 'orders');
    const tmp = model.modelTable('shop', 'tmp_log');
    const ins = (t: typeof orders, values: (bigint | string | null)[]): Uint8Array => encodeInsertRow(t, values);
    await up.writeDml(driver, [rowsMutation(orders.id, [ins(orders, [1n, 'a']), ins(orders, [2n, 'b'])])]);
    const onlyTmp = await up.writeDml(driver, [rowsMutation(tmp.id, [ins(tmp, [9n])])]);
    const last = await up.writeDml(driver, [
      rowsMutation(orders.id, [], [encodeUpdateRow(orders, [1n, 'a'], [1n, 'c'])]),
    ]);
    driver.close();

    const out = join(dir, 'out.jsonl');
    const running = await startInProcessDrainer(
      `
data-dir = "${join(dir, 'data')}"
initial-commit-ts = 0
tidb-status-addrs = "${api.address}"
[syncer]
db-type = "jsonl"
ignore-schemas = "mysql"
[[syncer.ignore-table]]
db-name = "shop"
tbl-name = "~^tmp_"
[[syncer.table-migrate-rule]]
source = { schema = "shop", table = "orders" }
target = { schema = "shop_copy", table = "orders_v2" }
[sink]
path = "${out}"
`,
      up.cluster,
    );
    const { drainer } = running;
    const deadline = Date.now() + 20_000;
    const lines = (): string[] => jsonlLines(out);
    await waitUntil(() => lines().length >= 5, deadline, 50);
    // The runner saves every 3 s; wait until a save covers `last` (the filtered txn and later fakes are Resolved).
    await waitUntil(
      async () => ((await new FileCheckpointStore({ dataDir: join(dir, 'data') }).load())?.commitTs ?? 0n) >= last,
      deadline,
      100,
    );
    expect(drainer.status().filter.txnsDropped).toBe(1);
    const metrics = await drainer.metrics.metrics();
    expect(metrics).toContain('binlog_drainer_pump_position');
    expect(metrics).toContain('binlog_drainer_ddl_jobs_total');
    const result = await running.stop();
    expect(result.outcome).toBe('stopped');

    const got = lines().map(
      (l) =>
        JSON.parse(l) as {
          type: string;
          schema: string;
          table: string;
          query?: string;
          after?: Record<string, unknown>;
        },
    );
    expect(got.map((e) => `${e.type} ${e.schema}.${e.table}`)).toEqual([
      'ddl shop.',
      'ddl shop_copy.orders_v2',
      // CREATE TABLE tmp_log: dropped by ignore-table.
      'insert shop_copy.orders_v2',
      'insert shop_copy.orders_v2',
      'update shop_copy.orders_v2',
    ]);
    expect(got[1]?.query).toBe('CREATE TABLE `shop_copy`.`orders_v2` (id bigint primary key, note varchar(20))');
    expect(got[2]?.after).toEqual({ id: 1, note: 'a' });
    const cp = await new FileCheckpointStore({ dataDir: join(dir, 'data') }).load();
    expect(cp?.commitTs).toBeGreaterThanOrEqual(last);
    expect(cp?.commitTs).toBeGreaterThan(onlyTmp);
    expect(cp?.consistent).toBe(true);
  });
});
