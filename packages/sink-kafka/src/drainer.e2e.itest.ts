import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eUpstream, encodeInsertRow, rowsMutation, startInProcessDrainer, tidbCol, waitUntil } from '@tidb-drainer/testkit';
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
  const schema = uniqueTopic('tidbtest');
  const topic = uniqueTopic('e2e');
  const clusterId = 6_678_715_361_817_107_733n + BigInt(Math.floor(Math.random() * 1e9));
  const up = new E2eUpstream({ tmpPrefix: 'sink-kafka-e2e-', pumps: 1, clusterId });
  const { dir, model } = up;

  beforeAll(async () => {
    await requireKafka();
    await up.start();
  });
  afterAll(() => up.close());

  it('delivers the DDL and the transaction in commit-ts order', async () => {
    const driver = up.cluster.driver({ choose: () => 0 });
    await up.writeDdl(driver, model.createDatabase(schema));
    await up.writeDdl(driver, model.createTable(schema, { name: 't1', columns: [tidbCol.int('id', { notNull: true, unsigned: true })], primaryKey: ['id'] }, 'create table t1 (id int unsigned not null AUTO_INCREMENT primary key)'));
    const t1 = model.modelTable(schema, 't1');
    const last = await up.writeDml(driver, [rowsMutation(t1.id, [1n, 2n, 3n, 4n, 5n].map((id) => encodeInsertRow(t1, [id])))]);
    driver.close();

    const running = await startInProcessDrainer(`
log-file = "${join(dir, 'drainer.log')}"
data-dir = "${join(dir, 'data')}"
initial-commit-ts = 0
tidb-status-addrs = "${up.api.address}"
[syncer]
db-type = "kafka"
[syncer.to]
kafka-addrs = "${KAFKA_BROKERS.join(',')}"
kafka-version = "2.8.0"
topic-name = "${topic}"
${sinkSection}`, up.cluster);
    const lastTs = async (): Promise<bigint> => {
      const recs = await readTopic(topic).catch(() => []);
      const r = recs[recs.length - 1];
      if (r?.value == null) return 0n;
      return sinkSection.includes('canal-json') ? (decodeCanalJson(r.value).commitTs ?? 0n) : decodeSecondaryBinlog(r.value).commitTs;
    };
    await waitUntil(async () => (await lastTs()) >= last, Date.now() + 40_000, 200);
    const result = await running.stop();
    expect(result.outcome).toBe('stopped');
    expect(running.prepared.definition.type).toBe('kafka');

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
