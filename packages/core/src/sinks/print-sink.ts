import type { Writable } from 'node:stream';
import { AbortedError, defineSink, tsoToDate, z } from '../sdk/index.js';
import type { DdlEvent, RowChange, RowValues, Sink, TxnBatch } from '../sdk/index.js';
import { outputError } from './output-error.js';
import { valueText } from './value-text.js';

/**
 * `print`: a human-readable dump for debugging and demos, one line per row change:
 *   `# txn commit-ts=<ts> (<iso time>) start-ts=<ts> rows=<n>`
 *   `insert <schema>.<table> {"col":"text",…}` · `update … {before} => {after}` · `delete … {before}`
 *   `# ddl commit-ts=<ts> <schema>.<table>: <query>`
 * Values are MySQL text (`valueText`), JSON-quoted; NULL is `null`; absent columns are left out.
 */
/** Where print writes: a Node stream (stdout) or anything with an async `write` (tests, custom tools). */
export type PrintOutput = Writable | { write(text: string): Promise<void> };

export function createPrintSink(out: PrintOutput): Sink {
  const put = (text: string): Promise<void> =>
    'writable' in out
      ? new Promise<void>((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())))
      : out.write(text);
  const emit = async (text: string, signal: AbortSignal, details: Record<string, unknown>): Promise<void> => {
    if (signal.aborted) throw new AbortedError('print', signal.reason);
    try {
      await put(text);
    } catch (err) {
      throw outputError('print', 'write', err, details);
    }
  };
  return {
    capabilities: { maxInFlight: 1, supportsDdl: true, defaultBatch: { maxTxns: 64, maxBytes: 1 << 20, maxDelayMs: 10 } },
    async open(ctx) {
      // An empty write verifies the stream is usable (a closed pipe fails here, not on the first batch).
      await emit('', ctx.signal, {});
    },
    async write(batch: TxnBatch, signal: AbortSignal) {
      const lines: string[] = [];
      for (const t of batch.txns) {
        lines.push(`# txn commit-ts=${t.commitTs} (${tsoToDate(t.commitTs).toISOString()}) start-ts=${t.startTs} rows=${t.changes.length}`);
        for (const c of t.changes) lines.push(changeLine(c));
      }
      await emit(`${lines.join('\n')}\n`, signal, { batchSeq: batch.seq, firstCommitTs: batch.firstCommitTs });
    },
    async writeDdl(ddl: DdlEvent, signal: AbortSignal) {
      const name = ddl.table === undefined || ddl.table === '' ? ddl.schema : `${ddl.schema}.${ddl.table}`;
      await emit(`# ddl commit-ts=${ddl.commitTs} ${name}: ${ddl.query.replace(/\n/g, ' ')}\n`, signal, { commitTs: ddl.commitTs });
    },
    async close() {
      // The stream belongs to the caller (stdout by default): nothing to release.
    },
  };
}

function rowText(c: RowChange, values: RowValues): string {
  const o: Record<string, string | null> = {};
  c.tableInfo.columns.forEach((col, i) => {
    const v = values[i];
    if (v !== undefined) o[col.name] = valueText(v);
  });
  return JSON.stringify(o);
}

function changeLine(c: RowChange): string {
  const name = `${c.schema}.${c.table}`;
  switch (c.op) {
    case 'insert':
      return `insert ${name} ${rowText(c, c.after)}`;
    case 'update':
      return `update ${name} ${rowText(c, c.before)} => ${rowText(c, c.after)}`;
    case 'delete':
      return `delete ${name} ${rowText(c, c.before)}`;
    default:
      throw new TypeError('unknown row change');
  }
}

export const printSink = defineSink({
  type: 'print',
  description: 'Prints every change in a human-readable form (debugging, demos)',
  configSchema: z.strictObject({ stream: z.enum(['stdout', 'stderr']).default('stdout').describe('Where to print') }),
  create: (config) => createPrintSink(config.stream === 'stderr' ? process.stderr : process.stdout),
});
