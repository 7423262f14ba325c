/** The row decoder's rules beyond plain round trips: spec §2, §9.1–§9.4, errors with their details. */
import { describe, expect, it } from 'vitest';
import { DecodeError, MysqlType, decodeDeleteRow, decodeInsertRow, decodeUpdateRow } from '@tidb-drainer/core/codec';
import type { ColumnValue } from '@tidb-drainer/core/codec';
import { ByteWriter } from './byte-writer.js';
import { writeDatum } from './datum-encoder.js';
import { encodeDeleteRow, encodeInsertRow, encodeOldRow, encodeUpdateRow } from './row-encoder.js';
import { makeTable } from './table-model.js';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .trim()
      .split(/\s+/)
      .map((b) => parseInt(b, 16)),
  );
const ctx = { commitTs: 4242n, pump: 'pump-1' };

const before = makeTable({
  id: 77,
  name: 'acct',
  handle: 'handle',
  primaryKey: ['id'],
  schemaVersion: 10,
  columns: [
    { name: 'id', type: MysqlType.LongLong, unsigned: true },
    { name: 'v', type: MysqlType.Long, nullable: false },
  ],
});
// After ADD COLUMN x3: a nullable one, one with an origin default, a NOT NULL ENUM without default.
const after = makeTable({
  id: 77,
  name: 'acct',
  handle: 'handle',
  primaryKey: ['id'],
  schemaVersion: 11,
  columns: [
    { name: 'id', type: MysqlType.LongLong, unsigned: true },
    { name: 'v', type: MysqlType.Long, nullable: false },
    { name: 'note', type: MysqlType.Varchar, length: 10 },
    { name: 'n', type: MysqlType.Long, nullable: false, defaultValue: 7n, originDefault: 5n },
    { name: 'e', type: MysqlType.Enum, elems: ['x', 'y'], nullable: false },
    { name: 'd', type: MysqlType.NewDecimal, length: 6, decimal: 3, nullable: false },
  ],
});

