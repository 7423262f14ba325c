import { rm, stat, truncate } from 'node:fs/promises';
import type { Logger } from 'pino';
import { peekCommitTs } from '../format/pb-binlog-codec.js';
import { listBinlogFiles } from '../reader/list-binlog-files.js';
import type { ListedFile } from '../reader/list-binlog-files.js';
import { scanRecords } from '../reader/scan-records.js';

export interface RecoveredTail {
  /** The file to append to, or undefined when the directory has none. */
  readonly file?: ListedFile;
  /** Its size after recovery. */
  readonly size: number;
  /** Commit ts of the last record kept (0n when none). */
  readonly lastTs: bigint;
  readonly droppedBytes: number;
  readonly droppedRecords: number;
}

/**
 * Crash recovery on open: cuts every file back to the end of the last whole record with commit ts ≤ `checkpoint`,
 * so the batches the runner resends (everything after the checkpoint) are written exactly once. A torn or corrupt
 * tail is cut too; files that hold only records after the checkpoint are removed (all but the first file).
 */
export async function recoverTail(
  dir: string,
  checkpoint: bigint,
  logger: Logger,
  signal: AbortSignal,
): Promise<RecoveredTail> {
  const files = await listBinlogFiles(dir);
  let droppedBytes = 0;
  let droppedRecords = 0;
  for (let i = files.length - 1; i >= 0; i--) {
    const f = files[i]!;
    let keepEnd = 0;
    let lastTs = 0n;
    let end = 0;
    let after = 0;
    try {
      for await (const item of scanRecords(f.path, { last: true, skipCorrupt: false, signal })) {
        if (item.kind !== 'record') break;
        end = item.offset + item.size;
        const ts = peekCommitTs(item.payload);
        if (ts !== undefined && ts <= checkpoint && after === 0) {
          keepEnd = end;
          lastTs = ts;
        } else after++;
      }
    } catch (err) {
      // A corrupt record: everything from it on is unreadable; keep what came before (logged below).
      logger.warn({ file: f.path, err }, 'binlog file: unreadable record during recovery; cutting the file there');
    }
    const total = (await stat(f.path)).size;
    if (keepEnd === 0 && i > 0) {
      await rm(f.path);
      droppedBytes += total;
      droppedRecords += after;
      continue;
    }
    if (keepEnd < total) {
      await truncate(f.path, keepEnd);
      droppedBytes += total - keepEnd;
      droppedRecords += after;
    }
    if (droppedBytes > 0) {
      logger.warn(
        { file: f.path, offset: keepEnd, droppedBytes, droppedRecords, checkpoint },
        'binlog files cut back to the checkpoint',
      );
    }
    return { file: f, size: keepEnd, lastTs, droppedBytes, droppedRecords };
  }
  return { size: 0, lastTs: 0n, droppedBytes, droppedRecords };
}
