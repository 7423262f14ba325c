import { valueText } from '@tidb-drainer/core';
import type { ColumnInfo, Sink, SinkEnv, TableInfo } from '@tidb-drainer/core/sdk';
import type { CanonicalChange, CanonicalRow } from '@tidb-drainer/testkit/conformance';
import { runSinkConformanceSuite } from '@tidb-drainer/testkit/conformance';
import { beforeAll } from 'vitest';
import { kafkaSinkConfigSchema } from '../config/kafka-sink-config.js';
import { pbColumnToValue } from '../encodings/binlog-pb/column-to-value.js';
import { decodeSecondaryBinlog } from '../encodings/binlog-pb/decode-secondary-binlog.js';
import type { PbRow } from '../encodings/binlog-pb/secondary-binlog.js';
import { BinlogType, MutationType } from '../encodings/binlog-pb/secondary-binlog.js';
import { FaultingProducers } from '../test-support/fault-producer.js';
import { KAFKA_BROKERS, readTopic, requireKafka, uniqueTopic } from '../test-support/kafka-env.js';
import { KafkaSink } from './kafka-sink.js';

const env: SinkEnv = { dbType: 'kafka', workerCount: 1, txnBatch: 20, safeMode: false, timezone: 'UTC' };

beforeAll(requireKafka);

/** Records every table definition the sink was given, the schema a real consumer would know. */
function recordingSink(inner: KafkaSink, tables: Map<string, TableInfo>): Sink {
  const remember = (t: TableInfo): void => void tables.set(`${t.schema}.${t.name}`, t);
  return {
    capabilities: inner.capabilities,
    open: (ctx) => inner.open(ctx),
    write: (batch, signal) => {
      for (const txn of batch.txns) for (const ch of txn.changes) remember(ch.tableInfo);
      return inner.write(batch, signal);
    },
    writeDdl: (ddl, signal) => {
      if (ddl.tableInfo !== undefined) remember(ddl.tableInfo);
      return inner.writeDdl(ddl, signal);
    },
    resolved: (ts, signal) => inner.resolved(ts, signal),
    saveCheckpoint: (cp, signal) => inner.saveCheckpoint(cp, signal),
    loadCheckpoint: (signal) => inner.loadCheckpoint(signal),
    close: () => inner.close(),
  };
}

function canonical(cols: readonly ColumnInfo[], row: PbRow): CanonicalRow {
  const out: Record<string, string> = {};
  cols.forEach((col, i) => {
    const c = row.columns[i];
    if (c === undefined) return;
    const text = valueText(pbColumnToValue(col, c, 'UTC'));
    if (text !== null) out[col.name] = text;
  });
  return out;
}

for (const delivery of ['at-least-once', 'exactly-once'] as const) {
  runSinkConformanceSuite({
    name: `kafka binlog-pb (${delivery})`,
    timeoutMs: 60_000,
    createTarget: () => {
      const topic = uniqueTopic('conf');
      const faults = new FaultingProducers();
      const tables = new Map<string, TableInfo>();
      const config = kafkaSinkConfigSchema.parse({
        'kafka-addrs': KAFKA_BROKERS.join(','),
        'topic-name': topic,
        'partition-num': 1,
        delivery,
        'checkpoint-topic': `${topic}_ckpt`,
        'transactional-id': `txn-${topic}`,
      });
      return Promise.resolve({
        createSink: () => recordingSink(new KafkaSink(config, env, faults.factory), tables),
        injectFault: (f) => faults.arm(f),
        readBack: async () => {
          const changes: CanonicalChange[] = [];
          for (const r of await readTopic(topic)) {
            const b = decodeSecondaryBinlog(r.value ?? new Uint8Array());
            if (b.type === BinlogType.DDL) {
              const d = b.ddlData;
              changes.push({ op: 'ddl', commitTs: b.commitTs, schema: d?.schemaName ?? '', table: d?.tableName ?? '', query: Buffer.from(d?.ddlQuery ?? []).toString() });
              continue;
            }
            for (const t of b.dmlData?.tables ?? []) {
              const info = tables.get(`${t.schemaName ?? ''}.${t.tableName ?? ''}`);
              if (info === undefined) throw new Error(`no table definition for ${t.schemaName}.${t.tableName}`);
              // The message's own column list decides which definition version it was written with.
              const cols = t.columnInfo.map((ci) => info.columns.find((c) => c.name === ci.name) ?? info.columns[0]!);
              const base = { commitTs: b.commitTs, schema: t.schemaName ?? '', table: t.tableName ?? '' };
              for (const m of t.mutations) {
                if (m.type === MutationType.Insert) changes.push({ ...base, op: 'insert', after: canonical(cols, m.row) });
                else if (m.type === MutationType.Delete) changes.push({ ...base, op: 'delete', before: canonical(cols, m.row) });
                else changes.push({ ...base, op: 'update', before: canonical(cols, m.changeRow ?? { columns: [] }), after: canonical(cols, m.row) });
              }
            }
          }
          return { kind: 'changes', changes };
        },
      });
    },
  });
}
