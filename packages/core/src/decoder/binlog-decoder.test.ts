import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidbSchemaModel, encodeDeleteRow, encodeInsertRow, encodeUpdateRow, tidbCol } from '@tidb-drainer/testkit';
import type { TidbJobJson } from '@tidb-drainer/testkit';
import { AbortedError, DecodeError } from '../errors/drainer-error.js';
import type { DdlEvent, Resolved, Txn } from '../model/events.js';
import type { TableInfo } from '../model/table-info.js';
import { encodePrewriteValue } from '../protocol/tipb-codec.js';
import type { TableMutation } from '../protocol/tipb-types.js';
import { BinlogType, MutationType } from '../protocol/tipb-types.js';
import type { MergedBinlog } from '../upstream/merged-item.js';
import { ActionType, JobState } from '../schema/ddl-action.js';
import type { DdlJobSource } from '../schema/ddl-job-source.js';
import { SchemaFileSource } from '../schema/schema-file-source.js';
import { TableNotFoundError } from '../schema/schema-errors.js';
import { SchemaTracker } from '../schema/schema-tracker.js';
import type { TidbJob } from '../schema/tidb-json.js';
import { readTidbJob } from '../schema/tidb-json.js';
import { BinlogDecoder } from './binlog-decoder.js';

const signal = new AbortController().signal;
let ts = 1000n;
const nextTs = (): bigint => (ts += 10n);

/** Serves the model's history as it is at each call (jobs added later become visible, as in TiDB). */
function liveSource(model: TidbSchemaModel): DdlJobSource {
  return {
    openHistory: () => new SchemaFileSource(model.jobs.map((j) => readTidbJob(j))).openHistory(),
    jobById: (id) => Promise.resolve(model.jobById(id) === undefined ? undefined : readTidbJob(model.jobById(id))),
  };
}

function mutation(
  table: TableInfo | number,
  rows: { ins?: Uint8Array[]; upd?: Uint8Array[]; del?: Uint8Array[] },
  sequence: MutationType[],
): TableMutation {
  return {
    tableId: BigInt(typeof table === 'number' ? table : table.id),
    insertedRows: rows.ins ?? [],
    updatedRows: rows.upd ?? [],
    deletedIds: [],
    deletedPks: [],
    deletedRows: rows.del ?? [],
    sequence,
  };
}

function dml(schemaVersion: number, mutations: TableMutation[]): MergedBinlog {
  const commitTs = nextTs();
  const prewriteValue = encodePrewriteValue({ schemaVersion: BigInt(schemaVersion), mutations });
  return {
    kind: 'binlog',
    commitTs,
    startTs: commitTs - 5n,
    payloadBytes: prewriteValue.length + 40,
    pump: 'pump-1',
    binlog: { tp: BinlogType.Commit, startTs: commitTs - 5n, commitTs, prewriteValue, ddlJobId: 0n, ddlSchemaState: 0 },
  };
}

function ddl(job: { id: number }, query: string, schemaState = 0): MergedBinlog {
  const commitTs = nextTs();
  return {
    kind: 'binlog',
    commitTs,
    startTs: commitTs - 5n,
    payloadBytes: 60,
    pump: 'pump-1',
    binlog: {
      tp: BinlogType.Commit,
      startTs: commitTs - 5n,
      commitTs,
      ddlQuery: new TextEncoder().encode(query),
      ddlJobId: BigInt(job.id),
      ddlSchemaState: schemaState,
    },
  };
}

function version(job: TidbJobJson): number {
  return job.binlog!.SchemaVersion;
}

function setup(model: TidbSchemaModel, source: DdlJobSource = liveSource(model), registry?: Registry): BinlogDecoder {
  const tracker = new SchemaTracker({ source });
  return new BinlogDecoder({ tracker, jobs: source, jobPollMs: 5, ...(registry !== undefined ? { registry } : {}) });
}

