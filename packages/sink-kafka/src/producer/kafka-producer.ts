/** One record for the producer. `partition` is always chosen by the sink (manual partitioner, as TiCDC and the Go drainer). */
export interface ProducerRecord {
  readonly partition: number;
  /** null = no key (the Go drainer's binlog-pb, canal-json). */
  readonly key: Buffer | null;
  /** null = a tombstone (Avro deletes). */
  readonly value: Buffer | null;
}

export interface TopicRecords {
  readonly topic: string;
  readonly records: readonly ProducerRecord[];
}

/** What a new topic gets when the sink creates it. */
export interface TopicSpec {
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs, e.g. `cleanup.policy=compact` for the checkpoint topic. */
  readonly configs?: Readonly<Record<string, string>>;
}

export interface TopicMetadata {
  readonly partitions: number;
  /** The topic's `max.message.bytes` (or the broker's `message.max.bytes` when the topic has no override). */
  readonly maxMessageBytes: number | undefined;
}

/** A message read back from a partition. */
export interface ConsumedRecord {
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/**
 * The Kafka client the sink needs, small enough that another client (e.g. @platformatic/kafka or
 * @confluentinc/kafka-javascript) can be swapped in behind it.
 *
 * Contract: `send` resolves only when every record is acknowledged by all in-sync replicas (acks=all) and
 * records of one partition are appended in the order given (idempotent producer, one request in flight).
 * `sendAtomically` does the same inside one Kafka transaction: every record becomes visible to `read_committed`
 * consumers, or none does. Rejections are `SinkError`s (classified by Kafka error code). `close` is idempotent.
 */
export interface KafkaProducer {
  connect(signal: AbortSignal): Promise<void>;
  /** Creates the topic if missing (when allowed) and returns its partition count and size limit. */
  topicMetadata(topic: string, create: TopicSpec | undefined, signal: AbortSignal): Promise<TopicMetadata>;
  /** `maxRequestBytes`: no produce request (hence no partition's record batch) gets bigger than this. */
  send(batch: readonly TopicRecords[], signal: AbortSignal, maxRequestBytes?: number): Promise<void>;
  sendAtomically(batch: readonly TopicRecords[], signal: AbortSignal, maxRequestBytes?: number): Promise<void>;
  /** Reads one partition from `fromOffset` up to its current end (read_committed), calling `onRecord` per record. */
  readPartition(topic: string, partition: number, fromOffset: 'start' | 'tail', onRecord: (r: ConsumedRecord) => void, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
