import { describe, expect, it } from 'vitest';
import { parseColumnDefault } from '../codec/default-parse.js';
import { parseJsonLossless } from '../util/lossless-json.js';
import { SchemaJsonError } from './schema-errors.js';
import { readTidbJob, readTidbTableInfo } from './tidb-json.js';
import { toModelTableInfo } from './tidb-table-info.js';
import { columnTypeText } from './type-text.js';

const ft = (
  Tp: number,
  o: Partial<{
    Flag: number;
    Flen: number;
    Decimal: number;
    Charset: string;
    Collate: string;
    Elems: string[] | null;
  }> = {},
) => ({
  Tp,
  Flag: 0,
  Flen: -1,
  Decimal: -1,
  Charset: 'binary',
  Collate: 'binary',
  Elems: null,
  ...o,
});

describe('columnTypeText (SHOW CREATE TABLE form)', () => {
  it.each([
    [ft(3, { Flen: 11 }), 'int(11)'],
    [ft(8, { Flen: 20, Flag: 32 }), 'bigint(20) unsigned'],
    [ft(1, { Flen: -1 }), 'tinyint(4)'],
    [ft(246, { Flen: 10, Decimal: 2 }), 'decimal(10,2)'],
    [ft(246, { Flen: -1, Decimal: -1 }), 'decimal(10,0)'],
    [ft(12, { Decimal: 3 }), 'datetime(3)'],
    [ft(7, { Decimal: 0 }), 'timestamp'],
    [ft(11, { Decimal: 6 }), 'time(6)'],
    [ft(5, {}), 'double'],
    [ft(4, { Flen: 7, Decimal: 3 }), 'float(7,3)'],
    [ft(15, { Flen: 64, Charset: 'utf8mb4' }), 'varchar(64)'],
    [ft(15, { Flen: 16 }), 'varbinary(16)'],
    [ft(254, { Flen: 8 }), 'binary(8)'],
    [ft(254, { Flen: 3, Charset: 'utf8mb4' }), 'char(3)'],
    [ft(252, { Charset: 'utf8mb4' }), 'text'],
    [ft(251, {}), 'longblob'],
    [ft(245, {}), 'json'],
    [ft(247, { Charset: 'utf8mb4', Elems: ["a'b", 'c'] }), "enum('a''b','c')"],
    [ft(248, { Charset: 'utf8mb4', Elems: ['x', 'y'] }), "set('x','y')"],
    [ft(16, { Flen: 10 }), 'bit(10)'],
    [ft(13, { Flen: 4 }), 'year(4)'],
  ])('%j → %s', (fieldType, text) => {
    expect(columnTypeText(fieldType)).toBe(text);
  });
});

function column(id: number, name: string, offset: number, type: object, extra: object = {}): object {
  return {
    id,
    name: { O: name, L: name.toLowerCase() },
    offset,
    origin_default: null,
    origin_default_bit: null,
    default: null,
    default_bit: null,
    generated_expr_string: '',
    generated_stored: false,
    type,
    state: 5,
    ...extra,
  };
}

const tableJson = `{
  "id": 281474976710000, "name": {"O": "T1", "L": "t1"}, "charset": "utf8mb4", "collate": "utf8mb4_bin",
  "cols": ${JSON.stringify([
    column(1, 'id', 0, ft(8, { Flag: 3 | 32, Flen: 20 })),
    column(2, 'gone', 1, ft(3, { Flen: 11 }), { state: 1 }),
    column(3, 'price', 2, ft(246, { Flen: 10, Decimal: 2 }), { default: '1.5', origin_default: '2.25' }),
    column(4, 'flags', 3, ft(16, { Flen: 10 }), {
      default_bit: Buffer.from([2, 1]).toString('base64'),
      default: 'ignored',
    }),
    column(5, 'ts', 4, ft(7, { Decimal: 0 }), { default: 'CURRENT_TIMESTAMP', origin_default: '2024-02-03 04:05:06' }),
    column(6, 'g', 5, ft(3, { Flen: 11 }), { generated_expr_string: '`id` + 1', generated_stored: true }),
  ])},
  "index_info": [
    {"id": 1, "idx_name": {"O": "uk", "L": "uk"}, "idx_cols": [{"name": {"O": "price", "L": "price"}, "offset": 2, "length": -1}], "state": 5, "is_unique": true, "is_primary": false},
    {"id": 2, "idx_name": {"O": "pending", "L": "pending"}, "idx_cols": [{"name": {"O": "ts", "L": "ts"}, "offset": 4, "length": -1}], "state": 2, "is_unique": false, "is_primary": false}
  ],
  "state": 5, "pk_is_handle": true, "is_common_handle": false,
  "partition": {"type": 1, "expr": "id", "enable": true, "definitions": [{"id": 281474976710001, "name": {"O": "p0", "L": "p0"}}]}
}`;

