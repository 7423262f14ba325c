import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MysqlType, SinkError } from '@tidb-drainer/core/sdk';
import type { RowChange } from '@tidb-drainer/core/sdk';
import { BinlogReader } from '@tidb-drainer/sink-kafka/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { PositionInertiaHash } from '../dispatch/partition-hash.js';
import { decodeCanalJson } from '../encodings/canal-json/decode-canal-json.js';
import { encodeSecondaryBinlog } from '../encodings/binlog-pb/encode-secondary-binlog.js';
import { ddlToSecondaryBinlog, txnToSecondaryBinlog } from '../encodings/binlog-pb/txn-to-secondary-binlog.js';
import { KAFKA_BROKERS, readTopic, requireKafka, uniqueTopic } from '../test-support/kafka-env.js';
import { makeTable } from '../test-support/make-table.js';
import { batchOf, ddl, openSink, txn } from '../test-support/sink-harness.js';

beforeAll(requireKafka);

const ctl = new AbortController();
const signal = ctl.signal;
const shop = (schema: string) =>
  makeTable(schema, 'orders', [
    { name: 'id', type: MysqlType.Long, pk: true },
    { name: 'code', type: MysqlType.Varchar, notNull: true },
    { name: 'note', type: MysqlType.Varchar },
  ], { uniques: [{ name: 'uk_code', cols: ['code'] }] });

describe('binlog-pb on Kafka', () => {
  it('default topic <clusterID>_obinlog, partition 0, null key, bytes equal to the encoder output, DDL in-stream', async () => {
    const clusterId = BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
    const t = shop('db');
    const sink = await openSink({ 'partition-num': 3 }, { clusterId });
    const t1 = txn(449461310051057667n, [{ op: 'insert', schema: 'db', table: 'orders', tableInfo: t, after: [1n, 'a', null] }]);
    const d = ddl(449461310051057700n, 'db', 'orders', 'alter table orders add column x int');
    const t2 = txn(449461310051057800n, [{ op: 'update', schema: 'db', table: 'orders', tableInfo: t, before: [1n, 'a', null], after: [1n, 'b', 'n'] }]);
    await sink.write(batchOf([t1]), signal);
    await sink.writeDdl(d, signal);
    await sink.write(batchOf([t2]), signal);
    await sink.close();
    const recs = await readTopic(`${clusterId}_obinlog`);
    expect(recs.map((r) => [r.partition, r.key])).toEqual([[0, null], [0, null], [0, null]]);
    expect(recs.map((r) => r.value)).toEqual([
      encodeSecondaryBinlog(txnToSecondaryBinlog(t1, 'UTC')),
      encodeSecondaryBinlog(ddlToSecondaryBinlog(d)),
      encodeSecondaryBinlog(txnToSecondaryBinlog(t2, 'UTC')),
    ]);

    // The reader finds the offset after a commit ts by binary search and skips older messages.
    const reader = new BinlogReader({ brokers: KAFKA_BROKERS, clusterId, commitTs: d.commitTs });
    expect(await reader.open()).toBe(2n);
    const first = await reader.next();
    await reader.close();
    expect(first?.offset).toBe(2n);
    expect(first?.binlog.commitTs).toBe(t2.commitTs);
  });
});

describe('row encodings: dispatch, key-changing updates, DDL placement', () => {
  it('canal-json: topic expression, index-value partitions by TiCDC hash, split update, DDL to partition 0', async () => {
    const schema = uniqueTopic('s');
    const t = shop(schema);
    const sink = await openSink({
      encoding: 'canal-json', 'enable-tidb-extension': true, 'partition-num': 4, 'topic-name': uniqueTopic('dflt'),
      dispatchers: [{ matcher: [`${schema}.*`], topic: 'cj_{schema}_{table}', partition: 'index-value' }],
    });
    const rows: RowChange[] = [];
    for (let i = 1n; i <= 20n; i++) rows.push({ op: 'insert', schema, table: 'orders', tableInfo: t, after: [i, `c${i}`, null] });
    await sink.write(batchOf([txn(1000n << 18n, rows)]), signal);
    // id 5 → 105 changes the primary key: delete(5) then insert(105); note-only update stays an update.
    await sink.write(batchOf([txn(1001n << 18n, [
      { op: 'update', schema, table: 'orders', tableInfo: t, before: [6n, 'c6', null], after: [6n, 'c6', 'x'] },
      { op: 'update', schema, table: 'orders', tableInfo: t, before: [5n, 'c5', null], after: [105n, 'c5', null] },
    ])]), signal);
    await sink.writeDdl(ddl(1002n << 18n, schema, 'orders', 'ALTER TABLE orders ADD COLUMN y INT'), signal);
    await sink.close();

    const recs = await readTopic(`cj_${schema}_orders`);
    const hashPart = (id: bigint): number => new PositionInertiaHash().write(schema, 'orders').write('id', id.toString()).sum32() % 4;
    const dml = recs.map((r) => ({ p: r.partition, m: decodeCanalJson(r.value ?? Buffer.alloc(0)) })).filter((x) => !x.m.isDdl);
    expect(dml).toHaveLength(23);
    for (const { p, m } of dml) expect(p).toBe(hashPart(BigInt(m.data?.['id'] ?? '-1')));
    expect(new Set(dml.map((x) => x.p)).size).toBeGreaterThan(1);
    const second = dml.filter((x) => x.m.commitTs === 1001n << 18n).sort((a, b) => a.m.type.localeCompare(b.m.type));
    expect(second.map((x) => `${x.m.type}:${x.m.data?.['id']}`)).toEqual(['DELETE:5', 'INSERT:105', 'UPDATE:6']);
    const ddls = recs.filter((r) => decodeCanalJson(r.value ?? Buffer.alloc(0)).isDdl);
    expect(ddls.map((r) => r.partition)).toEqual([0]);
    expect(recs.every((r) => r.key === null || r.key.length === 0)).toBe(true);
  });

  it('debezium: DDL to every partition; ddl-topic placement; ts and table dispatchers', async () => {
    const schema = uniqueTopic('s');
    const t = shop(schema);
    const topic = uniqueTopic('dbz');
    const sink = await openSink({ encoding: 'debezium', 'partition-num': 3, 'topic-name': topic, partition: 'ts' });
    const ts = 2000n << 18n;
    await sink.write(batchOf([txn(ts, [{ op: 'insert', schema, table: 'orders', tableInfo: t, after: [1n, 'a', null] }, { op: 'insert', schema, table: 'orders', tableInfo: t, after: [2n, 'b', null] }])]), signal);
    await sink.writeDdl(ddl(ts + 1n, schema, 'orders', 'TRUNCATE TABLE orders', 11), signal);
    await sink.close();
    const recs = await readTopic(topic);
    const dml = recs.filter((r) => r.value?.toString().includes('"op":"c"'));
    expect(dml.map((r) => r.partition)).toEqual([Number(ts % 3n), Number(ts % 3n)]);
    const ddlRecs = recs.filter((r) => r.value?.toString().includes('"ddl":"TRUNCATE TABLE orders"'));
    expect(ddlRecs.map((r) => r.partition).sort()).toEqual([0, 1, 2]);

    const ddlTopic = uniqueTopic('ddl');
    const sink2 = await openSink({ encoding: 'canal-json', 'partition-num': 2, 'topic-name': uniqueTopic('t'), partition: 'table', 'ddl-placement': 'ddl-topic', 'ddl-topic': ddlTopic });
    await sink2.writeDdl(ddl(ts + 2n, schema, undefined, `CREATE DATABASE ${schema}`, 1), signal);
    await sink2.close();
    const onDdlTopic = await readTopic(ddlTopic);
    expect(onDdlTopic.map((r) => decodeCanalJson(r.value ?? Buffer.alloc(0)).type)).toEqual(['QUERY']);
  });
});