describe('BinlogDecoder DML', () => {
  const model = new TidbSchemaModel();
  model.createDatabase('shop');
  model.createTable('shop', {
    name: 'a',
    primaryKey: ['id'],
    columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.varchar('s', 20)],
  });
  const createB = model.createTable('shop', {
    name: 'b',
    primaryKey: ['k'],
    clustered: false,
    columns: [tidbCol.varchar('k', 10, { notNull: true }), tidbCol.int('n')],
  });
  const a = model.modelTable('shop', 'a');
  const b = model.modelTable('shop', 'b');
  const decoder = setup(model);

  beforeAll(() => decoder.start(version(createB), signal));

  it('turns a fake binlog into a Resolved watermark', async () => {
    expect(await decoder.decode({ kind: 'fake', commitTs: 77n, pump: 'p' }, signal)).toEqual({
      kind: 'resolved',
      commitTs: 77n,
    });
  });

  it('keeps upstream order: tables in PrewriteValue order, rows in sequence order; bytes = payload size', async () => {
    const item = dml(version(createB), [
      mutation(
        b,
        { ins: [encodeInsertRow(b, ['k1', 1n], { rowId: 1n })], del: [encodeDeleteRow(b, ['k0', 0n], { rowId: 9n })] },
        [MutationType.DeleteRow, MutationType.Insert],
      ),
      mutation(
        a,
        {
          ins: [encodeInsertRow(a, [1n, 'x']), encodeInsertRow(a, [2n, null])],
          upd: [encodeUpdateRow(a, [1n, 'x'], [1n, 'y'])],
        },
        [MutationType.Insert, MutationType.Update, MutationType.Insert],
      ),
    ]);
    const txn = (await decoder.decode(item, signal)) as Txn;
    expect(txn.kind).toBe('txn');
    expect(txn.changes.map((c) => [c.table, c.op])).toEqual([
      ['b', 'delete'],
      ['b', 'insert'],
      ['a', 'insert'],
      ['a', 'update'],
      ['a', 'insert'],
    ]);
    expect(txn.changes[0]).toMatchObject({ schema: 'shop', before: ['k0', 0n] });
    expect(txn.changes[2]).toMatchObject({ after: [1n, 'x'] });
    expect(txn.changes[3]).toMatchObject({ before: [1n, 'x'], after: [1n, 'y'] });
    expect(txn.changes[4]).toMatchObject({ after: [2n, null] });
    expect(txn).toMatchObject({
      commitTs: item.commitTs,
      startTs: item.startTs,
      schemaVersion: version(createB),
      bytes: item.payloadBytes,
    });
    expect(txn.changes[2]?.tableInfo).toBe(txn.changes[4]?.tableInfo);
  });

  it('rejects a table id the schema does not know, naming commit ts and table id', async () => {
    const item = dml(version(createB), [
      mutation(424242, { ins: [encodeInsertRow(a, [1n, 'x'])] }, [MutationType.Insert]),
    ]);
    const err = await decoder.decode(item, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TableNotFoundError);
    expect((err as TableNotFoundError).details).toMatchObject({ commitTs: item.commitTs, tableId: 424242 });
    expect((err as Error).message).toContain('424242');
  });

  it('rejects obsolete mutation types and sequences longer than their row lists', async () => {
    const obsolete = dml(version(createB), [mutation(a, {}, [MutationType.DeleteID])]);
    await expect(decoder.decode(obsolete, signal)).rejects.toBeInstanceOf(DecodeError);
    const short = dml(version(createB), [
      mutation(a, { ins: [encodeInsertRow(a, [1n, 'x'])] }, [MutationType.Insert, MutationType.Insert]),
    ]);
    const err = await decoder.decode(short, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).details).toMatchObject({ commitTs: short.commitTs, table: 'a' });
  });

  it('drops DML on ids above TiDB MaxGlobalID and reports the txn as Resolved', async () => {
    const item = dml(version(createB), [
      mutation(0xffffffffffff - 10, { ins: [new Uint8Array([0])] }, [MutationType.Insert]),
    ]);
    expect(await decoder.decode(item, signal)).toEqual({ kind: 'resolved', commitTs: item.commitTs });
  });
});

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

