/**
 * Kafka sink throughput into the real broker (127.0.0.1:9092, `bash scripts/services.sh up kafka`; Avro also needs
 * the schema registry on 8081): rows/s and MB/s for each encoding through the sink (SDK calls, batches as the runner
 * builds them from the sink's defaultBatch), txn-per-message (binlog-pb) beside row-per-message (canal-json,
 * debezium, avro), each beside a raw kafkajs producer sending the very same encoded records (idempotent, acks=all,
 * same request sizes) in the same run. Also the encode-only rate. Reports, never asserts.
 * Goal: ≥ 0.8× raw; ≥ 100k rows/s row-per-message.
 *
 *   npm run bench -- kafka [rows]     (through bench/run.ts)
 *   node --import tsx bench/kafka.bench.ts [rows]
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { buildTxnBatch, createSinkContext, MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue, SinkEnv, TableInfo, Txn } from '@tidb-drainer/core/sdk';
import { createKafkajsProducer, KafkaSink, kafkaSinkConfigSchema } from '@tidb-drainer/sink-kafka';
import type { KafkaProducer, ProducerFactory, TopicRecords } from '@tidb-drainer/sink-kafka';
import { defineBenchmark, row } from './lib.js';

// kafkajs is CommonJS: Node's ESM loader does not see all of its named exports.
const { Kafka, logLevel } = kafkajs;

export interface KafkaBenchResult {
  readonly name: string;
  readonly rows: number;
  readonly messages: number;
  readonly bytes: number;
  readonly seconds: number;
  /** Seconds of the raw kafkajs producer sending the same records. */
  readonly rawSeconds: number;
  /** Seconds spent encoding alone (no Kafka). */
  readonly encodeSeconds: number;
}

const BROKERS = [`127.0.0.1:${process.env['DRAINER_TEST_KAFKA_PORT'] ?? '9092'}`];
const REGISTRY = `http://127.0.0.1:${process.env['DRAINER_TEST_REGISTRY_PORT'] ?? '8081'}/apis/ccompat/v7`;
/** Rows per upstream transaction: a typical OLTP transaction. */
const ROWS_PER_TXN = 10;
/** Partitions of the row-per-message topics, so index-value dispatch spreads rows. */
const PARTITIONS = 3;
/** Requests the raw baseline makes: the sink's default kafka-max-messages and the broker's default message limit. */
const RAW_MAX_MESSAGES = 1024;
const RAW_MAX_BYTES = 1048588 - 128;

const env: SinkEnv = { dbType: 'kafka', workerCount: 1, txnBatch: 512, safeMode: false, timezone: 'UTC' };

const col = (name: string, offset: number, type: number, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  id: offset + 1, name, offset, type, flag: 0, length: -1, decimal: -1, charset: 'utf8mb4', collation: 'utf8mb4_bin', elems: [],
  unsigned: false, nullable: offset !== 0, generated: false, generatedStored: false, hidden: false, typeText: '', ...extra,
});

const table: TableInfo = {
  id: 1, schema: 'bench', name: 't', schemaVersion: 1, charset: 'utf8mb4', collation: 'utf8mb4_bin', pkIsHandle: true, isCommonHandle: false,
  columns: [
    col('id', 0, MysqlType.LongLong, { flag: 3, length: 20, decimal: 0 }),
    col('name', 1, MysqlType.Varchar, { length: 32 }),
    col('email', 2, MysqlType.Varchar, { length: 64 }),
    col('age', 3, MysqlType.Long, { length: 11, decimal: 0 }),
    col('balance', 4, MysqlType.NewDecimal, { length: 12, decimal: 2 }),
    col('score', 5, MysqlType.Double),
    col('created', 6, MysqlType.Datetime, { decimal: 3 }),
    col('note', 7, MysqlType.Varchar, { length: 255 }),
  ],
  indices: [],
};

function rowValues(i: number): ColumnValue[] {
  return [
    BigInt(i), `name-${i}`, `user${i}@example.com`, BigInt(i % 100),
    { kind: 'decimal', text: `${i % 100000}.${String(i % 100).padStart(2, '0')}`, precision: 12, scale: 2 }, i / 7,
    { kind: 'time', type: 'datetime', year: 2024, month: 5, day: 1, hour: 10, minute: i % 60, second: i % 60, microsecond: (i % 1000) * 1000, fsp: 3 },
    'a note that makes the row look like a real one',
  ];
}

