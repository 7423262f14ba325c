import { MysqlType } from '@tidb-drainer/core/sdk';
import type { Txn } from '@tidb-drainer/core/sdk';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { eoTxns } from '../test-support/exactly-once-workload.js';
import { decodeSecondaryBinlog } from '../encodings/binlog-pb/decode-secondary-binlog.js';
import { encodeSecondaryBinlog } from '../encodings/binlog-pb/encode-secondary-binlog.js';
import { txnToSecondaryBinlog } from '../encodings/binlog-pb/txn-to-secondary-binlog.js';
import { KAFKA_BROKERS, readTopic, requireKafka, testKafka, uniqueTopic } from '../test-support/kafka-env.js';
import { makeTable } from '../test-support/make-table.js';
import { batchOf, openSink, txn } from '../test-support/sink-harness.js';
import { checkpointKey, encodeCheckpoint } from './checkpoint-record.js';

beforeAll(requireKafka);

const signal = new AbortController().signal;
const t = makeTable('eo', 'rows', [{ name: 'id', type: MysqlType.Long, pk: true }]);
const txns: Txn[] = Array.from({ length: 30 }, (_, i) => txn(BigInt(5000 + i) << 18n, [{ op: 'insert', schema: 'eo', table: 'rows', tableInfo: t, after: [BigInt(i)] }]));
const cp = (x: Txn) => ({ commitTs: x.commitTs, schemaVersion: 1, consistent: false });

describe('exactly-once delivery with Kafka transactions', () => {
  it('a crash mid-transaction is aborted; restart resumes from the stored checkpoint; read_committed sees every txn once, no gap', async () => {
    const topic = uniqueTopic('eo');
    const ckpt = `${topic}_ckpt`;
    const txnId = `txn-${topic}`;
    const cfg = { 'topic-name': topic, 'partition-num': 1, delivery: 'exactly-once', 'checkpoint-topic': ckpt, 'transactional-id': txnId };

    // Run 1: two batches committed with their checkpoints.
    const a = await openSink(cfg);
    expect(await a.loadCheckpoint(signal)).toBeUndefined();
    await a.write(batchOf(txns.slice(0, 10), cp(txns[9]!)), signal);
    await a.write(batchOf(txns.slice(10, 20), cp(txns[19]!)), signal);
    await a.close();

    // A drainer "killed -9" in the middle of the next batch: its transaction holds data and a checkpoint, never committed.
    const zombie = testKafka().producer({ transactionalId: txnId, idempotent: true, maxInFlightRequests: 1 });
    await zombie.connect();
    const open = await zombie.transaction();
    await open.send({ topic, messages: txns.slice(20, 25).map((x) => ({ partition: 0, value: encodeSecondaryBinlog(txnToSecondaryBinlog(x, 'UTC')) })) });
    await open.send({ topic: ckpt, messages: [{ partition: 0, key: checkpointKey(7n), value: encodeCheckpoint(cp(txns[24]!)) }] });
    await zombie.disconnect(); // no commit, no abort

    // Run 2: the same transactional id fences the zombie; the checkpoint read back is the last committed one.
    const b = await openSink(cfg);
    const stored = await b.loadCheckpoint(signal);
    expect(stored?.commitTs).toBe(txns[19]!.commitTs);
    const resume = txns.filter((x) => x.commitTs > (stored?.commitTs ?? 0n));
    await b.write(batchOf(resume.slice(0, 5), cp(resume[4]!)), signal);
    await b.write(batchOf(resume.slice(5), cp(resume[resume.length - 1]!)), signal);
    await b.saveCheckpoint({ commitTs: (txns[29]!.commitTs) + 10n, schemaVersion: 1, consistent: true }, signal);
    expect((await b.loadCheckpoint(signal))).toMatchObject({ commitTs: txns[29]!.commitTs + 10n, consistent: true });
    await b.close();

    const committed = (await readTopic(topic)).map((r) => decodeSecondaryBinlog(r.value ?? Buffer.alloc(0)).commitTs);
    expect(committed).toEqual(txns.map((x) => x.commitTs));
    // read_uncommitted shows the aborted copy of txns 20..24: the transaction really was written and aborted.
    const all = (await readTopic(topic, { readCommitted: false })).map((r) => decodeSecondaryBinlog(r.value ?? Buffer.alloc(0)).commitTs);
    expect(all).toHaveLength(35);
  });

  it('kill -9 of a drainer process mid-run: restart from the Kafka checkpoint, read_committed sees every txn exactly once', async () => {
    const topic = uniqueTopic('eo_kill');
    const cfg = { 'kafka-addrs': KAFKA_BROKERS.join(','), 'topic-name': topic, 'partition-num': 1, delivery: 'exactly-once', 'checkpoint-topic': `${topic}_ckpt`, 'transactional-id': `txn-${topic}` };
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../test-support/exactly-once-child.ts', import.meta.url))], {
      env: { ...process.env, EO_CONFIG: JSON.stringify(cfg) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Kill it after a few committed batches, while it is in the middle of the next ones.
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('batch 5\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${String(code)}): ${out}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const all = eoTxns();
    const sink = await openSink(cfg);
    const stored = await sink.loadCheckpoint(signal);
    expect(stored).toBeDefined();
    const rest = all.filter((x) => x.commitTs > (stored?.commitTs ?? 0n));
    for (let i = 0; i < rest.length; i += 100) {
      const b = rest.slice(i, i + 100);
      await sink.write(batchOf(b, cp(b[b.length - 1]!)), signal);
    }
    await sink.close();
    const committed = (await readTopic(topic)).map((r) => decodeSecondaryBinlog(r.value ?? Buffer.alloc(0)).commitTs);
    expect(committed).toEqual(all.map((x) => x.commitTs));
  });
});
