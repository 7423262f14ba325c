import { AbortedError, SinkError } from '@tidb-drainer/core/sdk';
import type { Checkpoint, CheckResult, CommitTs, DdlEvent, RowChange, Sink, SinkCapabilities, SinkContext, SinkEnv, Txn, TxnBatch } from '@tidb-drainer/core/sdk';
import { Counter } from 'prom-client';
import type { KafkaSinkConfig } from '../config/kafka-sink-config.js';
import { DEFAULT_MAX_MESSAGE_BYTES, GO_MAX_MESSAGE_SIZE } from '../config/kafka-sink-config.js';
import { DispatchConfigError, EventRouter, partitionerFor, partitionOf } from '../dispatch/event-router.js';
import type { Partitioner } from '../dispatch/event-router.js';
import { splitKeyChangingUpdates } from '../dispatch/split-update.js';
import { encodeSecondaryBinlog } from '../encodings/binlog-pb/encode-secondary-binlog.js';
import { ddlToSecondaryBinlog, txnToSecondaryBinlog } from '../encodings/binlog-pb/txn-to-secondary-binlog.js';
import type { EncodedMessage, RowEncoder } from '../encodings/row-encoder.js';
import { ClaimCheckStore } from '../large/claim-check-store.js';
import { effectiveLimit, messageSize } from '../large/message-size.js';
import type { KafkaProducer, ProducerRecord, TopicMetadata, TopicRecords } from '../producer/kafka-producer.js';
import { checkpointKey, decodeCheckpoint, encodeCheckpoint } from './checkpoint-record.js';
import { createRowEncoder } from './create-row-encoder.js';

/** Bytes per produce slice in at-least-once mode: about the broker's default message.max.bytes. */
const SLICE_BYTES = 1 << 20;

/** Creates the client; the default is kafkajs, tests and other clients can pass their own. */
export type ProducerFactory = (config: KafkaSinkConfig, ctx: SinkContext, brokers: readonly string[], transactionalId: string | undefined) => KafkaProducer;

interface TopicState extends TopicMetadata {
  readonly limit: number;
}

/** Builds the per-topic outgoing record lists of one write, in send order. */
class Outbox {
  readonly byTopic = new Map<string, ProducerRecord[]>();
  count = 0;
  bytes = 0;

  add(topic: string, partition: number, m: EncodedMessage): void {
    let list = this.byTopic.get(topic);
    if (list === undefined) {
      list = [];
      this.byTopic.set(topic, list);
    }
    list.push({ partition, key: m.key, value: m.value });
    this.count++;
    this.bytes += messageSize(m.key, m.value);
  }

  toBatch(): TopicRecords[] {
    return [...this.byTopic].map(([topic, records]) => ({ topic, records }));
  }
}

/**
 * The Kafka sink. binlog-pb sends one message per transaction (the Go drainer's format, partition 0 by default);
 * row encodings send one message per row change, routed by the dispatch rules. `write` resolves only after every
 * message is acknowledged by all in-sync replicas; in exactly-once mode each batch and its checkpoint record
 * commit in one Kafka transaction.
 */
export class KafkaSink implements Sink {
  readonly capabilities: SinkCapabilities;
  private ctx: SinkContext | undefined;
  private producer: KafkaProducer | undefined;
  private router: EventRouter | undefined;
  private encoder: RowEncoder | undefined;
  private claimCheck: ClaimCheckStore | undefined;
  private readonly topics = new Map<string, TopicState>();
  private defaultTopic = '';
  private checkpointTopic = '';
  private sent: Counter | undefined;
  private sentBytes: Counter | undefined;
  private closed = false;
  private readonly exactlyOnce: boolean;
  private readonly binlogPb: boolean;

  constructor(
    private readonly config: KafkaSinkConfig,
    private readonly env: SinkEnv,
    private readonly producerFactory: ProducerFactory,
  ) {
    this.exactlyOnce = config.delivery === 'exactly-once';
    this.binlogPb = config.encoding === 'binlog-pb';
    this.capabilities = {
      // Kafka keeps per-partition order only if batches are appended one after the other.
      maxInFlight: 1,
      supportsDdl: true,
      ownsCheckpoint: this.exactlyOnce,
      // ~1 MiB of binlog per batch keeps produce requests near the broker's default message.max.bytes.
      defaultBatch: { maxTxns: 512, maxBytes: 1 << 20, maxDelayMs: 10 },
    };
  }

  private need(): { ctx: SinkContext; producer: KafkaProducer; router: EventRouter } {
    if (this.ctx === undefined || this.producer === undefined || this.router === undefined) throw new Error('KafkaSink used before open');
    return { ctx: this.ctx, producer: this.producer, router: this.router };
  }

