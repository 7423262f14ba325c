import { valueText } from '@tidb-drainer/core';
import { buildTxnBatch, createSinkContext } from '@tidb-drainer/core/sdk';
import type { ColumnValue, DdlEvent, TableInfo, Txn } from '@tidb-drainer/core/sdk';
import { FileSink } from '../sink/file-sink.js';
import { fileSinkConfigSchema } from '../sink/file-sink-config.js';
import { idValueTable } from './id-value-table.js';

/** 2026-01-01T00:00:00Z as a TSO; transaction n is BASE + n·2^18 (one millisecond apart). */
export const FIXTURE_BASE_TS = BigInt(Date.UTC(2026, 0, 1)) << 18n;
export const fixtureTs = (n: number): bigint => FIXTURE_BASE_TS + (BigInt(n) << 18n);

export function kvTable(schema: string): TableInfo {
  return idValueTable(9, schema, 'kv');
}

/**
 * A small history of `schema.kv`: CREATE DATABASE (ts 1), CREATE TABLE (ts 2), then for n = 3…count+2 a
 * transaction that inserts id n, updates id n-1 to `v=upd n-1` (from n ≥ 4) and deletes id n-5 every 5th step.
 * The model of the table as of any ts is `kvStateAt`.
 */
export function kvHistory(schema: string, count: number): (Txn | DdlEvent)[] {
  const t = kvTable(schema);
  const out: (Txn | DdlEvent)[] = [
    {
      kind: 'ddl',
      commitTs: fixtureTs(1),
      schema,
      query: `CREATE DATABASE \`${schema}\``,
      jobId: 1,
      jobType: 1,
      schemaVersion: 1,
    },
    {
      kind: 'ddl',
      commitTs: fixtureTs(2),
      schema,
      table: 'kv',
      query: 'CREATE TABLE `kv` (`id` bigint(20) NOT NULL PRIMARY KEY, `v` varchar(64))',
      jobId: 2,
      jobType: 3,
      schemaVersion: 2,
    },
  ];
  for (let n = 3; n < count + 3; n++) {
    const changes: Txn['changes'][number][] = [
      { op: 'insert', schema, table: 'kv', tableInfo: t, after: [BigInt(n), `v${n}`] },
    ];
    if (n >= 4)
      changes.push({
        op: 'update',
        schema,
        table: 'kv',
        tableInfo: t,
        before: [BigInt(n - 1), `v${n - 1}`],
        after: [BigInt(n - 1), `upd ${n - 1}`],
      });
    if (n % 5 === 0 && n - 5 >= 3)
      changes.push({ op: 'delete', schema, table: 'kv', tableInfo: t, before: [BigInt(n - 5), `upd ${n - 5}`] });
    out.push({ kind: 'txn', commitTs: fixtureTs(n), startTs: fixtureTs(n) - 1n, schemaVersion: 2, changes, bytes: 60 });
  }
  return out;
}

/** A value as text (tests compare rows as id → v strings). */
export const text = (v: ColumnValue | undefined): string => (v === undefined ? '' : (valueText(v) ?? 'NULL'));

/** The rows of `kv` (id → v) after applying the history up to and including `ts`. */
export function kvStateAt(events: readonly (Txn | DdlEvent)[], ts: bigint): Map<string, string> {
  const rows = new Map<string, string>();
  for (const e of events) {
    if (e.commitTs > ts || e.kind !== 'txn') continue;
    for (const c of e.changes) {
      if (c.op === 'delete') rows.delete(text(c.before[0]));
      else if (c.op === 'insert' || c.op === 'update') rows.set(text(c.after[0]), text(c.after[1]));
    }
  }
  return rows;
}

/** Writes the events through a real FileSink (small files, so the history spans several). */
export async function writeEvents(dir: string, events: readonly (Txn | DdlEvent)[], maxFileSize = 1024): Promise<void> {
  const sink = new FileSink(fileSinkConfigSchema.parse({ dir, 'max-file-size': maxFileSize }), { timezone: 'UTC' });
  const signal = new AbortController().signal;
  await sink.open(createSinkContext());
  let seq = 0;
  let pending: Txn[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length > 0) await sink.write(buildTxnBatch(++seq, pending), signal);
    pending = [];
  };
  for (const e of events) {
    if (e.kind === 'ddl') {
      await flush();
      await sink.writeDdl(e, signal);
    } else {
      pending.push(e);
      if (pending.length === 4) await flush();
    }
  }
  await flush();
  await sink.close();
}
