/**
 * Every test vector of tidb-row-codec.md §10: the decoder (@tidb-drainer/core/codec) turns the bytes into the stated
 * value, and the testkit encoder reproduces the stated bytes from that value.
 */
import { describe, expect, it } from 'vitest';
import {
  DatumCursor,
  MysqlType,
  decodeDeleteRow,
  decodeInsertRow,
  decodeUpdateRow,
  readColumnValue,
  tablePlan,
} from '@tidb-drainer/core/codec';
import type { ColumnSpec } from './table-model.js';
import type { ColumnValue, TableInfo } from '@tidb-drainer/core/codec';
import { ByteWriter } from './byte-writer.js';
import { writeColumnValue } from './column-encoder.js';
import { encodeDeleteRow, encodeInsertRow, encodeUpdateRow } from './row-encoder.js';
import { makeTable } from './table-model.js';
import { timeValue } from './time-value.js';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .trim()
      .split(/\s+/)
      .map((b) => parseInt(b, 16)),
  );
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

function oneColumn(spec: Omit<ColumnSpec, 'name'>): TableInfo {
  return makeTable({ name: 'v', columns: [{ name: 'c', ...spec }] });
}
function decodeValue(table: TableInfo, bytes: Uint8Array): ColumnValue {
  const cur = new DatumCursor(bytes);
  const v = readColumnValue(cur, tablePlan(table).columns[0]!);
  expect(cur.remaining).toBe(0);
  return v;
}
function encodeValue(table: TableInfo, v: ColumnValue): string {
  const w = new ByteWriter();
  writeColumnValue(w, table.columns[0]!, v);
  return toHex(w.finish());
}
const time = timeValue;
const dec = (text: string, precision: number, scale: number) => ({ kind: 'decimal', text, precision, scale }) as const;

interface DatumVector {
  readonly id: string;
  readonly col: Omit<ColumnSpec, 'name'>;
  readonly value: ColumnValue;
  readonly bytes: string;
}

const INT = { type: MysqlType.Long };
const BIGINT = { type: MysqlType.LongLong };
const DOUBLE = { type: MysqlType.Double };
const VARCHAR = { type: MysqlType.Varchar, length: 20 };

