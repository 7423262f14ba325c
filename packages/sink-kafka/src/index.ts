import { defineSink } from '@tidb-drainer/core/sdk';
import { kafkaSinkConfigSchema } from './config/kafka-sink-config.js';
import type { KafkaSinkConfig } from './config/kafka-sink-config.js';
import { createKafkajsProducer } from './producer/create-kafkajs-producer.js';
import { KafkaSink } from './sink/kafka-sink.js';

/**
 * `--sink kafka` / `db-type = "kafka"`: the Go drainer's secondary-binlog protobuf by default, or canal-json,
 * TiCDC Avro, Debezium JSON, with TiCDC-style topic/partition dispatch and optional exactly-once delivery.
 */
export const kafkaSink = defineSink<KafkaSinkConfig>({
  type: 'kafka',
  description: "Kafka: the Go drainer's binlog protobuf, canal-json, Avro (schema registry) or Debezium, with dispatch rules and exactly-once mode",
  configSchema: kafkaSinkConfigSchema,
  create: (config, env) => new KafkaSink(config, env, createKafkajsProducer),
});

export default kafkaSink;

export { kafkaSinkConfigSchema } from './config/kafka-sink-config.js';
export type { KafkaSinkConfig, EncodingName, PartitionerName, DispatchRuleConfig } from './config/kafka-sink-config.js';
export { KafkaSink } from './sink/kafka-sink.js';
export type { ProducerFactory } from './sink/kafka-sink.js';
export type { KafkaProducer, ProducerRecord, TopicRecords, TopicSpec, TopicMetadata, ConsumedRecord } from './producer/kafka-producer.js';
export { KafkajsProducer } from './producer/kafkajs-producer.js';
export { createKafkajsProducer } from './producer/create-kafkajs-producer.js';
export * from './encodings/binlog-pb/secondary-binlog.js';
export { encodeSecondaryBinlog } from './encodings/binlog-pb/encode-secondary-binlog.js';
export { decodeSecondaryBinlog } from './encodings/binlog-pb/decode-secondary-binlog.js';
export { txnToSecondaryBinlog, ddlToSecondaryBinlog } from './encodings/binlog-pb/txn-to-secondary-binlog.js';
export { CanalJsonEncoder } from './encodings/canal-json/canal-json-encoder.js';
export { decodeCanalJson } from './encodings/canal-json/decode-canal-json.js';
export type { CanalJsonMessage } from './encodings/canal-json/decode-canal-json.js';
export type { RowEncoder, EncodedMessage } from './encodings/row-encoder.js';
export { PositionInertiaHash } from './dispatch/partition-hash.js';
export { AvroEncoder } from './encodings/avro/avro-encoder.js';
export { SchemaRegistryClient } from './encodings/avro/schema-registry-client.js';
export { decodeAvroRecord } from './encodings/avro/decode-avro.js';
export { DebeziumEncoder } from './encodings/debezium/debezium-encoder.js';
