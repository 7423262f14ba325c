import { valueText } from '@tidb-drainer/core';
import { parseJsonLossless } from '@tidb-drainer/core';
import type { RowChange, Txn } from '@tidb-drainer/core/sdk';
import { describe, expect, it } from 'vitest';
import { allTypes, allTypesRows } from '../test-support/all-types.js';
import { decodeAvroRecord } from './avro/decode-avro.js';
import { AvroEncoder } from './avro/avro-encoder.js';
import type { SchemaRegistryClient } from './avro/schema-registry-client.js';
import { pbColumnToValue } from './binlog-pb/column-to-value.js';
import { decodeSecondaryBinlog } from './binlog-pb/decode-secondary-binlog.js';
import { encodeSecondaryBinlog } from './binlog-pb/encode-secondary-binlog.js';
import { txnToSecondaryBinlog } from './binlog-pb/txn-to-secondary-binlog.js';
import { CanalJsonEncoder } from './canal-json/canal-json-encoder.js';
import { decodeCanalJson } from './canal-json/decode-canal-json.js';
import { DebeziumEncoder } from './debezium/debezium-encoder.js';

const inserts: RowChange[] = allTypesRows.map((after) => ({ op: 'insert', schema: 'types', table: 'all', tableInfo: allTypes, after }));
const names = allTypes.columns.map((c) => c.name);

