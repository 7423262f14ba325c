import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidbSchemaModel, tidbCol } from '@tidb-drainer/testkit';
import { stringifyJsonLossless } from '../util/lossless-json.js';
import { SchemaJsonError } from './schema-errors.js';
import { SCHEMA_FILE_FORMAT, SchemaFileSource, writeSchemaFile } from './schema-file-source.js';
import { SchemaTracker } from './schema-tracker.js';

const signal = new AbortController().signal;

describe('SchemaFileSource', () => {
  const model = new TidbSchemaModel();
  model.createDatabase('d');
  const t = model.createTable('d', {
    name: 't',
    primaryKey: ['id'],
    columns: [tidbCol.bigint('id', { notNull: true, unsigned: true })],
  });
  model.addColumn('d', 't', tidbCol.datetime('at', 3, { default: '2021-02-03 04:05:06.789' }));
  let dir = '';
  afterAll(() => (dir !== '' ? rm(dir, { recursive: true }) : undefined));

  it('round-trips through writeSchemaFile and rebuilds the same schema as the live history', async () => {
    dir = await mkdtemp(join(tmpdir(), 'schema-file-'));
    const path = join(dir, 'schema.json');
    await writeSchemaFile(path, [...model.jobs].reverse());
    const source = await SchemaFileSource.load(path);
    expect(source.size).toBe(3);
    const tracker = new SchemaTracker({ source });
    await tracker.advanceTo(model.schemaVersion, signal);
    const table = tracker.tableById(t.table_id);
    expect(table?.columns.map((c) => c.typeText)).toEqual(['bigint(20) unsigned', 'datetime(3)']);
    expect(table?.columns[1]?.originDefault).toMatchObject({ kind: 'time', year: 2021, microsecond: 789000, fsp: 3 });
    expect((await source.jobById(t.id, signal))?.table_name).toBe('t');
  });

  it('accepts the bare array /ddl/history returns', () => {
    expect(SchemaFileSource.parse(stringifyJsonLossless(model.jobs)).size).toBe(3);
  });

  it('names the file and the field on bad input', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ format: SCHEMA_FILE_FORMAT, jobs: [{ id: 'x' }] }));
    const err = await SchemaFileSource.load(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaJsonError);
    expect((err as SchemaJsonError).details).toMatchObject({ file: bad, path: '$.jobs[0].id' });
    expect(() => SchemaFileSource.parse('{"format": "other", "jobs": []}')).toThrow(/format must be/);
  });
});