  private brokers(): string[] {
    const raw = this.config['kafka-addrs'] !== '' ? this.config['kafka-addrs'] : (process.env['KAFKA_ADDRS'] ?? '');
    const list = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    return list.length > 0 ? list : ['127.0.0.1:9092'];
  }

  async open(ctx: SinkContext): Promise<void> {
    this.ctx = ctx;
    const c = this.config;
    if (c['zookeeper-addrs'] !== '') ctx.logger.warn({ key: 'zookeeper-addrs' }, 'zookeeper-addrs is not used by this drainer; brokers come from kafka-addrs');
    this.defaultTopic = c['topic-name'] !== '' ? c['topic-name'] : `${ctx.clusterId.toString()}_obinlog`;
    this.checkpointTopic = c['checkpoint-topic'] ?? `${ctx.clusterId.toString()}_drainer_checkpoint`;
    const fallback: Partitioner = toPartitioner(c.partition ?? (this.binlogPb ? 'compat' : 'table'));
    this.router = new EventRouter(c.dispatchers, this.defaultTopic, fallback, c['case-sensitive'], c.encoding === 'avro');
    if (!this.binlogPb) this.encoder = createRowEncoder(c, this.env);
    if (c['large-message-handle'] === 'claim-check' && c['claim-check-dir'] !== undefined) {
      this.claimCheck = new ClaimCheckStore(c['claim-check-dir']);
      await this.claimCheck.init();
    }
    // open may be retried with the same registry: register the counters once.
    this.sent ??= counter(ctx, 'kafka_sink_messages_total', 'Kafka messages acknowledged');
    this.sentBytes ??= counter(ctx, 'kafka_sink_bytes_total', 'Kafka message bytes acknowledged (key + value)');
    const txnId = this.exactlyOnce ? (c['transactional-id'] ?? `tidb-drainer-${ctx.clusterId.toString()}`) : undefined;
    const producer = this.producerFactory(c, ctx, this.brokers(), txnId);
    this.producer = producer;
    try {
      await producer.connect(ctx.signal);
      await this.topic(this.defaultTopic, ctx.signal);
      if (this.exactlyOnce) {
        await producer.topicMetadata(this.checkpointTopic, { partitions: 1, replicationFactor: c['replication-factor'], configs: { 'cleanup.policy': 'compact' } }, ctx.signal);
      }
    } catch (err) {
      // The runner may call open again after a retryable failure: release the client first.
      this.producer = undefined;
      await producer.close();
      throw err;
    }
  }

  private async topic(name: string, signal: AbortSignal): Promise<TopicState> {
    const hit = this.topics.get(name);
    if (hit !== undefined) return hit;
    const { producer } = this.need();
    const c = this.config;
    const create = c['auto-create-topic'] ? { partitions: c['partition-num'], replicationFactor: c['replication-factor'] } : undefined;
    const md = await producer.topicMetadata(name, create, signal);
    const configured = c['max-message-bytes'] ?? (this.binlogPb ? goMaxMessageSize(c['kafka-max-message-size']) : DEFAULT_MAX_MESSAGE_BYTES);
    const state = { ...md, limit: effectiveLimit(configured, md.maxMessageBytes) };
    this.topics.set(name, state);
    return state;
  }

  /** Size check for one message: too large → claim-check (row encodings, when configured) or a fatal error. Never skipped. */
  private async fit(m: EncodedMessage, limit: number, where: { commitTs: CommitTs; schema?: string; table?: string; topic: string }, ch?: RowChange): Promise<EncodedMessage> {
    const size = messageSize(m.key, m.value);
    if (size <= limit) return m;
    const details = { ...where, size, limit };
    if (this.claimCheck !== undefined && ch !== undefined && this.encoder?.encodeClaimCheckReference !== undefined) {
      const location = await this.claimCheck.put(m.key, m.value);
      const ref = this.encoder.encodeClaimCheckReference(ch, where.commitTs, location);
      if (messageSize(ref.key, ref.value) <= limit) return ref;
      throw SinkError.fatal('E_KAFKA_MESSAGE_TOO_LARGE', `claim-check reference for ${where.schema ?? ''}.${where.table ?? ''} at commit ts ${where.commitTs} still exceeds ${limit} bytes`, undefined, details);
    }
    throw SinkError.fatal(
      'E_KAFKA_MESSAGE_TOO_LARGE',
      `message for ${where.schema ?? '?'}.${where.table ?? '?'} at commit ts ${where.commitTs} is ${size} bytes, over the ${limit}-byte limit of topic ${where.topic}` +
        (this.claimCheck === undefined ? ' (raise max-message-bytes and the topic\'s max.message.bytes, or use large-message-handle = "claim-check")' : ` (claim-check is not available for ${this.config.encoding})`),
      undefined,
      details,
    );
  }

