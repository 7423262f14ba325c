import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { assertTestServerReachable } from './assert-server-reachable.js';
import { testServers } from './test-servers.js';
import { uniqueName } from './unique-name.js';

// Proves the Kafka of scripts/services.sh: plain produce/consume and transactions (single broker, RF 1 internal
// topics). An aborted transaction must be invisible to read_committed and visible to read_uncommitted.

/** Longer than a first consumer-group join on a busy 2-core box; short enough to fail fast when stuck. */
const CONSUME_TIMEOUT_MS = 30_000;

const kafka = new Kafka({
  clientId: 'drainer-smoke',
  brokers: [...testServers().kafkaBrokers],
  logLevel: logLevel.WARN,
});
const topic = uniqueName('smoke');

/** Reads the topic from the start until `last` arrives; returns every value seen, in order. */
async function consumeUntil(readUncommitted: boolean, last: string): Promise<string[]> {
  const consumer = kafka.consumer({
    groupId: uniqueName('smoke_group'),
    readUncommitted,
    allowAutoTopicCreation: false,
  });
  const seen: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`"${last}" not consumed within ${CONSUME_TIMEOUT_MS} ms; saw ${JSON.stringify(seen)}`)),
        CONSUME_TIMEOUT_MS,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const value = message.value?.toString() ?? '<null>';
            seen.push(value);
            if (value === last) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('Kafka test server', () => {
  beforeAll(async () => {
    await assertTestServerReachable('kafka');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }

    const plain = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await plain.connect();
    await plain.send({ topic, acks: -1, messages: [{ key: 'k', value: 'plain-1' }] });
    await plain.disconnect();

    // kafkajs does not enforce the in-flight limit itself; one in flight keeps idempotent sequences ordered.
    const txp = kafka.producer({
      transactionalId: uniqueName('smoke_txn'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await txp.connect();
    try {
      for (const [value, outcome] of [
        ['committed-1', 'commit'],
        ['aborted', 'abort'],
        ['committed-2', 'commit'],
      ] as const) {
        const txn = await txp.transaction();
        await txn.send({ topic, messages: [{ key: 'k', value }] });
        if (outcome === 'commit') await txn.commit();
        else await txn.abort();
      }
    } finally {
      await txp.disconnect();
    }
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).finally(() => admin.disconnect());
  });

  it('read_committed sees committed transactions and plain messages, not the aborted one', async () => {
    expect(await consumeUntil(false, 'committed-2')).toEqual(['plain-1', 'committed-1', 'committed-2']);
  });

  it('read_uncommitted also sees the aborted transaction (so the abort really wrote records)', async () => {
    expect(await consumeUntil(true, 'committed-2')).toEqual(['plain-1', 'committed-1', 'aborted', 'committed-2']);
  });
});
