import { describe, expect, it } from 'vitest';
import { TidbSchemaModel, encodeInsertRow, encodeUpdateRow, tidbCol } from '@tidb-drainer/testkit';
import { DecodeError } from '../errors/drainer-error.js';
import type { DdlEvent, Txn } from '../model/events.js';
import type { TableMutation } from '../protocol/tipb-types.js';
import { MutationType } from '../protocol/tipb-types.js';
import { ActionType } from '../schema/ddl-action.js';
import { ddl, dml, mutation, setup, signal, version } from './binlog-decoder-test-kit.js';

describe('BinlogDecoder schema changes', () => {
  it('decodes a DML written before ADD COLUMN with the old columns, and with defaults once the column exists', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    const create = model.createTable('d', {
      name: 't',
      primaryKey: ['id'],
      columns: [tidbCol.int('id', { notNull: true }), tidbCol.int('a')],
    });
    const old = model.modelTable('d', 't');
    const add1 = model.addColumn('d', 't', tidbCol.int('b', { notNull: true, default: '5' }));
    const add2 = model.addColumn('d', 't', tidbCol.varchar('c', 10));
    const add3 = model.addColumn('d', 't', tidbCol.bit('f', 4, { notNull: true }));
    const decoder = setup(model);
    await decoder.start(version(create), signal);
    const rows = (): TableMutation[] => [
      mutation(old, { ins: [encodeInsertRow(old, [1n, 10n])], upd: [encodeUpdateRow(old, [1n, 10n], [1n, 11n])] }, [
        MutationType.Insert,
        MutationType.Update,
      ]),
    ];
    // Committed before the DDL binlog: decoded with the table as it was.
    const before = (await decoder.decode(dml(version(create), rows()), signal)) as Txn;
    expect(before.changes.map((c) => c.tableInfo.columns.map((x) => x.name))).toEqual([
      ['id', 'a'],
      ['id', 'a'],
    ]);
    expect(before.changes[0]).toMatchObject({ op: 'insert', after: [1n, 10n] });
    const ev1 = (await decoder.decode(
      ddl(add1, 'ALTER TABLE t ADD COLUMN b INT NOT NULL DEFAULT 5'),
      signal,
    )) as DdlEvent;
    expect(ev1).toMatchObject({
      kind: 'ddl',
      schema: 'd',
      table: 't',
      jobType: ActionType.AddColumn,
      schemaVersion: version(add1),
    });
    await decoder.decode(ddl(add2, 'ALTER TABLE t ADD COLUMN c VARCHAR(10)'), signal);
    await decoder.decode(ddl(add3, 'ALTER TABLE t ADD COLUMN f BIT(4) NOT NULL'), signal);
    // Written at the old schema version but committed after both ADD COLUMNs: the new columns get their origin default.
    const after = (await decoder.decode(dml(version(create), rows()), signal)) as Txn;
    expect(after.changes[0]).toMatchObject({ op: 'insert', after: [1n, 10n, 5n, null, 0n] });
    expect(after.changes[1]).toMatchObject({
      op: 'update',
      before: [1n, 10n, 5n, null, 0n],
      after: [1n, 11n, 5n, null, 0n],
    });
    // At the current version the same update lacking columns is corrupt: CanAppendDefaultValue is false.
    const current = dml(version(add3), [
      mutation(old, { upd: [encodeUpdateRow(old, [1n, 10n], [1n, 11n])] }, [MutationType.Update]),
    ]);
    await expect(decoder.decode(current, signal)).rejects.toBeInstanceOf(DecodeError);
  });

  it('handles DROP COLUMN: the DeleteOnly binlog is a watermark and lets rows lack the column until the drop finishes', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    const create = model.createTable('d', {
      name: 't',
      primaryKey: ['id'],
      columns: [tidbCol.int('id', { notNull: true }), tidbCol.int('a'), tidbCol.int('gone')],
    });
    const full = model.modelTable('d', 't');
    // The drainer loaded the history before the drop began; by the time the DeleteOnly binlog arrives the job has
    // finished in TiDB, and fetching it by id returns the finished job (with the final schema version).
    const decoder = setup(model);
    await decoder.start(version(create), signal);
    const drop = model.dropColumn('d', 't', 'gone');
    const delOnly = ddl(drop, 'ALTER TABLE t DROP COLUMN gone', 1);
    expect(await decoder.decode(delOnly, signal)).toEqual({ kind: 'resolved', commitTs: delOnly.commitTs });
    const withoutGone = model.modelTable('d', 't');
    const upd = dml(version(create), [
      mutation(full.id, { upd: [encodeUpdateRow(withoutGone, [1n, 1n], [1n, 2n])] }, [MutationType.Update]),
    ]);
    const txn = (await decoder.decode(upd, signal)) as Txn;
    expect(txn.changes[0]).toMatchObject({ op: 'update', before: [1n, 1n, null], after: [1n, 2n, null] });
    expect(txn.changes[0]?.tableInfo.columns.length).toBe(3);
    const done = (await decoder.decode(ddl(drop, 'ALTER TABLE t DROP COLUMN gone'), signal)) as DdlEvent;
    expect(done).toMatchObject({
      kind: 'ddl',
      table: 't',
      schemaVersion: version(drop),
      query: 'ALTER TABLE t DROP COLUMN gone',
    });
    expect(done.tableInfo?.columns.map((c) => c.name)).toEqual(['id', 'a']);
  });

  it('drops DML still written against a truncated table id; decodes the new id', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    const create = model.createTable('d', {
      name: 't',
      primaryKey: ['id'],
      columns: [tidbCol.int('id', { notNull: true })],
    });
    const oldT = model.modelTable('d', 't');
    const trunc = model.truncateTable('d', 't');
    const newT = model.modelTable('d', 't');
    const decoder = setup(model);
    await decoder.start(version(create), signal);
    const ev = (await decoder.decode(ddl(trunc, 'TRUNCATE TABLE t'), signal)) as DdlEvent;
    expect(ev.tableInfo?.id).toBe(newT.id);
    const stale = dml(version(create), [mutation(oldT, { ins: [encodeInsertRow(oldT, [1n])] }, [MutationType.Insert])]);
    expect(await decoder.decode(stale, signal)).toEqual({ kind: 'resolved', commitTs: stale.commitTs });
    const fresh = (await decoder.decode(
      dml(version(trunc), [mutation(newT, { ins: [encodeInsertRow(newT, [2n])] }, [MutationType.Insert])]),
      signal,
    )) as Txn;
    expect(fresh.changes[0]).toMatchObject({ table: 't', after: [2n] });
  });

  it('reports partitioned-table DML on the logical table and partition DDL with the new definitions', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    const create = model.createTable('d', {
      name: 'p',
      primaryKey: ['id'],
      columns: [tidbCol.int('id', { notNull: true }), tidbCol.int('v')],
      partition: { expr: '`id`', definitions: [{ name: 'p0', lessThan: '10' }] },
    });
    const add = model.addPartition('d', 'p', { name: 'p1', lessThan: 'MAXVALUE' });
    const t = model.modelTable('d', 'p');
    const decoder = setup(model);
    await decoder.start(version(create), signal);
    const ev = (await decoder.decode(
      ddl(add, 'ALTER TABLE p ADD PARTITION (PARTITION p1 VALUES LESS THAN (MAXVALUE))'),
      signal,
    )) as DdlEvent;
    expect(ev.tableInfo?.partition?.definitions.map((d) => d.name)).toEqual(['p0', 'p1']);
    const byLogical = (await decoder.decode(
      dml(version(add), [mutation(t, { ins: [encodeInsertRow(t, [1n, 2n])] }, [MutationType.Insert])]),
      signal,
    )) as Txn;
    expect(byLogical.changes[0]).toMatchObject({ table: 'p', after: [1n, 2n] });
    // TiDB writes the logical id; a partition id still resolves to its table.
    const partId = t.partition!.definitions[1]!.id;
    const byPartition = (await decoder.decode(
      dml(version(add), [mutation(partId, { ins: [encodeInsertRow(t, [20n, 3n])] }, [MutationType.Insert])]),
      signal,
    )) as Txn;
    expect(byPartition.changes[0]).toMatchObject({ table: 'p', after: [20n, 3n] });
  });
});