  async write(batch: TxnBatch, signal: AbortSignal): Promise<void> {
    const { ctx } = this.need();
    let out = new Outbox();
    let total = 0;
    // At-least-once: slices are sent one after the other (partition order holds) while the next slice is encoded.
    let pending: Promise<void> | undefined;
    const sendSlice = (): void => {
      const slice = out;
      out = new Outbox();
      total += slice.count;
      const prev = pending;
      pending = (async () => {
        await prev;
        await this.deliver(slice, undefined, signal);
      })();
    };
    const sliceMessages = this.config['kafka-max-messages'];
    const zone = this.env.timezone;
    try {
      for (const txn of batch.txns) {
        if (signal.aborted) throw new AbortedError('kafka write', signal.reason);
        await this.encodeTxn(txn, out, zone, signal);
        if (!this.exactlyOnce && (out.count >= sliceMessages || out.bytes >= SLICE_BYTES)) sendSlice();
      }
      if (this.exactlyOnce) {
        total = out.count;
        await this.deliver(out, batch.checkpoint, signal);
      } else {
        sendSlice();
        await pending;
      }
    } catch (err) {
      await pending?.catch(() => undefined);
      throw err;
    }
    ctx.logger.trace({ seq: batch.seq, messages: total }, 'kafka batch delivered');
  }

  private async encodeTxn(txn: Txn, out: Outbox, zone: string, signal: AbortSignal): Promise<void> {
    if (this.binlogPb) {
      const t = this.topics.get(this.defaultTopic) ?? (await this.topic(this.defaultTopic, signal));
      const value = encodeSecondaryBinlog(txnToSecondaryBinlog(txn, zone));
      const first = txn.changes[0];
      let m: EncodedMessage = { key: null, value };
      if (messageSize(null, value) > t.limit) m = await this.fit(m, t.limit, { commitTs: txn.commitTs, schema: first?.schema, table: first?.table, topic: this.defaultTopic });
      out.add(this.defaultTopic, this.txnPartition(txn.commitTs, t.partitions), m);
      return;
    }
    const { router } = this.need();
    const enc = this.encoder as RowEncoder;
    const changes = this.config['output-raw-change-event'] ? txn.changes : splitKeyChangingUpdates(txn.changes, zone);
    for (const ch of changes) {
      const route = router.route(ch.schema, ch.table);
      // Hot path: no await when the topic is known and the encoder answers synchronously.
      const t = this.topics.get(route.topic) ?? (await this.topic(route.topic, signal));
      const r = enc.encodeRow(ch, txn.commitTs, route.topic, signal);
      let m = r instanceof Promise ? await r : r;
      if (messageSize(m.key, m.value) > t.limit) m = await this.fit(m, t.limit, { commitTs: txn.commitTs, schema: ch.schema, table: ch.table, topic: route.topic }, ch);
      out.add(route.topic, partitionOf(route.partitioner, ch, txn.commitTs, t.partitions, zone), m);
    }
  }

  private txnPartition(commitTs: CommitTs, partitions: number): number {
    const p = this.config.partition ?? 'compat';
    return p === 'ts' && partitions > 1 ? Number(commitTs % BigInt(partitions)) : 0;
  }

  private minLimit(out: Outbox): number {
    let min = Number.MAX_SAFE_INTEGER;
    for (const topic of out.byTopic.keys()) min = Math.min(min, this.topics.get(topic)?.limit ?? min);
    return min;
  }

  private async deliver(out: Outbox, checkpoint: Checkpoint | undefined, signal: AbortSignal): Promise<void> {
    const { producer, ctx } = this.need();
    if (this.exactlyOnce) {
      if (checkpoint !== undefined) out.add(this.checkpointTopic, 0, { key: checkpointKey(ctx.clusterId), value: encodeCheckpoint(checkpoint) });
      if (out.count === 0) return;
      await producer.sendAtomically(out.toBatch(), signal, this.minLimit(out));
    } else {
      if (out.count === 0) return;
      await producer.send(out.toBatch(), signal, this.minLimit(out));
    }
    this.sent?.inc({ encoding: this.config.encoding }, out.count);
    this.sentBytes?.inc({ encoding: this.config.encoding }, out.bytes);
  }

