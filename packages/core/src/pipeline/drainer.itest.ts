import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FakeTidbStatusApi,
  PumpCluster,
  TidbSchemaModel,
  encodeInsertRow,
  encodeUpdateRow,
  tidbCol,
} from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../checkpoint/file-checkpoint-store.js';
import { loadConfig } from '../config/load-config.js';
import { encodePrewriteValue } from '../protocol/index.js';
import { EtcdPumpRegistry } from '../upstream/pump-registry.js';
import { Drainer } from './drainer.js';
import { prepareSink } from './prepare-sink.js';

/**
 * The assembled pipeline against the testkit upstream (2 simulated pumps registered in real etcd, the fake TiDB
 * status API): DDL + DML in, filtered and routed rows out of the jsonl sink, file checkpoint saved.
 */
describe('Drainer pipeline (simulated pumps → jsonl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drainer-pipeline-'));
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  let cluster: PumpCluster;

  beforeAll(async () => {
    cluster = await PumpCluster.start({ pumps: 2, fakeIntervalMs: 50 });
    await api.start();
  });
  afterAll(async () => {
    await cluster?.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replicates, filters, routes and checkpoints', async () => {
    const driver = cluster.driver({ choose: (i, n) => i % n });
    const ddl = async (job: { id: number; query: string }): Promise<bigint> =>
      (await driver.write({ kind: 'ddl', query: job.query, jobId: BigInt(job.id) })).commitTs;
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
    const dml = async (mutations: Parameters<typeof encodePrewriteValue>[0]['mutations']): Promise<bigint> =>
      (
        await driver.write({
          kind: 'dml',
          prewriteValue: encodePrewriteValue({ schemaVersion: BigInt(model.schemaVersion), mutations }),
        })
      ).commitTs;
    const ins = (t: typeof orders, values: (bigint | string | null)[]): Uint8Array => encodeInsertRow(t, values);
    await dml([
      {
        tableId: BigInt(orders.id),
        insertedRows: [ins(orders, [1n, 'a']), ins(orders, [2n, 'b'])],
        updatedRows: [],
        deletedIds: [],
        deletedPks: [],
        deletedRows: [],
        sequence: [0, 0],
      },
    ]);
    const onlyTmp = await dml([
      {
        tableId: BigInt(tmp.id),
        insertedRows: [ins(tmp, [9n])],
        updatedRows: [],
        deletedIds: [],
        deletedPks: [],
        deletedRows: [],
        sequence: [0],
      },
    ]);
    const last = await dml([
      {
        tableId: BigInt(orders.id),
        insertedRows: [],
        updatedRows: [encodeUpdateRow(orders, [1n, 'a'], [1n, 'c'])],
        deletedIds: [],
        deletedPks: [],
        deletedRows: [],
        sequence: [1],
      },
    ]);
    driver.close();

    const out = join(dir, 'out.jsonl');
    const { config, origins } = await loadConfig({
      env: {},
      tomlText: `
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
    });
    const prepared = await prepareSink(config, { env: {} });
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
    const deadline = Date.now() + 20_000;
    const lines = (): string[] => {
      try {
        return readFileSync(out, 'utf8')
          .split('\n')
          .filter((l) => l !== '');
      } catch {
        return [];
      }
    };
    while (lines().length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // The runner saves every 3 s; wait until a save covers `last` (the filtered txn and later fakes are Resolved).
    while (
      Date.now() < deadline &&
      ((await new FileCheckpointStore({ dataDir: join(dir, 'data') }).load())?.commitTs ?? 0n) < last
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(drainer.status().filter.txnsDropped).toBe(1);
    const metrics = await drainer.metrics.metrics();
    expect(metrics).toContain('binlog_drainer_pump_position');
    expect(metrics).toContain('binlog_drainer_ddl_jobs_total');
    stop.abort();
    const result = await running;
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
