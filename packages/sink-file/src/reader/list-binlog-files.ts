import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DrainerError } from '@tidb-drainer/core/sdk';
import { parseBinlogFileName } from '../format/binlog-file-name.js';
import type { BinlogFileName } from '../format/binlog-file-name.js';

export const BinlogFileErrorCode = {
  /** Files with a gap or a repeat in their index sequence. */
  Sequence: 'E_BINLOG_FILE_SEQUENCE',
  /** A record whose magic or CRC is wrong, or whose payload is not a pb_binlog. */
  Corrupt: 'E_BINLOG_FILE_CORRUPT',
  /** Commit ts not increasing from one record to the next. */
  Order: 'E_BINLOG_FILE_ORDER',
  Io: 'E_BINLOG_FILE_IO',
} as const;

/** A problem with the binlog files themselves; details name the file and the byte offset. */
export class BinlogFileError extends DrainerError {
  constructor(
    code: string,
    message: string,
    details: { readonly file: string; readonly offset?: number } & Record<string, unknown>,
    cause?: unknown,
  ) {
    super(code, message, { retryable: false, cause, details });
  }
}

export interface ListedFile extends BinlogFileName {
  readonly path: string;
}

/** The binlog files of `dir` by index; other names are ignored. Indexes must be consecutive (as Go checks). */
export async function listBinlogFiles(dir: string): Promise<ListedFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new BinlogFileError(
      BinlogFileErrorCode.Io,
      `cannot list ${dir} (${(err as NodeJS.ErrnoException).code ?? 'EIO'})`,
      { file: dir },
      err,
    );
  }
  const files: ListedFile[] = [];
  for (const n of names) {
    const p = parseBinlogFileName(n);
    if (p !== undefined) files.push({ ...p, path: join(dir, n) });
  }
  files.sort((a, b) => a.index - b.index);
  for (let i = 1; i < files.length; i++) {
    const prev = files[i - 1]!;
    const cur = files[i]!;
    if (cur.index !== prev.index + 1) {
      throw new BinlogFileError(
        BinlogFileErrorCode.Sequence,
        `binlog files are not consecutive: ${prev.name} then ${cur.name}`,
        { file: cur.path },
      );
    }
  }
  return files;
}
