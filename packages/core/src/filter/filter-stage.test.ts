import { describe, expect, it } from 'vitest';
import type { ChangeEvent, DdlEvent, RowChange, Txn } from '../model/events.js';
import type { TableInfo } from '../model/table-info.js';
import { BinlogEventFilter } from './binlog-event-filter.js';
import type { FilterConfig } from './filter-config.js';
import { createFilterStage, filterEvents } from './filter-stage.js';
import type { FilterStats } from './filter-stage.js';

const base: FilterConfig = {
  ignoreTxnCommitTs: [],
  ignoreSchemas: ['INFORMATION_SCHEMA', 'PERFORMANCE_SCHEMA', 'mysql'],
  ignoreTables: [],
  doDbs: [],
  doTables: [],
  caseSensitive: false,
  tableMigrateRules: [],
  binlogFilterRules: {},
  syncDdl: true,
};

function info(schema: string, name: string): TableInfo {
  return {
    id: 1,
    schema,
    name,
    columns: [],
    indices: [],
    pkIsHandle: false,
    isCommonHandle: false,
    schemaVersion: 1,
    charset: 'utf8mb4',
    collation: 'utf8mb4_bin',
  };
}
function row(op: RowChange['op'], schema: string, table: string): RowChange {
  const tableInfo = info(schema, table);
  switch (op) {
    case 'insert':
      return { op, schema, table, tableInfo, after: [] };
    case 'update':
      return { op, schema, table, tableInfo, before: [], after: [] };
    case 'delete':
      return { op, schema, table, tableInfo, before: [] };
  }
}
function txn(commitTs: bigint, changes: RowChange[]): Txn {
  return { kind: 'txn', commitTs, startTs: commitTs - 1n, schemaVersion: 1, changes, bytes: 100 * changes.length };
}
function ddl(commitTs: bigint, schema: string, table: string | undefined, query: string): DdlEvent {
  return {
    kind: 'ddl',
    commitTs,
    schema,
    ...(table === undefined ? {} : { table }),
    query,
    jobId: 1,
    jobType: 3,
    schemaVersion: 2,
  };
}

describe('filter stage', () => {
  it('passes everything through untouched when nothing filters', () => {
    const stage = createFilterStage({ ...base, ignoreSchemas: [] });
    const t = txn(10n, [row('insert', 'a', 'b')]);
    expect(stage(t)).toBe(t);
  });

  it('a fully filtered txn becomes Resolved at its commit ts (checkpoint advances)', () => {
    const stats: FilterStats = { txnsDropped: 0, rowsDropped: 0, ddlsDropped: 0 };
    const stage = createFilterStage(base, stats);
    expect(stage(txn(42n, [row('insert', 'mysql', 'user'), row('delete', 'MySQL', 'db')]))).toEqual({
      kind: 'resolved',
      commitTs: 42n,
    });
    expect(stats).toEqual({ txnsDropped: 1, rowsDropped: 2, ddlsDropped: 0 });
  });

  it('a partly filtered txn keeps the other rows in order and scales bytes', () => {
    const stage = createFilterStage({ ...base, ignoreTables: [{ schema: 'shop', table: '~^tmp_' }] });
    const out = stage(
      txn(5n, [
        row('insert', 'shop', 'a'),
        row('insert', 'shop', 'tmp_x'),
        row('update', 'shop', 'b'),
        row('delete', 'shop', 'tmp_y'),
      ]),
    );
    expect(out.kind).toBe('txn');
    const t = out as Txn;
    expect(t.changes.map((c) => `${c.op} ${c.table}`)).toEqual(['insert a', 'update b']);
    expect(t.bytes).toBe(200);
    expect(t.commitTs).toBe(5n);
  });

  it('ignore-txn-commit-ts drops the txn and the DDL at that ts', () => {
    const stage = createFilterStage({ ...base, ignoreTxnCommitTs: [434271871498256385n] });
    expect(stage(txn(434271871498256385n, [row('insert', 'a', 'b')])).kind).toBe('resolved');
    expect(stage(txn(434271871498256386n, [row('insert', 'a', 'b')])).kind).toBe('txn');
    expect(stage(ddl(434271871498256385n, 'a', 'b', 'create table b (a int)')).kind).toBe('resolved');
  });

  it('sync-ddl = false turns every DDL into Resolved', () => {
    const stage = createFilterStage({ ...base, syncDdl: false });
    expect(stage(ddl(9n, 'a', 'b', 'CREATE TABLE b (a int)'))).toEqual({ kind: 'resolved', commitTs: 9n });
  });

  it('DDL on filtered tables and database DDL under do-table-only rules are dropped', () => {
    const stage = createFilterStage({ ...base, doTables: [{ schema: 'app', table: 'users' }] });
    expect(stage(ddl(1n, 'app', 'users', 'ALTER TABLE users ADD c int')).kind).toBe('ddl');
    expect(stage(ddl(2n, 'app', 'logs', 'ALTER TABLE logs ADD c int')).kind).toBe('resolved');
    expect(stage(ddl(3n, 'app', undefined, 'CREATE DATABASE app')).kind).toBe('resolved');
  });

  it('Resolved passes through', () => {
    const r: ChangeEvent = { kind: 'resolved', commitTs: 77n };
    expect(createFilterStage(base)(r)).toBe(r);
  });

  it('works as an async generator stage', async () => {
    async function* src(): AsyncGenerator<ChangeEvent> {
      for (const e of [txn(1n, [row('insert', 'mysql', 'x')]), txn(2n, [row('insert', 'app', 'x')])])
        yield await Promise.resolve(e);
    }
    const out: ChangeEvent[] = [];
    for await (const e of filterEvents(src(), createFilterStage(base))) out.push(e);
    expect(out.map((e) => `${e.kind}@${e.commitTs}`)).toEqual(['resolved@1', 'txn@2']);
  });
});

