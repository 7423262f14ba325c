import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SchemaSnapshotSource,
  SchemaTracker,
  StatusApiError,
  StatusApiSource,
  parseJsonLossless,
  waitForJob,
} from '@tidb-drainer/core';
import { tidbCol } from './column-spec.js';
import { FakeTidbStatusApi } from './fake-tidb-status-api.js';
import { TidbSchemaModel } from './tidb-schema-model.js';

const signal = new AbortController().signal;

describe('FakeTidbStatusApi', () => {
  const model = new TidbSchemaModel({ firstId: 10 });
  const api = new FakeTidbStatusApi({ model });
  const get = async (path: string): Promise<{ status: number; body: unknown; text: string }> => {
    const res = await fetch(`http://${api.address}${path}`);
    const text = await res.text();
    return { status: res.status, text, body: res.ok ? parseJsonLossless(text) : undefined };
  };
  const ids = (body: unknown): number[] => (body as { id: number }[]).map((j) => j.id);

  beforeAll(async () => {
    await api.start();
    model.createDatabase('d');
    model.createTable('d', {
      name: 't',
      primaryKey: ['id'],
      columns: [tidbCol.int('id', { notNull: true }), tidbCol.varchar('v', 8)],
    });
    model.addColumn('d', 't', tidbCol.int('n'));
    model.createTable('d', { name: 'u', columns: [tidbCol.int('a')] });
  });
  afterAll(() => api.close());

  it('pages /ddl/history like TiDB: descending from start_job_id, at most limit', async () => {
    const all = model.jobs.map((j) => j.id);
    expect(all).toEqual([11, 13, 14, 16]);
    expect(ids((await get('/ddl/history')).body)).toEqual(all);
    expect(ids((await get('/ddl/history?limit=1')).body)).toEqual([16]);
    expect(ids((await get('/ddl/history?start_job_id=14&limit=2')).body)).toEqual([14, 13]);
    expect(ids((await get('/ddl/history?start_job_id=12&limit=5')).body)).toEqual([11]);
    expect(ids((await get('/ddl/history?start_job_id=5&limit=5')).body)).toEqual([]);
  });

  it('answers TiDB’s errors for bad parameters', async () => {
    expect(await get('/ddl/history?start_job_id=3')).toMatchObject({
      status: 400,
      text: "when 'start_job_id' is specified, it must work with a 'limit'",
    });
    expect(await get('/ddl/history?start_job_id=0&limit=1')).toMatchObject({
      status: 400,
      text: 'ddl history start_job_id must be greater than 0',
    });
    expect((await get('/ddl/history?limit=0')).status).toBe(400);
  });

  it('serves jobs shaped like TiDB’s (binlog sub-object with Go field names, increasing versions)', async () => {
    const jobs = (await get('/ddl/history')).body as Record<string, unknown>[];
    const versions = jobs.map((j) => (j['binlog'] as Record<string, number>)['SchemaVersion']);
    expect(versions).toEqual([1, 2, 6, 7]);
    expect(jobs[2]).toMatchObject({ type: 5, schema_name: 'd', table_name: 't', state: 6, schema_state: 5 });
    expect(Object.keys(jobs[0]!['binlog'] as object)).toEqual([
      'SchemaVersion',
      'DBInfo',
      'TableInfo',
      'FinishedTS',
      'MultipleTableInfos',
    ]);
    expect(typeof (jobs[0]!['binlog'] as Record<string, unknown>)['FinishedTS']).toBe('bigint');
  });

  it('serves /schema, /schema/{db}, /schema/{db}/{table} and ?table_id=', async () => {
    expect(((await get('/schema')).body as { db_name: { O: string } }[]).map((d) => d.db_name.O)).toEqual(['d']);
    expect(((await get('/schema/d')).body as { name: { O: string } }[]).map((t) => t.name.O)).toEqual(['t', 'u']);
    const t = (await get('/schema/d/t')).body as { id: number; cols: unknown[] };
    expect(t.cols).toHaveLength(3);
    expect(((await get(`/schema?table_id=${t.id}`)).body as { id: number }).id).toBe(t.id);
    expect((await get('/schema/nope')).status).toBe(400);
  });

  it('works with StatusApiSource: job by id, fail-over to the next address, retry while a job is missing', async () => {
    const dead = '127.0.0.1:1';
    const source = new StatusApiSource({ addresses: [dead, api.address], timeoutMs: 2000 });
    expect((await source.jobById(14, signal))?.type).toBe(5);
    expect(await source.jobById(12, signal)).toBeUndefined();

    api.failHistory = true;
    const err = await new StatusApiSource({ addresses: [api.address] }).jobById(14, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusApiError);
    expect((err as StatusApiError).retryable).toBe(true);
    api.failHistory = false;

    // The DDL binlog can arrive before TiDB moves its job to the history.
    const nextId = 18;
    setTimeout(() => model.createTable('d', { name: 'late', columns: [tidbCol.int('a')] }), 40);
    const job = await waitForJob(source, nextId, { signal, intervalMs: 10 });
    expect(job.table_name).toBe('late');
  });

  it('gives SchemaSnapshotSource the current schema from /schema, the same tables as a history replay', async () => {
    const live = new StatusApiSource({ addresses: [api.address] });
    const snap = new SchemaTracker({ source: await SchemaSnapshotSource.load(live, signal) });
    await snap.advanceTo(Number.MAX_SAFE_INTEGER, signal);
    const replay = new SchemaTracker({ source: live });
    await replay.advanceTo(model.schemaVersion, signal);
    const tables = (t: SchemaTracker): unknown[] =>
      t
        .schemas()
        .flatMap((s) => [...s.tableIds].map((id) => t.tableById(id)!))
        .map((x) => [x.id, x.schema, x.name, x.columns.map((c) => [c.id, c.name, c.typeText])])
        .sort();
    expect(tables(snap)).toEqual(tables(replay));
    expect(tables(snap)).toHaveLength(3);
    expect((await (await SchemaSnapshotSource.load(live, signal)).jobById(14, signal))?.type).toBe(5);
  });
});
