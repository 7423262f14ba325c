import { mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runReparoCli } from '../reparo/reparo-cli.js';
import { fixtureTs, kvHistory, writeEvents } from '../test-support/write-fixture-dir.js';
import { BinlogFileError, BinlogFileErrorCode, listBinlogFiles } from './list-binlog-files.js';
import { scanRecords } from './scan-records.js';
import { verifyDir } from './verify-dir.js';

let dir = '';
afterEach(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

async function fixture(count = 40): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'pb-corrupt-'));
  await writeEvents(dir, kvHistory('db1', count));
  return dir;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runReparoCli(args, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

/** Offsets of the records of a file. */
async function offsets(path: string): Promise<{ offset: number; size: number }[]> {
  const out: { offset: number; size: number }[] = [];
  for await (const item of scanRecords(path, { last: true }))
    if (item.kind === 'record') out.push({ offset: item.offset, size: item.size });
  return out;
}

async function flipByte(path: string, at: number): Promise<void> {
  const fh = await open(path, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, at);
  b[0] = b[0]! ^ 0x40;
  await fh.write(b, 0, 1, at);
  await fh.close();
}

describe('reader: corruption and truncation', () => {
  it('verify prints a clean per-file summary (first/last commit ts, records, bytes)', async () => {
    await fixture();
    const files = await listBinlogFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    const { code, out } = await cli(['verify', dir]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(files.length + 1);
    expect(lines[0]).toContain(`first-ts=${fixtureTs(1)}`);
    expect(lines[lines.length - 1]).toBe(`ok: ${files.length} file(s), 42 record(s)`);
    const summary = await verifyDir(dir);
    expect(summary.reduce((n, s) => n + s.bytes, 0)).toBe(
      (await Promise.all(files.map((f) => stat(f.path)))).reduce((n, s) => n + s.size, 0),
    );
  });

  it('a flipped payload byte in the middle: a typed error naming file and offset; skip-corrupt reports it and reads on', async () => {
    await fixture();
    const files = await listBinlogFiles(dir);
    const mid = files[Math.floor(files.length / 2)]!;
    const recs = await offsets(mid.path);
    const victim = recs[1]!;
    await flipByte(mid.path, victim.offset + 20);

    const err = await verifyDir(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BinlogFileError);
    expect((err as BinlogFileError).code).toBe(BinlogFileErrorCode.Corrupt);
    expect((err as BinlogFileError).details).toMatchObject({
      file: mid.path,
      offset: victim.offset,
      reason: 'CRC-32C mismatch',
    });

    const failed = await cli(['--data-dir', dir, '--dest-type', 'print']);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain(`${mid.path} at offset ${victim.offset}`);

    const skipped = await cli(['-data-dir', dir, '-dest-type', 'print', '--skip-corrupt', '-log-level', 'error']);
    expect(skipped.code).toBe(0);
    expect(skipped.err).toContain(`skipped 1 corrupt range(s), ${victim.size} bytes`);
    expect(skipped.err).toContain(`${mid.path} offset ${victim.offset}`);
    // Everything but the damaged transaction is printed, through the last one.
    const printed = new Set([...skipped.out.matchAll(/^commit_ts: (\d+)/gm)].map((m) => m[1]));
    expect(printed.size).toBe(41);
    expect(printed.has(String(fixtureTs(42)))).toBe(true);
  });

  it('a corrupt magic resyncs on the next record', async () => {
    await fixture(10);
    const files = await listBinlogFiles(dir);
    const first = files[0]!;
    const recs = await offsets(first.path);
    await flipByte(first.path, recs[1]!.offset);
    const summary = await verifyDir(dir, { skipCorrupt: true });
    expect(summary[0]?.skipped).toEqual([{ offset: recs[1]!.offset, bytes: recs[1]!.size, reason: 'bad magic' }]);
    expect(summary[0]?.records).toBe(recs.length - 1);
  });

  it('a truncated last record is end of data; the same cut in an earlier file is corruption', async () => {
    await fixture(20);
    const files = await listBinlogFiles(dir);
    const last = files[files.length - 1]!;
    const size = (await stat(last.path)).size;
    await truncate(last.path, size - 3);
    const summary = await verifyDir(dir);
    expect(summary[summary.length - 1]?.truncatedBytes).toBeGreaterThan(0);
    const printed = await cli(['--data-dir', dir]);
    expect(printed.code).toBe(0);
    expect(printed.out).not.toContain(`commit_ts: ${fixtureTs(22)} `);
    expect(printed.out).toContain(`commit_ts: ${fixtureTs(21)} `);

    const firstBytes = await readFile(files[0]!.path);
    await writeFile(files[0]!.path, firstBytes.subarray(0, firstBytes.length - 2));
    const err = await verifyDir(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as BinlogFileError).details).toMatchObject({ file: files[0]!.path });
  });
});
