import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Drainer, EtcdPumpRegistry, encodePrewriteValue, loadConfig, prepareSink } from '@tidb-drainer/core';
import { encodeInsertRow, FakeTidbStatusApi, PumpCluster, TidbSchemaModel, tidbCol } from '@tidb-drainer/testkit';
import { BinlogType, decodeSecondaryBinlog, MutationType } from '@tidb-drainer/sink-kafka/reader';
import { decodeCanalJson } from './encodings/canal-json/decode-canal-json.js';
import { KAFKA_BROKERS, readTopic, requireKafka, uniqueTopic } from './test-support/kafka-env.js';

/**
 * The tutorial end to end with Kafka, in process: simulated pump (registered in real etcd) and fake TiDB status
 * API → Drainer (`db-type = "kafka"` with the Go drainer's `[syncer.to]` keys) → real Kafka, read back as the Go
 * reader / a canal-json consumer would.
 */
describe.each([
  { mode: 'binlog-pb (Go drainer format)', sinkSection: '' },
  { mode: 'binlog-pb, exactly-once', sinkSection: '[sink]\ndelivery = "exactly-once"\n' },
  { mode: 'canal-json', sinkSection: '[sink]\nencoding = "canal-json"\nenable-tidb-extension = true\n' },
])('simulated TiDB → drainer → Kafka ($mode)', ({ sinkSection }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sink-kafka-e2e-'));
  const schema = uniqueTopic('tidbtest');
  const topic = uniqueTopic('e2e');
  const clusterId = 6_678_715_361_817_107_733n + BigInt(Math.floor(Math.random() * 1e9));
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  let cluster: PumpCluster;

  beforeAll(async () => {
    await requireKafka();
    cluster = await PumpCluster.start({ pumps: 1, fakeIntervalMs: 50, clusterId });
    await api.start();
  });
  afterAll(async () => {
    await cluster?.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the DDL and the transaction in commit-ts order', async () => {
    const driver = cluster.driver({ choose: () => 0 });
    const ddl = async (job: { id: number; query: string }): Promise<bigint> => (await driver.write({ kind: 'ddl', query: job.query, jobId: BigInt(job.id) })).commitTs;
    await ddl(model.createDatabase(schema));
    await ddl(model.createTable(schema, { name: 't1', columns: [tidbCol.int('id', { notNull: true, unsigned: true })], primaryKey: ['id'] }, 'create table t1 (id int unsigned not null AUTO_INCREMENT primary key)'));
    const t1 = model.modelTable(schema, 't1');
    const { commitTs: last } = await driver.write({
      kind: 'dml',
      prewriteValue: encodePrewriteValue({
        schemaVersion: BigInt(model.schemaVersion),
        mutations: [{ tableId: BigInt(t1.id), insertedRows: [1n, 2n, 3n, 4n, 5n].map((id) => encodeInsertRow(t1, [id])), updatedRows: [], deletedIds: [], deletedPks: [], deletedRows: [], sequence: [0, 0, 0, 0, 0] }],
      }),
    });
    driver.close();

    const { config, origins } = await loadConfig({
      env: {},
      tomlText: `
log-file = "${join(dir, 'drainer.log')}"
data-dir = "${join(dir, 'data')}"
initial-commit-ts = 0
tidb-status-addrs = "${api.address}"
[syncer]
db-type = "kafka"
[syncer.to]
kafka-addrs = "${KAFKA_BROKERS.join(',')}"
kafka-version = "2.8.0"
topic-name = "${topic}"
${sinkSection}`,
    });
    const prepared = await prepareSink(config, { env: {} });
    expect(prepared.definition.type).toBe('kafka');
    const drainer = new Drainer({ config, sink: prepared, txnBatchExplicit: origins.has('syncer.txn-batch'), registry: new EtcdPumpRegistry({ etcd: cluster.etcd! }), clusterId: cluster.clusterId });
    const stop = new AbortController();
    await drainer.open(stop.signal);
    const running = drainer.run(stop.signal);
    const deadline = Date.now() + 40_000;
    const lastTs = async (): Promise<bigint> => {
      const recs = await readTopic(topic).catch(() => []);
      const r = recs[recs.length - 1];
      if (r?.value == null) return 0n;
      return sinkSection.includes('canal-json') ? (decodeCanalJson(r.value).commitTs ?? 0n) : decodeSecondaryBinlog(r.value).commitTs;
    };
    while (Date.now() < deadline && (await lastTs()) < last) await new Promise((r) => setTimeout(r, 200));
    stop.abort();
    const result = await running;
    expect(result.outcome).toBe('stopped');

    const recs = await readTopic(topic);
    if (sinkSection.includes('canal-json')) {
      const msgs = recs.map((r) => decodeCanalJson(r.value ?? Buffer.alloc(0)));
      expect(msgs.filter((m) => m.isDdl).map((m) => m.type)).toEqual(['QUERY', 'CREATE']);
      expect(msgs.filter((m) => !m.isDdl).map((m) => `${m.type}:${m.data?.['id']}`).sort()).toEqual(['INSERT:1', 'INSERT:2', 'INSERT:3', 'INSERT:4', 'INSERT:5']);
      expect(msgs.filter((m) => !m.isDdl).every((m) => m.commitTs === last)).toBe(true);
      return;
    }
    expect(recs.every((r) => r.partition === 0 && r.key === null)).toBe(true);
    const binlogs = recs.map((r) => decodeSecondaryBinlog(r.value ?? Buffer.alloc(0)));
    expect(binlogs.map((b) => b.type)).toEqual([BinlogType.DDL, BinlogType.DDL, BinlogType.DML]);
    expect(binlogs.map((b) => b.commitTs)).toEqual([...binlogs.map((b) => b.commitTs)].sort((a, b) => (a < b ? -1 : 1)));
    const dml = binlogs[2]?.dmlData?.tables[0];
    expect(dml?.schemaName).toBe(schema);
    expect(dml?.tableName).toBe('t1');
    expect(dml?.columnInfo.map((c) => [c.name, c.mysqlType, c.isPrimaryKey])).toEqual([['id', 'int', true]]);
    expect(dml?.mutations.map((m) => [m.type, m.row.columns[0]?.uint64Value])).toEqual([1n, 2n, 3n, 4n, 5n].map((id) => [MutationType.Insert, id]));
    expect(binlogs[2]?.commitTs).toBe(last);
  });
});
