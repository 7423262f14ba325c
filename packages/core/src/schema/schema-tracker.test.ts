import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTidbStatusApi, TidbSchemaModel, tidbCol } from '@tidb-drainer/testkit';
import type { TidbJobJson } from '@tidb-drainer/testkit';
import type { TableInfo } from '../model/table-info.js';
import { ActionType, JobState } from './ddl-action.js';
import { SchemaFileSource } from './schema-file-source.js';
import { SchemaTracker } from './schema-tracker.js';
import { StatusApiSource } from './status-api-source.js';
import type { TidbJob } from './tidb-json.js';
import { readTidbJob } from './tidb-json.js';

const signal = new AbortController().signal;

/** What must match between the tracker's view and the fake's own model at a version. */
function shape(t: TableInfo | undefined): unknown {
  if (t === undefined) return undefined;
  return {
    id: t.id,
    schema: t.schema,
    name: t.name,
    columns: t.columns.map((c) => [c.id, c.name, c.offset, c.typeText, c.nullable, c.originDefault]),
    indices: t.indices,
    pkIsHandle: t.pkIsHandle,
    partition: t.partition,
  };
}

describe('SchemaTracker replaying a DDL sequence from the fake TiDB status API', () => {
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  /** After each job: its version and the expected tables (by name) at that version. */
  const checkpoints: { job: TidbJobJson; expect: Map<string, TableInfo | undefined> }[] = [];
  const snap = (job: TidbJobJson, names: string[]): void => {
    const m = new Map<string, TableInfo | undefined>();
    for (const n of names) {
      const [db, t] = n.split('.') as [string, string];
      try {
        m.set(n, model.modelTable(db, t));
      } catch {
        m.set(n, undefined);
      }
    }
    checkpoints.push({ job, expect: m });
  };
  const all = ['shop.orders', 'shop.orders2', 'shop.parts', 'archive.orders2'];

  beforeAll(async () => {
    await api.start();
    snap(model.createDatabase('shop'), all);
    snap(model.createDatabase('archive'), all);
    snap(
      model.createTable('shop', {
        name: 'orders',
        primaryKey: ['id'],
        columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.varchar('note', 20)],
      }),
      all,
    );
    snap(model.addColumn('shop', 'orders', tidbCol.int('qty', { notNull: true, default: '1' })), all);
    snap(model.modifyColumn('shop', 'orders', 'note', tidbCol.varchar('note', 100)), all);
    snap(model.dropColumn('shop', 'orders', 'note'), all);
    snap(model.renameTable('shop', 'orders', 'orders2'), all);
    snap(model.truncateTable('shop', 'orders2'), all);
    snap(
      model.createTable('shop', {
        name: 'parts',
        primaryKey: ['id'],
        columns: [tidbCol.int('id', { notNull: true }), tidbCol.varchar('v', 8)],
        partition: { expr: '`id`', definitions: [{ name: 'p0', lessThan: '100' }] },
      }),
      all,
    );
    snap(model.addPartition('shop', 'parts', { name: 'p1', lessThan: 'MAXVALUE' }), all);
    snap(model.dropPartition('shop', 'parts', 'p0'), all);
    snap(model.renameTable('shop', 'orders2', 'orders2', 'archive'), all);
    snap(model.dropTable('shop', 'parts'), all);
    snap(model.dropDatabase('archive'), all);
  });
  afterAll(() => api.close());

  it('gives the right table info at every schema version', async () => {
    for (const { job, expect: expected } of checkpoints) {
      const tracker = new SchemaTracker({
        source: new StatusApiSource({ addresses: [api.address], pageSize: 3 }),
        lookahead: 2,
      });
      await tracker.advanceTo(job.binlog!.SchemaVersion, signal);
      expect(tracker.currentVersion, `version after job ${job.id} (${job.query})`).toBe(job.binlog!.SchemaVersion);
      for (const [name, table] of expected) {
        const found = tracker
          .schemas()
          .flatMap((s) => [...s.tableIds].map((id) => tracker.tableById(id)!))
          .find((t) => `${t.schema}.${t.name}` === name);
        // After a cross-database RENAME, TiDB reports the new schema; the tracker files the table under job.schema_id.
        expect(shape(found), `${name} after "${job.query}"`).toEqual(shape(table));
      }
    }
  });

  it('tracks truncate ids, DROP COLUMN versions and partition ids', async () => {
    const tracker = new SchemaTracker({ source: new StatusApiSource({ addresses: [api.address] }) });
    const truncate = checkpoints.find((c) => c.job.type === ActionType.TruncateTable)!.job;
    const addPart = checkpoints.find((c) => c.job.type === ActionType.AddTablePartition)!.job;
    await tracker.advanceTo(addPart.binlog!.SchemaVersion, signal);
    expect(tracker.isTruncatedTableId(truncate.table_id)).toBe(true);
    expect(tracker.isTruncatedTableId(truncate.binlog!.TableInfo!.id)).toBe(false);
    const parts = addPart.binlog!.TableInfo!;
    for (const d of parts.partition!.definitions) expect(tracker.tableById(d.id)?.id).toBe(parts.id);
    // The new table of the TRUNCATE has one version; a row written at an older schema version may lack columns.
    const newId = truncate.binlog!.TableInfo!.id;
    expect(tracker.canAppendDefaultValue(truncate.table_id, truncate.binlog!.SchemaVersion - 1)).toBe(true);
    expect(tracker.canAppendDefaultValue(newId, addPart.binlog!.SchemaVersion)).toBe(false);
  });

  it('keeps the two latest versions of a table for TableBySchemaVersion', async () => {
    const add = checkpoints.find((c) => c.job.type === ActionType.AddColumn)!.job;
    const modify = checkpoints.find((c) => c.job.type === ActionType.ModifyColumn)!.job;
    const tracker = new SchemaTracker({ source: new StatusApiSource({ addresses: [api.address] }) });
    await tracker.advanceTo(modify.binlog!.SchemaVersion, signal);
    const id = add.table_id;
    expect(tracker.tableBySchemaVersion(id, add.binlog!.SchemaVersion)?.schemaVersion).toBe(add.binlog!.SchemaVersion);
    expect(tracker.tableBySchemaVersion(id, add.binlog!.SchemaVersion + 1)?.schemaVersion).toBe(
      modify.binlog!.SchemaVersion,
    );
    expect(tracker.tableBySchemaVersion(id, 1)?.schemaVersion).toBe(add.binlog!.SchemaVersion);
    expect(tracker.canAppendDefaultValue(id, add.binlog!.SchemaVersion)).toBe(true);
    expect(tracker.canAppendDefaultValue(id, modify.binlog!.SchemaVersion)).toBe(false);
  });
});