const datumVectors: DatumVector[] = [
  { id: 'V1', col: INT, value: null, bytes: '00' },
  { id: 'V2', col: INT, value: 1n, bytes: '08 02' },
  { id: 'V3', col: INT, value: -1n, bytes: '08 01' },
  { id: 'V4', col: INT, value: 300n, bytes: '08 d8 04' },
  { id: 'V5', col: INT, value: -129n, bytes: '08 81 02' },
  { id: 'V6', col: BIGINT, value: 9223372036854775807n, bytes: '08 fe ff ff ff ff ff ff ff ff 01' },
  { id: 'V7', col: BIGINT, value: -9223372036854775808n, bytes: '08 ff ff ff ff ff ff ff ff ff 01' },
  {
    id: 'V8',
    col: { ...BIGINT, unsigned: true },
    value: 18446744073709551615n,
    bytes: '09 ff ff ff ff ff ff ff ff ff 01',
  },
  { id: 'V9', col: { ...INT, unsigned: true }, value: 4294967295n, bytes: '09 ff ff ff ff 0f' },
  { id: 'V10', col: DOUBLE, value: 1.5, bytes: '05 bf f8 00 00 00 00 00 00' },
  { id: 'V11', col: DOUBLE, value: -1.5, bytes: '05 40 07 ff ff ff ff ff ff' },
  { id: 'V12 (+0)', col: DOUBLE, value: 0, bytes: '05 80 00 00 00 00 00 00 00' },
  { id: 'V13', col: { type: MysqlType.Float }, value: Math.fround(0.1), bytes: '05 bf b9 99 99 a0 00 00 00' },
  { id: 'V14', col: VARCHAR, value: 'abc', bytes: '02 06 61 62 63' },
  { id: 'V15', col: VARCHAR, value: '', bytes: '02 00' },
  { id: 'V16', col: VARCHAR, value: 'é', bytes: '02 04 c3 a9' },
  {
    id: 'V18',
    col: { type: MysqlType.NewDecimal, length: 10, decimal: 4 },
    value: dec('1234.5678', 10, 4),
    bytes: '06 0a 04 80 04 d2 16 2e',
  },
  {
    id: 'V19',
    col: { type: MysqlType.NewDecimal, length: 5, decimal: 2 },
    value: dec('-0.50', 5, 2),
    bytes: '06 05 02 7f ff cd',
  },
  {
    id: 'V20',
    col: { type: MysqlType.NewDecimal, length: 10, decimal: 0 },
    value: dec('0', 10, 0),
    bytes: '06 0a 00 80 00 00 00 00',
  },
  {
    id: 'V21a',
    col: { type: MysqlType.NewDecimal, length: 10, decimal: 2 },
    value: dec('123.45', 10, 2),
    bytes: '06 0a 02 80 00 00 7b 2d',
  },
  {
    id: 'V21b',
    col: { type: MysqlType.NewDecimal, length: 10, decimal: 2 },
    value: dec('99.99', 10, 2),
    bytes: '06 0a 02 80 00 00 63 63',
  },
  {
    id: 'V21c',
    col: { type: MysqlType.NewDecimal, length: 10, decimal: 2 },
    value: dec('-123.45', 10, 2),
    bytes: '06 0a 02 7f ff ff 84 d2',
  },
  {
    id: 'V22',
    col: { type: MysqlType.NewDecimal, length: 30, decimal: 1 },
    value: dec('12345678901234567890.5', 30, 1),
    bytes: '06 1e 01 80 00 00 00 0c 14 9a a4 35 0d fb 38 d2 05',
  },
  {
    id: 'V23',
    col: { type: MysqlType.Datetime, decimal: 3 },
    value: time('datetime', 2023, 5, 17, 12, 34, 56, 789000, 3),
    bytes: '09 88 94 b0 c0 8b d9 88 d8 19',
  },
  {
    id: 'V24',
    col: { type: MysqlType.Date },
    value: time('date', 2023, 5, 17),
    bytes: '09 80 80 80 80 80 c0 88 d8 19',
  },
  // Written by a +08:00 session at 12:34:56 local: the model keeps TIMESTAMPs in UTC.
  {
    id: 'V25',
    col: { type: MysqlType.Timestamp },
    value: time('timestamp', 2023, 5, 17, 4, 34, 56),
    bytes: '09 80 80 80 c0 8b c9 88 d8 19',
  },
  { id: 'V26', col: { type: MysqlType.Datetime }, value: time('datetime', 0, 0, 0), bytes: '09 00' },
  {
    id: 'V27',
    col: { type: MysqlType.Duration, decimal: 1 },
    value: { kind: 'duration', nanos: -45296500000000n, fsp: 1 },
    bytes: '08 ff 93 d6 9c cd cc 14',
  },
  {
    id: 'V28',
    col: { type: MysqlType.Duration },
    value: { kind: 'duration', nanos: 3020399000000000n, fsp: 0 },
    bytes: '08 80 d8 cc 97 ae c2 dd 0a',
  },
  {
    id: 'V30',
    col: { type: MysqlType.Enum, elems: ['male', 'female'] },
    value: { kind: 'enum', index: 2, name: 'female' },
    bytes: '09 02',
  },
  {
    id: 'V31',
    col: { type: MysqlType.Set, elems: ['a', 'b', 'c', 'd'] },
    value: { kind: 'set', mask: 5n, names: ['a', 'c'] },
    bytes: '09 05',
  },
  { id: 'V32', col: { type: MysqlType.Bit, length: 10 }, value: 513n, bytes: '09 81 04' },
  { id: 'V33', col: { type: MysqlType.Year }, value: 2023n, bytes: '08 ce 1f' },
  {
    id: 'V34',
    col: { type: MysqlType.Json },
    value: { kind: 'json', value: { a: 1n, b: [true, null, 'x'] }, text: '{"a": 1, "b": [true, null, "x"]}' },
    bytes:
      '0a 01 02 00 00 00 41 00 00 00 1e 00 00 00 01 00 1f 00 00 00 01 00 09 20 00 00 00 03 28 00 00 00 61 62 01 00 00 00 00 00 00 00 03 00 00 00 19 00 00 00 04 01 00 00 00 04 00 00 00 00 0c 17 00 00 00 01 78',
  },
  {
    id: 'V35',
    col: { type: MysqlType.Json },
    value: { kind: 'json', value: { k: 'v' }, text: '{"k": "v"}' },
    bytes: '0a 01 01 00 00 00 16 00 00 00 13 00 00 00 01 00 0c 14 00 00 00 6b 01 76',
  },
  { id: 'V36a', col: { type: MysqlType.Json }, value: { kind: 'json', value: 'x', text: '"x"' }, bytes: '0a 0c 01 78' },
  {
    id: 'V36b',
    col: { type: MysqlType.Json },
    value: { kind: 'json', value: 3.5, text: '3.5' },
    bytes: '0a 0b 00 00 00 00 00 00 0c 40',
  },
  {
    id: 'V36c',
    col: { type: MysqlType.Json },
    value: { kind: 'json', value: [], text: '[]' },
    bytes: '0a 03 00 00 00 00 08 00 00 00',
  },
  {
    id: 'V36d',
    col: { type: MysqlType.Json },
    value: { kind: 'json', value: {}, text: '{}' },
    bytes: '0a 01 00 00 00 00 08 00 00 00',
  },
  {
    id: 'V37',
    col: { type: MysqlType.Json },
    value: { kind: 'json', value: { a: 2n, b: 1n }, text: '{"a": 2, "b": 1}' },
    bytes:
      '0a 01 02 00 00 00 30 00 00 00 1e 00 00 00 01 00 1f 00 00 00 01 00 09 20 00 00 00 09 28 00 00 00 61 62 02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00',
  },
  {
    id: 'V38',
    col: { type: MysqlType.Json },
    value: { kind: 'json', value: 18446744073709551615n, text: '18446744073709551615' },
    bytes: '0a 0a ff ff ff ff ff ff ff ff',
  },
];

