import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { AbortedError } from '@tidb-drainer/core/sdk';
import { crc32c } from '../format/crc32c.js';
import { MAGIC_BYTES, RECORD_HEADER_SIZE, RECORD_MAGIC, RECORD_TRAILER_SIZE } from '../format/record-framing.js';
import { BinlogFileError, BinlogFileErrorCode } from './list-binlog-files.js';

/** Read granularity: large enough for sequential throughput, small enough to keep memory flat. */
const CHUNK = 4 << 20;
/** A length field beyond this is garbage, not a record (Go's pb sink never writes a 4 GiB transaction). */
const MAX_PAYLOAD = 0xffff_ffff;

export type ScanItem =
  | { readonly kind: 'record'; readonly offset: number; readonly size: number; readonly payload: Uint8Array }
  /** `--skip-corrupt`: bytes passed over to reach the next valid record (or the end of the file). */
  | { readonly kind: 'skipped'; readonly offset: number; readonly bytes: number; readonly reason: string }
  /** An incomplete record at the end of the last file: end of data. */
  | { readonly kind: 'truncated'; readonly offset: number; readonly bytes: number };

export interface ScanOptions {
  /** The last file of the directory: a torn tail record there is end of data, elsewhere it is corruption. */
  readonly last: boolean;
  /** Resync on the next magic after a bad record instead of failing. */
  readonly skipCorrupt?: boolean;
  readonly signal?: AbortSignal;
}

type Check =
  | { readonly ok: true; readonly size: number }
  | { readonly ok: false; readonly torn: boolean; readonly reason: string };

class Window {
  buf = Buffer.alloc(0);
  /** File offset of buf[0]. */
  base = 0;
  eof = false;

  constructor(private readonly fh: FileHandle) {}

  /** Makes bytes [off, off+n) available unless the file ends first; returns how many are available from off. */
  async have(off: number, n: number): Promise<number> {
    while (this.base + this.buf.length < off + n && !this.eof) {
      const keepFrom = Math.max(0, Math.min(off, this.base + this.buf.length) - this.base);
      const want = Math.max(CHUNK, off + n - (this.base + this.buf.length));
      const next = Buffer.allocUnsafe(this.buf.length - keepFrom + want);
      this.buf.copy(next, 0, keepFrom);
      const kept = this.buf.length - keepFrom;
      const { bytesRead } = await this.fh.read(next, kept, want, this.base + this.buf.length);
      this.base += keepFrom;
      this.buf = next.subarray(0, kept + bytesRead);
      if (bytesRead === 0) this.eof = true;
    }
    return Math.max(0, this.base + this.buf.length - off);
  }

  at(off: number): number {
    return off - this.base;
  }
}

async function check(w: Window, off: number): Promise<Check> {
  const avail = await w.have(off, RECORD_HEADER_SIZE);
  if (avail < RECORD_HEADER_SIZE) return { ok: false, torn: true, reason: 'incomplete record header' };
  const p = w.at(off);
  if (w.buf.readUInt32LE(p) !== RECORD_MAGIC) return { ok: false, torn: false, reason: 'bad magic' };
  const hi = w.buf.readUInt32LE(p + 8);
  const len = w.buf.readUInt32LE(p + 4);
  if (hi !== 0 || len > MAX_PAYLOAD) return { ok: false, torn: false, reason: 'implausible payload length' };
  const size = RECORD_HEADER_SIZE + len + RECORD_TRAILER_SIZE;
  if ((await w.have(off, size)) < size) return { ok: false, torn: true, reason: 'incomplete record' };
  const q = w.at(off);
  const crc = w.buf.readUInt32LE(q + RECORD_HEADER_SIZE + len);
  if (crc32c(w.buf, q + RECORD_HEADER_SIZE, q + RECORD_HEADER_SIZE + len) !== crc)
    return { ok: false, torn: false, reason: 'CRC-32C mismatch' };
  return { ok: true, size };
}

/** The next offset ≥ from where the magic starts and a whole valid record follows; undefined at end of file. */
async function resync(w: Window, from: number): Promise<number | undefined> {
  let off = from;
  for (;;) {
    const avail = await w.have(off, CHUNK);
    if (avail < MAGIC_BYTES.length) return undefined;
    const p = w.at(off);
    const hit = w.buf.subarray(p, p + avail).indexOf(MAGIC_BYTES);
    if (hit < 0) {
      off += avail - (MAGIC_BYTES.length - 1);
      continue;
    }
    const c = await check(w, off + hit);
    if (c.ok) return off + hit;
    off += hit + 1;
  }
}

/**
 * Reads the framed records of one file in order, validating magic, length and CRC-32C. A bad record throws a
 * BinlogFileError naming the file and offset, unless `skipCorrupt` (then a `skipped` item reports the bytes passed
 * over). An incomplete record at the end of the last file yields `truncated` and ends the scan.
 */
export async function* scanRecords(path: string, options: ScanOptions): AsyncGenerator<ScanItem> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new BinlogFileError(
      BinlogFileErrorCode.Io,
      `cannot open ${path} (${(err as NodeJS.ErrnoException).code ?? 'EIO'})`,
      { file: path },
      err,
    );
  }
  try {
    const w = new Window(fh);
    const fileSize = (await fh.stat()).size;
    let off = 0;
    for (;;) {
      if (options.signal?.aborted === true) throw new AbortedError('binlog file scan', options.signal.reason);
      if ((await w.have(off, 1)) === 0) return;
      const c = await check(w, off);
      if (c.ok) {
        const p = w.at(off);
        yield {
          kind: 'record',
          offset: off,
          size: c.size,
          payload: w.buf.subarray(p + RECORD_HEADER_SIZE, p + c.size - RECORD_TRAILER_SIZE),
        };
        off += c.size;
        continue;
      }
      const remaining = Math.max(0, fileSize - off);
      if (c.torn && options.last) {
        yield { kind: 'truncated', offset: off, bytes: remaining };
        return;
      }
      if (options.skipCorrupt !== true) {
        throw new BinlogFileError(
          BinlogFileErrorCode.Corrupt,
          `corrupt binlog record in ${path} at offset ${off}: ${c.reason}`,
          { file: path, offset: off, reason: c.reason },
        );
      }
      const next = await resync(w, off + 1);
      const end = next ?? off + remaining;
      yield { kind: 'skipped', offset: off, bytes: end - off, reason: c.reason };
      if (next === undefined) return;
      off = next;
    }
  } finally {
    await fh.close();
  }
}
