import { decodePbBinlog, peekCommitTs } from '../format/pb-binlog-codec.js';
import type { PbBinlog } from '../format/pb-binlog.js';
import { BinlogFileError, BinlogFileErrorCode, listBinlogFiles } from './list-binlog-files.js';
import type { ListedFile } from './list-binlog-files.js';
import { scanRecords } from './scan-records.js';

export type DirItem =
  | {
      readonly kind: 'binlog';
      readonly file: string;
      readonly offset: number;
      readonly size: number;
      readonly binlog: PbBinlog;
    }
  | {
      readonly kind: 'skipped';
      readonly file: string;
      readonly offset: number;
      readonly bytes: number;
      readonly reason: string;
    }
  | { readonly kind: 'truncated'; readonly file: string; readonly offset: number; readonly bytes: number }
  | { readonly kind: 'file'; readonly file: string; readonly index: number };

export interface ReadDirOptions {
  /** Resync on the next magic after a corrupt record (reported as `skipped` items). */
  readonly skipCorrupt?: boolean;
  /** Only files that may hold commit ts ≥ startTs (reparo's selection, spec §8.5); 0 = all. */
  readonly startTs?: bigint;
  /** Only files whose first commit ts ≤ stopTs; 0 = unbounded. */
  readonly stopTs?: bigint;
  readonly signal?: AbortSignal;
}

/** The first commit ts of a file: from its name when it has one, else from its first readable record. */
async function firstTs(f: ListedFile, last: boolean, signal: AbortSignal | undefined): Promise<bigint | undefined> {
  if (f.firstTs !== undefined) return f.firstTs;
  try {
    for await (const item of scanRecords(f.path, {
      last,
      skipCorrupt: true,
      ...(signal === undefined ? {} : { signal }),
    })) {
      if (item.kind === 'record') return peekCommitTs(item.payload);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * reparo's file selection: keep the last file whose first ts ≤ start plus every file whose first ts lies in
 * (start, stop]. Files whose first ts cannot be read are kept (the reader reports their problem).
 */
export async function selectFiles(dir: string, o: ReadDirOptions): Promise<ListedFile[]> {
  const files = await listBinlogFiles(dir);
  const start = o.startTs ?? 0n;
  const stop = o.stopTs ?? 0n;
  if (start === 0n && stop === 0n) return files;
  const firsts = await Promise.all(files.map((f, i) => firstTs(f, i === files.length - 1, o.signal)));
  let base = 0;
  firsts.forEach((ts, i) => {
    if (ts !== undefined && ts <= start) base = i;
  });
  return files.filter((_, i) => {
    const ts = firsts[i];
    if (ts === undefined) return i >= base;
    if (i === base) return stop === 0n || ts <= stop;
    return ts > start && (stop === 0n || ts <= stop);
  });
}

/**
 * Every record of a binlog directory in file order, decoded. A record whose framing is fine but whose payload is
 * not a pb_binlog is corruption too (typed error naming file and offset, or skipped with `skipCorrupt`).
 */
export async function* readBinlogDir(dir: string, o: ReadDirOptions = {}): AsyncGenerator<DirItem> {
  const files = await selectFiles(dir, o);
  const all = await listBinlogFiles(dir);
  const lastIndex = all[all.length - 1]?.index;
  for (const f of files) {
    yield { kind: 'file', file: f.path, index: f.index };
    const scan = scanRecords(f.path, {
      last: f.index === lastIndex,
      skipCorrupt: o.skipCorrupt === true,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
    for await (const item of scan) {
      switch (item.kind) {
        case 'record': {
          let binlog: PbBinlog;
          try {
            binlog = decodePbBinlog(item.payload);
          } catch (err) {
            const reason = `payload is not a pb_binlog: ${(err as Error).message}`;
            if (o.skipCorrupt !== true) {
              throw new BinlogFileError(
                BinlogFileErrorCode.Corrupt,
                `corrupt binlog record in ${f.path} at offset ${item.offset}: ${reason}`,
                { file: f.path, offset: item.offset },
                err,
              );
            }
            yield { kind: 'skipped', file: f.path, offset: item.offset, bytes: item.size, reason };
            continue;
          }
          yield { kind: 'binlog', file: f.path, offset: item.offset, size: item.size, binlog };
          break;
        }
        case 'skipped':
          yield { kind: 'skipped', file: f.path, offset: item.offset, bytes: item.bytes, reason: item.reason };
          break;
        case 'truncated':
          yield { kind: 'truncated', file: f.path, offset: item.offset, bytes: item.bytes };
          break;
        default:
          assertNever(item);
      }
    }
  }
}

function assertNever(x: never): never {
  throw new TypeError(`unexpected scan item ${JSON.stringify(x)}`);
}