function catchDecode(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

describe('row decoder rules', () => {
  it('pk-is-handle BIGINT UNSIGNED: the int64 prefix 08 01 (−1) is read back as 2^64−1', () => {
    const bytes = encodeInsertRow(before, [18446744073709551615n, 3n]);
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x08, 0x01]);
    expect(decodeInsertRow(before, bytes, ctx)).toEqual([18446744073709551615n, 3n]);
  });

  it('insert written before ADD COLUMN: origin default, else NULL if nullable, else first ENUM member / zero (§9.3)', () => {
    const bytes = encodeInsertRow(before, [1n, 3n]);
    expect(decodeInsertRow(after, bytes, ctx)).toEqual([
      1n,
      3n,
      null,
      5n,
      { kind: 'enum', index: 1, name: 'x' },
      { kind: 'decimal', text: '0.000', precision: 6, scale: 3 },
    ]);
  });

  it('defaults come from pinfo (the table at the binlog schema version) when given', () => {
    const pinfo = { ...after, columns: after.columns.map((c) => (c.name === 'n' ? { ...c, originDefault: 9n } : c)) };
    expect(decodeInsertRow(after, encodeInsertRow(before, [1n, 3n]), { ...ctx, pinfo })[3]).toBe(9n);
  });

  it('update lacking columns: DecodeError unless the schema allows appending defaults', () => {
    const bytes = encodeUpdateRow(before, [1n, 3n], [1n, 4n]);
    const err = catchDecode(() => decodeUpdateRow(after, bytes, ctx));
    expect(err.details).toMatchObject({ commitTs: 4242n, tableId: 77, table: 'acct', column: 'note', pump: 'pump-1' });
    const { before: b, after: a } = decodeUpdateRow(after, bytes, { ...ctx, appendDefaults: true });
    expect(b.slice(0, 4)).toEqual([1n, 3n, null, 5n]);
    expect(a.slice(0, 4)).toEqual([1n, 4n, null, 5n]);
  });

  it('skips unknown column ids (dropped columns, −1) and accepts any column order', () => {
    const w = new ByteWriter();
    for (const [id, v] of [
      [99n, 5n],
      [2n, 8n],
      [-1n, 123n],
    ] as const) {
      writeDatum.int(w, id);
      writeDatum.int(w, v);
    }
    writeDatum.int(w, 1n);
    writeDatum.uint(w, 6n);
    expect(decodeDeleteRow(before, w.finish(), ctx)).toEqual([6n, 8n]);
  });

  it('a row that is exactly 00 has no columns', () => {
    expect(decodeDeleteRow(before, hex('00'), ctx)).toEqual([undefined, undefined]);
  });

  it('large (sparse) column ids resolve', () => {
    const t = makeTable({ name: 'big', columns: [{ name: 'a', type: MysqlType.Long, id: 70000 }] });
    expect(decodeDeleteRow(t, encodeDeleteRow(t, [3n], { rowId: 1n }), ctx)).toEqual([3n]);
  });

  it('stored generated columns are decoded, virtual ones are absent from updates', () => {
    const t = makeTable({
      name: 'g',
      handle: 'handle',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: MysqlType.Long },
        { name: 's', type: MysqlType.Long, generated: true, generatedStored: true },
        { name: 'v', type: MysqlType.Long, generated: true },
      ],
    });
    const row: ColumnValue[] = [1n, 2n, 3n];
    expect(decodeInsertRow(t, encodeInsertRow(t, row), ctx)).toEqual([1n, 2n, null]);
    expect(decodeUpdateRow(t, encodeUpdateRow(t, row, [1n, 4n, 5n]), ctx)).toEqual({
      before: [1n, 2n, undefined],
      after: [1n, 4n, undefined],
    });
  });

  it('old and new halves listing different columns is corrupt data', () => {
    const cols = before.columns;
    const bytes = Uint8Array.from([...encodeOldRow(cols, [1n, 2n]), ...encodeOldRow(cols.slice(0, 1), [1n])]);
    expect(catchDecode(() => decodeUpdateRow(before, bytes, ctx)).message).toMatch(/corrupted/);
  });

  it('truncated value: DecodeError with commit ts, table, column id and byte offset', () => {
    const bytes = encodeDeleteRow(after, [
      1n,
      3n,
      'abcdef',
      5n,
      { kind: 'enum', index: 2, name: 'y' },
      { kind: 'decimal', text: '1.5', precision: 6, scale: 3 },
    ]);
    // Cut inside the string of column 3 ('note'): id 1 (2 B) + uvarint 1 (2 B) + id 2 + int 3 (4 B) + id 3 (2 B) + 02 0c + 2 chars.
    const err = catchDecode(() => decodeDeleteRow(after, bytes.subarray(0, 14), ctx));
    expect(err.details).toMatchObject({
      commitTs: 4242n,
      schema: 'test',
      table: 'acct',
      tableId: 77,
      columnId: 3,
      column: 'note',
      offset: 12,
    });
    expect(err.code).toBe('E_DECODE');
    expect(err.retryable).toBe(false);
  });

  it('unknown flag, bad column-id datum, flag not valid for the column type: DecodeError naming the offset', () => {
    expect(catchDecode(() => decodeDeleteRow(before, hex('08 02 0b 00'), ctx)).details).toMatchObject({
      columnId: 1,
      offset: 2,
    });
    expect(catchDecode(() => decodeDeleteRow(before, hex('02 02 61'), ctx)).details).toMatchObject({ offset: 0 });
    expect(catchDecode(() => decodeDeleteRow(before, hex('08 04 02 00'), ctx)).message).toMatch(
      /not valid for column type/,
    );
    expect(
      catchDecode(() => decodeDeleteRow(before, hex('08 04 08 ff ff ff ff ff ff ff ff ff 02'), ctx)).message,
    ).toMatch(/overflows/);
  });

  it('SET bits beyond the members and corrupt decimals are DecodeErrors', () => {
    const t = makeTable({
      name: 's',
      columns: [
        { name: 's', type: MysqlType.Set, elems: ['a'] },
        { name: 'd', type: MysqlType.NewDecimal, length: 5, decimal: 2 },
      ],
    });
    expect(catchDecode(() => decodeDeleteRow(t, hex('08 02 09 02'), ctx)).message).toMatch(/SET bitmask/);
    expect(catchDecode(() => decodeDeleteRow(t, hex('08 04 06 05 02 83 e8 00'), ctx)).message).toMatch(
      /decimal digits/,
    );
    expect(catchDecode(() => decodeDeleteRow(t, hex('08 04 06 05 07 80'), ctx)).message).toMatch(/precision/);
  });
});
