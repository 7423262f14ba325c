import { createSinkContext } from '@tidb-drainer/core/sdk';
import type { Checkpoint, CommitTs, DdlEvent, SinkEnv, Txn, TxnBatch } from '@tidb-drainer/core/sdk';
import { kafkaSinkConfigSchema } from '../config/kafka-sink-config.js';
import { createKafkajsProducer } from '../producer/create-kafkajs-producer.js';
import { KafkaSink } from '../sink/kafka-sink.js';
import type { ProducerFactory } from '../sink/kafka-sink.js';
import { KAFKA_BROKERS } from './kafka-env.js';

export const testEnv: SinkEnv = { dbType: 'kafka', workerCount: 1, txnBatch: 20, safeMode: false, timezone: 'UTC' };

/** Opens a KafkaSink against the test broker with config overrides (test-only). */
export async function openSink(overrides: Record<string, unknown>, opts: { clusterId?: bigint; factory?: ProducerFactory } = {}): Promise<KafkaSink> {
  const config = kafkaSinkConfigSchema.parse({ 'kafka-addrs': KAFKA_BROKERS.join(','), ...overrides });
  const sink = new KafkaSink(config, testEnv, opts.factory ?? createKafkajsProducer);
  await sink.open(createSinkContext({ clusterId: opts.clusterId ?? 7n }));
  return sink;
}

let seq = 0;

export function batchOf(txns: readonly Txn[], checkpoint?: Checkpoint): TxnBatch {
  const first = txns[0];
  const last = txns[txns.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('empty batch');
  return {
    seq: ++seq,
    txns,
    firstCommitTs: first.commitTs,
    lastCommitTs: last.commitTs,
    bytes: txns.reduce((n, t) => n + t.bytes, 0),
    rows: txns.reduce((n, t) => n + t.changes.length, 0),
    ...(checkpoint === undefined ? {} : { checkpoint }),
  };
}

export function txn(commitTs: CommitTs, changes: Txn['changes']): Txn {
  return { kind: 'txn', commitTs, startTs: commitTs - 1n, schemaVersion: 1, changes, bytes: 100 * changes.length };
}

export function ddl(commitTs: CommitTs, schema: string, table: string | undefined, query: string, jobType = 5): DdlEvent {
  return { kind: 'ddl', commitTs, schema, ...(table === undefined ? {} : { table }), query, jobId: 1, jobType, schemaVersion: 2 };
}
