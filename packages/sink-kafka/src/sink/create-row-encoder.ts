import type { SinkEnv } from '@tidb-drainer/core/sdk';
import type { KafkaSinkConfig } from '../config/kafka-sink-config.js';
import { AvroEncoder } from '../encodings/avro/avro-encoder.js';
import { SchemaRegistryClient } from '../encodings/avro/schema-registry-client.js';
import { CanalJsonEncoder } from '../encodings/canal-json/canal-json-encoder.js';
import { DebeziumEncoder } from '../encodings/debezium/debezium-encoder.js';
import type { RowEncoder } from '../encodings/row-encoder.js';

/** The row-per-message encoder for the configured encoding (binlog-pb is per transaction and handled by the sink). */
export function createRowEncoder(c: KafkaSinkConfig, env: SinkEnv): RowEncoder {
  switch (c.encoding) {
    case 'canal-json':
      return new CanalJsonEncoder({ enableTidbExtension: c['enable-tidb-extension'], zone: env.timezone });
    case 'avro':
      return new AvroEncoder(
        {
          decimal: c['avro-decimal-handling-mode'],
          bigintUnsigned: c['avro-bigint-unsigned-handling-mode'],
          enableTidbExtension: c['enable-tidb-extension'],
          clusterName: c['cluster-name'],
          zone: env.timezone,
        },
        new SchemaRegistryClient(c['schema-registry'] ?? ''),
      );
    case 'debezium':
      return new DebeziumEncoder({ clusterName: c['cluster-name'], enableTidbExtension: c['enable-tidb-extension'], disableSchema: c['debezium-disable-schema'], zone: env.timezone });
    case 'binlog-pb':
      throw new TypeError('binlog-pb is a per-transaction encoding, not a row encoder');
  }
}
