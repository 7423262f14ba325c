import { createSinkContext } from '@tidb-drainer/core/sdk';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { kafkaSinkConfigSchema } from '../config/kafka-sink-config.js';
import type { KafkaProducer } from '../producer/kafka-producer.js';
import { testEnv } from '../test-support/sink-harness.js';
import { KafkaSink } from './kafka-sink.js';

/** A narrow producer double: records what the sink sends; `failConnect` makes the first connect fail. */
function fakeProducer(state: { connects: number; closes: number; failFirst: boolean }): KafkaProducer {
  return {
    connect: () => {
      state.connects++;
      return state.failFirst && state.connects === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
    },
    topicMetadata: () => Promise.resolve({ partitions: 1, maxMessageBytes: 1048588 }),
    send: () => Promise.resolve(),
    sendAtomically: () => Promise.resolve(),
    readPartition: () => Promise.resolve(),
    close: () => {
      state.closes++;
      return Promise.resolve();
    },
  };
}

describe('KafkaSink lifecycle', () => {
  it('a failed open releases the client and can be retried with the same metrics registry', async () => {
    const state = { connects: 0, closes: 0, failFirst: true };
    const sink = new KafkaSink(kafkaSinkConfigSchema.parse({}), testEnv, () => fakeProducer(state));
    const metrics = new Registry();
    await expect(sink.open(createSinkContext({ metrics }))).rejects.toThrow('boom');
    expect(state.closes).toBe(1);
    await sink.open(createSinkContext({ metrics }));
    expect(state.connects).toBe(2);
    expect(await metrics.getSingleMetricAsString('kafka_sink_messages_total')).toContain('kafka_sink_messages_total');
    await sink.close();
    await sink.close();
    expect(state.closes).toBe(2);
  });
});
