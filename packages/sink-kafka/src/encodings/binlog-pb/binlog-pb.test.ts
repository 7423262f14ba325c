import { MysqlType } from '@tidb-drainer/core/sdk';
import type { Txn } from '@tidb-drainer/core/sdk';
import { describe, expect, it } from 'vitest';
import { makeTable } from '../../test-support/make-table.js';
import { decodeSecondaryBinlog } from './decode-secondary-binlog.js';
import { encodeSecondaryBinlog } from './encode-secondary-binlog.js';
import { BinlogType, MutationType } from './secondary-binlog.js';
import { ddlToSecondaryBinlog, txnToSecondaryBinlog } from './txn-to-secondary-binlog.js';

const hex = (s: string): number[] => s.trim().split(/\s+/).filter(Boolean).map((b) => parseInt(b, 16));
const ascii = (s: string): number[] => [...Buffer.from(s, 'utf8')];
/** A length-delimited field built by hand: tag byte, length, content. */
const ld = (tag: number, ...parts: number[][]): number[] => {
  const body = parts.flat();
  if (body.length > 127) throw new Error('test helper handles one-byte lengths only');
  return [tag, body.length, ...body];
};

const table = makeTable('test', 't', [
  { name: 'id', type: MysqlType.Long, length: 11, decimal: 0, pk: true },
  { name: 'name', type: MysqlType.Varchar, length: 10, decimal: 0 },
  { name: 'u', type: MysqlType.LongLong, length: 20, decimal: 0, unsigned: true },
  { name: 'b', type: MysqlType.Bit, length: 10, decimal: 0 },
], { uniques: [{ name: 'uk_name', cols: ['name'] }] });

const TS = 449461310051057667n;
const TS_VARINT = hex('83 80 80 ef e1 d5 b3 9e 06');