describe('SchemaTracker paging', () => {
  it('holds at most lookahead + one page of jobs, however long the history', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    model.createTable('d', { name: 't', primaryKey: ['id'], columns: [tidbCol.int('id', { notNull: true })] });
    for (let i = 0; i < 1500; i++) {
      model.createTable('d', { name: `x${i}`, columns: [tidbCol.int('a')] });
      model.dropTable('d', `x${i}`);
    }
    model.addColumn('d', 't', tidbCol.int('last'));
    const api = new FakeTidbStatusApi({ model });
    await api.start();
    try {
      const pageSize = 40;
      const lookahead = 25;
      const tracker = new SchemaTracker({
        source: new StatusApiSource({ addresses: [api.address], pageSize }),
        lookahead,
      });
      await tracker.advanceTo(model.schemaVersion, signal);
      expect(model.jobs.length).toBe(3003);
      expect(tracker.currentVersion).toBe(model.schemaVersion);
      expect(tracker.tableById(model.tableJson('d', 't').id)?.columns.map((c) => c.name)).toEqual(['id', 'last']);
      expect(tracker.tableCount()).toBe(1);
      expect(tracker.peakPendingJobs).toBeLessThanOrEqual(lookahead + pageSize);
      expect(api.getStats().maxJobsPerResponse).toBeLessThanOrEqual(pageSize);
    } finally {
      await api.close();
    }
  });

  it('reads only as far as asked (plus the lookahead)', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    for (let i = 0; i < 200; i++) model.createTable('d', { name: `t${i}`, columns: [tidbCol.int('a')] });
    const api = new FakeTidbStatusApi({ model });
    await api.start();
    try {
      const tracker = new SchemaTracker({
        source: new StatusApiSource({ addresses: [api.address], pageSize: 10 }),
        lookahead: 10,
      });
      await tracker.advanceTo(5, signal);
      expect(tracker.currentVersion).toBe(5);
      expect(tracker.tableCount()).toBe(4);
      expect(api.getStats().historyRequests).toBeLessThan(12);
      await tracker.advanceTo(model.schemaVersion, signal);
      expect(tracker.tableCount()).toBe(200);
    } finally {
      await api.close();
    }
  });
});