describe('large messages', () => {
  const schema = 'big';
  const t = shop(schema);
  const huge = (n: number): RowChange => ({ op: 'insert', schema, table: 'orders', tableInfo: t, after: [1n, 'k', 'x'.repeat(n)] });

  it('a message over max-message-bytes is a fatal error naming schema, table, commit ts and size; nothing is sent', async () => {
    const topic = uniqueTopic('large');
    const sink = await openSink({ encoding: 'canal-json', 'topic-name': topic, 'partition-num': 1, 'max-message-bytes': 2000 });
    const ts = 3000n << 18n;
    const err = await sink.write(batchOf([txn(ts - 1n, [huge(10)]), txn(ts, [huge(5000)])]), signal).then(() => undefined, (e: unknown) => e);
    await sink.close();
    expect(err).toBeInstanceOf(SinkError);
    const e = err as SinkError;
    expect(e.retryable).toBe(false);
    expect(e.code).toBe('E_KAFKA_MESSAGE_TOO_LARGE');
    expect(e.details).toMatchObject({ schema, table: 'orders', commitTs: ts, limit: 2000 });
    expect(Number(e.details['size'])).toBeGreaterThan(5000);
    expect(await readTopic(topic)).toEqual([]);
  });

  it('the topic limit lowers the default; binlog-pb over the limit also fails instead of being skipped', async () => {
    const topic = uniqueTopic('large_pb');
    const sink = await openSink({ 'topic-name': topic, 'partition-num': 1 });
    const err = await sink.write(batchOf([txn(3100n << 18n, [huge(1_200_000)])]), signal).then(() => undefined, (e: unknown) => e);
    await sink.close();
    expect((err as SinkError).code).toBe('E_KAFKA_MESSAGE_TOO_LARGE');
    // The broker's default message.max.bytes (1048588) minus the 128-byte headroom.
    expect((err as SinkError).details['limit']).toBe(1048588 - 128);
  });

  it('claim-check: the payload goes to the directory, a reference with its location is sent', async () => {
    const topic = uniqueTopic('claim');
    const dir = await mkdtemp(join(tmpdir(), 'claim-check-'));
    const sink = await openSink({ encoding: 'canal-json', 'enable-tidb-extension': true, 'topic-name': topic, 'partition-num': 1, 'max-message-bytes': 2000, 'large-message-handle': 'claim-check', 'claim-check-dir': dir });
    await sink.write(batchOf([txn(3200n << 18n, [huge(5000), huge(10)])]), signal);
    await sink.close();
    const recs = (await readTopic(topic)).map((r) => decodeCanalJson(r.value ?? Buffer.alloc(0)));
    expect(recs).toHaveLength(2);
    const ref = recs[0];
    expect(ref?.claimCheckLocation).toMatch(/^file:\/\/.*\.json$/);
    expect(ref?.data).toEqual({ id: '1' });
    expect(recs[1]?.claimCheckLocation).toBeUndefined();
    const stored = JSON.parse(readFileSync(fileURLToPath(ref?.claimCheckLocation ?? ''), 'utf8')) as { key: string | null; value: string };
    const full = decodeCanalJson(Buffer.from(stored.value, 'base64'));
    expect(full.data?.['note']).toBe('x'.repeat(5000));
    expect(stored.key).toBeNull();
  });
});
