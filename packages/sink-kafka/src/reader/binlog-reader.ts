import kafkajs from 'kafkajs';
import { decodeSecondaryBinlog } from '../encodings/binlog-pb/decode-secondary-binlog.js';
import type { SecondaryBinlog } from '../encodings/binlog-pb/secondary-binlog.js';
import { findOffsetByTs } from './find-offset-by-ts.js';
import { PartitionCursor } from './partition-cursor.js';

// kafkajs is CommonJS: Node's ESM loader does not see all of its named exports.
const { Kafka, logLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

export interface BinlogReaderConfig {
  /** Brokers, e.g. `['127.0.0.1:9092']`. */
  readonly brokers: readonly string[];
  /** Topic; default `<clusterId>_obinlog`. */
  readonly topic?: string;
  readonly clusterId?: bigint;
  /** Start after this commit ts (binary search for the offset, as the Go reader). 0/undefined = use `offset`. */
  readonly commitTs?: bigint;
  /** Start offset when `commitTs` is not given (default: the oldest). */
  readonly offset?: bigint;
  readonly clientId?: string;
}

/** One message as the Go reader delivers it. */
export interface BinlogMessage {
  readonly binlog: SecondaryBinlog;
  readonly offset: bigint;
}

/** Items buffered between the consumer and the iterator; the consumer waits when it is full. */
const BUFFER = 64;

/**
 * A TypeScript counterpart of tidb-tools' Kafka `driver/reader`: reads partition 0 of the drainer's topic,
 * starting at the first message with commit ts > `commitTs` (found by binary search), skips messages whose commit
 * ts is not greater than `commitTs` and messages that do not decode, and yields `{binlog, offset}` in order.
 */
export class BinlogReader implements AsyncIterable<BinlogMessage> {
  private readonly kafka: Kafka;
  private readonly topic: string;
  private cursor: PartitionCursor | undefined;
  private readonly queue: BinlogMessage[] = [];
  private wake: (() => void) | undefined;
  private space: (() => void) | undefined;
  private closed = false;

  constructor(private readonly config: BinlogReaderConfig) {
    if (config.topic === undefined && config.clusterId === undefined) throw new TypeError('BinlogReader needs topic or clusterId');
    this.topic = config.topic ?? `${String(config.clusterId)}_obinlog`;
    this.kafka = new Kafka({ brokers: [...config.brokers], clientId: config.clientId ?? 'tidb_binlog_reader', logLevel: logLevel.NOTHING });
  }

  /** Finds the start offset and starts consuming. Returns the start offset. */
  async open(): Promise<bigint> {
    const admin = this.kafka.admin();
    await admin.connect();
    let oldest: bigint;
    let newest: bigint;
    try {
      const p = (await admin.fetchTopicOffsets(this.topic)).find((o) => o.partition === 0);
      oldest = BigInt(p?.low ?? '0');
      newest = BigInt(p?.high ?? '0');
    } finally {
      await admin.disconnect();
    }
    const cursor = new PartitionCursor(this.kafka, this.topic, 0);
    this.cursor = cursor;
    await cursor.open();
    const target = this.config.commitTs ?? 0n;
    const start = target > 0n
      ? await findOffsetByTs(async (o) => decodeSecondaryBinlog((await cursor.probe(o)).value ?? new Uint8Array()).commitTs, oldest, newest, target)
      : (this.config.offset ?? oldest);
    cursor.stream(start, async (m) => {
      if (m.value === null) return;
      let binlog: SecondaryBinlog;
      try {
        binlog = decodeSecondaryBinlog(m.value);
      } catch {
        return; // the Go reader skips messages it cannot decode
      }
      if (binlog.commitTs <= target) return;
      while (this.queue.length >= BUFFER && !this.closed) await new Promise<void>((r) => (this.space = r));
      this.queue.push({ binlog, offset: m.offset });
      this.wake?.();
    });
    return start;
  }

  async next(): Promise<BinlogMessage | undefined> {
    while (this.queue.length === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((r) => (this.wake = r));
    }
    const m = this.queue.shift();
    this.space?.();
    return m;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<BinlogMessage> {
    for (;;) {
      const m = await this.next();
      if (m === undefined) return;
      yield m;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    this.space?.();
    await this.cursor?.close();
  }
}
