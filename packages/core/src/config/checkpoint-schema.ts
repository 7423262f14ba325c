import { z } from 'zod';
import { securitySchema } from './security-schema.js';
import { meta, tomlInt } from './schema-helpers.js';

/** `[syncer.to.checkpoint]`: where the checkpoint is stored (spec §7.1). */
export const checkpointSchema = z.strictObject({
  type: meta(z.enum(['', 'mysql', 'tidb', 'oracle', 'file']).default(''), {
    description:
      'Checkpoint store. "" derives it from db-type: mysql/tidb → a table in the downstream, file/pb/kafka and other sinks → <data-dir>/savepoint. ' +
      '"mysql"/"tidb" → a table on the host below. "file" is an extension (the Go drainer rejects it). "oracle" is not supported.',
  }),
  schema: meta(z.string().default(''), {
    description: 'Database of the checkpoint table (any type). Empty means tidb_binlog.',
    defaultText: '"" (tidb_binlog)',
  }),
  table: meta(z.string().default(''), {
    description: 'Checkpoint table name; used only with an explicit type. Empty means checkpoint.',
    defaultText: '"" (checkpoint)',
  }),
  host: meta(z.string().default(''), {
    description: 'Checkpoint database host (explicit type only).',
    defaultText: '"" (127.0.0.1)',
  }),
  user: meta(z.string().default(''), {
    description: 'Checkpoint database user (explicit type only).',
    defaultText: '"" (root)',
  }),
  password: meta(z.string().default(''), {
    description: 'Checkpoint database password.',
    env: 'DRAINER_CHECKPOINT_PASSWORD',
    secret: true,
  }),
  encrypted_password: meta(z.string().default(''), {
    description: 'Password encrypted with `binlogctl -cmd encrypt`; overrides password when not empty.',
    secret: true,
  }),
  port: meta(tomlInt.default(0), {
    description: 'Checkpoint database port (explicit type only).',
    defaultText: '0 (3306)',
  }),
  security: meta(securitySchema.prefault({}), {
    description: 'TLS to the checkpoint database.',
  }),
  'oracle-service-name': meta(z.string().default(''), {
    description: 'Oracle checkpoint (not supported).',
    status: 'unsupported-when-set',
  }),
  'oracle-connect-string': meta(z.string().default(''), {
    description: 'Oracle checkpoint (not supported).',
    status: 'unsupported-when-set',
  }),
});
export type CheckpointToml = z.output<typeof checkpointSchema>;
