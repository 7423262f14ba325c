import { describe, expect, it } from 'vitest';
import type { ColumnInfo, ColumnValue, TableInfo, Txn } from '../sdk/index.js';
import { encodeDdlLine, encodeTxnLines, parseJsonlRecord } from './jsonl-codec.js';

const col = (name: string, offset: number): ColumnInfo => ({
  id: offset + 1, name, offset, type: 15, flag: 0, length: -1, decimal: -1, charset: 'utf8mb4', collation: 'utf8mb4_bin', elems: [],
  unsigned: false, nullable: true, generated: false, generatedStored: false, hidden: false, typeText: 'x',
});
const VALUES: ColumnValue[] = [
  18_446_744_073_709_551_615n,
  2,
  -0,
  1e21,
  0.1,
  'it\'s "quoted" ✓',
  Uint8Array.from([0, 255, 7]),
  { kind: 'decimal', text: '-12.300', precision: 10, scale: 3 },
  { kind: 'time', type: 'datetime', year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0, fsp: 6 },
  { kind: 'duration', nanos: -3_020_000_000_000n, fsp: 3 },
  { kind: 'json', value: { a: 9_007_199_254_740_993n, b: [1.5, 2, null, true] }, text: '{"a": 9007199254740993, "b": [1.5, 2.0, null, true]}' },
  { kind: 'enum', index: 2, name: 'paid' },
  { kind: 'set', mask: 5n, names: ['a', 'c'] },
  null,
];
const TABLE: TableInfo = {
  id: 1, schema: 's', name: 't', columns: VALUES.map((_, i) => col(`c${i}`, i)), indices: [], pkIsHandle: false, isCommonHandle: false,
  schemaVersion: 1, charset: 'utf8mb4', collation: 'utf8mb4_bin',
};

describe('jsonl codec', () => {
  it('round-trips every model value variant losslessly (bigint vs double, bytes, -0, >2^53)', () => {
    const before = [...VALUES.slice(0, 5), undefined, ...VALUES.slice(6)];
    const txn: Txn = {
      kind: 'txn', commitTs: 434_271_871_498_256_385n, startTs: 434_271_871_498_256_380n, schemaVersion: 1, bytes: 1,
      changes: [
        { op: 'insert', schema: 's', table: 't', tableInfo: TABLE, after: VALUES },
        { op: 'update', schema: 's', table: 't', tableInfo: TABLE, before, after: VALUES },
      ],
    };
    const lines = encodeTxnLines(txn).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"c0":18446744073709551615,"c1":2.0,"c2":-0.0,"c3":1e+21');
    const ins = parseJsonlRecord(lines[0] ?? '');
    expect(ins).toMatchObject({ type: 'insert', commitTs: 434_271_871_498_256_385n, schema: 's', table: 't' });
    const expected = Object.fromEntries(VALUES.map((v, i) => [`c${i}`, v]));
    expect(ins.type === 'insert' ? ins.after : undefined).toEqual(expected);
    expect(Object.is(ins.type === 'insert' ? ins.after['c2'] : 1, -0)).toBe(true);
    const upd = parseJsonlRecord(lines[1] ?? '');
    expect(upd.type === 'update' ? Object.keys(upd.before) : []).not.toContain('c5'); // absent column stays absent
  });

  it('writes DDL records with the query text', () => {
    const line = encodeDdlLine({ kind: 'ddl', commitTs: 5n, schema: 's', table: 't', query: 'ALTER TABLE t\nADD c INT', jobId: 3, jobType: 5, schemaVersion: 9 });
    expect(line.endsWith('\n')).toBe(true);
    expect(parseJsonlRecord(line)).toEqual({ type: 'ddl', commitTs: 5n, schema: 's', table: 't', query: 'ALTER TABLE t\nADD c INT', schemaVersion: 9, jobId: 3 });
  });
});