describe('BinlogDecoder DDL rules', () => {
  const model = new TidbSchemaModel();
  const createDb = model.createDatabase('d');
  const create = model.createTable('d', {
    name: 't',
    primaryKey: ['id'],
    columns: [tidbCol.int('id', { notNull: true })],
  });
  const lock = model.recordJob(ActionType.LockTable, { db: 'd', table: 't', query: 'LOCK TABLES t WRITE' });
  const cancelled = model.recordJob(ActionType.AddColumn, {
    db: 'd',
    table: 't',
    query: 'ALTER TABLE t ADD COLUMN x INT',
    state: JobState.Cancelled,
  });
  const rolledBack = model.recordJob(ActionType.AddIndex, {
    db: 'd',
    table: 't',
    query: 'ALTER TABLE t ADD UNIQUE (id)',
    state: JobState.RollbackDone,
  });
  const rename = model.renameTable('d', 't', 't2');

  it('emits the DDL with the binlog query, job id/type, schema version and table info; a database DDL has no table', async () => {
    const registry = new Registry();
    const decoder = setup(model, liveSource(model), registry);
    await decoder.start(0, signal);
    const e1 = (await decoder.decode(ddl(createDb, 'CREATE DATABASE `d` /* binlog text */'), signal)) as DdlEvent;
    expect(e1).toEqual({
      kind: 'ddl',
      commitTs: e1.commitTs,
      schema: 'd',
      query: 'CREATE DATABASE `d` /* binlog text */',
      jobId: createDb.id,
      jobType: ActionType.CreateSchema,
      schemaVersion: version(createDb),
    });
    const e2 = (await decoder.decode(ddl(create, 'CREATE TABLE t (id INT PRIMARY KEY)'), signal)) as DdlEvent;
    expect(e2).toMatchObject({
      schema: 'd',
      table: 't',
      jobId: create.id,
      jobType: ActionType.CreateTable,
      schemaVersion: version(create),
    });
    expect(e2.tableInfo?.columns.map((c) => c.name)).toEqual(['id']);
    const lockItem = ddl(lock, 'LOCK TABLES t WRITE');
    expect(await decoder.decode(lockItem, signal)).toEqual({
      kind: 'resolved',
      commitTs: lockItem.commitTs,
    } satisfies Resolved);
    expect(await decoder.decode(ddl(cancelled, 'ALTER TABLE t ADD COLUMN x INT'), signal)).toBeUndefined();
    expect(await decoder.decode(ddl(rolledBack, 'ALTER TABLE t ADD UNIQUE (id)'), signal)).toBeUndefined();
    const e3 = (await decoder.decode(ddl(rename, 'RENAME TABLE t TO t2'), signal)) as DdlEvent;
    expect(e3).toMatchObject({ table: 't2', jobType: ActionType.RenameTable });
    expect(e3.tableInfo?.name).toBe('t2');
    // Every DDL binlog whose job was fetched counts, as in the Go collector (setval binlogs never fetch one).
    expect((await registry.getSingleMetric('binlog_drainer_ddl_jobs_total')?.get())?.values[0]?.value).toBe(6);
  });

  it('drops `select setval` binlogs without looking up their (mock) job', async () => {
    const source: DdlJobSource = {
      openHistory: () => new SchemaFileSource([]).openHistory(),
      jobById: () => Promise.reject(new Error('must not be called')),
    };
    const decoder = setup(model, source);
    expect(await decoder.decode(ddl({ id: 99999 }, 'SELECT SETVAL(`d`.`seq`, 10)'), signal)).toBeUndefined();
  });

  it('turns a finished job with schema version 0 (failed DDL) into a watermark', async () => {
    const failed: TidbJob = {
      ...readTidbJob(create),
      id: 5000,
      binlog: { ...readTidbJob(create).binlog!, SchemaVersion: 0 },
    };
    const source = new SchemaFileSource([failed]);
    const item = ddl(failed, 'CREATE TABLE t (id INT PRIMARY KEY)');
    expect(await setup(model, source).decode(item, signal)).toEqual({ kind: 'resolved', commitTs: item.commitTs });
  });

  it('waits for a DDL job that is not in the history yet, and stops waiting on abort', async () => {
    let calls = 0;
    const job = readTidbJob(createDb);
    const source: DdlJobSource = {
      openHistory: () => new SchemaFileSource([]).openHistory(),
      jobById: (id) => Promise.resolve(++calls < 3 ? undefined : id === job.id ? job : undefined),
    };
    const ev = (await setup(model, source).decode(ddl(createDb, 'CREATE DATABASE d'), signal)) as DdlEvent;
    expect(ev.schema).toBe('d');
    expect(calls).toBe(3);
    const ac = new AbortController();
    const never: DdlJobSource = {
      openHistory: () => new SchemaFileSource([]).openHistory(),
      jobById: () => Promise.resolve(undefined),
    };
    const pending = setup(model, never).decode(ddl({ id: 123456 }, 'CREATE TABLE x (a INT)'), ac.signal);
    setTimeout(() => ac.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });
});

afterAll(() => undefined);
