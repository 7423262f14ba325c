import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Admin, KafkaConfig, Producer, SASLOptions, logCreator } from 'kafkajs';
import { AbortedError } from '@tidb-drainer/core/sdk';
import type { SinkContext } from '@tidb-drainer/core/sdk';
type Logger = SinkContext['logger'];
import { classifyKafkaError } from './classify-kafka-error.js';
import type { ConsumedRecord, KafkaProducer, TopicMetadata, TopicRecords, TopicSpec } from './kafka-producer.js';
import { raceAbort } from './race-abort.js';
import { messageSize } from '../large/message-size.js';

// kafkajs is CommonJS: Node's ESM loader does not see all of its named exports.
const { CompressionTypes, ConfigResourceTypes, Kafka, logLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

interface OutTopic {
  readonly topic: string;
  readonly messages: { partition: number; key: Buffer | null; value: Buffer | null }[];
}

export interface KafkajsProducerOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ackTimeoutMs: number;
  /** Records per produce request; larger batches are sent as several requests in order. */
  readonly maxMessagesPerRequest: number;
  readonly compression: 'none' | 'gzip';
  /** Set for exactly-once: the producer becomes transactional. */
  readonly transactionalId?: string;
  readonly tls?: { readonly enabled: boolean; readonly ca?: string; readonly cert?: string; readonly key?: string; readonly insecureSkipVerify: boolean };
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string };
  readonly logger: Logger;
}

/** Retries inside kafkajs before a request fails up to the runner (which then backs off and resends the batch). */
const CLIENT_RETRIES = 5;
/** How long a read of a partition may wait for data before concluding it reached the end. */
const READ_IDLE_MS = 3_000;

function pinoLogCreator(logger: Logger): logCreator {
  return () => ({ namespace, level, log }) => {
    const { message, ...extra } = log;
    const entry = { component: 'kafkajs', namespace, ...extra };
    if (level === logLevel.ERROR) logger.error(entry, message);
    else if (level === logLevel.WARN) logger.warn(entry, message);
    else logger.debug(entry, message);
  };
}

function saslOptions(s: NonNullable<KafkajsProducerOptions['sasl']>): SASLOptions {
  switch (s.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: s.username, password: s.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: s.username, password: s.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: s.username, password: s.password };
  }
}

function kafkaConfig(o: KafkajsProducerOptions): KafkaConfig {
  const cfg: KafkaConfig = {
    brokers: [...o.brokers],
    clientId: o.clientId,
    requestTimeout: o.ackTimeoutMs,
    retry: { retries: CLIENT_RETRIES },
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(o.logger),
  };
  if (o.tls?.enabled === true) {
    const t = o.tls;
    cfg.ssl = {
      rejectUnauthorized: !t.insecureSkipVerify,
      ...(t.ca === undefined ? {} : { ca: [readFileSync(t.ca, 'utf8')] }),
      ...(t.cert === undefined ? {} : { cert: readFileSync(t.cert, 'utf8') }),
      ...(t.key === undefined ? {} : { key: readFileSync(t.key, 'utf8') }),
    };
  }
  if (o.sasl !== undefined) cfg.sasl = saslOptions(o.sasl);
  return cfg;
}

/** The KafkaProducer over kafkajs: acks=all, idempotent, one request in flight so partition order holds on retry. */
export class KafkajsProducer implements KafkaProducer {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private closed = false;

  constructor(private readonly opts: KafkajsProducerOptions) {
    this.kafka = new Kafka(kafkaConfig(opts));
  }

  async connect(signal: AbortSignal): Promise<void> {
    const producer = this.kafka.producer({
      idempotent: true,
      // kafkajs does not enforce this itself with idempotence; we never issue two sends at once.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      ...(this.opts.transactionalId === undefined ? {} : { transactionalId: this.opts.transactionalId }),
    });
    const admin = this.kafka.admin();
    this.producer = producer;
    this.admin = admin;
    try {
      await raceAbort(Promise.all([producer.connect(), admin.connect()]), signal, 'kafka connect');
    } catch (err) {
      throw classifyKafkaError(err, 'connecting to Kafka', { brokers: this.opts.brokers.join(',') });
    }
  }

  private need(): { producer: Producer; admin: Admin } {
    if (this.producer === undefined || this.admin === undefined) throw new Error('KafkajsProducer used before connect');
    return { producer: this.producer, admin: this.admin };
  }

