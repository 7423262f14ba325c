import type { SinkContext } from '@tidb-drainer/core/sdk';
import type { KafkaSinkConfig } from '../config/kafka-sink-config.js';
import type { KafkaProducer } from './kafka-producer.js';
import { KafkajsProducer } from './kafkajs-producer.js';

/** The default client: kafkajs configured from the sink's config. */
export function createKafkajsProducer(c: KafkaSinkConfig, ctx: SinkContext, brokers: readonly string[], transactionalId: string | undefined): KafkaProducer {
  return new KafkajsProducer({
    brokers,
    clientId: c['kafka-client-id'],
    ackTimeoutMs: c['ack-timeout-ms'],
    maxMessagesPerRequest: c['kafka-max-messages'],
    compression: c.compression,
    ...(transactionalId === undefined ? {} : { transactionalId }),
    ...(c.tls === undefined ? {} : { tls: { enabled: c.tls.enabled, ca: c.tls.ca, cert: c.tls.cert, key: c.tls.key, insecureSkipVerify: c.tls['insecure-skip-verify'] } }),
    ...(c.sasl === undefined ? {} : { sasl: c.sasl }),
    logger: ctx.logger,
  });
}