function workload(rows: number): Txn[] {
  const txns: Txn[] = [];
  const base = BigInt(Date.now()) << 18n;
  for (let i = 0; i < rows; i += ROWS_PER_TXN) {
    const changes = [];
    for (let j = i; j < Math.min(rows, i + ROWS_PER_TXN); j++) changes.push({ op: 'insert' as const, schema: 'bench', table: 't', tableInfo: table, after: rowValues(j) });
    txns.push({ kind: 'txn', commitTs: base + BigInt(txns.length + 1), startTs: base, schemaVersion: 1, changes, bytes: 120 * changes.length });
  }
  return txns;
}

/** Batches as the runner builds them: up to maxTxns transactions and maxBytes payload bytes. */
function batches(txns: readonly Txn[], maxTxns: number, maxBytes: number): Txn[][] {
  const out: Txn[][] = [];
  let cur: Txn[] = [];
  let bytes = 0;
  for (const t of txns) {
    if (cur.length > 0 && (cur.length >= maxTxns || bytes + t.bytes > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(t);
    bytes += t.bytes;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Wraps the real producer: optionally keeps the records (for the raw baseline) and optionally really sends. */
function capturing(into: TopicRecords[][] | null, send: boolean): ProducerFactory {
  return (config, ctx, brokers, txnId) => {
    const inner = createKafkajsProducer(config, ctx, brokers, txnId);
    const p: KafkaProducer = {
      connect: (s) => inner.connect(s),
      topicMetadata: (t, c, s) => inner.topicMetadata(t, c, s),
      send: async (b, s, m) => {
        into?.push([...b]);
        if (send) await inner.send(b, s, m);
      },
      sendAtomically: (b, s, m) => inner.sendAtomically(b, s, m),
      readPartition: (t, p2, f, cb, s) => inner.readPartition(t, p2, f, cb, s),
      close: () => inner.close(),
    };
    return p;
  };
}

async function rawSend(captured: readonly TopicRecords[][], topicMap: Map<string, string>): Promise<number> {
  const kafka = new Kafka({ brokers: BROKERS, clientId: 'raw-bench', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [...topicMap.values()].map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })) });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const start = performance.now();
  let chunk: { topic: string; messages: { partition: number; key: Buffer | null; value: Buffer | null }[] }[] = [];
  let count = 0;
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (count === 0) return;
    await producer.sendBatch({ topicMessages: chunk, acks: -1 });
    chunk = [];
    count = 0;
    bytes = 0;
  };
  for (const batch of captured) {
    for (const t of batch) {
      const topic = topicMap.get(t.topic) ?? t.topic;
      for (const r of t.records) {
        const size = (r.key?.length ?? 0) + (r.value?.length ?? 0) + 36;
        if (count >= RAW_MAX_MESSAGES || bytes + size > RAW_MAX_BYTES) await flush();
        let last = chunk[chunk.length - 1];
        if (last?.topic !== topic) chunk.push((last = { topic, messages: [] }));
        last.messages.push({ partition: r.partition, key: r.key, value: r.value });
        count++;
        bytes += size;
      }
    }
  }
  await flush();
  const seconds = (performance.now() - start) / 1000;
  await producer.disconnect();
  return seconds;
}

async function runOne(name: string, encoding: string, txns: readonly Txn[], extra: Record<string, unknown>): Promise<KafkaBenchResult> {
  const topic = `bench_${encoding.replace(/[^a-z]/g, '')}_${randomUUID().slice(0, 6)}`;
  const config = kafkaSinkConfigSchema.parse({
    'kafka-addrs': BROKERS.join(','), encoding, 'topic-name': topic, 'partition-num': PARTITIONS, ...extra,
  });
  const rows = txns.reduce((n, t) => n + t.changes.length, 0);
  const signal = new AbortController().signal;
  let seq = 0;
  const pass = async (factory: ProducerFactory): Promise<number> => {
    const sink = new KafkaSink(config, env, factory);
    await sink.open(createSinkContext({ clusterId: 1n }));
    const policy = sink.capabilities.defaultBatch;
    const start = performance.now();
    for (const b of batches(txns, policy.maxTxns, policy.maxBytes)) await sink.write(buildTxnBatch(++seq, b), signal);
    const seconds = (performance.now() - start) / 1000;
    await sink.close();
    return seconds;
  };
  // 1. Encode only (sends dropped, nothing retained). 2. The same records captured for the raw baseline, which
  // sends them. 3. The capture is dropped, then the sink sends for real (nothing retained, so no extra GC load).
  const encodeSeconds = await pass(capturing(null, false));
  let captured: TopicRecords[][] = [];
  await pass(capturing(captured, false));
  let messages = 0;
  let bytes = 0;
  const topics = new Map<string, string>();
  for (const b of captured) for (const t of b) {
    topics.set(t.topic, `${t.topic}_raw`);
    for (const r of t.records) {
      messages++;
      bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
    }
  }
  const rawSeconds = await rawSend(captured, topics);
  captured = [];
  const seconds = await pass(capturing(null, true));
  return { name, rows, messages, bytes, seconds, rawSeconds, encodeSeconds };
}