  async topicMetadata(topic: string, create: TopicSpec | undefined, signal: AbortSignal): Promise<TopicMetadata> {
    const { admin } = this.need();
    try {
      const existing = await raceAbort(admin.listTopics(), signal, 'kafka list topics');
      if (!existing.includes(topic)) {
        if (create === undefined) throw classifyKafkaError({ name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 }, `topic ${topic} does not exist`, { topic });
        await raceAbort(
          admin.createTopics({
            waitForLeaders: true,
            topics: [{
              topic,
              numPartitions: create.partitions,
              replicationFactor: create.replicationFactor,
              configEntries: Object.entries(create.configs ?? {}).map(([name, value]) => ({ name, value })),
            }],
          }),
          signal,
          'kafka create topic',
        );
      }
      const md = await raceAbort(admin.fetchTopicMetadata({ topics: [topic] }), signal, 'kafka topic metadata');
      const partitions = md.topics[0]?.partitions.length ?? 0;
      const cfg = await raceAbort(
        admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }] }),
        signal,
        'kafka describe configs',
      );
      const raw = cfg.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue;
      return { partitions, maxMessageBytes: raw === undefined ? undefined : Number(raw) };
    } catch (err) {
      throw classifyKafkaError(err, `reading metadata of topic ${topic}`, { topic });
    }
  }

  /**
   * Sends in order, in requests of at most `maxMessagesPerRequest` records and `maxRequestBytes` bytes: kafkajs
   * puts all records of a partition into one record batch, which the broker checks against max.message.bytes.
   */
  private async sendChunks(batch: readonly TopicRecords[], maxRequestBytes: number, sendOne: (msgs: OutTopic[]) => Promise<unknown>): Promise<void> {
    const max = this.opts.maxMessagesPerRequest;
    let chunk: OutTopic[] = [];
    let count = 0;
    let bytes = 0;
    for (const t of batch) {
      let current: OutTopic | undefined;
      for (const r of t.records) {
        const size = messageSize(r.key, r.value);
        if (count > 0 && (count >= max || bytes + size > maxRequestBytes)) {
          await sendOne(chunk);
          chunk = [];
          current = undefined;
          count = 0;
          bytes = 0;
        }
        if (current === undefined) {
          current = { topic: t.topic, messages: [] };
          chunk.push(current);
        }
        current.messages.push({ partition: r.partition, key: r.key, value: r.value });
        count++;
        bytes += size;
      }
    }
    if (count > 0) await sendOne(chunk);
  }

  async send(batch: readonly TopicRecords[], signal: AbortSignal, maxRequestBytes = Number.MAX_SAFE_INTEGER): Promise<void> {
    const { producer } = this.need();
    const compression = this.opts.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    try {
      await raceAbort(
        this.sendChunks(batch, maxRequestBytes, (topicMessages) => producer.sendBatch({ topicMessages, acks: -1, timeout: this.opts.ackTimeoutMs, compression })),
        signal,
        'kafka send',
      );
    } catch (err) {
      throw classifyKafkaError(err, 'sending to Kafka');
    }
  }

  async sendAtomically(batch: readonly TopicRecords[], signal: AbortSignal, maxRequestBytes = Number.MAX_SAFE_INTEGER): Promise<void> {
    const { producer } = this.need();
    const compression = this.opts.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    let txn: Awaited<ReturnType<Producer['transaction']>> | undefined;
    try {
      const t = await raceAbort(producer.transaction(), signal, 'kafka begin transaction');
      txn = t;
      await raceAbort(
        this.sendChunks(batch, maxRequestBytes, (topicMessages) => t.sendBatch({ topicMessages, acks: -1, timeout: this.opts.ackTimeoutMs, compression })),
        signal,
        'kafka transactional send',
      );
      await raceAbort(t.commit(), signal, 'kafka commit transaction');
    } catch (err) {
      if (txn?.isActive() === true) await txn.abort().catch(() => undefined);
      throw classifyKafkaError(err, 'sending a Kafka transaction');
    }
  }

  async readPartition(topic: string, partition: number, from: 'start' | 'tail', onRecord: (r: ConsumedRecord) => void, signal: AbortSignal): Promise<void> {
    const { admin } = this.need();
    const offsets = await raceAbort(admin.fetchTopicOffsets(topic), signal, 'kafka fetch offsets');
    const p = offsets.find((o) => o.partition === partition);
    if (p === undefined) return;
    const low = BigInt(p.low);
    const high = BigInt(p.high); // the last stable offset: admin requests are read_committed
    if (high <= low) return;
    // `tail`: the last few hundred offsets hold the newest committed record unless many transactions aborted.
    const start = from === 'start' || high - low <= 256n ? low : high - 256n;
    const consumer = this.kafka.consumer({ groupId: `tidb-drainer-read-${randomUUID()}`, readUncommitted: false, allowAutoTopicCreation: false });
    let idle: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const finish = (): void => resolve();
        const arm = (): void => {
          clearTimeout(idle);
          idle = setTimeout(finish, READ_IDLE_MS);
        };
        signal.addEventListener('abort', () => reject(new AbortedError(`reading ${topic}`, signal.reason)), { once: true });
        consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
          if (e.payload.topic === topic && e.payload.partition === partition && BigInt(e.payload.lastOffset) >= high - 1n) finish();
          else arm();
        });
        arm();
        consumer
          .run({
            autoCommit: false,
            eachMessage: ({ partition: part, message }) => {
              if (part === partition) onRecord({ offset: BigInt(message.offset), key: message.key, value: message.value });
              return Promise.resolve();
            },
          })
          .then(() => consumer.seek({ topic, partition, offset: start.toString() }), reject);
      });
    } catch (err) {
      throw classifyKafkaError(err, `reading ${topic}[${partition}]`, { topic, partition });
    } finally {
      clearTimeout(idle);
      await consumer.disconnect().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.producer?.disconnect(), this.admin?.disconnect()]);
  }
}