describe('every column type through each encoding and back', () => {
  for (const zone of ['UTC', 'Asia/Shanghai']) {
    it(`binlog-pb (zone ${zone}): decoded values equal the model`, () => {
      const txn: Txn = { kind: 'txn', commitTs: 449461310051057667n, startTs: 1n, schemaVersion: 1, bytes: 1, changes: inserts };
      const back = decodeSecondaryBinlog(encodeSecondaryBinlog(txnToSecondaryBinlog(txn, zone)));
      const table = back.dmlData?.tables[0];
      expect(table?.columnInfo.map((c) => c.mysqlType)).toEqual([
        'bigint', 'tinyint', 'tinyint', 'smallint', 'mediumint', 'int', 'int', 'bigint', 'bigint', 'float', 'double', 'decimal', 'date', 'datetime',
        'timestamp', 'time', 'year', 'char', 'varchar', 'text', 'binary', 'varbinary', 'blob', 'bit', 'enum', 'set', 'json',
      ]);
      table?.mutations.forEach((m, r) => {
        allTypes.columns.forEach((col, i) => {
          const got = pbColumnToValue(col, m.row.columns[i] ?? {}, zone);
          expect({ col: col.name, v: valueText(got) }).toEqual({ col: col.name, v: valueText(allTypesRows[r]?.[i] ?? null) });
        });
      });
      // Presence: which *_value field each type uses (tidb-binlog.md §8.3 mapping).
      const first = table?.mutations[0]?.row.columns ?? [];
      const field = (i: number): string => Object.keys(first[i] ?? {}).join();
      expect(names.map((n, i) => `${n}:${field(i)}`)).toEqual([
        'id:int64Value', 'ti:int64Value', 'tiu:uint64Value', 'si:int64Value', 'mi:int64Value', 'i:int64Value', 'iu:uint64Value', 'bi:int64Value',
        'biu:uint64Value', 'f:doubleValue', 'd:doubleValue', 'dec:stringValue', 'dt:stringValue', 'dtm:stringValue', 'ts:stringValue', 'tm:stringValue',
        'yr:stringValue', 'ch:stringValue', 'vc:stringValue', 'txt:stringValue', 'bin:bytesValue', 'vb:bytesValue', 'blb:bytesValue', 'bt:bytesValue',
        'en:uint64Value', 'st:uint64Value', 'js:bytesValue',
      ]);
      expect(table?.mutations[2]?.row.columns.slice(1).every((c) => c.isNull === true && Object.keys(c).length === 1)).toBe(true);
      if (zone === 'Asia/Shanghai') expect(first[14]?.stringValue).toBe('2024-05-01 18:20:30.123');
    });
  }

  it('canal-json: every value as TiCDC string form, binary bytes recovered', () => {
    const enc = new CanalJsonEncoder({ enableTidbExtension: true, zone: 'UTC', now: () => 0 });
    const m = decodeCanalJson(enc.encodeRow(inserts[0]!, 5n).value ?? Buffer.alloc(0));
    expect(m.data).toEqual({
      id: '1', ti: '-128', tiu: '255', si: '-32768', mi: '-8388608', i: '-2147483648', iu: '4294967295', bi: '-9223372036854775808',
      biu: '18446744073709551615', f: '3.14', d: '0.0000001', dec: '-12345678901234567890.0123456789', dt: '2024-02-29',
      dtm: '1999-12-31 23:59:59.999999', ts: '2024-05-01 10:20:30.123', tm: '-838:59:59.0000', yr: '2155', ch: 'abc', vc: 'héllo "world" <&>\n',
      txt: 'long text \u2028', bin: '\u0000\u0001\u0002\u0003', vb: 'ÿ\u0000<\u0080', blb: '\u0001\u0002ú', bt: '2748', en: '2', st: '5',
      js: '{"a": 1, "b": [true, null, "x"]}',
    });
    expect(m.dataBytes('vb')).toEqual(Buffer.from([0xff, 0x00, 0x3c, 0x80]));
    expect(m.sqlType).toMatchObject({ tiu: 5, iu: -5, biu: 3, en: 4, st: -7, bt: -7, yr: 12, js: 12, bin: 2004, txt: 2005, ch: 1 });
    const nulls = decodeCanalJson(enc.encodeRow(inserts[2]!, 5n).value ?? Buffer.alloc(0));
    expect(Object.values(nulls.data ?? {}).filter((v) => v !== null)).toEqual(['3']);
  });

  it('avro: avsc reads back every type with the registered schema', async () => {
    const schemas = new Map<string, string>();
    const registry = {
      register: (s: string, text: string) => (schemas.set(s, text), Promise.resolve(s.endsWith('key') ? 1 : 2)),
      cachedId: (s: string, text: string) => (schemas.get(s) === text ? (s.endsWith('key') ? 1 : 2) : undefined),
    } as unknown as SchemaRegistryClient;
    const enc = new AvroEncoder({ decimal: 'precise', bigintUnsigned: 'long', enableTidbExtension: true, clusterName: 'default', zone: 'UTC' }, registry);
    const out = await Promise.all(inserts.map(async (ch) => enc.encodeRow(ch, 7n << 18n, 'tidb_types_all', new AbortController().signal)));
    const rec = decodeAvroRecord(schemas.get('tidb_types_all-value') ?? '', out[0]?.value ?? Buffer.alloc(0)).record;
    expect(rec).toMatchObject({
      id: 1n, ti: -128, tiu: 255, si: -32768, mi: -8388608, i: -2147483648, iu: 4294967295n, bi: -9223372036854775808n, biu: -1n,
      dec: '-12345678901234567890.0123456789', dt: '2024-02-29', dtm: '1999-12-31 23:59:59.999999', ts: '2024-05-01 10:20:30.123', tm: '-838:59:59.0000',
      yr: 2155, ch: 'abc', vc: 'héllo "world" <&>\n', en: 'y,z', st: 'a,c', js: '{"a": 1, "b": [true, null, "x"]}', _tidb_op: 'c', _tidb_commit_ts: 7n << 18n, _tidb_commit_physical_time: 7n,
    });
    expect(rec['f']).toBe(Math.fround(3.14));
    expect(rec['d']).toBe(1e-7);
    expect(rec['vb']).toEqual(Buffer.from([0xff, 0x00, 0x3c, 0x80]));
    expect(rec['bt']).toEqual(Buffer.from([0x0a, 0xbc]));
    const nulls = decodeAvroRecord(schemas.get('tidb_types_all-value') ?? '', out[2]?.value ?? Buffer.alloc(0)).record;
    expect(names.slice(1).every((n) => nulls[n] === null)).toBe(true);
    expect(JSON.parse(schemas.get('tidb_types_all-value') ?? '{}')).toBeTruthy();
  });

  it('debezium: every type per TiCDC mapping', () => {
    const enc = new DebeziumEncoder({ clusterName: 'default', enableTidbExtension: true, disableSchema: false, zone: 'UTC', now: () => 0 });
    const v = parseJsonLossless(enc.encodeRow(inserts[0]!, 5n).value?.toString() ?? '') as { payload: { after: Record<string, unknown> }; schema: unknown };
    expect(v.payload.after).toEqual({
      id: 1, ti: -128, tiu: 255, si: -32768, mi: -8388608, i: -2147483648, iu: 4294967295, bi: -9223372036854775808n, biu: -1,
      f: 3.14, d: 1e-7, dec: -12345678901234567000n, dt: 19782, dtm: 946684799999999, ts: '2024-05-01T10:20:30.123Z', tm: -3020399000000,
      yr: 2155, ch: 'abc', vc: 'héllo "world" <&>\n', txt: 'long text \u2028', bin: 'AAECAw==', vb: '/wA8gA==', blb: 'AQL6', bt: 'vAo=', en: 'y,z', st: 'a,c',
      js: '{"a": 1, "b": [true, null, "x"]}',
    });
  });
});