function job(j: Partial<TidbJob> & { id: number; type: number; version: number }): TidbJob {
  return readTidbJob({
    id: j.id,
    type: j.type,
    schema_id: j.schema_id ?? 2,
    table_id: j.table_id ?? 0,
    schema_name: 'd',
    table_name: '',
    state: j.state ?? JobState.Synced,
    schema_state: j.schema_state ?? 5,
    query: j.query ?? 'q',
    binlog: {
      SchemaVersion: j.version,
      DBInfo: j.binlog?.DBInfo ?? null,
      TableInfo: j.binlog?.TableInfo ?? null,
      FinishedTS: 1,
      MultipleTableInfos: null,
    },
  });
}

describe('SchemaTracker job rules', () => {
  const model = new TidbSchemaModel({ firstId: 2 });
  const createDb = readTidbJob(model.createDatabase('d'));
  const createT = readTidbJob(
    model.createTable('d', { name: 't', primaryKey: ['id'], columns: [tidbCol.int('id', { notNull: true })] }),
  );
  const tableInfo = createT.binlog!.TableInfo!;

  it('applies jobs in schema-version order even when job ids are not', async () => {
    // A long job created first (id 50) finishes after a later-created one (id 60).
    const addCol = job({
      id: 50,
      type: ActionType.AddColumn,
      table_id: tableInfo.id,
      version: 20,
      binlog: {
        ...createT.binlog!,
        TableInfo: {
          ...tableInfo,
          cols: [...tableInfo.cols, { ...tableInfo.cols[0]!, id: 2, name: { O: 'b', L: 'b' }, offset: 1 }],
        },
      },
    });
    const lock = job({ id: 60, type: ActionType.LockTable, table_id: tableInfo.id, version: 10 });
    const tracker = new SchemaTracker({ source: new SchemaFileSource([createDb, createT, addCol, lock]) });
    await tracker.advanceTo(15, signal);
    expect(tracker.tableById(tableInfo.id)?.columns.length).toBe(1);
    await tracker.advanceTo(20, signal);
    expect(tracker.tableById(tableInfo.id)?.columns.map((c) => c.name)).toEqual(['id', 'b']);
  });

  it('ignores rolled-back, cancelled and skipped jobs, and knows the mysql schema', async () => {
    const rolledBack = job({
      id: 70,
      type: ActionType.DropTable,
      table_id: tableInfo.id,
      version: 30,
      state: JobState.RollbackDone,
    });
    const cancelled = job({
      id: 71,
      type: ActionType.DropTable,
      table_id: tableInfo.id,
      version: 31,
      state: JobState.Cancelled,
    });
    const placement = job({ id: 72, type: ActionType.AlterTablePlacement, table_id: tableInfo.id, version: 32 });
    const tracker = new SchemaTracker({
      source: new SchemaFileSource([createDb, createT, rolledBack, cancelled, placement]),
    });
    await tracker.advanceTo(100, signal);
    expect(tracker.tableById(tableInfo.id)).toBeDefined();
    expect(tracker.currentVersion).toBe(createT.binlog!.SchemaVersion);
    expect(tracker.schemaById(1)?.name).toBe('mysql');
  });

  it('marks a table dropping a column on the DeleteOnly job, clears it on the finished job', async () => {
    const finalInfo = { ...tableInfo };
    const drop = job({
      id: 80,
      type: ActionType.DropColumn,
      table_id: tableInfo.id,
      version: 40,
      binlog: { ...createT.binlog!, TableInfo: finalInfo },
    });
    const tracker = new SchemaTracker({ source: new SchemaFileSource([createDb, createT]) });
    await tracker.advanceTo(10, signal);
    const v = createT.binlog!.SchemaVersion;
    expect(tracker.canAppendDefaultValue(tableInfo.id, v)).toBe(false);
    await tracker.addJob({ ...drop, schema_state: 1 }, signal);
    expect(tracker.canAppendDefaultValue(tableInfo.id, v)).toBe(true);
    expect(tracker.currentVersion).toBe(v);
    await tracker.addJob(drop, signal);
    expect(tracker.currentVersion).toBe(40);
    expect(tracker.canAppendDefaultValue(tableInfo.id, 40)).toBe(false);
    expect(tracker.takeDdlTarget(40)).toEqual({ schema: 'd', table: 't' });
    expect(tracker.takeDdlTarget(40)).toBeUndefined();
  });

  it('replaces the pre-seeded mysql schema but rejects other duplicate schema ids', async () => {
    const mysqlDb = job({
      id: 90,
      type: ActionType.CreateSchema,
      version: 50,
      binlog: {
        SchemaVersion: 50,
        DBInfo: {
          id: 1,
          db_name: { O: 'mysql', L: 'mysql' },
          charset: 'utf8mb4',
          collate: 'utf8mb4_general_ci',
          state: 5,
        },
        TableInfo: null,
        FinishedTS: 1,
        MultipleTableInfos: null,
      },
    });
    const dup = job({ id: 91, type: ActionType.CreateSchema, version: 51, binlog: { ...createDb.binlog! } });
    const tracker = new SchemaTracker({ source: new SchemaFileSource([createDb, createT, mysqlDb, dup]) });
    await tracker.advanceTo(50, signal);
    expect(tracker.schemaById(1)?.collation).toBe('utf8mb4_general_ci');
    await expect(tracker.advanceTo(51, signal)).rejects.toMatchObject({ code: 'E_SCHEMA_INCONSISTENT' });
  });
});

