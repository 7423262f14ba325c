import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileCheckpointStore, Runner } from '@tidb-drainer/core';
import type { ChangeEvent } from '@tidb-drainer/core/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaSinkConfigSchema } from '../config/kafka-sink-config.js';
import { decodeSecondaryBinlog } from '../encodings/binlog-pb/decode-secondary-binlog.js';
import { createKafkajsProducer } from '../producer/create-kafkajs-producer.js';
import { KAFKA_BROKERS, readTopic, requireKafka, uniqueTopic } from '../test-support/kafka-env.js';
import { testEnv } from '../test-support/sink-harness.js';
import { KafkaSink } from './kafka-sink.js';

/**
 * At-least-once across a real kill -9: a child process runs the Runner + Kafka sink (file checkpoint), is killed
 * mid-run, and a restart resumes from the saved checkpoint. Every transaction is in Kafka; the only duplicates are
 * after the checkpoint (the replay window).
 */
const TOTAL = 3000;
const SOURCE = `
  export async function* source(after, total) {
    const tableInfo = { id: 1, schema: 's', name: 't', pkIsHandle: true, isCommonHandle: false, schemaVersion: 1, charset: 'utf8mb4', collation: 'utf8mb4_bin', indices: [],
      columns: [{ id: 1, name: 'id', offset: 0, type: 8, flag: 3, length: 20, decimal: 0, charset: 'binary', collation: 'binary', elems: [], unsigned: false, nullable: false, generated: false, generatedStored: false, hidden: false, typeText: 'bigint' }] };
    for (let i = 1; i <= total; i++) {
      const ts = (100000n + BigInt(i)) << 18n;
      if (ts <= after) continue;
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
      yield { kind: 'txn', commitTs: ts, startTs: ts - 1n, schemaVersion: 1, changes: [{ op: 'insert', schema: 's', table: 't', tableInfo, after: [BigInt(i)] }], bytes: 64 };
    }
  }
`;
const sourceUrl = `data:text/javascript,${encodeURIComponent(SOURCE)}`;
const lastTs = (100000n + BigInt(TOTAL)) << 18n;

let dir = '';
beforeAll(async () => {
  await requireKafka();
  dir = await mkdtemp(join(tmpdir(), 'sink-kafka-crash-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('at-least-once across kill -9 (Runner + file checkpoint)', () => {
  it('resumes from the checkpoint: nothing lost, duplicates only inside the replay window', async () => {
    const topic = uniqueTopic('crash');
    const config = { 'kafka-addrs': KAFKA_BROKERS.join(','), 'topic-name': topic, 'partition-num': 1 };
    const here = (f: string): string => new URL(f, import.meta.url).href;
    const script = `
      import { FileCheckpointStore, Runner } from '@tidb-drainer/core';
      import { kafkaSinkConfigSchema } from ${JSON.stringify(here('../config/kafka-sink-config.ts'))};
      import { createKafkajsProducer } from ${JSON.stringify(here('../producer/create-kafkajs-producer.ts'))};
      import { KafkaSink } from ${JSON.stringify(here('./kafka-sink.ts'))};
      const { source } = await import(${JSON.stringify(sourceUrl)});
      const env = { dbType: 'kafka', workerCount: 1, txnBatch: 20, safeMode: false, timezone: 'UTC' };
      const runner = new Runner({
        sink: new KafkaSink(kafkaSinkConfigSchema.parse(${JSON.stringify(config)}), env, createKafkajsProducer),
        sinkType: 'kafka',
        checkpointStore: new FileCheckpointStore({ dataDir: ${JSON.stringify(dir)} }),
        checkpointIntervalMs: 20,
        initialCommitTs: 1n,
        batch: { maxTxns: 10 },
      });
      await runner.open(new AbortController().signal);
      await runner.run(source(0n, ${TOTAL}), new AbortController().signal);
      console.log('finished');
    `;
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.test.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
    const store = new FileCheckpointStore({ dataDir: dir });
    const deadline = Date.now() + 40_000;
    for (;;) {
      const cp = await store.load().catch(() => undefined);
      if (cp !== undefined && cp.commitTs > (100200n << 18n)) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child made no progress: ${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stdout).not.toContain('finished');
    const crashed = await store.load();
    const cp1 = crashed?.commitTs ?? 0n;
    expect(cp1).toBeLessThan(lastTs);

    const runner = new Runner({
      sink: new KafkaSink(kafkaSinkConfigSchema.parse(config), testEnv, createKafkajsProducer),
      sinkType: 'kafka',
      checkpointStore: store,
      currentTso: () => Promise.resolve(lastTs + 1n),
    });
    const resume = await runner.open(new AbortController().signal);
    expect(resume.checkpoint).toBe(cp1);
    const { source } = (await import(sourceUrl)) as { source: (after: bigint, total: number) => AsyncGenerator<ChangeEvent> };
    const result = await runner.run(source(resume.checkpoint, TOTAL), new AbortController().signal);
    expect(result.outcome).toBe('completed');

    const seen = new Map<bigint, number>();
    for (const r of await readTopic(topic)) {
      const ts = decodeSecondaryBinlog(r.value ?? Buffer.alloc(0)).commitTs;
      seen.set(ts, (seen.get(ts) ?? 0) + 1);
    }
    expect(seen.size).toBe(TOTAL);
    for (let i = 1; i <= TOTAL; i++) expect(seen.has((100000n + BigInt(i)) << 18n)).toBe(true);
    const dup = [...seen].filter(([, n]) => n > 1).map(([ts]) => ts);
    expect(dup.every((ts) => ts > cp1)).toBe(true);
  }, 120_000);
});
