import { pino } from 'pino';
import type { KafkaSinkConfig } from '../config/kafka-sink-config.js';
import type { ProducerFactory } from '../sink/kafka-sink.js';
import { createKafkajsProducer } from '../producer/create-kafkajs-producer.js';
import type { KafkaProducer, TopicRecords } from '../producer/kafka-producer.js';
import { KafkajsProducer } from '../producer/kafkajs-producer.js';

export interface Fault {
  readonly on: 'open' | 'write';
  readonly kind: 'retryable' | 'fatal';
}

/** A broker address nothing listens on: connecting fails for real (connection refused). */
const DEAD_BROKER = '127.0.0.1:1';
/** Above the broker's default message.max.bytes (1 MiB): the broker answers MESSAGE_TOO_LARGE. */
const OVERSIZED = 2 * 1024 * 1024;

/**
 * Test-only: a producer factory whose next open/write fails for real, as the conformance suite asks — a dead broker
 * (retryable), an invalid topic name at the broker (fatal open), an oversized record the broker rejects (fatal write).
 */
export class FaultingProducers {
  private armed: Fault | undefined;

  arm(f: Fault): void {
    this.armed = f;
  }

  private take(on: Fault['on']): Fault | undefined {
    const f = this.armed;
    if (f?.on !== on) return undefined;
    this.armed = undefined;
    return f;
  }

  readonly factory: ProducerFactory = (config: KafkaSinkConfig, ctx, brokers, txnId) => {
    const inner = createKafkajsProducer(config, ctx, brokers, txnId);
    const take = (on: Fault['on']): Fault | undefined => this.take(on);
    /** A real connection failure (not a synthetic error): connects to a broker address nothing listens on. */
    const connectToDeadBroker = async (signal: AbortSignal): Promise<void> => {
      const d = new KafkajsProducer({ brokers: [DEAD_BROKER], clientId: 'fault', ackTimeoutMs: 1000, maxMessagesPerRequest: 10, compression: 'none', logger: pino({ level: 'silent' }) });
      try {
        await d.connect(signal);
      } finally {
        await d.close();
      }
    };
    const injectWriteFault = async (batch: readonly TopicRecords[], signal: AbortSignal): Promise<void> => {
      const f = take('write');
      if (f?.kind === 'retryable') await connectToDeadBroker(signal);
      if (f?.kind === 'fatal') {
        const first = batch[0];
        const big: TopicRecords[] = first === undefined ? [] : [{ topic: first.topic, records: [{ partition: 0, key: null, value: Buffer.alloc(OVERSIZED) }] }];
        await inner.send(big, signal);
      }
    };
    const wrapped: KafkaProducer = {
      connect: async (signal) => {
        const f = take('open');
        if (f?.kind === 'retryable') await connectToDeadBroker(signal);
        await inner.connect(signal);
        if (f?.kind === 'fatal') await inner.topicMetadata('invalid topic name!', { partitions: 1, replicationFactor: 1 }, signal);
      },
      topicMetadata: (t, c, s) => inner.topicMetadata(t, c, s),
      send: async (batch, signal, max) => {
        await injectWriteFault(batch, signal);
        await inner.send(batch, signal, max);
      },
      sendAtomically: async (batch, signal, max) => {
        await injectWriteFault(batch, signal);
        await inner.sendAtomically(batch, signal, max);
      },
      readPartition: (t, p, f, cb, s) => inner.readPartition(t, p, f, cb, s),
      close: () => inner.close(),
    };
    return wrapped;
  };
}