describe('SchemaTracker batch, view and charset jobs', () => {
  it('creates every table of CREATE TABLES, replaces a DBInfo on charset change, creates and drops views', async () => {
    const model = new TidbSchemaModel({ firstId: 2 });
    const createDb = readTidbJob(model.createDatabase('d'));
    const t1 = readTidbJob(model.createTable('d', { name: 'a', columns: [tidbCol.int('x')] })).binlog!.TableInfo!;
    const t2 = readTidbJob(model.createTable('d', { name: 'b', columns: [tidbCol.int('y')] })).binlog!.TableInfo!;
    const dbInfo = createDb.binlog!.DBInfo!;
    const batch: TidbJob = {
      ...job({ id: 100, type: ActionType.CreateTables, version: 10, schema_id: dbInfo.id }),
      binlog: { SchemaVersion: 10, DBInfo: null, TableInfo: null, FinishedTS: 1, MultipleTableInfos: [t1, t2] },
    };
    const charset: TidbJob = {
      ...job({ id: 101, type: ActionType.ModifySchemaCharsetAndCollate, version: 11, schema_id: dbInfo.id }),
      binlog: {
        SchemaVersion: 11,
        DBInfo: { ...dbInfo, charset: 'latin1', collate: 'latin1_bin' },
        TableInfo: null,
        FinishedTS: 1,
        MultipleTableInfos: null,
      },
    };
    const view = { ...t1, id: 500, name: { O: 'v', L: 'v' } };
    const createView: TidbJob = {
      ...job({ id: 102, type: ActionType.CreateView, version: 12, schema_id: dbInfo.id, table_id: 500 }),
      binlog: { SchemaVersion: 12, DBInfo: null, TableInfo: view, FinishedTS: 1, MultipleTableInfos: null },
    };
    const dropView = job({ id: 103, type: ActionType.DropView, version: 13, schema_id: dbInfo.id, table_id: 500 });
    const tracker = new SchemaTracker({
      source: new SchemaFileSource([createDb, batch, charset, createView, dropView]),
    });
    await tracker.advanceTo(12, signal);
    expect([tracker.tableById(t1.id)?.name, tracker.tableById(t2.id)?.name, tracker.tableById(500)?.name]).toEqual([
      'a',
      'b',
      'v',
    ]);
    expect(tracker.takeDdlTarget(10)).toEqual({ schema: 'd' });
    expect(tracker.schemaById(dbInfo.id)).toMatchObject({ charset: 'latin1', collation: 'latin1_bin' });
    await tracker.advanceTo(13, signal);
    expect(tracker.tableById(500)).toBeUndefined();
    expect(tracker.tableCount()).toBe(2);
  });
});

describe('SchemaTracker history read errors', () => {
  it('retries a retryable page error with backoff, gives up after historyMaxErrors', async () => {
    const model = new TidbSchemaModel();
    model.createDatabase('d');
    const create = model.createTable('d', { name: 't', columns: [tidbCol.int('a')] });
    const api = new FakeTidbStatusApi({ model });
    await api.start();
    try {
      api.failHistory = true;
      setTimeout(() => (api.failHistory = false), 60);
      const tracker = new SchemaTracker({
        source: new StatusApiSource({ addresses: [api.address] }),
        historyRetryMs: 10,
      });
      await tracker.advanceTo(create.binlog!.SchemaVersion, signal);
      expect(tracker.tableById(create.table_id)?.name).toBe('t');

      api.failHistory = true;
      const failing = new SchemaTracker({
        source: new StatusApiSource({ addresses: [api.address] }),
        historyRetryMs: 1,
        historyMaxErrors: 3,
      });
      const before = api.getStats().historyRequests;
      await expect(failing.advanceTo(1, signal)).rejects.toMatchObject({ code: 'E_TIDB_STATUS_API', retryable: true });
      expect(api.getStats().historyRequests - before).toBe(3);
    } finally {
      await api.close();
    }
  });
});
