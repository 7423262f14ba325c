import { z } from '@tidb-drainer/core/sdk';

/** Go's file sink rotates at 512 MiB. */
const DEFAULT_MAX_FILE_SIZE = 512 * 1024 * 1024;

/**
 * `[syncer.to]` of the Go file sink (`dir`, `retention-time`) plus our options (also accepted under `[sink]`).
 */
export const fileSinkConfigSchema = z
  .object({
    dir: z.string().default('').describe('Directory of the binlog files; empty = the drainer data-dir (as Go)'),
    'retention-time': z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Days to keep binlog files; older ones (except the newest) are deleted hourly; 0 = keep all'),
    // Our own options.
    'max-file-size': z
      .number()
      .int()
      .min(1024)
      .default(DEFAULT_MAX_FILE_SIZE)
      .describe('Rotate to a new file once the current one reaches this many bytes (Go: 512 MiB)'),
    'rotate-interval': z
      .string()
      .default('')
      .describe('Also rotate when the current file is older than this Go duration ("1h"); empty = size only'),
    fsync: z
      .enum(['batch', 'interval', 'none'])
      .default('batch')
      .describe(
        'batch: a batch is acknowledged only after fdatasync; interval: fdatasync every fsync-interval; none: never (Go behaviour)',
      ),
    'fsync-interval': z.string().default('1s').describe('Period of fdatasync with fsync = "interval" (Go duration)'),
  })
  .strict();

export type FileSinkConfig = z.infer<typeof fileSinkConfigSchema>;
