import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointError } from './checkpoint-store.js';
import { FileCheckpointStore } from './file-checkpoint-store.js';

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'savepoint-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const BIG_TS = 434_271_871_498_256_385n; // > 2^53: rounds to …400 as a JS number

describe('FileCheckpointStore (<data-dir>/savepoint)', () => {
  it('writes the Go drainer\'s TOML exactly and reads it back without rounding', async () => {
    const dir = await dataDir();
    const store = new FileCheckpointStore({ dataDir: dir });
    await store.save({ commitTs: BIG_TS, schemaVersion: 1234, consistent: false });
    expect(await readFile(join(dir, 'savepoint'), 'utf8')).toBe('consistent = false\ncommitTS = 434271871498256385\nschema-version = 1234\n');
    expect(await store.load()).toEqual({ commitTs: BIG_TS, schemaVersion: 1234, consistent: false });
    await store.save({ commitTs: BIG_TS + 1n, schemaVersion: 1235, consistent: true });
    expect(await store.load()).toEqual({ commitTs: BIG_TS + 1n, schemaVersion: 1235, consistent: true });
    expect(await readdir(dir)).toEqual(['savepoint']);
  });

  it('reads a savepoint written by the Go drainer (BurntSushi encoder layout)', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'savepoint'), 'consistent = true\ncommitTS = 412361808537191540\nschema-version = 87\n');
    expect(await new FileCheckpointStore({ dataDir: dir }).load()).toEqual({ commitTs: 412361808537191540n, schemaVersion: 87, consistent: true });
  });

  it('no file, or commitTS = 0, means "no checkpoint" (initial-commit-ts applies)', async () => {
    const dir = await dataDir();
    const store = new FileCheckpointStore({ dataDir: join(dir, 'not-yet') });
    expect(await store.load()).toBeUndefined();
    await store.save({ commitTs: 0n, schemaVersion: 0, consistent: false });
    expect(await store.load()).toBeUndefined();
  });

  it('a corrupt savepoint is a non-retryable CheckpointError naming the file', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'savepoint'), 'commitTS = "abc"\n');
    const err = await new FileCheckpointStore({ dataDir: dir }).load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err).toMatchObject({ retryable: false, details: { file: join(dir, 'savepoint') } });
  });

  it('a crash (SIGKILL) between the temp write and the rename leaves the previous checkpoint intact', async () => {
    const dir = await dataDir();
    const store = new FileCheckpointStore({ dataDir: dir });
    await store.save({ commitTs: 100n, schemaVersion: 1, consistent: true });
    const moduleUrl = new URL('./file-checkpoint-store.ts', import.meta.url).href;
    const script = `
      import { FileCheckpointStore } from ${JSON.stringify(moduleUrl)};
      const store = new FileCheckpointStore({ dataDir: ${JSON.stringify(dir)}, afterTempWrite: () => process.kill(process.pid, 'SIGKILL') });
      await store.save({ commitTs: 200n, schemaVersion: 2, consistent: false });
      console.log('not reached');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toContain('not reached');
    const files = await readdir(dir);
    expect(files.filter((f) => f.startsWith('savepoint.tmp-'))).toHaveLength(1); // the temp file the crash left
    expect(await store.load()).toEqual({ commitTs: 100n, schemaVersion: 1, consistent: true });
    await store.save({ commitTs: 300n, schemaVersion: 3, consistent: false });
    expect(await readdir(dir)).toEqual(['savepoint']); // the stale temp file is cleaned up
    expect((await store.load())?.commitTs).toBe(300n);
  });

  it('a failing write keeps the old savepoint and reports where', async () => {
    const dir = await dataDir();
    const good = new FileCheckpointStore({ dataDir: dir });
    await good.save({ commitTs: 5n, schemaVersion: 0, consistent: false });
    const failing = new FileCheckpointStore({
      dataDir: dir,
      afterTempWrite: () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    const err = await failing.save({ commitTs: 6n, schemaVersion: 0, consistent: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, details: { commitTs: 6n, errno: 'ENOSPC' } });
    expect((await good.load())?.commitTs).toBe(5n);
    expect(await readdir(dir)).toEqual(['savepoint']);
  });
});
