import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { parseGoDuration } from '@tidb-drainer/core';
import { AbortedError, batchErrorDetails, SinkError } from '@tidb-drainer/core/sdk';
import type { DdlEvent, Sink, SinkContext, SinkEnv, TxnBatch } from '@tidb-drainer/core/sdk';
import { ByteWriter } from '../format/byte-writer.js';
import { writeDdlRecord, writeTxnRecord } from '../format/encode-record.js';
import { BinlogFileWriter, defaultOpenFile } from '../writer/binlog-file-writer.js';
import type { OpenFile } from '../writer/binlog-file-writer.js';
import { DirLock } from '../writer/dir-lock.js';
import { recoverTail } from '../writer/recover-tail.js';
import { collectGarbage } from '../writer/retention-gc.js';
import { fileError } from './file-error.js';
import { createFileSinkMetrics } from './file-sink-metrics.js';
import type { FileSinkMetrics } from './file-sink-metrics.js';
import type { FileSinkConfig } from './file-sink-config.js';

/** Go runs its GC hourly. */
const GC_PERIOD_MS = 3_600_000;

/**
 * Go's default directory is the drainer data-dir itself. The SDK documents ctx.dataDir as `<data-dir>/<sink type>`
 * while the drainer currently passes data-dir: accept both.
 */
function defaultDir(dataDir: string): string {
  const base = basename(dataDir);
  return base === 'file' || base === 'pb' ? dirname(dataDir) : dataDir;
}

export interface FileSinkOptions {
  /** Opens binlog files; tests wrap the real one to inject faults. */
  readonly openFile?: OpenFile;
}

/**
 * `db-type = "file"` (alias `pb`): the Go drainer's protobuf binlog files, byte for byte (spec §8.5). One record per
 * transaction or DDL. Beyond Go: an fsync policy, and crash recovery — on open, files are cut back to the last
 * record with commit ts ≤ the checkpoint, so the batches the runner resends are written once (no duplicates).
 */
export class FileSink implements Sink {
  readonly capabilities = {
    // Two: the next batch is encoded while the previous one is in write(2)/fdatasync (appends stay serial).
    maxInFlight: 2,
    supportsDdl: true,
    // Large batches amortise the write(2) + fdatasync per batch; 4 MiB keeps the encode buffer modest.
    defaultBatch: { maxTxns: 1024, maxBytes: 4 << 20, maxDelayMs: 10 },
  } as const;

  private writer: BinlogFileWriter | undefined;
  private lock: DirLock | undefined;
  /** Encode buffers, one per write in flight (reused: a batch's records are encoded in place). */
  private readonly spare: ByteWriter[] = [];
  private tail: Promise<boolean> = Promise.resolve(true);
  private inFlight = 0;
  private metrics: FileSinkMetrics | undefined;
  private logger: Logger | undefined;
  private dir = '';
  private lastTs = 0n;
  private timers: NodeJS.Timeout[] = [];
  private syncing: Promise<void> | undefined;
  private failed: unknown;

  constructor(
    private readonly config: FileSinkConfig,
    private readonly env: Pick<SinkEnv, 'timezone'>,
    private readonly options: FileSinkOptions = {},
  ) {}

