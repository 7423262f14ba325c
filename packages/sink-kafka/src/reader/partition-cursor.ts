import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';

export interface CursorMessage {
  readonly offset: bigint;
  readonly value: Buffer | null;
}

/** How long a probe waits for the message at an offset before failing (the Go reader allows 11 minutes; loopback needs far less). */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Reads one partition at chosen offsets with a kafkajs consumer (a private group, no offset commits): `probe`
 * returns the first message at or after an offset; `stream` delivers every message from an offset on, in order,
 * one at a time (the consumer waits while the handler works, so memory stays bounded).
 */
export class PartitionCursor {
  private consumer: Consumer | undefined;
  private probeWaiter: { offset: bigint; resolve: (m: CursorMessage) => void } | undefined;
  private streamFrom: bigint | undefined;
  private streamHandler: ((m: CursorMessage) => Promise<void>) | undefined;
  private ready: Promise<void> | undefined;

  constructor(private readonly kafka: Kafka, readonly topic: string, readonly partition: number) {}

  async open(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `tidb-drainer-reader-${randomUUID()}`, readUncommitted: false, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    this.ready = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (partition !== this.partition) return;
        const m = { offset: BigInt(message.offset), value: message.value };
        const w = this.probeWaiter;
        if (w !== undefined && m.offset >= w.offset) {
          this.probeWaiter = undefined;
          w.resolve(m);
          return;
        }
        if (this.streamHandler !== undefined && this.streamFrom !== undefined && m.offset >= this.streamFrom) {
          this.streamFrom = m.offset + 1n;
          await this.streamHandler(m);
        }
      },
    });
    await this.ready;
  }

  private need(): Consumer {
    if (this.consumer === undefined) throw new Error('PartitionCursor used before open');
    return this.consumer;
  }

  probe(offset: bigint): Promise<CursorMessage> {
    const consumer = this.need();
    return new Promise<CursorMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.probeWaiter = undefined;
        reject(new Error(`no message at ${this.topic}[${this.partition}] offset ${offset} within ${PROBE_TIMEOUT_MS} ms`));
      }, PROBE_TIMEOUT_MS);
      this.probeWaiter = { offset, resolve: (m) => { clearTimeout(timer); resolve(m); } };
      consumer.seek({ topic: this.topic, partition: this.partition, offset: offset.toString() });
    });
  }

  stream(from: bigint, handler: (m: CursorMessage) => Promise<void>): void {
    this.streamFrom = from;
    this.streamHandler = handler;
    this.need().seek({ topic: this.topic, partition: this.partition, offset: from.toString() });
  }

  async close(): Promise<void> {
    this.streamHandler = undefined;
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }
}
