import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MysqlType, SinkError } from '@tidb-drainer/core/sdk';
import type { Txn } from '@tidb-drainer/core/sdk';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSecondaryBinlog } from '../encodings/binlog-pb/decode-secondary-binlog.js';
import { uniqueTopic } from '../test-support/kafka-env.js';
import { makeTable } from '../test-support/make-table.js';
import { batchOf, openSink, txn } from '../test-support/sink-harness.js';

/**
 * A private single-node broker (its own ports and data dir, started with the project's services script) is
 * stopped while the sink is running and started again: the write in between fails with a retryable SinkError and
 * the resent batch succeeds once the broker is back. About half a minute: two broker starts on a shared 2-core box.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sink-kafka-restart-'));
let PORT = 0;
let env: NodeJS.ProcessEnv = {};
const services = (cmd: 'up' | 'down'): void => void execFileSync('bash', ['scripts/services.sh', cmd, 'kafka'], { cwd: ROOT, env, stdio: 'pipe', timeout: 180_000 });

/** A port nothing listens on now (the OS picks it), so the private broker never collides with another run's. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const t = makeTable('r', 'rows', [{ name: 'id', type: MysqlType.Long, pk: true }]);
const txns: Txn[] = Array.from({ length: 6 }, (_, i) => txn(BigInt(7000 + i) << 18n, [{ op: 'insert', schema: 'r', table: 'rows', tableInfo: t, after: [BigInt(i)] }]));

beforeAll(async () => {
  PORT = await freePort();
  env = { ...process.env, DRAINER_SERVICES_DIR: dir, DRAINER_TEST_KAFKA_PORT: String(PORT), DRAINER_TEST_KAFKA_CONTROLLER_PORT: String(await freePort()) };
  services('up');
}, 200_000);
afterAll(() => {
  try {
    services('down');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('broker restarted mid-run', () => {
  it('the write during the outage is a retryable SinkError; the resent batch succeeds after the restart; nothing is lost', async () => {
    const topic = uniqueTopic('restart');
    const signal = new AbortController().signal;
    const sink = await openSink({ 'kafka-addrs': `127.0.0.1:${PORT}`, 'topic-name': topic, 'partition-num': 1, 'ack-timeout-ms': 2000 });
    try {
      await sink.write(batchOf(txns.slice(0, 3)), signal);
      services('down');
      const second = batchOf(txns.slice(3));
      const err = await sink.write(second, signal).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(SinkError);
      expect({ code: (err as SinkError).code, retryable: (err as SinkError).retryable }).toEqual({ code: 'E_KAFKA_RETRYABLE', retryable: true });
      services('up');
      await sink.write(second, signal); // the runner's resend of the same batch
    } finally {
      await sink.close();
    }
    const kafka = new kafkajs.Kafka({ brokers: [`127.0.0.1:${PORT}`], logLevel: kafkajs.logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueTopic('g') });
    const seen: bigint[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${seen.length} messages read back`)), 30_000);
      consumer
        .run({
          eachMessage: ({ message }) => {
            seen.push(decodeSecondaryBinlog(message.value ?? Buffer.alloc(0)).commitTs);
            if (new Set(seen).size === txns.length) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    // At-least-once: every transaction is there, in commit-ts order (a duplicate may repeat a suffix).
    expect([...new Set(seen)]).toEqual(txns.map((x) => x.commitTs));
  });
});
