import { z } from '@tidb-drainer/core/sdk';

/** The Go drainer's client-side cap (`Producer.MaxMessageBytes`, `MaxResponseSize` default): 1 GiB. */
export const GO_MAX_MESSAGE_SIZE = 1024 * 1024 * 1024;
/** TiCDC's default `max-message-bytes`: 10 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export const ENCODINGS = ['binlog-pb', 'canal-json', 'avro', 'debezium'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

export const PARTITIONERS = ['compat', 'default', 'table', 'index-value', 'rowid', 'ts', 'columns'] as const;
export type PartitionerName = (typeof PARTITIONERS)[number];

const dispatchRule = z
  .object({
    matcher: z.array(z.string().min(1)).min(1).describe("table-filter patterns such as 'test.*' or 'shop.order_?'; the first matching rule wins"),
    topic: z.string().optional().describe("topic name or expression with {schema} and {table}; empty = the default topic"),
    partition: z.enum(PARTITIONERS).optional().describe('partition dispatcher for matching tables'),
    dispatcher: z.enum(PARTITIONERS).optional().describe('legacy alias of partition (TiCDC); not both in one rule'),
    index: z.string().optional().describe('unique index used by index-value'),
    columns: z.array(z.string()).optional().describe('columns hashed by the columns dispatcher'),
  })
  .strict()
  .refine((r) => r.partition === undefined || r.dispatcher === undefined, { message: 'use partition or dispatcher, not both' });
export type DispatchRuleConfig = z.infer<typeof dispatchRule>;

const tlsConfig = z
  .object({
    enabled: z.boolean().default(true).describe('connect with TLS'),
    ca: z.string().optional().describe('path of a PEM CA bundle'),
    cert: z.string().optional().describe('path of the client certificate (PEM)'),
    key: z.string().optional().describe('path of the client key (PEM)'),
    'insecure-skip-verify': z.boolean().default(false).describe('do not verify the broker certificate (testing only)'),
  })
  .strict();

const saslConfig = z
  .object({
    mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism'),
    username: z.string().describe('SASL user'),
    password: z.string().describe('SASL password (never logged)'),
  })
  .strict();

/**
 * `[syncer.to]` keys of the Go drainer for `db-type = "kafka"` (same names, same defaults), plus this sink's own
 * options (encodings, dispatch, large messages, delivery) which the Go drainer does not have.
 */
