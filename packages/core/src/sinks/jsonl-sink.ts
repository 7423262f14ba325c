import { open } from 'node:fs/promises';
import { AbortedError, defineSink, z } from '../sdk/index.js';
import type { DdlEvent, Sink, SinkContext, TxnBatch } from '../sdk/index.js';
import { encodeDdlLine, encodeTxnLines } from './jsonl-codec.js';
import { outputError } from './output-error.js';

/** The part of a node:fs FileHandle the sink uses (tests wrap a real one to inject faults). */
export interface JsonlFile {
  write(data: Buffer): Promise<unknown>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ readonly bytesRead: number }>;
  datasync(): Promise<void>;
  truncate(len: number): Promise<void>;
  stat(): Promise<{ readonly size: number }>;
  close(): Promise<void>;
}

export interface JsonlSinkOptions {
  /** File to append to (created if missing). */
  readonly path: string;
  /** fdatasync after every batch and DDL, so resolving means durable. Default true. */
  readonly fsync?: boolean;
  /** Opens the file for reading and appending; default `fs.promises.open(path, 'a+')`. */
  readonly openFile?: (path: string) => Promise<JsonlFile>;
}

/**
 * `jsonl`: appends one JSON object per row change / DDL to a file (format in jsonl-codec.ts). At-least-once: after
 * a crash, records after the checkpoint are written again (readers dedupe by commit ts + position, or fold rows by
 * key). A failed write is undone before its resend: the file is truncated back to the end of the last durable
 * batch, so a retry never leaves half a line.
 */
export function createJsonlSink(options: JsonlSinkOptions): Sink {
  const fsync = options.fsync ?? true;
  const openFile = options.openFile ?? ((p: string) => open(p, 'a+', 0o644));
  let file: JsonlFile | undefined;
  let durableSize = 0;
  let dirty = false;

  const append = async (text: string, signal: AbortSignal, details: Record<string, unknown>): Promise<void> => {
    if (signal.aborted) throw new AbortedError('jsonl write', signal.reason);
    const f = file;
    if (f === undefined) throw outputError('jsonl', 'write: the sink is not open', undefined, details);
    try {
      if (dirty) await f.truncate(durableSize);
      dirty = true;
      const data = Buffer.from(text, 'utf8');
      await f.write(data);
      if (fsync) await f.datasync();
      durableSize += data.length;
      dirty = false;
    } catch (err) {
      throw outputError('jsonl', 'append', err, { ...details, file: options.path });
    }
  };

  return {
    capabilities: { maxInFlight: 1, supportsDdl: true, defaultBatch: { maxTxns: 256, maxBytes: 4 << 20, maxDelayMs: 20 } },
    async open(_ctx: SinkContext) {
      if (file !== undefined) return;
      try {
        const f = await openFile(options.path);
        try {
          durableSize = await completeLinesSize(f, (await f.stat()).size);
          // A crash mid-append leaves half a line: cut it so the next record starts on a line of its own.
          if (durableSize < (await f.stat()).size) await f.truncate(durableSize);
        } catch (err) {
          await f.close();
          throw err;
        }
        file = f;
      } catch (err) {
        throw outputError('jsonl', 'open the output file', err, { file: options.path });
      }
    },
    async write(batch: TxnBatch, signal: AbortSignal) {
      let text = '';
      for (const t of batch.txns) text += encodeTxnLines(t);
      await append(text, signal, { batchSeq: batch.seq, firstCommitTs: batch.firstCommitTs, lastCommitTs: batch.lastCommitTs });
    },
    async writeDdl(ddl: DdlEvent, signal: AbortSignal) {
      await append(encodeDdlLine(ddl), signal, { commitTs: ddl.commitTs, schema: ddl.schema, table: ddl.table });
    },
    async flush() {
      // Every resolved write is already fsync'd (or fsync is off by choice): nothing is buffered.
    },
    async close() {
      const f = file;
      file = undefined;
      await f?.close();
    },
  };
}

/** 64 KiB: a few hundred records; the tail is scanned backwards in such steps until a newline is found. */
const TAIL_CHUNK = 64 * 1024;

/** The length of the file up to and including its last newline (0 when it has none). */
async function completeLinesSize(f: JsonlFile, size: number): Promise<number> {
  const buf = Buffer.alloc(TAIL_CHUNK);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const { bytesRead } = await f.read(buf, 0, end - start, start);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return 0;
}

export const jsonlSink = defineSink({
  type: 'jsonl',
  description: 'Appends one lossless JSON object per row change or DDL to a file',
  configSchema: z.strictObject({
    path: z.string().min(1).describe('Output file (appended to)'),
    fsync: z.boolean().default(true).describe('fdatasync after every batch'),
  }),
  create: (config) => createJsonlSink(config),
});
