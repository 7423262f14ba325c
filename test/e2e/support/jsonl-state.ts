import { readFileSync } from 'node:fs';
import { type JsonlRecord, parseJsonlRecord } from '@tidb-drainer/core';
import type { ColumnValue } from '@tidb-drainer/core';
import { type TableRows, keyText } from './e2e-workload.js';

/** Every record of a jsonl sink file, in file order (replays included). A missing file is empty. */
export function readJsonl(path: string): JsonlRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  // A line cut by kill -9 is incomplete until the restarted sink cuts it; only whole lines are records.
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n').map(parseJsonlRecord);
}

export interface FoldOptions {
  /** Primary key column names of `schema.table`. */
  keyColumns(table: string): readonly string[];
  /** For a DDL record: the `schema.table` whose rows it empties (TRUNCATE / DROP TABLE), if any. */
  clears(ddl: Extract<JsonlRecord, { type: 'ddl' }>): string | undefined;
}

/**
 * Folds records into table state the way an idempotent consumer would: insert = upsert, update = remove the old key
 * then upsert the new row, delete = remove; replays of a suffix therefore leave the same state.
 */
export function foldJsonl(records: readonly JsonlRecord[], o: FoldOptions): Map<string, TableRows> {
  const tables = new Map<string, TableRows>();
  const rows = (name: string): TableRows => {
    let t = tables.get(name);
    if (t === undefined) tables.set(name, (t = new Map<string, Record<string, ColumnValue>>()));
    return t;
  };
  const key = (name: string, r: Record<string, ColumnValue>): string =>
    keyText(o.keyColumns(name).map((c) => r[c] ?? null));
  for (const r of records) {
    const name = `${r.schema}.${r.table}`;
    switch (r.type) {
      case 'ddl': {
        const cleared = o.clears(r);
        if (cleared !== undefined) tables.delete(cleared);
        break;
      }
      case 'insert':
        rows(name).set(key(name, r.after), r.after);
        break;
      case 'update':
        rows(name).delete(key(name, r.before));
        rows(name).set(key(name, r.after), r.after);
        break;
      case 'delete':
        rows(name).delete(key(name, r.before));
        break;
      default:
        throw new TypeError('unknown jsonl record');
    }
  }
  return tables;
}

/** Identity of a record for duplicate detection: the same change at the same commit ts. */
export function recordIdentity(r: JsonlRecord, keyColumns: (table: string) => readonly string[]): string {
  if (r.type === 'ddl') return `ddl ${r.commitTs} ${r.jobId}`;
  const row = r.type === 'delete' ? r.before : r.after;
  const name = `${r.schema}.${r.table}`;
  return `${r.type} ${r.commitTs} ${name} ${keyText(keyColumns(name).map((c) => row[c] ?? null))}`;
}
