import { z } from '@tidb-drainer/core/sdk';

const tso = z
  .union([z.number().int().min(0), z.bigint().min(0n), z.string().regex(/^\d+$/)])
  .default(0)
  .transform((v) => BigInt(v));

const tablePattern = z.object({ 'db-name': z.string().min(1), 'tbl-name': z.string().min(1) }).strict();

/**
 * reparo.toml as the Go tool reads it (spec §8.5), plus our options (`skip-corrupt`, `timezone`,
 * `progress-interval`). Unknown keys are rejected with their name.
 */
export const reparoConfigSchema = z
  .object({
    'data-dir': z.string().default('').describe("Directory of the binlog files (the file sink's dir)"),
    'log-file': z.string().default('').describe('Log file; empty = stderr'),
    'log-level': z.enum(['debug', 'info', 'warn', 'error', 'fatal']).default('info').describe('Log level'),
    'log-rotate': z.string().default('').describe('Accepted for compatibility; ignored'),
    'start-datetime': z
      .string()
      .default('')
      .describe('Restore from this local time ("2006-01-02 15:04:05"); overrides start-tso'),
    'stop-datetime': z.string().default('').describe('Restore up to this local time; overrides stop-tso'),
    'start-tso': tso.describe('First commit ts restored (inclusive); 0 = from the beginning'),
    'stop-tso': tso.describe('Last commit ts restored (inclusive); 0 = to the end'),
    'dest-type': z
      .enum(['print', 'mysql', 'tidb', 'mariadb'])
      .default('print')
      .describe('print, or mysql (also tidb/mariadb)'),
    'txn-batch': z.number().int().min(1).default(20).describe('Rows per downstream statement batch'),
    'worker-count': z.number().int().min(1).default(16).describe('Parallel downstream workers'),
    'safe-mode': z
      .boolean()
      .default(false)
      .describe('Apply idempotently: REPLACE for inserts, delete+replace for updates'),
    'replicate-do-db': z.array(z.string()).default([]).describe('Databases to restore (~regex allowed)'),
    'replicate-do-table': z.array(tablePattern).default([]).describe('Tables to restore'),
    'replicate-ignore-db': z.array(z.string()).default([]).describe('Databases to skip'),
    'replicate-ignore-table': z.array(tablePattern).default([]).describe('Tables to skip'),
    'dest-db': z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(3306),
        user: z.string().default('root'),
        password: z.string().default(''),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 3306, user: 'root', password: '' })
      .describe('Destination database (dest-type = mysql)'),
    // Ours.
    'skip-corrupt': z
      .boolean()
      .default(false)
      .describe('Resync on the next record after a corrupt one and report what was skipped'),
    timezone: z
      .string()
      .default('')
      .describe('Zone of TIMESTAMP texts and datetimes in the files; empty = the process zone'),
    'progress-interval': z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Seconds between progress log lines when stderr is not a TTY'),
  })
  .strict();

export type ReparoConfig = z.infer<typeof reparoConfigSchema>;
export type ReparoConfigInput = z.input<typeof reparoConfigSchema>;
