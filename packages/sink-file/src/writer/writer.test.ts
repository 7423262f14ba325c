import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkContext, SinkError } from '@tidb-drainer/core/sdk';
import { FileSink } from '../sink/file-sink.js';
import { fileSinkConfigSchema } from '../sink/file-sink-config.js';
import { listBinlogFiles } from '../reader/list-binlog-files.js';
import { verifyDir } from '../reader/verify-dir.js';
import { fixtureTs, kvHistory, writeEvents } from '../test-support/write-fixture-dir.js';
import { collectGarbage } from './retention-gc.js';

let dir = '';
afterEach(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('binlog file writer', () => {
  it('rotates by size after the record that reaches the limit; files are consecutive and 0600', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-rotate-'));
    await writeEvents(dir, kvHistory('db', 50), 1500);
    const files = await listBinlogFiles(dir);
    expect(files.map((f) => f.index)).toEqual(files.map((_, i) => i));
    const summary = await verifyDir(dir);
    for (const s of summary.slice(0, -1)) {
      expect(s.bytes).toBeGreaterThanOrEqual(1500);
      expect((await stat(s.file)).mode & 0o777).toBe(0o600);
    }
    // Each non-last file crossed the limit with its last record only.
    expect(summary.slice(0, -1).every((s) => s.bytes < 1500 + 400)).toBe(true);
  });

  it('rotates by age with rotate-interval', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-rotate-'));
    const events = kvHistory('db', 6);
    const sink = new FileSink(fileSinkConfigSchema.parse({ dir, 'rotate-interval': '30ms' }), { timezone: 'UTC' });
    const signal = new AbortController().signal;
    await sink.open(createSinkContext());
    for (const e of events) {
      if (e.kind === 'ddl') await sink.writeDdl(e, signal);
      else
        await sink.write(
          { seq: 1, txns: [e], firstCommitTs: e.commitTs, lastCommitTs: e.commitTs, bytes: 1, rows: 1 },
          signal,
        );
      await new Promise((r) => setTimeout(r, 40));
    }
    await sink.close();
    expect((await listBinlogFiles(dir)).length).toBe(events.length);
  });

  it('.lock: a second writer on the same directory is refused; a lock left by a dead process is taken over', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-lock-'));
    const config = fileSinkConfigSchema.parse({ dir });
    const a = new FileSink(config, { timezone: 'UTC' });
    await a.open(createSinkContext());
    const b = new FileSink(config, { timezone: 'UTC' });
    const err = await b.open(createSinkContext()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).code).toBe('E_FILE_LOCKED');
    await b.close();
    await a.close();
    expect(await readdir(dir)).not.toContain('.lock');
    await writeFile(join(dir, '.lock'), '2147483646\n');
    const c = new FileSink(config, { timezone: 'UTC' });
    await c.open(createSinkContext());
    await c.close();
  });

  it('reopening after the checkpoint resumes after it: records past the checkpoint are cut and rewritten once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-resume-'));
    const events = kvHistory('db', 30);
    await writeEvents(dir, events, 1024);
    const sink = new FileSink(fileSinkConfigSchema.parse({ dir, 'max-file-size': 1024 }), { timezone: 'UTC' });
    await sink.open(createSinkContext({ checkpoint: fixtureTs(10) }));
    await sink.close();
    const after = await verifyDir(dir);
    expect(after[after.length - 1]?.lastTs).toBe(fixtureTs(10));
    expect(after.reduce((n, s) => n + s.records, 0)).toBe(10);
  });

  it('dir defaults to the drainer data-dir (as Go)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-default-dir-'));
    for (const dataDir of [dir, join(dir, 'file')]) {
      const sink = new FileSink(fileSinkConfigSchema.parse({}), { timezone: 'UTC' });
      await sink.open(createSinkContext({ dataDir }));
      await sink.close();
    }
    expect((await listBinlogFiles(dir)).map((f) => f.index)).toEqual([0]);
  });

  it('retention GC removes every file but the newest older than retention-time days', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-gc-'));
    await writeEvents(dir, kvHistory('db', 40), 1024);
    const files = await listBinlogFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    const old = new Date(Date.now() - 3 * 86_400_000);
    for (const f of files) await utimes(f.path, old, old);
    const newest = files[files.length - 1]!;
    const fresh = files[files.length - 2]!;
    await utimes(fresh.path, new Date(), new Date());
    const removed = await collectGarbage(dir, 2, pino({ level: 'silent' }));
    expect(removed).toEqual(files.slice(0, -2).map((f) => f.name));
    expect((await readdir(dir)).sort()).toEqual([fresh.name, newest.name].sort());
    expect(await collectGarbage(dir, 0, pino({ level: 'silent' }))).toEqual([]);
  });
});