describe('binlog-event filter (drainer-binlogfilter.toml rules)', () => {
  const cfg: FilterConfig = {
    ...base,
    tableMigrateRules: [
      {
        binlogFilterRules: ['truncate-table-filter', 'add-column-aaa-filter', 'delete-filter'],
        source: { schema: 'do_not_truncate_database*', table: 'do_not_truncate_table*' },
      },
      {
        binlogFilterRules: ['add-column-aaa-filter'],
        source: { schema: 'do_not_add_col_database*', table: 'do_not_add_col_table*' },
      },
      {
        binlogFilterRules: ['delete-filter'],
        source: { schema: 'do_not_delete_database*', table: 'do_not_delete_table*' },
      },
    ],
    binlogFilterRules: {
      'truncate-table-filter': { ignoreEvent: ['truncate table'], ignoreSql: [] },
      'add-column-aaa-filter': { ignoreEvent: [], ignoreSql: ['alter table .* add column aaa int'] },
      'delete-filter': { ignoreEvent: ['delete'], ignoreSql: [] },
    },
  };
  const stage = createFilterStage(cfg);

  it('drops delete rows only, per row', () => {
    const out = stage(
      txn(1n, [
        row('insert', 'do_not_delete_database1', 'do_not_delete_table1'),
        row('delete', 'do_not_delete_database1', 'do_not_delete_table1'),
      ]),
    ) as Txn;
    expect(out.changes.map((c) => c.op)).toEqual(['insert']);
    expect(stage(txn(2n, [row('delete', 'do_not_delete_database1', 'do_not_delete_table1')])).kind).toBe('resolved');
    expect((stage(txn(3n, [row('delete', 'other', 'do_not_delete_table1')])) as Txn).changes).toHaveLength(1);
  });

  it('drops DDL by statement type and by SQL pattern (case-insensitive)', () => {
    expect(
      stage(ddl(4n, 'do_not_truncate_database1', 'do_not_truncate_table1', 'TRUNCATE TABLE do_not_truncate_table1'))
        .kind,
    ).toBe('resolved');
    expect(
      stage(
        ddl(
          5n,
          'do_not_add_col_database1',
          'do_not_add_col_table1',
          'ALTER TABLE do_not_add_col_table1 ADD COLUMN aaa int',
        ),
      ).kind,
    ).toBe('resolved');
    expect(
      stage(
        ddl(
          6n,
          'do_not_add_col_database1',
          'do_not_add_col_table1',
          'ALTER TABLE do_not_add_col_table1 ADD COLUMN bbb int',
        ),
      ).kind,
    ).toBe('ddl');
    expect(
      stage(ddl(7n, 'do_not_add_col_database1', 'do_not_add_col_table1', 'TRUNCATE TABLE do_not_add_col_table1')).kind,
    ).toBe('ddl');
  });

  it('patterns are case-insensitive unless case-sensitive = true', () => {
    expect(stage(txn(8n, [row('delete', 'DO_NOT_DELETE_DATABASE1', 'Do_Not_Delete_Table1')])).kind).toBe('resolved');
    const cs = createFilterStage({ ...cfg, caseSensitive: true });
    expect(cs(txn(8n, [row('delete', 'DO_NOT_DELETE_DATABASE1', 'Do_Not_Delete_Table1')])).kind).toBe('txn');
  });

  it('meta events: the first of all/none decides', () => {
    const f = BinlogEventFilter.fromConfig(
      [{ binlogFilterRules: ['r'], source: { schema: 'db', table: '' } }],
      { r: { ignoreEvent: ['none dml', 'insert', 'all ddl'], ignoreSql: [] } },
      false,
    );
    expect(f?.ignores('db', 't', 'insert')).toBe(false); // "none dml" comes first
    expect(f?.ignores('db', 't', 'create table')).toBe(true);
    expect(f?.ignores('dbx', 't', 'create table')).toBe(false);
  });

  it('unknown rule names and event types are config errors', () => {
    expect(() =>
      BinlogEventFilter.fromConfig([{ binlogFilterRules: ['nope'], source: { schema: 'a', table: '' } }], {}, false),
    ).toThrow(/nope not found/);
    expect(() =>
      BinlogEventFilter.fromConfig(
        [{ binlogFilterRules: ['r'], source: { schema: 'a', table: '' } }],
        { r: { ignoreEvent: ['insrt'], ignoreSql: [] } },
        false,
      ),
    ).toThrow(/"insrt" is not an event type/);
  });
});