describe('§10.1 single datums', () => {
  for (const v of datumVectors) {
    it(`${v.id} decodes to the stated value and encodes back to the stated bytes`, () => {
      const table = oneColumn(v.col);
      expect(decodeValue(table, hex(v.bytes))).toEqual(v.value);
      expect(encodeValue(table, v.value)).toBe(v.bytes);
    });
  }

  it('V12: −0 is written like +0 by v7.1; the ≥ v8.5 form 7f ff… also decodes (to −0)', () => {
    const table = oneColumn(DOUBLE);
    expect(encodeValue(table, -0)).toBe('05 80 00 00 00 00 00 00 00');
    expect(Object.is(decodeValue(table, hex('05 7f ff ff ff ff ff ff ff')), -0)).toBe(true);
  });

  it('V13: a FLOAT column narrows to float32', () => {
    const v = decodeValue(oneColumn({ type: MysqlType.Float }), hex('05 bf b9 99 99 a0 00 00 00'));
    expect(v).toBe(Math.fround(0.1));
    expect(v).toBe(0.10000000149011612);
  });

  it('V17: BINARY(4) pads to its length with 0x00 and decodes to the padded bytes', () => {
    const table = oneColumn({ type: MysqlType.String, length: 4, charset: 'binary' });
    expect(encodeValue(table, new TextEncoder().encode('ab'))).toBe('02 08 61 62 00 00');
    expect(decodeValue(table, hex('02 08 61 62 00 00'))).toEqual(Uint8Array.of(0x61, 0x62, 0, 0));
  });

  it('V37: objects come out with keys in byte order whatever order the tree was built in', () => {
    const table = oneColumn({ type: MysqlType.Json });
    expect(encodeValue(table, { kind: 'json', value: { b: 1n, a: 2n }, text: '' })).toBe(
      datumVectors.find((d) => d.id === 'V37')!.bytes,
    );
  });
});