describe('toModelTableInfo', () => {
  const info = toModelTableInfo(readTidbTableInfo(parseJsonLossless(tableJson), 'TableInfo'), {
    schema: 'db',
    schemaVersion: 9,
    parseDefault: parseColumnDefault,
  });

  it('keeps public columns only, with offsets by position and type text', () => {
    expect(info.columns.map((c) => [c.name, c.offset, c.id, c.typeText])).toEqual([
      ['id', 0, 1, 'bigint(20) unsigned'],
      ['price', 1, 3, 'decimal(10,2)'],
      ['flags', 2, 4, 'bit(10)'],
      ['ts', 3, 5, 'timestamp'],
      ['g', 4, 6, 'int(11)'],
    ]);
    expect(info.columns[0]).toMatchObject({ unsigned: true, nullable: false });
    expect(info.columns[4]).toMatchObject({ generated: true, generatedStored: true, generatedExpr: '`id` + 1' });
    expect(info).toMatchObject({
      id: 281474976710000,
      schema: 'db',
      name: 'T1',
      schemaVersion: 9,
      pkIsHandle: true,
      isCommonHandle: false,
    });
  });

  it('decodes defaults: decimal text with scale, BIT from default_bit bytes, expression defaults left out', () => {
    expect(info.columns[1]?.defaultValue).toEqual({ kind: 'decimal', text: '1.50', precision: 10, scale: 2 });
    expect(info.columns[1]?.originDefault).toEqual({ kind: 'decimal', text: '2.25', precision: 10, scale: 2 });
    expect(info.columns[2]?.defaultValue).toBe(513n);
    expect(info.columns[3]?.defaultValue).toBeUndefined();
    expect(info.columns[3]?.originDefault).toMatchObject({
      kind: 'time',
      type: 'timestamp',
      year: 2024,
      month: 2,
      day: 3,
      hour: 4,
      minute: 5,
      second: 6,
    });
  });

  it('synthesises PRIMARY for pk-is-handle, drops non-public indices, remaps index offsets', () => {
    expect(info.indices).toEqual([
      { id: 0, name: 'PRIMARY', primary: true, unique: true, columns: [0], lengths: [-1] },
      { id: 1, name: 'uk', primary: false, unique: true, columns: [1], lengths: [-1] },
    ]);
    expect(info.partition).toEqual({ definitions: [{ id: 281474976710001, name: 'p0' }] });
  });

  it('rejects ids beyond 2^53 and names the field', () => {
    const bad = parseJsonLossless('{"id": 9007199254740993, "type": 3, "state": 6, "binlog": null}');
    let err: unknown;
    try {
      readTidbJob(bad, 'job');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaJsonError);
    expect((err as SchemaJsonError).details['path']).toBe('job.id');
  });

  it('reads a job with a FinishedTS above 2^53 exactly', () => {
    const job = readTidbJob(
      parseJsonLossless(
        '{"id": 7, "type": 1, "state": 6, "schema_id": 5, "query": "create database d", "binlog": {"SchemaVersion": 3, "DBInfo": {"id": 5, "db_name": {"O": "d", "L": "d"}, "charset": "utf8mb4", "collate": "utf8mb4_bin", "state": 5}, "TableInfo": null, "FinishedTS": 434271871498256385, "MultipleTableInfos": null}}',
      ),
    );
    expect(job.binlog?.FinishedTS).toBe(434271871498256385n);
    expect(job.binlog?.DBInfo?.db_name.O).toBe('d');
  });
});