export async function runKafkaBench(opts: { rows?: number } = {}): Promise<{ results: KafkaBenchResult[]; notes: string[] }> {
  const rows = opts.rows ?? 100_000;
  const txns = workload(rows);
  const results: KafkaBenchResult[] = [];
  const notes: string[] = [];
  results.push(await runOne('binlog-pb (txn/message)', 'binlog-pb', txns, {}));
  results.push(await runOne('canal-json (row/message)', 'canal-json', txns, { 'enable-tidb-extension': true, partition: 'index-value' }));
  results.push(await runOne('debezium (row/message)', 'debezium', txns, { partition: 'index-value' }));
  const registryUp = await fetch(`${REGISTRY}/subjects`).then((r) => r.ok, () => false);
  if (registryUp) {
    results.push(await runOne('avro (row/message)', 'avro', txns, {
      'schema-registry': REGISTRY, partition: 'index-value', dispatchers: [{ matcher: ['*.*'], topic: `bench_avro_${randomUUID().slice(0, 6)}_{schema}_{table}`, partition: 'index-value' }],
    }));
  } else notes.push(`avro: not measured, schema registry not reachable at ${REGISTRY}`);
  return { results, notes };
}

export function formatKafkaBench(r: { results: readonly KafkaBenchResult[]; notes: readonly string[] }): string {
  const lines = r.results.map((x) => {
    const rps = x.rows / x.seconds;
    const mbps = x.bytes / x.seconds / 1e6;
    const raw = x.rows / x.rawSeconds;
    return `${x.name.padEnd(26)} ${String(Math.round(rps)).padStart(8)} rows/s ${mbps.toFixed(1).padStart(6)} MB/s  ${x.messages} msgs  raw ${String(Math.round(raw)).padStart(8)} rows/s  ${(x.rawSeconds / x.seconds).toFixed(2)}× raw  encode-only ${Math.round(x.rows / x.encodeSeconds)} rows/s`;
  });
  return [`kafka sink (${r.results[0]?.rows ?? 0} rows, ${ROWS_PER_TXN} rows/txn, broker ${BROKERS.join(',')})`, ...lines, ...r.notes].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  console.log(formatKafkaBench(await runKafkaBench(rows === undefined ? {} : { rows })));
}

export default defineBenchmark({
  name: 'kafka',
  description:
    'Kafka sink rows/s and MB/s per encoding (binlog-pb txn/message; canal-json, debezium, avro row/message) beside a raw kafkajs producer sending the same encoded records in the same run. Goal ≥ 0.8× raw, ≥ 100k rows/s row-per-message.',
  needs: ['kafka'],
  async run(ctx) {
    const rows = ctx.quick ? 2000 : ctx.args[0] === undefined ? 100_000 : Number(ctx.args[0]);
    const r = await runKafkaBench({ rows });
    ctx.log(formatKafkaBench(r));
    const out = r.results.flatMap((x) => [
      row(`${x.name} through the sink`, x.rows / x.seconds, 'rows/s', { label: 'raw kafkajs, same records', value: x.rows / x.rawSeconds }),
      row(`${x.name} through the sink`, x.bytes / x.seconds / 1e6, 'MB/s', { label: 'raw kafkajs, same records', value: x.bytes / x.rawSeconds / 1e6 }),
    ]);
    const notes = [
      `${rows} rows, ${ROWS_PER_TXN} rows/txn, 8 columns; row encodings on ${PARTITIONS} partitions (index-value), binlog-pb on partition 0`,
      ...r.results.map((x) => `${x.name}: ${x.messages} messages, encode-only ${Math.round(x.rows / x.encodeSeconds)} rows/s`),
      ...r.notes,
    ];
    return { rows: out, notes };
  },
});