describe('binlog-pb (secondary binlog) encoding', () => {
  it('DDL: type, commit_ts, ddl_data{schema, table, raw query} — literal bytes', () => {
    const bytes = encodeSecondaryBinlog(
      ddlToSecondaryBinlog({ kind: 'ddl', commitTs: TS, schema: 'test', table: 't', query: 'drop table t', jobId: 9, jobType: 4, schemaVersion: 5 }),
    );
    const expected = [0x08, 0x01, 0x10, ...TS_VARINT, ...ld(0x22, ld(0x0a, ascii('test')), ld(0x12, ascii('t')), ld(0x1a, ascii('drop table t')))];
    expect([...bytes]).toEqual(expected);
    expect(decodeSecondaryBinlog(bytes)).toEqual({
      type: BinlogType.DDL,
      commitTs: TS,
      ddlData: { schemaName: 'test', tableName: 't', ddlQuery: new Uint8Array(ascii('drop table t')) },
    });
  });

  it('DML: column_info always encoded, unique keys with PRIMARY first, field presence per value', () => {
    const txn: Txn = {
      kind: 'txn',
      commitTs: TS,
      startTs: TS - 10n,
      schemaVersion: 5,
      bytes: 100,
      changes: [
        { op: 'insert', schema: 'test', table: 't', tableInfo: table, after: [1n, 'Al', 18446744073709551615n, 513n] },
        { op: 'update', schema: 'test', table: 't', tableInfo: table, before: [1n, 'Al', undefined, null], after: [1n, 'Bo', 5n, null] },
        { op: 'delete', schema: 'test', table: 't', tableInfo: table, before: [-5n, undefined, 0n, 0n] },
      ],
    };
    const bytes = encodeSecondaryBinlog(txnToSecondaryBinlog(txn, 'UTC'));

    const colInfo = [
      ld(0x1a, ld(0x0a, ascii('id')), ld(0x12, ascii('int')), hex('18 01 20 0b 28 00')),
      ld(0x1a, ld(0x0a, ascii('name')), ld(0x12, ascii('varchar')), hex('18 00 20 0a 28 00')),
      ld(0x1a, ld(0x0a, ascii('u')), ld(0x12, ascii('bigint')), hex('18 00 20 14 28 00')),
      ld(0x1a, ld(0x0a, ascii('b')), ld(0x12, ascii('bit')), hex('18 00 20 0a 28 00')),
    ].flat();
    const col = (...content: number[][]): number[] => ld(0x0a, ...content);
    const isNull = col(hex('08 01'));
    const insertRow = [col(hex('10 01')), col(ld(0x32, ascii('Al'))), col(hex('18 ff ff ff ff ff ff ff ff ff 01')), col(ld(0x2a, hex('02 01')))].flat();
    const updNew = [col(hex('10 01')), col(ld(0x32, ascii('Bo'))), col(hex('18 05')), isNull].flat();
    const updOld = [col(hex('10 01')), col(ld(0x32, ascii('Al'))), isNull, isNull].flat();
    // name is absent in the delete row: nullable with no default → NULL (defaultOrZero)
    const delRow = [col(hex('10 fb ff ff ff ff ff ff ff ff 01')), isNull, col(hex('18 00')), col(ld(0x2a, hex('00 00')))].flat();
    const mutations = [
      ld(0x22, hex('08 00'), ld(0x12, insertRow)),
      ld(0x22, hex('08 01'), ld(0x12, updNew), ld(0x1a, updOld)),
      ld(0x22, hex('08 02'), ld(0x12, delRow)),
    ].flat();
    const uniqueKeys = [ld(0x2a, ld(0x0a, ascii('PRIMARY')), ld(0x12, ascii('id'))), ld(0x2a, ld(0x0a, ascii('uk_name')), ld(0x12, ascii('name')))].flat();
    const tableBytes = [ld(0x0a, ascii('test')), ld(0x12, ascii('t')), colInfo, mutations, uniqueKeys].flat();
    // Table is bigger than 127 bytes: two-byte length varint written by hand.
    const tableField = [0x0a, (tableBytes.length & 0x7f) | 0x80, tableBytes.length >> 7, ...tableBytes];
    const dml = [0x1a, (tableField.length & 0x7f) | 0x80, tableField.length >> 7, ...tableField];
    const expected = [0x08, 0x00, 0x10, ...TS_VARINT, ...dml];
    expect([...bytes]).toEqual(expected);

    const back = decodeSecondaryBinlog(bytes);
    expect(back.type).toBe(BinlogType.DML);
    expect(back.commitTs).toBe(TS);
    const t = back.dmlData?.tables[0];
    expect(t?.mutations.map((m) => m.type)).toEqual([MutationType.Insert, MutationType.Update, MutationType.Delete]);
    expect(t?.mutations[0]?.row.columns[2]).toEqual({ uint64Value: 18446744073709551615n });
    expect(t?.mutations[2]?.row.columns[0]).toEqual({ int64Value: -5n });
    expect(t?.mutations[1]?.changeRow?.columns[2]).toEqual({ isNull: true });
    expect(t?.uniqueKeys).toEqual([{ name: 'PRIMARY', columnNames: ['id'] }, { name: 'uk_name', columnNames: ['name'] }]);
  });

  it('one Table per consecutive table mutation, in upstream order', () => {
    const other = makeTable('test', 'o', [{ name: 'id', type: MysqlType.Long, pk: true }], { id: 101 });
    const ins = (tableInfo: typeof table, after: readonly (bigint | string | null)[]) =>
      ({ op: 'insert', schema: 'test', table: tableInfo.name, tableInfo, after }) as const;
    const txn: Txn = {
      kind: 'txn', commitTs: 7n, startTs: 6n, schemaVersion: 1, bytes: 1,
      changes: [ins(table, [1n, null, null, null]), ins(table, [2n, null, null, null]), ins(other, [1n]), ins(table, [3n, null, null, null])],
    };
    const back = decodeSecondaryBinlog(encodeSecondaryBinlog(txnToSecondaryBinlog(txn, 'UTC')));
    expect(back.dmlData?.tables.map((x) => [x.tableName, x.mutations.length])).toEqual([['t', 2], ['o', 1], ['t', 1]]);
  });
});
