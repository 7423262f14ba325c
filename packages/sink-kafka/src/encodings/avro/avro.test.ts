import type { RowChange } from '@tidb-drainer/core/sdk';
import { describe, expect, it } from 'vitest';
import { personTable } from '../../test-support/person-table.js';
import { twosComplementBytes, unsignedBytes } from './avro-binary-writer.js';
import { AvroEncoder } from './avro-encoder.js';
import { decodeAvroRecord } from './decode-avro.js';
import { sanitizeAvroName } from './avro-table-schema.js';
import type { SchemaRegistryClient } from './schema-registry-client.js';

const person = personTable();

/** A registry double that hands out fixed ids per subject and remembers the schema texts (narrow unit mock). */
function fakeRegistry(): { client: SchemaRegistryClient; schemas: Map<string, string> } {
  const schemas = new Map<string, string>();
  const client = {
    register: (subject: string, schema: string) => {
      schemas.set(subject, schema);
      return Promise.resolve(subject.endsWith('-key') ? 6 : 7);
    },
    cachedId: (subject: string, schema: string) => (schemas.get(subject) === schema ? (subject.endsWith('-key') ? 6 : 7) : undefined),
  } as unknown as SchemaRegistryClient;
  return { client, schemas };
}

const hex = (b: Uint8Array | null): string => Buffer.from(b ?? new Uint8Array()).toString('hex');

describe('TiCDC Avro', () => {
  it('schemas and bytes match the spec example', async () => {
    const { client, schemas } = fakeRegistry();
    const enc = new AvroEncoder({ decimal: 'precise', bigintUnsigned: 'long', enableTidbExtension: true, clusterName: 'default', zone: 'UTC' }, client);
    const row = [1n, 'Al', 18n, { kind: 'decimal', text: '12.50', precision: 10, scale: 2 }, { kind: 'time', type: 'datetime', year: 2024, month: 5, day: 1, hour: 10, minute: 20, second: 30, microsecond: 0, fsp: 0 }] as const;
    const ins: RowChange = { op: 'insert', schema: 'test', table: 'person', tableInfo: person, after: row };
    const m = await enc.encodeRow(ins, 449461310051057667n, 'tidb_test_person', new AbortController().signal);
    expect(schemas.get('tidb_test_person-key')).toBe('{"type":"record","name":"person","namespace":"default.test","fields":[{"name":"id","type":{"type":"int","connect.parameters":{"tidb_type":"INT"}}}]}');
    expect(schemas.get('tidb_test_person-value')).toBe(
      '{"type":"record","name":"person","namespace":"default.test","fields":[' +
        '{"name":"id","type":{"type":"int","connect.parameters":{"tidb_type":"INT"}}},' +
        '{"default":null,"name":"name","type":["null",{"type":"string","connect.parameters":{"tidb_type":"TEXT"}}]},' +
        '{"default":18,"name":"age","type":{"type":"int","connect.parameters":{"tidb_type":"INT UNSIGNED"}}},' +
        '{"default":null,"name":"balance","type":["null",{"type":"bytes","connect.parameters":{"tidb_type":"DECIMAL"},"logicalType":"decimal","precision":10,"scale":2}]},' +
        '{"name":"created","type":{"type":"string","connect.parameters":{"tidb_type":"DATETIME"}}},' +
        '{"default":"","name":"_tidb_op","type":"string"},{"default":0,"name":"_tidb_commit_ts","type":"long"},{"default":0,"name":"_tidb_commit_physical_time","type":"long"}]}',
    );
    expect(hex(m.key)).toBe('000000000602');
    expect(hex(m.value)).toBe(
      '0000000007' + '02' + '0204416c' + '24' + '020404e2' + '26' + Buffer.from('2024-05-01 10:20:30').toString('hex') + '0263' + '868080dec3abe7bc0c' + 'f09ddcbae663',
    );
    const del = await enc.encodeRow({ op: 'delete', schema: 'test', table: 'person', tableInfo: person, before: row }, 449461310051057668n, 'tidb_test_person', new AbortController().signal);
    expect(hex(del.key)).toBe('000000000602');
    expect(del.value).toBeNull();

    // An independent decoder (avsc) reads our bytes with the registered schema.
    const back = decodeAvroRecord(schemas.get('tidb_test_person-value') ?? '', m.value ?? Buffer.alloc(0));
    expect(back.schemaId).toBe(7);
    expect(back.record).toMatchObject({ id: 1, name: 'Al', age: 18, created: '2024-05-01 10:20:30', _tidb_op: 'c', _tidb_commit_ts: 449461310051057667n });
    expect(back.record['balance']).toBe('12.50');
  });

  it('helpers: decimal two\'s complement, BIT bytes, names', () => {
    expect(hex(twosComplementBytes(0n))).toBe('00');
    expect(hex(twosComplementBytes(1250n))).toBe('04e2');
    expect(hex(twosComplementBytes(128n))).toBe('0080');
    expect(hex(twosComplementBytes(-1n))).toBe('ff');
    expect(hex(twosComplementBytes(-129n))).toBe('ff7f');
    expect(hex(unsignedBytes(0n))).toBe('00');
    expect(hex(unsignedBytes(0x1234n))).toBe('1234');
    expect(sanitizeAvroName('1abc')).toBe('_1abc');
    expect(sanitizeAvroName('a-b.c')).toBe('a_b_c');
    expect(sanitizeAvroName('$x')).toBe('_x');
  });
});
