import { parseJsonLossless } from '@tidb-drainer/core';
import { MysqlType } from '@tidb-drainer/core/sdk';
import type { RowChange } from '@tidb-drainer/core/sdk';
import { describe, expect, it } from 'vitest';
import { makeTable } from '../../test-support/make-table.js';
import { personTable } from '../../test-support/person-table.js';
import { DebeziumEncoder } from './debezium-encoder.js';

const person = personTable();
const created = { kind: 'time', type: 'datetime', year: 2024, month: 5, day: 1, hour: 10, minute: 20, second: 30, microsecond: 0, fsp: 0 } as const;
const dec = (text: string) => ({ kind: 'decimal', text, precision: 10, scale: 2 }) as const;

describe('Debezium (TiCDC protocol)', () => {
  it('UPDATE matches the spec example (key, payload, schema)', () => {
    const enc = new DebeziumEncoder({ clusterName: 'default', enableTidbExtension: false, disableSchema: false, zone: 'UTC', now: () => 1714558891300 });
    const ch: RowChange = {
      op: 'update', schema: 'test', table: 'person', tableInfo: person,
      before: [1n, 'Al', 18n, dec('12.50'), created], after: [1n, 'Alan', 18n, dec('15.00'), created],
    };
    const m = enc.encodeRow(ch, 449461325866991617n);
    expect(m.key?.toString()).toBe('{"payload":{"id":1},"schema":{"type":"struct","name":"default.test.person.Key","optional":false,"fields":[{"type":"int32","optional":false,"field":"id"}]}}');
    const expected = {
      payload: {
        source: { version: '2.4.0.Final', connector: 'TiCDC', name: 'default', ts_ms: 1714558890789, snapshot: 'false', db: 'test', table: 'person', server_id: 0, gtid: null, file: '', pos: 0, row: 0, thread: 0, query: null, commit_ts: 449461325866991617n, cluster_id: 'default' },
        ts_ms: 1714558891300, transaction: null, op: 'u',
        before: { id: 1, name: 'Al', age: 18, balance: 12.5, created: 1714558830000 },
        after: { id: 1, name: 'Alan', age: 18, balance: 15, created: 1714558830000 },
      },
    };
    const got = parseJsonLossless(m.value?.toString() ?? '') as { payload: unknown; schema: { fields: { field: string; fields?: unknown[] }[] } };
    expect(got.payload).toEqual(expected.payload);
    expect(m.value?.toString().startsWith('{"payload":{"source":{"version":"2.4.0.Final"')).toBe(true);
    expect(JSON.stringify(got.schema.fields[0])).toBe(
      '{"type":"struct","optional":true,"name":"default.test.person.Value","field":"before","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"int16","optional":false,"field":"age","default":18},{"type":"double","optional":true,"field":"balance"},{"type":"int64","optional":false,"name":"io.debezium.time.Timestamp","version":1,"field":"created"}]}',
    );
    expect(got.schema.fields.map((f) => f.field)).toEqual(['before', 'after', 'source', 'op', 'ts_ms', 'transaction']);
  });

  it('insert writes before:null first, delete after:null first; types: bits, binary base64, time, timestamp', () => {
    const t = makeTable('d', 't', [
      { name: 'id', type: MysqlType.LongLong, unsigned: true, pk: true },
      { name: 'b', type: MysqlType.Bit, length: 12 },
      { name: 'bin', type: MysqlType.Varchar, binary: true },
      { name: 'tm', type: MysqlType.Duration, decimal: 6 },
      { name: 'ts', type: MysqlType.Timestamp, decimal: 3 },
    ]);
    const enc = new DebeziumEncoder({ clusterName: 'default', enableTidbExtension: true, disableSchema: true, zone: 'Asia/Shanghai', now: () => 0 });
    const row = [18446744073709551615n, 0x0102n, new Uint8Array([0xff, 0x00]), { kind: 'duration', nanos: -45296123456000n, fsp: 6 }, { kind: 'time', type: 'timestamp', year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 678000, fsp: 3 }] as const;
    const ins = enc.encodeRow({ op: 'insert', schema: 'd', table: 't', tableInfo: t, after: row }, 1n << 18n).value?.toString() ?? '';
    expect(ins).toContain('"op":"c","before":null,"after":{"id":-1,"b":"AgE=","bin":"/wA=","tm":-45296123456,"ts":"2024-01-02T03:04:05.678Z"}');
    expect(ins.startsWith('{"payload":')).toBe(true);
    expect(ins).not.toContain('"schema"');
    const del = enc.encodeRow({ op: 'delete', schema: 'd', table: 't', tableInfo: t, before: row }, 1n << 18n).value?.toString() ?? '';
    expect(del).toContain('"op":"d","after":null,"before":{');
  });
});
