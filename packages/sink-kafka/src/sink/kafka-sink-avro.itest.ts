import { MysqlType } from '@tidb-drainer/core/sdk';
import type { RowChange } from '@tidb-drainer/core/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAvroRecord } from '../encodings/avro/decode-avro.js';
import { readTopic, REGISTRY_URL, requireKafka, requireRegistry, uniqueTopic } from '../test-support/kafka-env.js';
import { allTypes, allTypesRows } from '../test-support/all-types.js';
import { makeTable } from '../test-support/make-table.js';
import { batchOf, ddl, openSink, txn } from '../test-support/sink-harness.js';

beforeAll(async () => {
  await requireKafka();
  await requireRegistry();
});

const signal = new AbortController().signal;

async function schemaById(id: number): Promise<string> {
  const res = await fetch(`${REGISTRY_URL}/schemas/ids/${id}`);
  if (!res.ok) throw new Error(`registry has no schema ${id}: HTTP ${res.status}`);
  return ((await res.json()) as { schema: string }).schema;
}

async function decode(bytes: Buffer | null): Promise<Record<string, unknown> | null> {
  if (bytes === null) return null;
  const id = bytes.readInt32BE(1);
  return decodeAvroRecord(await schemaById(id), bytes).record;
}

describe('TiCDC Avro with the real schema registry', () => {
  it('registers key and value schemas per topic, frames messages, tombstones deletes, evolves the schema on DDL', async () => {
    const schema = uniqueTopic('av');
    const v1 = makeTable(schema, 'person', [
      { name: 'id', type: MysqlType.Long, pk: true },
      { name: 'name', type: MysqlType.Varchar, length: 32 },
    ]);
    const v2 = { ...makeTable(schema, 'person', [
      { name: 'id', type: MysqlType.Long, pk: true },
      { name: 'name', type: MysqlType.Varchar, length: 32 },
      { name: 'age', type: MysqlType.Long },
    ]), schemaVersion: 2 };
    const sink = await openSink({
      encoding: 'avro', 'schema-registry': REGISTRY_URL, 'enable-tidb-extension': true, 'partition-num': 2, 'topic-name': uniqueTopic('dflt'),
      dispatchers: [{ matcher: [`${schema}.*`], topic: 'tidb.{schema}.{table}', partition: 'index-value' }],
    });
    const ts = 9000n << 18n;
    const ch = (c: RowChange): RowChange => c;
    await sink.write(batchOf([txn(ts, [
      ch({ op: 'insert', schema, table: 'person', tableInfo: v1, after: [1n, 'Al'] }),
      ch({ op: 'insert', schema, table: 'person', tableInfo: v1, after: [2n, null] }),
    ])]), signal);
    await sink.write(batchOf([txn(ts + 1n, [
      ch({ op: 'update', schema, table: 'person', tableInfo: v1, before: [1n, 'Al'], after: [1n, 'Alan'] }),
      ch({ op: 'delete', schema, table: 'person', tableInfo: v1, before: [2n, null] }),
    ])]), signal);
    await sink.writeDdl(ddl(ts + 2n, schema, 'person', 'ALTER TABLE person ADD COLUMN age INT'), signal);
    await sink.write(batchOf([txn(ts + 3n, [ch({ op: 'insert', schema, table: 'person', tableInfo: v2, after: [3n, 'Cy', 42n] })])]), signal);
    await sink.close();

    const topic = `tidb.${schema}.person`;
    const subject = topic.replaceAll('.', '_');
    const versions = async (s: string): Promise<number[]> => (await (await fetch(`${REGISTRY_URL}/subjects/${s}/versions`)).json()) as number[];
    expect(await versions(`${subject}-key`)).toHaveLength(1);
    expect(await versions(`${subject}-value`)).toHaveLength(2);

    const recs = await readTopic(topic);
    expect(recs).toHaveLength(5); // no DDL message in Avro
    const decoded = await Promise.all(recs.map(async (r) => ({ key: await decode(r.key), value: await decode(r.value) })));
    const byOp = decoded.map((d) => `${String(d.key?.['id'])}:${d.value === null ? 'tombstone' : String(d.value['_tidb_op'])}`).sort();
    expect(byOp).toEqual(['1:c', '1:u', '2:c', '2:tombstone', '3:c']);
    const cy = decoded.find((d) => d.key?.['id'] === 3)?.value;
    expect(cy).toMatchObject({ id: 3, name: 'Cy', age: 42, _tidb_commit_ts: ts + 3n });
    const alan = decoded.find((d) => d.value?.['_tidb_op'] === 'u')?.value;
    expect(alan).toMatchObject({ id: 1, name: 'Alan' });
    expect(alan).not.toHaveProperty('age');
  });

  it('every column type round-trips through the registry', async () => {
    const sink = await openSink({
      encoding: 'avro', 'schema-registry': REGISTRY_URL, 'partition-num': 1, 'topic-name': uniqueTopic('dflt'),
      dispatchers: [{ matcher: ['types.*'], topic: `${uniqueTopic('t')}_{schema}_{table}` }],
    });
    await sink.write(batchOf([txn(9100n << 18n, allTypesRows.map((after) => ({ op: 'insert', schema: 'types', table: 'all', tableInfo: allTypes, after })))]), signal);
    const topics = [...(sink as unknown as { topics: Map<string, unknown> }).topics.keys()].filter((t) => t.endsWith('_types_all'));
    await sink.close();
    expect(topics).toHaveLength(1);
    const recs = await readTopic(topics[0] ?? '');
    const first = await decode(recs[0]?.value ?? null);
    expect(first).toMatchObject({ id: 1n, biu: -1n, dec: '-12345678901234567890.0123456789', en: 'y,z', st: 'a,c', ts: '2024-05-01 10:20:30.123', tm: '-838:59:59.0000' });
    expect(first?.['vb']).toEqual(Buffer.from([0xff, 0x00, 0x3c, 0x80]));
    const nulls = await decode(recs[2]?.value ?? null);
    expect(Object.entries(nulls ?? {}).filter(([, v]) => v !== null).map(([k]) => k)).toEqual(['id']);
  });
});
