import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBinlogDir } from '../reader/read-binlog-dir.js';
import { verifyDir } from '../reader/verify-dir.js';
import { PbEventBuilder } from '../reparo/pb-to-events.js';
import { CRASH_BASE_TS, crashTxn } from '../test-support/crash-writer.js';

const REPO = resolve(import.meta.dirname, '../../../..');
const CHILD = join(REPO, 'packages/sink-file/src/test-support/crash-writer.ts');
// Sized for the shared 2-core machine: each spawn costs ~2 s of tsx start-up, the kills land mid-write.
const TOTAL = 2000;
const CYCLES = 5;

let dir = '';
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** Runs the writer; kills it with SIGKILL `killAfterMs` after it reports "ready" (undefined: let it finish). */
function runWriter(killAfterMs: number | undefined): Promise<'killed' | 'done'> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(TOTAL), 'batch'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== undefined && timer === undefined && out.includes('ready'))
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') ok('killed');
      else if (code === 0) ok(out.includes('done') ? 'done' : 'killed');
      else fail(new Error(`writer exited with ${code}: ${err}`));
    });
  });
}

describe('kill -9 during writes', () => {
  it('after many SIGKILL cycles: verify is clean, every transaction is in the files exactly once, in order', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-crash-'));
    const outcomes: string[] = [];
    for (let c = 0; c < CYCLES; c++) outcomes.push(await runWriter(10 + ((c * 37) % 90)));
    expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThan(0);
    expect(await runWriter(undefined)).toBe('done');

    const summary = await verifyDir(dir);
    expect(summary.length).toBeGreaterThan(1);
    expect(summary.every((s) => s.truncatedBytes === 0 && s.skipped.length === 0)).toBe(true);

    const builder = new PbEventBuilder('UTC');
    const seen: bigint[] = [];
    for await (const item of readBinlogDir(dir)) {
      if (item.kind !== 'binlog') continue;
      const ev = builder.toEvent(item.binlog);
      seen.push(ev.commitTs);
      const i = Number(ev.commitTs - CRASH_BASE_TS);
      const want = crashTxn(i).changes[0];
      expect(ev.kind === 'txn' ? ev.changes.map((c) => (c.op === 'insert' ? c.after : [])) : []).toEqual([
        want?.op === 'insert' ? want.after : [],
      ]);
    }
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => CRASH_BASE_TS + BigInt(i + 1)));
  }, 120_000);
});
