import type { SinkEnv } from '@tidb-drainer/core/sdk';
import type { KafkaSinkConfig } from '../config/kafka-sink-config.js';
import { CanalJsonEncoder } from '../encodings/canal-json/canal-json-encoder.js';
import type { RowEncoder } from '../encodings/row-encoder.js';

/** The row-per-message encoder for the configured encoding (binlog-pb is per transaction and handled by the sink). */
export function createRowEncoder(c: KafkaSinkConfig, env: SinkEnv): RowEncoder {
  switch (c.encoding) {
    case 'canal-json':
      return new CanalJsonEncoder({ enableTidbExtension: c['enable-tidb-extension'], zone: env.timezone });
    case 'avro':
    case 'debezium':
    case 'binlog-pb':
      throw new TypeError(`encoding ${c.encoding} has no row encoder yet`);
  }
}