/** `CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2), created DATETIME(3), doc JSON)`. */
const t = makeTable({
  name: 't',
  handle: 'handle',
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: MysqlType.Long },
    { name: 'name', type: MysqlType.Varchar, length: 20 },
    { name: 'amount', type: MysqlType.NewDecimal, length: 10, decimal: 2 },
    { name: 'created', type: MysqlType.Datetime, decimal: 3 },
    { name: 'doc', type: MysqlType.Json },
  ],
});
const ctx = { commitTs: 1n };
const r1Values: ColumnValue[] = [
  1n,
  'alice',
  dec('123.45', 10, 2),
  time('datetime', 2023, 5, 17, 12, 34, 56, 789000, 3),
  { kind: 'json', value: { k: 'v' }, text: '{"k": "v"}' },
];
const r2After: ColumnValue[] = [...r1Values.slice(0, 2), dec('99.99', 10, 2), ...r1Values.slice(3)];
const DOC = '0a 01 01 00 00 00 16 00 00 00 13 00 00 00 01 00 0c 14 00 00 00 6b 01 76';
const R1 = `08 02 08 04 02 0a 61 6c 69 63 65 08 06 06 0a 02 80 00 00 7b 2d 08 08 09 88 94 b0 c0 8b d9 88 d8 19 08 0a ${DOC}`;
const R2_OLD = `08 02 08 02 08 04 02 0a 61 6c 69 63 65 08 06 06 0a 02 80 00 00 7b 2d 08 08 09 88 94 b0 c0 8b d9 88 d8 19 08 0a ${DOC}`;
const R2_NEW = `08 02 08 02 08 04 02 0a 61 6c 69 63 65 08 06 06 0a 02 80 00 00 63 63 08 08 09 88 94 b0 c0 8b d9 88 d8 19 08 0a ${DOC}`;