  async writeDdl(ddl: DdlEvent, signal: AbortSignal): Promise<void> {
    const { router } = this.need();
    const out = new Outbox();
    const c = this.config;
    const where = { commitTs: ddl.commitTs, schema: ddl.schema, ...(ddl.table === undefined ? {} : { table: ddl.table }) };
    if (this.binlogPb && c['ddl-placement'] !== 'ddl-topic') {
      const t = await this.topic(this.defaultTopic, signal);
      const m = await this.fit({ key: null, value: encodeSecondaryBinlog(ddlToSecondaryBinlog(ddl)) }, t.limit, { ...where, topic: this.defaultTopic });
      if (c['ddl-placement'] === 'all-partitions') for (let p = 0; p < t.partitions; p++) out.add(this.defaultTopic, p, m);
      else out.add(this.defaultTopic, this.txnPartition(ddl.commitTs, t.partitions), m);
    } else {
      const m = this.binlogPb ? { key: null, value: encodeSecondaryBinlog(ddlToSecondaryBinlog(ddl)) } : this.encoder?.encodeDdl(ddl);
      if (m !== undefined) {
        const placement = c['ddl-placement'] === 'auto' ? (this.encoder?.ddlPlacement ?? 'partition-zero') : c['ddl-placement'];
        const topic = placement === 'ddl-topic' ? (c['ddl-topic'] ?? this.defaultTopic) : ddl.table === undefined || ddl.table === '' ? this.defaultTopic : router.route(ddl.schema, ddl.table).topic;
        const t = await this.topic(topic, signal);
        const fitted = await this.fit(m, t.limit, { ...where, topic });
        if (placement === 'all-partitions') for (let p = 0; p < t.partitions; p++) out.add(topic, p, fitted);
        else if (placement !== 'none') out.add(topic, 0, fitted);
      }
    }
    const cp: Checkpoint | undefined = this.exactlyOnce ? { commitTs: ddl.commitTs, schemaVersion: ddl.schemaVersion, consistent: false } : undefined;
    await this.deliver(out, cp, signal);
  }

  /** Watermarks to every partition of every topic in use (plus the default topic), when `resolved-events` is on. */
  async resolved(commitTs: CommitTs, signal: AbortSignal): Promise<void> {
    const m = this.config['resolved-events'] ? this.encoder?.encodeWatermark(commitTs) : undefined;
    if (m === undefined) return;
    const out = new Outbox();
    await this.topic(this.defaultTopic, signal);
    for (const [topic, t] of this.topics) for (let p = 0; p < t.partitions; p++) out.add(topic, p, m);
    await this.deliver(out, undefined, signal);
  }

  /** Exactly-once: a checkpoint that covers no data (idle watermark, clean shutdown) in its own Kafka transaction. */
  async saveCheckpoint(checkpoint: Checkpoint, signal: AbortSignal): Promise<void> {
    if (!this.exactlyOnce) return;
    await this.deliver(new Outbox(), checkpoint, signal);
  }

  async loadCheckpoint(signal: AbortSignal): Promise<Checkpoint | undefined> {
    const { producer, ctx } = this.need();
    const key = checkpointKey(ctx.clusterId);
    let latest: Checkpoint | undefined;
    await producer.readPartition(this.checkpointTopic, 0, 'tail', (r) => {
      if (r.key !== null && r.value !== null && key.equals(r.key)) latest = decodeCheckpoint(r.value);
    }, signal);
    return latest;
  }

  async check(signal: AbortSignal): Promise<readonly CheckResult[]> {
    try {
      const { producer } = this.need();
      const md = await producer.topicMetadata(this.defaultTopic, undefined, signal);
      return [{ name: 'kafka topic', ok: true, message: `${this.defaultTopic}: ${md.partitions} partition(s), max.message.bytes ${md.maxMessageBytes ?? 'unknown'}` }];
    } catch (err) {
      return [{ name: 'kafka topic', ok: false, message: err instanceof Error ? err.message : String(err) }];
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.producer?.close();
  }
}

function counter(ctx: SinkContext, name: string, help: string): Counter {
  const existing = ctx.metrics.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames: ['encoding'], registers: [ctx.metrics] });
}

function goMaxMessageSize(v: number): number {
  return v <= 0 ? GO_MAX_MESSAGE_SIZE : v;
}

/** The sink-wide partitioner (`partition`): a "columns" partitioner needs a dispatcher rule's column list. */
function toPartitioner(name: NonNullable<KafkaSinkConfig['partition']>): Partitioner {
  if (name === 'columns') throw new DispatchConfigError('partition = "columns" needs a dispatcher rule with a columns list');
  return partitionerFor(name);
}
