import { z } from 'zod';
import { checkpointSchema } from './checkpoint-schema.js';
import { meta } from './schema-helpers.js';

/**
 * Every key the Go drainer accepts in `[syncer.to]` besides `checkpoint`, with the sink that uses it. Their values
 * are validated by the selected sink's own `configSchema`; a key listed here that the selected sink does not use
 * is ignored with a warning (the Go drainer silently ignores, e.g., `host` when db-type is kafka), and a key in
 * neither list is an error with the nearest valid key suggested.
 */
export const GO_SYNCER_TO_KEYS: Readonly<
  Record<string, { readonly usedBy: string; readonly description: string; readonly secret?: boolean }>
> = {
  host: { usedBy: 'mysql', description: 'Downstream host (Go default: env MYSQL_HOST, else localhost).' },
  port: { usedBy: 'mysql', description: 'Downstream port (Go default: env MYSQL_PORT, else 3306).' },
  user: { usedBy: 'mysql', description: 'Downstream user (Go default: env MYSQL_USER, else root).' },
  password: {
    usedBy: 'mysql',
    description: 'Downstream password (env DRAINER_PASSWORD overrides; env MYSQL_PSWD fills it when empty).',
    secret: true,
  },
  encrypted_password: {
    usedBy: 'mysql',
    description:
      'Password encrypted with `binlogctl -cmd encrypt` (key: env BINLOG_SECRET_KEY or the Go default); overrides password.',
    secret: true,
  },
  security: { usedBy: 'mysql', description: 'TLS to the downstream database: ssl-ca, ssl-cert, ssl-key.' },
  'sync-mode': {
    usedBy: 'mysql',
    description: '1 = full columns, 2 = partial columns (downstream may have more or fewer columns).',
  },
  'read-timeout': {
    usedBy: 'mysql',
    description: 'I/O read timeout; a bare number means days (Go util.Duration). Default 1m.',
  },
  params: { usedBy: 'mysql', description: 'Extra session variables set on every downstream connection.' },
  merge: { usedBy: 'mysql', description: 'Merge DML of the same key inside a batch.' },
  dir: { usedBy: 'file', description: 'Directory of the binlog files (default: data-dir).' },
  'retention-time': { usedBy: 'file', description: 'Days to keep binlog files (≤ 0 keeps them forever).' },
  'zookeeper-addrs': { usedBy: 'kafka', description: 'ZooKeeper to look the Kafka brokers up in.' },
  'kafka-addrs': {
    usedBy: 'kafka',
    description: 'Kafka brokers, comma separated (default env KAFKA_ADDRS, else 127.0.0.1:9092).',
  },
  'kafka-version': { usedBy: 'kafka', description: 'Kafka protocol version (default 0.8.2.0).' },
  'kafka-max-messages': { usedBy: 'kafka', description: 'Messages per producer batch (default 1024).' },
  'kafka-client-id': { usedBy: 'kafka', description: 'Kafka client id.' },
  'kafka-max-message-size': { usedBy: 'kafka', description: 'Largest message in bytes (≤ 0 → 1 GiB).' },
  'topic-name': { usedBy: 'kafka', description: 'Topic (default <cluster-id>_obinlog).' },
  'oracle-service-name': { usedBy: 'oracle', description: 'Oracle (not supported).' },
  'oracle-connect-string': { usedBy: 'oracle', description: 'Oracle (not supported).' },
};

/**
 * `[syncer.to]`: only `checkpoint` is ours; every other key belongs to the sink and passes through unchanged
 * (see GO_SYNCER_TO_KEYS and sink-config.ts).
 */
export const syncerToSchema = z.looseObject({
  checkpoint: meta(checkpointSchema.prefault({}), { description: 'Where the checkpoint is stored (spec §7.1).' }),
});
export type SyncerToToml = z.output<typeof syncerToSchema>;
