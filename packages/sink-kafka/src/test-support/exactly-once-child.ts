/**
 * Test-only child process: writes `EO_BATCHES` batches of 5 one-row transactions through an exactly-once KafkaSink
 * (each batch with its checkpoint), printing `batch <n>` after each. The parent kills it with SIGKILL mid-run.
 */
import { createSinkContext } from '@tidb-drainer/core/sdk';
import { kafkaSinkConfigSchema } from '../config/kafka-sink-config.js';
import { createKafkajsProducer } from '../producer/create-kafkajs-producer.js';
import { KafkaSink } from '../sink/kafka-sink.js';
import { eoTxns } from './exactly-once-workload.js';
import { batchOf, testEnv } from './sink-harness.js';

const cfg = JSON.parse(process.env['EO_CONFIG'] ?? '{}') as Record<string, unknown>;
const sink = new KafkaSink(kafkaSinkConfigSchema.parse(cfg), testEnv, createKafkajsProducer);
await sink.open(createSinkContext({ clusterId: 7n }));
const txns = eoTxns();
const signal = new AbortController().signal;
for (let i = 0; i < txns.length; i += 5) {
  const b = txns.slice(i, i + 5);
  const last = b[b.length - 1];
  if (last === undefined) break;
  await sink.write(batchOf(b, { commitTs: last.commitTs, schemaVersion: 1, consistent: false }), signal);
  process.stdout.write(`batch ${i / 5}\n`);
}
await sink.close();
