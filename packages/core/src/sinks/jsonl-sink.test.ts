import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTxnBatch, createSinkContext } from '../sdk/index.js';
import { testTxn } from '../runner/runner-test-kit.js';
import { createJsonlSink } from './jsonl-sink.js';
import { parseJsonlRecord } from './jsonl-codec.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('jsonl sink file handling', () => {
  it('cuts a half-written last line left by a crash before appending', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
    dirs.push(dir);
    const path = join(dir, 'out.jsonl');
    const first = createJsonlSink({ path });
    await first.open(createSinkContext());
    await first.write(buildTxnBatch(1, [testTxn(10n)]), new AbortController().signal);
    await first.close();
    const whole = await readFile(path, 'utf8');
    await writeFile(path, `${whole}{"type":"insert","commitTs":11,"sta`); // the crash
    const second = createJsonlSink({ path });
    await second.open(createSinkContext());
    await second.write(buildTxnBatch(1, [testTxn(11n)]), new AbortController().signal);
    await second.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => parseJsonlRecord(l).commitTs)).toEqual([10n, 11n]);
  });

  it('a file with no newline at all is emptied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
    dirs.push(dir);
    const path = join(dir, 'out.jsonl');
    await writeFile(path, '{"type":"ins');
    const sink = createJsonlSink({ path });
    await sink.open(createSinkContext());
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('');
  });
});