  async open(ctx: SinkContext): Promise<void> {
    if (this.writer !== undefined) return;
    this.logger = ctx.logger;
    this.metrics ??= createFileSinkMetrics(ctx.metrics);
    this.dir = resolve(this.config.dir !== '' ? this.config.dir : defaultDir(ctx.dataDir));
    const lock = new DirLock(this.dir);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await lock.acquire();
      this.lock = lock;
      const tail = await recoverTail(this.dir, ctx.resume.checkpoint, ctx.logger, ctx.signal);
      const writer = new BinlogFileWriter({
        dir: this.dir,
        maxFileSize: this.config['max-file-size'],
        rotateIntervalMs:
          this.config['rotate-interval'] === ''
            ? 0
            : parseGoDuration(this.config['rotate-interval'], 'rotate-interval'),
        openFile: this.options.openFile ?? defaultOpenFile,
      });
      await writer.start(
        tail.file === undefined ? undefined : { path: tail.file.path, index: tail.file.index, size: tail.size },
      );
      this.writer = writer;
      this.lastTs = tail.lastTs;
    } catch (err) {
      await lock.release().catch(() => undefined);
      this.lock = undefined;
      throw fileError('open', err, { file: this.dir });
    }
    this.startTimers();
    ctx.logger.info({ dir: this.dir, file: this.writer.currentPath, fsync: this.config.fsync }, 'file sink open');
  }

  private startTimers(): void {
    if (this.config['retention-time'] > 0) {
      const gc = (): void => {
        const logger = this.logger;
        if (logger === undefined) return;
        collectGarbage(this.dir, this.config['retention-time'], logger).catch((err: unknown) =>
          logger.warn({ err }, 'binlog GC failed'),
        );
      };
      gc();
      this.timers.push(setInterval(gc, GC_PERIOD_MS).unref());
    }
    if (this.config.fsync === 'interval') {
      const every = parseGoDuration(this.config['fsync-interval'], 'fsync-interval');
      this.timers.push(setInterval(() => void this.backgroundSync(), every).unref());
    }
  }

  /** The `interval` policy's periodic fdatasync; a failure is reported by the next write. */
  private backgroundSync(): Promise<void> {
    if (this.syncing !== undefined || this.writer === undefined) return Promise.resolve();
    const w = this.writer;
    this.syncing = w
      .sync()
      .catch((err: unknown) => {
        this.failed = err;
      })
      .finally(() => {
        this.syncing = undefined;
      });
    return this.syncing;
  }

  /**
   * Encodes on arrival, then appends after the previous write settled: with two writes in flight the next batch is
   * encoded while the previous one is in write(2)/fdatasync. A write whose predecessor failed is not appended and
   * rejects retryably, so the runner resends both in order.
   */
  async write(batch: TxnBatch, signal: AbortSignal): Promise<void> {
    const b = this.spare.pop() ?? new ByteWriter(1 << 20);
    try {
      b.reset();
      const ends: number[] = [];
      let last = this.lastTs;
      for (const t of batch.txns) {
        // Records ≤ the last one in the file were kept by recovery or written before a retry: never twice.
        if (t.commitTs <= last) continue;
        writeTxnRecord(b, t, this.env.timezone);
        ends.push(b.pos);
        last = t.commitTs;
      }
      await this.chain(b, ends, signal, last, batchErrorDetails(batch));
    } finally {
      this.spare.push(b);
    }
  }

  async writeDdl(ddl: DdlEvent, signal: AbortSignal): Promise<void> {
    const b = this.spare.pop() ?? new ByteWriter(1 << 16);
    try {
      b.reset();
      const ends: number[] = [];
      const fresh = ddl.commitTs > this.lastTs;
      if (fresh) {
        writeDdlRecord(b, ddl);
        ends.push(b.pos);
      }
      await this.chain(b, ends, signal, fresh ? ddl.commitTs : this.lastTs, {
        commitTs: ddl.commitTs,
        schema: ddl.schema,
      });
    } finally {
      this.spare.push(b);
    }
  }

  private async chain(
    b: ByteWriter,
    ends: readonly number[],
    signal: AbortSignal,
    last: bigint,
    details: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const prev = this.inFlight === 0 ? Promise.resolve(true) : this.tail;
    this.inFlight++;
    const step = (async (): Promise<void> => {
      if (!(await prev)) {
        throw SinkError.retryable(
          'E_FILE_EARLIER_BATCH_FAILED',
          'file sink: an earlier batch failed; resend from it',
          undefined,
          details,
        );
      }
      await this.append(b, ends, signal, last, details);
    })();
    this.tail = step.then(
      () => true,
      () => false,
    );
    try {
      await step;
    } finally {
      this.inFlight--;
    }
  }

  private async append(
    b: ByteWriter,
    ends: readonly number[],
    signal: AbortSignal,
    last: bigint,
    details: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    if (signal.aborted) throw new AbortedError('file sink write', signal.reason);
    const w = this.writer;
    if (w === undefined) throw fileError('write', new Error('not open'), details);
    if (this.failed !== undefined) {
      const err = this.failed;
      this.failed = undefined;
      throw fileError('background fdatasync', err, { ...details, file: w.currentPath });
    }
    if (ends.length === 0) return;
    try {
      await this.syncing;
      await w.append(b.buf, ends);
      if (this.config.fsync === 'batch') {
        const end = this.metrics?.fsync.startTimer();
        await w.sync();
        end?.();
      }
      w.commit();
      this.lastTs = last;
      this.metrics?.bytes.inc(ends[ends.length - 1] ?? 0);
      this.metrics?.records.inc(ends.length);
      this.metrics?.fileIndex.set(w.currentIndex);
    } catch (err) {
      await w
        .rollback()
        .catch((e: unknown) => this.logger?.warn({ err: e }, 'file sink: rollback after a failed write failed'));
      throw fileError('append', err, { ...details, file: w.currentPath });
    }
  }

  async flush(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new AbortedError('file sink flush', signal.reason);
    try {
      await this.syncing;
      await this.writer?.sync();
    } catch (err) {
      throw fileError('fdatasync', err, { file: this.writer?.currentPath });
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    const w = this.writer;
    this.writer = undefined;
    try {
      await this.syncing;
      if (w !== undefined && this.config.fsync !== 'none') await w.sync().catch(() => undefined);
      await w?.close();
    } finally {
      await this.lock?.release();
      this.lock = undefined;
    }
  }
}