export const kafkaSinkConfigSchema = z
  .object({
    // --- Go drainer keys -------------------------------------------------------------------------------------
    'kafka-addrs': z.string().default('').describe('comma-separated brokers; empty → env KAFKA_ADDRS, else 127.0.0.1:9092'),
    'zookeeper-addrs': z.string().default('').describe('accepted for compatibility but not used: set kafka-addrs (a warning is logged when set)'),
    'kafka-version': z.string().default('0.8.2.0').describe('accepted for compatibility; the client negotiates protocol versions with the broker'),
    'kafka-max-messages': z.number().int().positive().default(1024).describe('most messages per produce request (Sarama Flush.MaxMessages)'),
    'kafka-max-message-size': z.number().int().default(GO_MAX_MESSAGE_SIZE).describe('largest message the client handles, bytes (≤0 → 1 GiB)'),
    'kafka-client-id': z.string().default('tidb_binlog').describe('Kafka client id'),
    'topic-name': z.string().default('').describe('default topic; empty → <clusterID>_obinlog'),
    // --- tidb-drainer options --------------------------------------------------------------------------------
    encoding: z.enum(ENCODINGS).default('binlog-pb').describe('message format: binlog-pb (the Go drainer\'s), canal-json, avro, debezium'),
    partition: z.enum(PARTITIONERS).optional().describe('partition dispatcher for tables no rule matches; default compat (partition 0) for binlog-pb, table otherwise'),
    dispatchers: z.array(dispatchRule).default([]).describe('TiCDC-style dispatch rules: topic and partition per table'),
    'case-sensitive': z.boolean().default(false).describe('match dispatcher patterns case-sensitively'),
    'partition-num': z.number().int().positive().default(3).describe('partitions of topics this sink creates'),
    'replication-factor': z.number().int().positive().default(1).describe('replication factor of topics this sink creates'),
    'auto-create-topic': z.boolean().default(true).describe('create missing topics (else the broker must have them)'),
    'max-message-bytes': z.number().int().positive().optional().describe("largest message (key + value + 36) sent; default min(10 MiB, the topic's max.message.bytes − 128)"),
    'large-message-handle': z.enum(['none', 'claim-check']).default('none').describe('what to do with a row message that does not fit: fail, or store it in claim-check-dir and send a reference'),
    'claim-check-dir': z.string().optional().describe('directory for claim-check payloads (required with large-message-handle = claim-check)'),
    'enable-tidb-extension': z.boolean().default(false).describe('TiCDC _tidb fields: commit ts in canal-json, Avro _tidb_* fields, Debezium tidb_type'),
    'output-raw-change-event': z.boolean().default(false).describe('send key-changing updates as one update instead of delete + insert'),
    'ddl-placement': z.enum(['auto', 'partition-zero', 'all-partitions', 'ddl-topic']).default('auto')
      .describe('where DDL goes: auto = in-stream for binlog-pb, partition 0 for canal-json, every partition for debezium'),
    'ddl-topic': z.string().optional().describe('topic for DDL with ddl-placement = ddl-topic'),
    'resolved-events': z.boolean().default(false).describe('send watermark events to every partition when the checkpoint advances (canal-json / debezium with the TiDB extension)'),
    'schema-registry': z.string().optional().describe('Confluent-compatible schema registry base URL (avro)'),
    'avro-decimal-handling-mode': z.enum(['precise', 'string']).default('precise').describe('DECIMAL as Avro decimal bytes or as text'),
    'avro-bigint-unsigned-handling-mode': z.enum(['long', 'string']).default('long').describe('BIGINT UNSIGNED as long (wrapping) or text'),
    'cluster-name': z.string().default('default').describe('TiCDC cluster id / changefeed namespace used in Avro namespaces and Debezium names'),
    'debezium-disable-schema': z.boolean().default(false).describe('omit the Debezium schema part'),
    delivery: z.enum(['at-least-once', 'exactly-once']).default('at-least-once').describe('exactly-once: Kafka transactions with the checkpoint stored on a compacted topic'),
    'transactional-id': z.string().optional().describe('Kafka transactional.id (exactly-once); default tidb-drainer-<clusterID>'),
    'checkpoint-topic': z.string().optional().describe('compacted checkpoint topic (exactly-once); default <clusterID>_drainer_checkpoint'),
    compression: z.enum(['none', 'gzip']).default('none').describe('producer batch compression (transparent to consumers)'),
    'ack-timeout-ms': z.number().int().positive().default(30_000).describe('a produce request not acknowledged in this time fails the batch (retryable)'),
    tls: tlsConfig.optional().describe('TLS to the brokers'),
    sasl: saslConfig.optional().describe('SASL authentication'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c['large-message-handle'] === 'claim-check' && c['claim-check-dir'] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['claim-check-dir'], message: 'claim-check-dir is required with large-message-handle = "claim-check"' });
    }
    if (c['ddl-placement'] === 'ddl-topic' && (c['ddl-topic'] ?? '') === '') {
      ctx.addIssue({ code: 'custom', path: ['ddl-topic'], message: 'ddl-topic is required with ddl-placement = "ddl-topic"' });
    }
    if (c.encoding === 'binlog-pb' && c.partition !== undefined && c.partition !== 'compat' && c.partition !== 'ts') {
      // One message per transaction: there is no row to hash, only the commit ts.
      ctx.addIssue({ code: 'custom', path: ['partition'], message: 'binlog-pb sends one message per transaction: partition must be "compat" or "ts"' });
    }
    if (c.encoding === 'avro' && c['schema-registry'] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['schema-registry'], message: 'encoding "avro" needs schema-registry (a Confluent-compatible base URL)' });
    }
  });

export type KafkaSinkConfig = z.infer<typeof kafkaSinkConfigSchema>;
