import { rm, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { listBinlogFiles } from '../reader/list-binlog-files.js';

const DAY_MS = 86_400_000;

/**
 * Go's binlog GC (spec §8.5): deletes every file but the newest whose mtime is older than `retentionDays`. Returns
 * the names removed.
 */
export async function collectGarbage(
  dir: string,
  retentionDays: number,
  logger: Logger,
  now = Date.now(),
): Promise<string[]> {
  if (retentionDays <= 0) return [];
  const files = await listBinlogFiles(dir);
  const removed: string[] = [];
  for (const f of files.slice(0, -1)) {
    const s = await stat(f.path).catch(() => undefined);
    if (s === undefined || now - s.mtimeMs <= retentionDays * DAY_MS) continue;
    await rm(f.path, { force: true });
    removed.push(f.name);
  }
  if (removed.length > 0)
    logger.info(
      { dir, removed: removed.length, first: removed[0], last: removed[removed.length - 1] },
      'binlog files removed by retention GC',
    );
  return removed;
}
