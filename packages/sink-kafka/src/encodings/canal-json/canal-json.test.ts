import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnValue, RowChange } from '@tidb-drainer/core/sdk';
import { describe, expect, it } from 'vitest';
import { makeTable } from '../../test-support/make-table.js';
import { CanalJsonEncoder } from './canal-json-encoder.js';
import { decodeCanalJson } from './decode-canal-json.js';

// kafka-encodings §1.10: CREATE TABLE shop.orders (...)
const orders = makeTable('shop', 'orders', [
  { name: 'id', type: MysqlType.LongLong, unsigned: true, pk: true, length: 20, decimal: 0 },
  { name: 'customer', type: MysqlType.Varchar, length: 64, notNull: true },
  { name: 'amount', type: MysqlType.NewDecimal, length: 10, decimal: 2 },
  { name: 'status', type: MysqlType.Enum, notNull: true, elems: ['new', 'paid', 'shipped'] },
  { name: 'flags', type: MysqlType.Set, elems: ['gift', 'express'] },
  { name: 'payload', type: MysqlType.Varchar, length: 16, binary: true },
  { name: 'created_at', type: MysqlType.Datetime, notNull: true, decimal: 3 },
  { name: 'note', type: MysqlType.Blob },
]);

const dec = (text: string, scale: number) => ({ kind: 'decimal', text, precision: 10, scale }) as const;
const created = { kind: 'time', type: 'datetime', year: 2024, month: 5, day: 1, hour: 10, minute: 20, second: 30, microsecond: 123000, fsp: 3 } as const;
const row1 = [1001n, 'Alice', dec('12.50', 2), { kind: 'enum', index: 1, name: 'new' }, { kind: 'set', mask: 3n, names: ['gift', 'express'] }, new Uint8Array([0x00, 0xff, 0x3c, 0x41]), created, null] as const;

describe('canal-json (TiCDC flavour)', () => {
  it('INSERT matches the spec example byte for byte', () => {
    const enc = new CanalJsonEncoder({ enableTidbExtension: true, zone: 'UTC', now: () => 1714558831002 });
    const ch: RowChange = { op: 'insert', schema: 'shop', table: 'orders', tableInfo: orders, after: row1 };
    const msg = enc.encodeRow(ch, 449461310051057667n);
    expect(msg.key).toBeNull();
    expect(msg.value?.toString('utf8')).toBe(
      '{"id":0,"database":"shop","table":"orders","pkNames":["id"],"isDdl":false,"type":"INSERT","es":1714558830456,"ts":1714558831002,"sql":"","sqlType":{"id":-5,"customer":12,"amount":3,"status":4,"flags":-7,"payload":2004,"created_at":93,"note":2005},"mysqlType":{"id":"bigint unsigned","customer":"varchar","amount":"decimal","status":"enum","flags":"set","payload":"varbinary","created_at":"datetime","note":"text"},"old":null,"data":[{"id":"1001","customer":"Alice","amount":"12.50","status":"1","flags":"3","payload":"\\u0000ÿ\\u003cA","created_at":"2024-05-01 10:20:30.123","note":null}],"_tidb":{"commitTs":449461310051057667}}',
    );
  });

  it('UPDATE writes old (all columns) before data; decoder recovers values and binary bytes', () => {
    const enc = new CanalJsonEncoder({ enableTidbExtension: true, zone: 'UTC', now: () => 1714558891310 });
    const after: ColumnValue[] = [...row1];
    after[2] = dec('15.00', 2);
    after[3] = { kind: 'enum', index: 2, name: 'paid' };
    const ch: RowChange = { op: 'update', schema: 'shop', table: 'orders', tableInfo: orders, before: row1, after };
    const text = enc.encodeRow(ch, 449461325866991617n).value?.toString('utf8') ?? '';
    expect(text.indexOf('"old":[')).toBeLessThan(text.indexOf('"data":['));
    const m = decodeCanalJson(Buffer.from(text));
    expect(m.type).toBe('UPDATE');
    expect(m.commitTs).toBe(449461325866991617n);
    expect(m.old?.['amount']).toBe('12.50');
    expect(m.data?.['amount']).toBe('15.00');
    expect(m.data?.['status']).toBe('2');
    expect(m.dataBytes('payload')).toEqual(Buffer.from([0x00, 0xff, 0x3c, 0x41]));
  });

  it('DDL and WATERMARK messages as the spec shows; no _tidb without the extension', () => {
    const enc = new CanalJsonEncoder({ enableTidbExtension: true, zone: 'UTC', now: () => 1714558999512 });
    const ddl = enc.encodeDdl({
      kind: 'ddl', commitTs: 449461354233856000n, schema: 'shop', table: 'orders', jobId: 1, jobType: 5, schemaVersion: 2,
      query: 'ALTER TABLE shop.orders ADD COLUMN coupon VARCHAR(16) NULL',
    });
    expect(ddl.value?.toString()).toBe(
      '{"id":0,"database":"shop","table":"orders","pkNames":null,"isDdl":true,"type":"ALTER","es":1714558999000,"ts":1714558999512,"sql":"ALTER TABLE shop.orders ADD COLUMN coupon VARCHAR(16) NULL","sqlType":null,"mysqlType":null,"data":null,"old":null,"_tidb":{"commitTs":449461354233856000}}',
    );
    const wm = new CanalJsonEncoder({ enableTidbExtension: true, zone: 'UTC', now: () => 1714558950417 }).encodeWatermark(449461341388800000n);
    expect(wm?.value?.toString()).toBe(
      '{"id":0,"database":"","table":"","pkNames":null,"isDdl":false,"type":"TIDB_WATERMARK","es":1714558950000,"ts":1714558950417,"sql":"","sqlType":null,"mysqlType":null,"data":null,"old":null,"_tidb":{"watermarkTs":449461341388800000}}',
    );
    const plain = new CanalJsonEncoder({ enableTidbExtension: false, zone: 'UTC' });
    expect(plain.encodeWatermark(1n)).toBeUndefined();
    expect(plain.encodeRow({ op: 'delete', schema: 'shop', table: 'orders', tableInfo: orders, before: row1 }, 5n).value?.toString()).not.toContain('_tidb');
  });

  it('unsigned promotion of sqlType uses the row value', () => {
    const t = makeTable('s', 't', [{ name: 'u', type: MysqlType.LongLong, unsigned: true, pk: true }, { name: 't', type: MysqlType.Tiny, unsigned: true }]);
    const enc = new CanalJsonEncoder({ enableTidbExtension: false, zone: 'UTC', now: () => 0 });
    const m = decodeCanalJson(enc.encodeRow({ op: 'insert', schema: 's', table: 't', tableInfo: t, after: [18446744073709551615n, 200n] }, 1n).value ?? Buffer.alloc(0));
    expect(m.sqlType).toEqual({ u: 3, t: 5 });
    expect(m.data).toEqual({ u: '18446744073709551615', t: '200' });
  });
});