describe('§10.2 rows', () => {
  it('R1 insert: 59 bytes, handle prefix then columns 2..5', () => {
    expect(hex(R1).length).toBe(59);
    expect(decodeInsertRow(t, hex(R1), ctx)).toEqual(r1Values);
    expect(toHex(encodeInsertRow(t, r1Values))).toBe(R1);
  });

  it('R2 update: old ‖ new, all five columns in each half', () => {
    const bytes = hex(`${R2_OLD} ${R2_NEW}`);
    expect(bytes.length).toBe(122);
    expect(decodeUpdateRow(t, bytes, ctx)).toEqual({ before: r1Values, after: r2After });
    expect(toHex(encodeUpdateRow(t, r1Values, r2After))).toBe(`${R2_OLD} ${R2_NEW}`);
  });

  it('R3 delete: the new half of R2', () => {
    expect(decodeDeleteRow(t, hex(R2_NEW), ctx)).toEqual(r2After);
    expect(toHex(encodeDeleteRow(t, r2After))).toBe(R2_NEW);
  });

  it('R4 insert with NULLs: nullable columns without DEFAULT are skipped, and decode back to NULL', () => {
    const values: ColumnValue[] = [2n, null, dec('0.00', 10, 2), null, null];
    expect(toHex(encodeInsertRow(t, values))).toBe('08 04 08 06 06 0a 02 80 00 00 00 00');
    expect(decodeInsertRow(t, hex('08 04 08 06 06 0a 02 80 00 00 00 00'), ctx)).toEqual(values);
  });

  it("R4 variant: a NULL in a column with DEFAULT 'x' is written as 08 04 00", () => {
    const withDefault = makeTable({
      name: 't',
      handle: 'handle',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: MysqlType.Long },
        { name: 'name', type: MysqlType.Varchar, length: 20, defaultValue: 'x' },
      ],
    });
    expect(toHex(encodeInsertRow(withDefault, [2n, null]))).toBe('08 04 08 04 00');
    expect(decodeInsertRow(withDefault, hex('08 04 08 04 00'), ctx)).toEqual([2n, null]);
  });

  it('R5: a table with only its int PK gives prefix + the empty-row marker', () => {
    const t2 = makeTable({
      name: 't2',
      handle: 'handle',
      primaryKey: ['id'],
      columns: [{ name: 'id', type: MysqlType.Long }],
    });
    expect(toHex(encodeInsertRow(t2, [7n]))).toBe('08 0e 00');
    expect(decodeInsertRow(t2, hex('08 0e 00'), ctx)).toEqual([7n]);
  });

  it('R6: _tidb_rowid table: rowid prefix on insert, (-1, rowid) at the end of update halves and deletes', () => {
    const t3 = makeTable({
      name: 't3',
      columns: [
        { name: 'a', type: MysqlType.Long },
        { name: 'b', type: MysqlType.Varchar, length: 10 },
      ],
    });
    const opts = { rowId: 1n };
    expect(toHex(encodeInsertRow(t3, [5n, 'x'], opts))).toBe('08 02 08 02 08 0a 08 04 02 02 78');
    expect(decodeInsertRow(t3, hex('08 02 08 02 08 0a 08 04 02 02 78'), ctx)).toEqual([5n, 'x']);
    const upd = '08 02 08 0a 08 04 02 02 78 08 01 08 02 08 02 08 0a 08 04 02 02 79 08 01 08 02';
    expect(toHex(encodeUpdateRow(t3, [5n, 'x'], [5n, 'y'], opts))).toBe(upd);
    expect(decodeUpdateRow(t3, hex(upd), ctx)).toEqual({ before: [5n, 'x'], after: [5n, 'y'] });
    const del = '08 02 08 0a 08 04 02 02 79 08 01 08 02';
    expect(toHex(encodeDeleteRow(t3, [5n, 'y'], opts))).toBe(del);
    expect(decodeDeleteRow(t3, hex(del), ctx)).toEqual([5n, 'y']);
  });

  it('R7: clustered (a VARCHAR utf8mb4_bin, b INT) PK: key datums a, b; row holds a (restored data) and c', () => {
    const t4 = makeTable({
      name: 't4',
      primaryKey: ['a', 'b'],
      handle: 'clustered',
      columns: [
        { name: 'a', type: MysqlType.Varchar, length: 10, collation: 'utf8mb4_bin' },
        { name: 'b', type: MysqlType.Long },
        { name: 'c', type: MysqlType.Long },
      ],
    });
    expect(toHex(encodeInsertRow(t4, ['k', 2n, 3n]))).toBe('02 02 6b 08 04 08 02 02 02 6b 08 06 08 06');
    expect(decodeInsertRow(t4, hex('02 02 6b 08 04 08 02 02 02 6b 08 06 08 06'), ctx)).toEqual(['k', 2n, 3n]);
    // New collation off: no restored data, `a` only in the prefix.
    expect(toHex(encodeInsertRow(t4, ['k', 2n, 3n], { newCollation: false }))).toBe('02 02 6b 08 04 08 06 08 06');
    expect(decodeInsertRow(t4, hex('02 02 6b 08 04 08 06 08 06'), ctx)).toEqual(['k', 2n, 3n]);
  });

  it('V29: TIME as a clustered-PK prefix datum uses flag 0x07 (comparable int64 ns)', () => {
    const tt = makeTable({
      name: 'tt',
      primaryKey: ['d'],
      handle: 'clustered',
      columns: [
        { name: 'd', type: MysqlType.Duration },
        { name: 'v', type: MysqlType.Long },
      ],
    });
    const value: ColumnValue[] = [{ kind: 'duration', nanos: 1000000000n, fsp: 0 }, 9n];
    expect(toHex(encodeInsertRow(tt, value))).toBe('07 80 00 00 00 3b 9a ca 00 08 04 08 12');
    expect(decodeInsertRow(tt, hex('07 80 00 00 00 3b 9a ca 00 08 04 08 12'), ctx)).toEqual(value);
  });
});

describe('§10.3 envelope around R1', () => {
  it('TableMutation and PrewriteValue bytes (table id 100, schema version 45)', async () => {
    const { encodePrewriteValue, encodeTableMutation } = await import('@tidb-drainer/core');
    const { TableMutationBuilder } = await import('./mutation-builder.js');
    const m = new TableMutationBuilder(t).insert(r1Values).build();
    expect(toHex(encodeTableMutation(m))).toBe(`08 64 12 3b ${R1} 38 00`);
    expect(toHex(encodePrewriteValue({ schemaVersion: 45n, mutations: [m] }))).toBe(
      `08 2d 12 41 08 64 12 3b ${R1} 38 00`,
    );
  });
});