describe('rename routes', () => {
  const cfg: FilterConfig = {
    ...base,
    tableMigrateRules: [
      { binlogFilterRules: [], source: { schema: 'shop_*', table: '' }, target: { schema: 'shop_all', table: '' } },
      {
        binlogFilterRules: [],
        source: { schema: 'shop_*', table: 'orders' },
        target: { schema: 'shop_all', table: 'all_orders' },
      },
    ],
  };
  const stage = createFilterStage(cfg);

  it('routes DML schema/table and renames the TableInfo once per version', () => {
    const t = txn(1n, [
      row('insert', 'shop_1', 'orders'),
      row('insert', 'shop_2', 'users'),
      row('insert', 'other', 'orders'),
    ]);
    const out = stage(t) as Txn;
    expect(out.changes.map((c) => `${c.schema}.${c.table}|${c.tableInfo.schema}.${c.tableInfo.name}`)).toEqual([
      'shop_all.all_orders|shop_all.all_orders',
      'shop_all.users|shop_all.users',
      'other.orders|other.orders',
    ]);
    const again = stage(t) as Txn;
    expect(again.changes[0]?.tableInfo).toBe(out.changes[0]?.tableInfo);
  });

  it('routes DDL: event schema/table and the statement text', () => {
    const out = stage(ddl(2n, 'shop_1', 'orders', 'ALTER TABLE orders ADD COLUMN note text')) as DdlEvent;
    expect(out).toMatchObject({
      schema: 'shop_all',
      table: 'all_orders',
      query: 'ALTER TABLE `shop_all`.`all_orders` ADD COLUMN note text',
    });
    const db = stage(ddl(3n, 'shop_1', undefined, 'CREATE DATABASE shop_1')) as DdlEvent;
    expect(db).toMatchObject({ schema: 'shop_all', query: 'CREATE DATABASE `shop_all`' });
    expect(db.table).toBeUndefined();
  });

  it('two rules of the same level matching one table is an error', () => {
    const bad = createFilterStage({
      ...base,
      tableMigrateRules: [
        { binlogFilterRules: [], source: { schema: 'a*', table: 't' }, target: { schema: 'x', table: '' } },
        { binlogFilterRules: [], source: { schema: 'ab*', table: 't' }, target: { schema: 'y', table: '' } },
      ],
    });
    expect(() => bad(txn(1n, [row('insert', 'abc', 't')]))).toThrow(/more than one route/);
  });
});
