import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonlSink, createPrintSink, parseJsonlRecord, valueText } from '@tidb-drainer/core';
import type { ColumnValue } from '@tidb-drainer/core/sdk';
import type { JsonlFile } from '@tidb-drainer/core';
import type { ConformanceTarget, Fault } from './run-sink-conformance-suite.js';
import { runSinkConformanceSuite } from './run-sink-conformance-suite.js';
import type { CanonicalChange, CanonicalRow } from './sink-state.js';

/** errno codes the built-in sinks classify: EAGAIN is retryable, EACCES/EBADF are not. */
const faultError = (f: Fault): NodeJS.ErrnoException =>
  Object.assign(new Error(`injected ${f.kind} ${f.on} fault`), { code: f.kind === 'retryable' ? 'EAGAIN' : f.on === 'open' ? 'EACCES' : 'EBADF' });

function canonical(values: Readonly<Record<string, ColumnValue>>): CanonicalRow {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const t = valueText(v);
    if (t !== null) out[k] = t;
  }
  return out;
}

runSinkConformanceSuite({
  name: 'print',
  createTarget(): Promise<ConformanceTarget> {
    let text = '';
    let armed: Fault | undefined;
    // The print sink writes to an output it does not own; this one keeps the text and fails on demand with an
    // errno (a Node stream cannot model a retryable error: once errored it stays destroyed).
    const out = {
      write(chunk: string): Promise<void> {
        if (armed !== undefined) {
          const f = armed;
          armed = undefined;
          return Promise.reject(faultError(f));
        }
        text += chunk;
        return Promise.resolve();
      },
    };
    return Promise.resolve({
      createSink: () => createPrintSink(out),
      injectFault: (f) => void (armed = f),
      readBack() {
        const changes: CanonicalChange[] = [];
        let commitTs = 0n;
        for (const line of text.split('\n')) {
          const m = /^(insert|update|delete) (\S+)\.(\S+) (.*)$/.exec(line);
          const txn = /^# txn commit-ts=(\d+)/.exec(line);
          if (txn !== null) commitTs = BigInt(txn[1] ?? '0');
          if (m === null) continue;
          const [, op, schema = '', table = '', rest = ''] = m;
          const row = (json: string): CanonicalRow => canonical(JSON.parse(json) as Record<string, string | null>);
          if (op === 'update') {
            const parts = rest.split(' => ');
            // A value may itself contain " => ": take the split where both halves parse.
            for (let i = 1; i < parts.length; i++) {
              try {
                const before = row(parts.slice(0, i).join(' => '));
                const after = row(parts.slice(i).join(' => '));
                changes.push({ op: 'update', commitTs, schema, table, before, after });
                break;
              } catch {
                continue;
              }
            }
          } else if (op === 'insert') changes.push({ op, commitTs, schema, table, after: row(rest) });
          else changes.push({ op: 'delete', commitTs, schema, table, before: row(rest) });
        }
        return Promise.resolve({ kind: 'changes', changes });
      },
    });
  },
});

runSinkConformanceSuite({
  name: 'jsonl',
  async createTarget(): Promise<ConformanceTarget> {
    const dir = await mkdtemp(join(tmpdir(), 'jsonl-conformance-'));
    const path = join(dir, 'out.jsonl');
    let armed: Fault | undefined;
    const take = (on: Fault['on']): Fault | undefined => {
      const f = armed?.on === on ? armed : undefined;
      if (f !== undefined) armed = undefined;
      return f;
    };
    // A real file handle; only the injected fault is simulated (an errno error from the fs layer).
    const openFile = async (p: string): Promise<JsonlFile> => {
      const f = take('open');
      if (f !== undefined) throw faultError(f);
      const fh = await open(p, 'a+', 0o644);
      return {
        async write(data) {
          const wf = take('write');
          if (wf !== undefined) {
            await fh.write(data.subarray(0, Math.floor(data.length / 2))); // half a batch reached the disk
            throw faultError(wf);
          }
          return fh.write(data);
        },
        read: (buffer, offset, length, position) => fh.read(buffer, offset, length, position),
        datasync: () => fh.datasync(),
        truncate: (len) => fh.truncate(len),
        stat: () => fh.stat(),
        close: () => fh.close(),
      };
    };
    return {
      createSink: () => createJsonlSink({ path, openFile }),
      injectFault: (f) => void (armed = f),
      async readBack() {
        const text = await readFile(path, 'utf8').catch(() => '');
        const changes: CanonicalChange[] = [];
        for (const line of text.split('\n')) {
          if (line === '') continue;
          const r = parseJsonlRecord(line);
          switch (r.type) {
            case 'ddl':
              changes.push({ op: 'ddl', commitTs: r.commitTs, schema: r.schema, table: r.table, query: r.query });
              break;
            case 'insert':
              changes.push({ op: 'insert', commitTs: r.commitTs, schema: r.schema, table: r.table, after: canonical(r.after) });
              break;
            case 'update':
              changes.push({ op: 'update', commitTs: r.commitTs, schema: r.schema, table: r.table, before: canonical(r.before), after: canonical(r.after) });
              break;
            case 'delete':
              changes.push({ op: 'delete', commitTs: r.commitTs, schema: r.schema, table: r.table, before: canonical(r.before) });
              break;
            default:
              throw new TypeError('unknown record');
          }
        }
        return { kind: 'changes', changes };
      },
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
