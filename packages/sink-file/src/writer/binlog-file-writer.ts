import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { binlogFileName } from '../format/binlog-file-name.js';

/** The part of a node:fs FileHandle the writer uses (tests wrap a real one to inject faults). */
export interface WritableFile {
  write(data: Uint8Array, offset: number, length: number, position: number): Promise<{ readonly bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(len: number): Promise<void>;
  close(): Promise<void>;
}

export type OpenFile = (path: string, flags: string, mode: number) => Promise<WritableFile>;

export const defaultOpenFile: OpenFile = (path, flags, mode) => open(path, flags, mode);

export interface BinlogFileWriterOptions {
  readonly dir: string;
  /** Rotate once a file reaches this many bytes (checked after each record, as Go). */
  readonly maxFileSize: number;
  /** Rotate when the current file is older than this (0 = never). */
  readonly rotateIntervalMs: number;
  readonly openFile: OpenFile;
  readonly now?: () => Date;
}

/**
 * Appends framed records to `binlog-<index>-<datetime>` files, rotating by size (after the record that crossed the
 * limit, as Go does) and optionally by age. Positional writes make a failed append harmless: `rollback()` cuts the
 * file back to the last committed size and the next write overwrites from there.
 */
export class BinlogFileWriter {
  private fh: FileHandle | WritableFile | undefined;
  private index = 0;
  private size = 0;
  private committed = 0;
  private openedAt = 0;
  private path = '';
  /** Files rotated away from but not yet fsync'd (closed after the next sync). */
  private retired: WritableFile[] = [];
  private dirty = false;
  /** Where the current batch started, so a failed batch that rotated can be undone across files. */
  private batchStart = { index: 0, path: '', size: 0 };
  private created: string[] = [];

  constructor(private readonly o: BinlogFileWriterOptions) {}

  get currentPath(): string {
    return this.path;
  }

  get currentIndex(): number {
    return this.index;
  }

  /** Continues file `index` at `size` (after recovery), or creates file 0 when `path` is undefined. */
  async start(
    existing: { readonly path: string; readonly index: number; readonly size: number } | undefined,
  ): Promise<void> {
    if (existing === undefined) return this.create(0);
    this.fh = await this.o.openFile(existing.path, 'r+', 0o600);
    this.path = existing.path;
    this.index = existing.index;
    this.size = existing.size;
    this.committed = existing.size;
    this.openedAt = Date.now();
  }

  private async create(index: number): Promise<void> {
    const now = this.o.now?.() ?? new Date();
    const path = join(this.o.dir, binlogFileName(index, now));
    this.fh = await this.o.openFile(path, 'wx', 0o600);
    this.path = path;
    this.index = index;
    this.size = 0;
    this.committed = 0;
    this.openedAt = now.getTime();
  }

  /**
   * Writes `buf[0, end)` where `recordEnds` are the end offsets of its records (ascending). Rotates after the record
   * that reaches maxFileSize, and before the first record when the current file is older than the rotate interval.
   */
  async append(buf: Uint8Array, recordEnds: readonly number[]): Promise<void> {
    this.batchStart = { index: this.index, path: this.path, size: this.committed };
    this.created = [];
    if (this.o.rotateIntervalMs > 0 && this.size > 0 && Date.now() - this.openedAt >= this.o.rotateIntervalMs)
      await this.rotate();
    let from = 0;
    let i = 0;
    while (from < (recordEnds[recordEnds.length - 1] ?? 0)) {
      // The longest run of records that stays in this file: up to and including the one that reaches the limit.
      let to = from;
      while (i < recordEnds.length) {
        to = recordEnds[i++]!;
        if (this.size + (to - from) >= this.o.maxFileSize) break;
      }
      await this.writeAll(buf, from, to);
      from = to;
      if (this.size >= this.o.maxFileSize) await this.rotate();
    }
  }

  private async writeAll(buf: Uint8Array, from: number, to: number): Promise<void> {
    const fh = this.fh;
    if (fh === undefined) throw new Error('binlog file writer is closed');
    this.dirty = true;
    let off = from;
    while (off < to) {
      const { bytesWritten } = await fh.write(buf, off, to - off, this.size);
      off += bytesWritten;
      this.size += bytesWritten;
    }
  }

  private async rotate(): Promise<void> {
    const old = this.fh;
    if (old !== undefined) this.retired.push(old);
    await this.create(this.index + 1);
    this.created.push(this.path);
  }

  /** fdatasync the current file and any file rotated away from since the last sync. */
  async sync(): Promise<void> {
    const retired = this.retired.splice(0);
    for (const f of retired) {
      await f.datasync();
      await f.close();
    }
    if (this.dirty) await this.fh?.datasync();
    this.dirty = false;
  }

  /** The batch was written (and synced per policy): a later failure rolls back only to here. */
  commit(): void {
    this.committed = this.size;
    this.created = [];
  }

  /** Undoes a failed append of the current file so a resend starts on a record boundary. */
  async rollback(): Promise<void> {
    if (this.created.length > 0) {
      const start = this.batchStart;
      await this.close();
      for (const p of this.created.splice(0)) await rm(p, { force: true });
      await this.start({ path: start.path, index: start.index, size: start.size });
      await this.fh?.truncate(start.size);
      return;
    }
    if (this.size === this.committed) return;
    await this.fh?.truncate(this.committed);
    this.size = this.committed;
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    const retired = this.retired.splice(0);
    for (const f of retired) await f.close().catch(() => undefined);
    await fh?.close();
  }
}
