import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidbSchemaModel, encodeDeleteRow, encodeInsertRow, encodeUpdateRow, tidbCol } from '@tidb-drainer/testkit';
import { AbortedError, DecodeError } from '../errors/drainer-error.js';
import type { DdlEvent, Resolved, Txn } from '../model/events.js';
import { MutationType } from '../protocol/tipb-types.js';
import { ActionType, JobState } from '../schema/ddl-action.js';
import type { DdlJobSource } from '../schema/ddl-job-source.js';
import { SchemaFileSource } from '../schema/schema-file-source.js';
import { TableNotFoundError } from '../schema/schema-errors.js';
import type { TidbJob } from '../schema/tidb-json.js';
import { readTidbJob } from '../schema/tidb-json.js';
import { ddl, dml, liveSource, mutation, setup, signal, version } from './binlog-decoder-test-kit.js';

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
