import { BinlogFileError, BinlogFileErrorCode } from './list-binlog-files.js';
import { readBinlogDir } from './read-binlog-dir.js';

export interface FileSummary {
  readonly file: string;
  readonly records: number;
  readonly bytes: number;
  readonly firstTs?: bigint;
  readonly lastTs?: bigint;
  /** Bytes of an incomplete last record (end of data). */
  readonly truncatedBytes: number;
  /** Ranges passed over with skipCorrupt. */
  readonly skipped: readonly { readonly offset: number; readonly bytes: number; readonly reason: string }[];
}

export interface VerifyOptions {
  readonly skipCorrupt?: boolean;
  readonly signal?: AbortSignal;
  /** Called when a file is done (for streaming output). */
  readonly onFile?: (s: FileSummary) => void;
}

/**
 * `reparo verify`: reads every file in order, checks each record's framing and CRC-32C, that its payload is a
 * pb_binlog, and that commit ts strictly increase across the whole directory. Returns a summary per file; the
 * first problem throws a BinlogFileError naming file and offset (unless skipCorrupt for corrupt records).
 */
export async function verifyDir(dir: string, o: VerifyOptions = {}): Promise<FileSummary[]> {
  const out: FileSummary[] = [];
  let cur:
    | {
        file: string;
        records: number;
        bytes: number;
        firstTs?: bigint;
        lastTs?: bigint;
        truncatedBytes: number;
        skipped: FileSummary['skipped'][number][];
      }
    | undefined;
  let prevTs: bigint | undefined;
  const done = (): void => {
    if (cur === undefined) return;
    out.push(cur);
    o.onFile?.(cur);
    cur = undefined;
  };
  for await (const item of readBinlogDir(dir, {
    skipCorrupt: o.skipCorrupt === true,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  })) {
    switch (item.kind) {
      case 'file':
        done();
        cur = { file: item.file, records: 0, bytes: 0, truncatedBytes: 0, skipped: [] };
        break;
      case 'binlog': {
        const c = cur!;
        const ts = item.binlog.commitTs;
        if (prevTs !== undefined && ts <= prevTs) {
          throw new BinlogFileError(
            BinlogFileErrorCode.Order,
            `commit ts ${ts} in ${item.file} at offset ${item.offset} is not after ${prevTs}`,
            {
              file: item.file,
              offset: item.offset,
              commitTs: ts,
              previousTs: prevTs,
            },
          );
        }
        prevTs = ts;
        c.records++;
        c.bytes += item.size;
        c.firstTs ??= ts;
        c.lastTs = ts;
        break;
      }
      case 'skipped':
        cur!.skipped.push({ offset: item.offset, bytes: item.bytes, reason: item.reason });
        break;
      case 'truncated':
        cur!.truncatedBytes = item.bytes;
        break;
      default:
        assertNever(item);
    }
  }
  done();
  return out;
}

function assertNever(x: never): never {
  throw new TypeError(`unexpected item ${JSON.stringify(x)}`);
}