describe('BinlogDecoder EXCHANGE PARTITION', () => {
  it('follows the id swap: DML on the normal table under its new id decodes, the partitioned table keeps its id', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    const cols = [tidbCol.int('id', { notNull: true }), tidbCol.int('v')];
    model.createTable('d', {
      name: 'p',
      primaryKey: ['id'],
      columns: cols,
      partition: {
        expr: '`id`',
        definitions: [
          { name: 'p0', lessThan: '10' },
          { name: 'p1', lessThan: 'MAXVALUE' },
        ],
      },
    });
    const createN = model.createTable('d', { name: 'n', primaryKey: ['id'], columns: cols });
    const decoder = setup(model);
    await decoder.start(version(createN), signal);
    const oldP0 = model.modelTable('d', 'p').partition!.definitions[0]!.id;
    const exchange = model.exchangePartition('d', 'p', 'p0', 'd', 'n');
    const ev = (await decoder.decode(ddl(exchange, exchange.query), signal)) as DdlEvent;
    expect(ev).toMatchObject({ table: 'p', jobType: ActionType.ExchangeTablePartition });
    expect(ev.tableInfo?.partition?.definitions[0]?.id).toBe(createN.table_id);
    const n = model.modelTable('d', 'n');
    expect(n.id).toBe(oldP0);
    const txn = (await decoder.decode(
      dml(version(exchange), [mutation(n, { ins: [encodeInsertRow(n, [3n, 4n])] }, [MutationType.Insert])]),
      signal,
    )) as Txn;
    expect(txn.changes[0]).toMatchObject({ table: 'n', after: [3n, 4n] });
    expect(txn.changes[0]?.tableInfo.id).toBe(oldP0);
  });
});
