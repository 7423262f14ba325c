import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../checkpoint/file-checkpoint-store.js';
import type { ChangeEvent } from '../model/events.js';
import { createJsonlSink } from '../sinks/jsonl-sink.js';
import { parseJsonlRecord } from '../sinks/jsonl-codec.js';
import { Runner } from './runner.js';

/**
 * kill -9 in the middle of a run, then a restart from the stored checkpoint: nothing is lost, and the only records
 * written twice are after the checkpoint (inside the replay window). Real process, real files, real SIGKILL.
 */
const TOTAL = 3000;
const FIRST_TS = 1001n;
/** The source both runs read: transaction i has commit ts 1000+i and 2 rows. */
const SOURCE = `
  export async function* source(after, total, delayEvery) {
    for (let i = 1; i <= total; i++) {
      const ts = 1000n + BigInt(i);
      if (ts <= after) continue;
      if (delayEvery > 0 && i % delayEvery === 0) await new Promise((r) => setTimeout(r, 1));
      const tableInfo = { id: 1, schema: 's', name: 't', columns: [{ name: 'id' }, { name: 'v' }], indices: [] };
      const changes = [0, 1].map((k) => ({ op: 'insert', schema: 's', table: 't', tableInfo, after: [BigInt(i * 2 + k), 'x'] }));
      yield { kind: 'txn', commitTs: ts, startTs: ts - 1n, schemaVersion: 1, changes, bytes: 64 };
    }
  }
`;

async function* source(after: bigint, total: number): AsyncGenerator<ChangeEvent> {
  const url = `data:text/javascript,${encodeURIComponent(SOURCE)}`;
  const mod = (await import(url)) as { source: (a: bigint, t: number, d: number) => AsyncGenerator<ChangeEvent> };
  yield* mod.source(after, total, 0);
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('Runner crash and restart (jsonl + file checkpoint)', () => {
  it('after kill -9 it resumes from the checkpoint: nothing lost, replays only after the checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runner-crash-'));
    dirs.push(dir);
    const out = join(dir, 'out.jsonl');
    const here = (f: string): string => new URL(f, import.meta.url).href;
    const script = `
      import { Runner } from ${JSON.stringify(here('./runner.ts'))};
      import { FileCheckpointStore } from ${JSON.stringify(here('../checkpoint/file-checkpoint-store.ts'))};
      import { createJsonlSink } from ${JSON.stringify(here('../sinks/jsonl-sink.ts'))};
      const { source } = await import(${JSON.stringify(`data:text/javascript,${encodeURIComponent(SOURCE)}`)});
      const runner = new Runner({
        sink: createJsonlSink({ path: ${JSON.stringify(out)} }),
        sinkType: 'jsonl',
        checkpointStore: new FileCheckpointStore({ dataDir: ${JSON.stringify(dir)} }),
        checkpointIntervalMs: 20,
        initialCommitTs: 1000n,
        batch: { maxTxns: 7 },
      });
      await runner.open(new AbortController().signal);
      await runner.run(source(0n, ${TOTAL}, 5), new AbortController().signal);
      console.log('finished');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once a checkpoint exists and the output has moved on past it.
    const store = new FileCheckpointStore({ dataDir: dir });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const cp = await store.load().catch(() => undefined);
      const size = await stat(out).then((s) => s.size, () => 0);
      if (cp !== undefined && cp.commitTs > FIRST_TS + 50n && size > 20_000) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child did not make progress: ${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stdout).not.toContain('finished');

    const crashed = await store.load();
    expect(crashed?.consistent).toBe(false);
    const cp1 = crashed?.commitTs ?? 0n;
    expect(cp1).toBeLessThan(FIRST_TS + BigInt(TOTAL) - 1n); // the crash really was mid-run

    // Restart in this process, reading the upstream again from after the checkpoint.
    const runner = new Runner({
      sink: createJsonlSink({ path: out }),
      sinkType: 'jsonl',
      checkpointStore: store,
      currentTso: () => Promise.resolve(FIRST_TS + BigInt(TOTAL)),
    });
    const resume = await runner.open(new AbortController().signal);
    expect(resume.checkpoint).toBe(cp1);
    expect(resume.replaySafeUntil).toBe(FIRST_TS + BigInt(TOTAL));
    const result = await runner.run(source(resume.checkpoint, TOTAL), new AbortController().signal);
    expect(result.outcome).toBe('completed');
    expect(result.checkpoint).toMatchObject({ commitTs: FIRST_TS + BigInt(TOTAL) - 1n, consistent: true });

    // Every line parses (a half-written line from the crash was cut on reopen) and every row is there.
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    const seen = new Map<string, number>();
    for (const line of lines) {
      const r = parseJsonlRecord(line);
      if (r.type !== 'insert') throw new Error(`unexpected record ${line}`);
      const id = r.after['id'];
      if (typeof id !== 'bigint') throw new Error(`id is not an integer in ${line}`);
      const key = `${r.commitTs}:${id}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (let i = 1; i <= TOTAL; i++) {
      const ts = 1000n + BigInt(i);
      for (const k of [0, 1]) expect(seen.get(`${ts}:${i * 2 + k}`), `row ${i}/${k} at ${ts}`).toBeGreaterThanOrEqual(1);
    }
    const replayed = [...seen].filter(([, n]) => n > 1).map(([k]) => BigInt(k.split(':')[0] ?? '0'));
    expect(replayed.every((ts) => ts > cp1 && ts <= resume.replaySafeUntil)).toBe(true);
    expect(seen.size).toBe(TOTAL * 2);
  }, 60_000);
});
