import { describe, expect, it } from 'vitest';
import { decodeDeleteRow, decodeInsertRow, decodeUpdateRow, parseJsonText } from '@tidb-drainer/core/codec';
import type { ColumnValue, TableInfo } from '@tidb-drainer/core';
import { encodeDeleteRow, encodeInsertRow, encodeUpdateRow } from '../encoder/index.js';
import { ddlBinlogsFor } from './ddl-binlog.js';
import { allTypesTableSpec, defaultsTableSpec, modelTableFromSpec } from './table-models.js';
import { TidbSchemaModel } from './tidb-schema-model.js';
import { tidbCol } from './column-spec.js';
import type { HandleKind } from './table-models.js';

const time = (type: 'date' | 'datetime' | 'timestamp', fsp: number, micro = 0): ColumnValue => ({
  kind: 'time',
  type,
  year: 2024,
  month: 2,
  day: 29,
  hour: type === 'date' ? 0 : 23,
  minute: type === 'date' ? 0 : 59,
  second: type === 'date' ? 0 : 58,
  microsecond: micro,
  fsp,
});

/** One value per column of `allTidbTypeColumns`, in order, with extremes where a type has them. */
function sampleRow(table: TableInfo): ColumnValue[] {
  const byName: Record<string, ColumnValue> = {
    id: 1n,
    c_tinyint: -128n,
    c_tinyint_u: 255n,
    c_smallint: -32768n,
    c_smallint_u: 65535n,
    c_mediumint: -8388608n,
    c_mediumint_u: 16777215n,
    c_int: -2147483648n,
    c_int_u: 4294967295n,
    c_bigint: -(2n ** 63n),
    c_bigint_u: 2n ** 64n - 1n,
    c_float: Math.fround(1.1),
    c_double: -2.5e-300,
    c_decimal: { kind: 'decimal', text: '-12345678901234.567890', precision: 20, scale: 6 },
    c_decimal_wide: {
      kind: 'decimal',
      text: '12345678901234567890123456789012345.123456789012345678901234567890',
      precision: 65,
      scale: 30,
    },
    c_date: time('date', 0),
    c_datetime: time('datetime', 0),
    c_datetime6: time('datetime', 6, 123456),
    c_timestamp: time('timestamp', 0),
    c_timestamp3: time('timestamp', 3, 987000),
    c_time: { kind: 'duration', nanos: -(838n * 3600n + 59n * 60n + 59n) * 1_000_000_000n, fsp: 0 },
    c_time6: { kind: 'duration', nanos: 3723_000_001_000n, fsp: 6 },
    c_year: 2155n,
    c_char: 'abc',
    c_varchar: 'héllo 😀',
    c_binary: Uint8Array.of(1, 2, 0, 0, 0, 0, 0, 0),
    c_varbinary: Uint8Array.of(0, 255, 7),
    c_tinytext: '',
    c_text: 'text',
    c_mediumtext: 'm'.repeat(300),
    c_longtext: 'ünïcode',
    c_tinyblob: new Uint8Array(0),
    c_blob: Uint8Array.of(9),
    c_mediumblob: Uint8Array.of(1, 2),
    c_longblob: Uint8Array.of(3),
    c_json: parseJsonText('{"a":[1,2.5,"x",null,true],"b":{"c":-9223372036854775808}}'),
    c_enum: { kind: 'enum', index: 2, name: 'b' },
    c_set: { kind: 'set', mask: 5n, names: ['x', 'z'] },
    c_bit: 1023n,
  };
  return table.columns.map((c) => {
    const v = byName[c.name];
    if (v === undefined) throw new Error(`no sample for ${c.name}`);
    return v;
  });
}

describe('all-types table models', () => {
  it.each<HandleKind>(['handle', 'clustered', 'rowid'])(
    '%s: TiDB JSON → model → encoder → decoder round-trips every type',
    (kind) => {
      const table = modelTableFromSpec(allTypesTableSpec('all_types', kind));
      expect(table.columns).toHaveLength(39);
      expect(table).toMatchObject({ pkIsHandle: kind === 'handle', isCommonHandle: kind === 'clustered' });
      expect(table.indices.find((i) => i.primary)?.columns).toEqual(kind === 'clustered' ? [0, 24] : [0]);
      const row = sampleRow(table);
      const other = row.map((v, i) => (table.columns[i]?.name === 'c_int' ? 7n : v));
      const opts = kind === 'rowid' ? { rowId: 42n } : {};
      const ctx = { commitTs: 1n };
      expect(decodeInsertRow(table, encodeInsertRow(table, row, opts), ctx)).toEqual(row);
      expect(decodeUpdateRow(table, encodeUpdateRow(table, row, other, opts), ctx)).toEqual({
        before: row,
        after: other,
      });
      expect(decodeDeleteRow(table, encodeDeleteRow(table, row, opts), ctx)).toEqual(row);
    },
  );

  it('prints SHOW CREATE TABLE types for every column', () => {
    const table = modelTableFromSpec(allTypesTableSpec());
    expect(table.columns.map((c) => c.typeText)).toEqual([
      'bigint(20)',
      'tinyint(4)',
      'tinyint(3) unsigned',
      'smallint(6)',
      'smallint(5) unsigned',
      'mediumint(9)',
      'mediumint(8) unsigned',
      'int(11)',
      'int(10) unsigned',
      'bigint(20)',
      'bigint(20) unsigned',
      'float',
      'double',
      'decimal(20,6)',
      'decimal(65,30)',
      'date',
      'datetime',
      'datetime(6)',
      'timestamp',
      'timestamp(3)',
      'time',
      'time(6)',
      'year(4)',
      'char(10)',
      'varchar(64)',
      'binary(8)',
      'varbinary(64)',
      'tinytext',
      'text',
      'mediumtext',
      'longtext',
      'tinyblob',
      'blob',
      'mediumblob',
      'longblob',
      'json',
      "enum('a','b','c')",
      "set('x','y','z')",
      'bit(10)',
    ]);
  });

  it('decodes the defaults of the defaults table', () => {
    const t = modelTableFromSpec(defaultsTableSpec());
    expect(t.columns.map((c) => c.defaultValue)).toEqual([
      undefined,
      7n,
      'dflt',
      { kind: 'decimal', text: '1.50', precision: 10, scale: 2 },
      {
        kind: 'time',
        type: 'datetime',
        year: 2020,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
        microsecond: 0,
        fsp: 0,
      },
      undefined,
    ]);
  });

  it('gives the DDL binlogs TiDB writes for a job (DROP COLUMN: DeleteOnly first)', () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    const create = model.createTable('d', { name: 't', columns: [tidbCol.int('a'), tidbCol.int('b')] });
    const drop = model.dropColumn('d', 't', 'b');
    expect(ddlBinlogsFor(create)).toEqual([
      { kind: 'ddl', query: create.query, jobId: BigInt(create.id), schemaState: 5 },
    ]);
    expect(ddlBinlogsFor(drop).map((b) => b.schemaState)).toEqual([1, 0]);
  });
});
