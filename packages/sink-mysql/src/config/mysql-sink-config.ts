import { z } from '@tidb-drainer/core/sdk';

/** `[syncer.to.security]` / `[syncer.to.checkpoint.security]`: TLS to the downstream (paths to PEM files). */
export const securitySchema = z
  .object({
    'ssl-ca': z.string().default('').describe('Path of the PEM file with the trusted CAs; empty = no TLS'),
    'ssl-cert': z.string().default('').describe('Path of the client certificate (PEM), for mutual TLS'),
    'ssl-key': z.string().default('').describe('Path of the client private key (PEM), for mutual TLS'),
    'cert-allowed-cn': z
      .array(z.string())
      .default([])
      .describe('Accepted for compatibility with the Go drainer; only checked on listeners, not on client connections'),
  })
  .strict();
export type SecurityConfig = z.infer<typeof securitySchema>;

/** `[syncer.to.checkpoint]`: where the Go drainer keeps its checkpoint. The MySQL sink honours schema/table. */
export const checkpointSectionSchema = z
  .object({
    type: z.string().default('').describe('"" = derived from db-type (mysql/tidb → downstream table); mysql, tidb, file'),
    schema: z.string().default('tidb_binlog').describe('Database of the checkpoint table'),
    table: z.string().default('checkpoint').describe('Name of the checkpoint table'),
    host: z.string().default('127.0.0.1').describe('Checkpoint database host (explicit type only)'),
    user: z.string().default('root').describe('Checkpoint database user (explicit type only)'),
    password: z.string().default('').describe('Checkpoint database password (explicit type only)'),
    encrypted_password: z.string().default('').describe('Encrypted checkpoint password (explicit type only)'),
    port: z.number().int().min(1).max(65535).default(3306).describe('Checkpoint database port (explicit type only)'),
    security: securitySchema.default(securitySchema.parse({})).describe('TLS to the checkpoint database'),
    'oracle-service-name': z.string().default('').describe('Oracle only; ignored'),
    'oracle-connect-string': z.string().default('').describe('Oracle only; ignored'),
  })
  .strict();

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

/**
 * The MySQL sink's section: the `[syncer.to]` keys of the Go drainer's MySQL sink plus options of our own (the
 * drainer's config layer warns about and drops Go keys of other sinks, applies the MYSQL_* env fallbacks and
 * decrypts `encrypted_password`; the fallbacks and decryption are repeated here for direct SDK use).
 */
export const mysqlSinkConfigSchema = z
  .object({
    host: z
      .string()
      .default(() => env('MYSQL_HOST') ?? 'localhost')
      .describe('Downstream host (default: env MYSQL_HOST, else localhost)'),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(() => Number(env('MYSQL_PORT') ?? '3306'))
      .describe('Downstream port (default: env MYSQL_PORT, else 3306)'),
    user: z
      .string()
      .default(() => env('MYSQL_USER') ?? 'root')
      .describe('Downstream user (default: env MYSQL_USER, else root)'),
    password: z
      .string()
      .default(() => env('MYSQL_PSWD') ?? '')
      .describe('Downstream password (default: env MYSQL_PSWD); never logged'),
    encrypted_password: z
      .string()
      .default('')
      .describe('Overrides password: base64(IV + "@" + AES-CFB(password)), key from env BINLOG_SECRET_KEY (hex)'),
    'sync-mode': z
      .union([z.literal(1), z.literal(2)])
      .default(1)
      .describe('1 = full columns; 2 = partial columns (session sql_mode without STRICT_TRANS_TABLES)'),
    'read-timeout': z
      .union([z.string(), z.number()])
      .default('1m')
      .describe('I/O timeout of downstream statements (Go duration such as "1m", "90s"; a bare number = days)'),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe('Extra session variables set on every downstream connection (errors are fatal)'),
    merge: z
      .boolean()
      .default(false)
      .describe('Merge mode: updates that keep their key are applied as multi-row REPLACE of the new rows'),
    security: securitySchema.default(securitySchema.parse({})).describe('TLS to the downstream'),
    checkpoint: checkpointSectionSchema.default(checkpointSectionSchema.parse({})).describe('Checkpoint location'),
    // Our own options.
    'exactly-once': z
      .boolean()
      .default(false)
      .describe('Store the checkpoint row in the same transaction as each batch (no replays after a crash)'),
    'pool-size': z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Downstream connections; 0 = worker-count + 1 (one spare for DDL and checkpoints)'),
    'rows-per-statement': z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(512)
      .describe('Most rows in one multi-row INSERT / REPLACE / DELETE statement'),
    'rows-per-txn': z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Most rows in one downstream transaction per worker; 0 = 1024'),
    'connect-timeout-ms': z.number().int().min(1).default(10_000).describe('Timeout of a new downstream connection'),
  })
  .strict();

export type MysqlSinkConfig = z.infer<typeof mysqlSinkConfigSchema>;
