import { handleKeyIndex, valueText } from '@tidb-drainer/core';
import type { CommitTs, DdlEvent, RowValues, TableInfo, Txn } from '@tidb-drainer/core/sdk';

/** A row by column name, values in MySQL text form (`valueText`); SQL NULL and absent columns are left out. */
export type CanonicalRow = Readonly<Record<string, string>>;

/** One record as a log sink (jsonl, file, Kafka) stored it, decoded back to canonical rows. */
export type CanonicalChange =
  | { readonly op: 'insert'; readonly commitTs: CommitTs; readonly schema: string; readonly table: string; readonly after: CanonicalRow }
  | { readonly op: 'update'; readonly commitTs: CommitTs; readonly schema: string; readonly table: string; readonly before: CanonicalRow; readonly after: CanonicalRow }
  | { readonly op: 'delete'; readonly commitTs: CommitTs; readonly schema: string; readonly table: string; readonly before: CanonicalRow }
  | { readonly op: 'ddl'; readonly commitTs: CommitTs; readonly schema: string; readonly table?: string; readonly query: string };

/**
 * What `readBack` returns. State sinks (MySQL) read the tables: `rows` keyed `schema.table`, in any order. Log
 * sinks return every stored record in storage order, replays included: the suite folds them into rows.
 */
export type ReadBack =
  | { readonly kind: 'rows'; readonly tables: Readonly<Record<string, readonly Readonly<Record<string, string | null>>[]>> }
  | { readonly kind: 'changes'; readonly changes: readonly CanonicalChange[] };

/** Normalised end state: `schema.table` → rows sorted by key; empty tables omitted. */
export type SinkState = Readonly<Record<string, readonly CanonicalRow[]>>;

/** The canonical form of model row values (what a sink's readBack must produce for the same row). */
export function canonicalRow(table: TableInfo, values: RowValues): CanonicalRow {
  const row: Record<string, string> = {};
  table.columns.forEach((c, i) => {
    const v = values[i];
    if (v === undefined) return;
    const text = valueText(v);
    if (text !== null) row[c.name] = text;
  });
  return row;
}

function stripNulls(row: Readonly<Record<string, string | null>>): CanonicalRow {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) if (v !== null) out[k] = v;
  return out;
}

/** Folds changes into keyed rows; primary-key column names per `schema.table`. */
export class StateFolder {
  private readonly tables = new Map<string, Map<string, CanonicalRow>>();

  constructor(private readonly keyColumns: ReadonlyMap<string, readonly string[]>) {}

  apply(c: CanonicalChange): void {
    if (c.op === 'ddl') return;
    const name = `${c.schema}.${c.table}`;
    let rows = this.tables.get(name);
    if (rows === undefined) this.tables.set(name, (rows = new Map<string, CanonicalRow>()));
    switch (c.op) {
      case 'insert':
        rows.set(this.key(name, c.after), c.after);
        break;
      case 'update':
        rows.delete(this.key(name, c.before));
        rows.set(this.key(name, c.after), c.after);
        break;
      case 'delete':
        rows.delete(this.key(name, c.before));
        break;
      default:
        throw new TypeError('unreachable');
    }
  }

  state(): SinkState {
    const out: Record<string, CanonicalRow[]> = {};
    for (const name of [...this.tables.keys()].sort()) {
      const rows = this.tables.get(name);
      if (rows === undefined || rows.size === 0) continue;
      out[name] = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    }
    return out;
  }

  key(name: string, row: CanonicalRow): string {
    const cols = this.keyColumns.get(name);
    if (cols === undefined) throw new RangeError(`no key columns known for ${name}`);
    return JSON.stringify(cols.map((c) => row[c] ?? null));
  }
}

/** Key columns of every table in the events (primary key, else first not-null unique key). */
export function keyColumnsOf(events: readonly (Txn | DdlEvent)[]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const add = (t: TableInfo): void => {
    const idx = handleKeyIndex(t);
    if (idx !== undefined) out.set(`${t.schema}.${t.name}`, idx.columns.map((o) => t.columns[o]?.name ?? ''));
  };
  for (const e of events) {
    if (e.kind === 'ddl') {
      if (e.tableInfo !== undefined) add(e.tableInfo);
    } else for (const c of e.changes) add(c.tableInfo);
  }
  return out;
}

/** The model's changes as canonical changes, in order. */
export function canonicalChanges(events: readonly (Txn | DdlEvent)[]): CanonicalChange[] {
  const out: CanonicalChange[] = [];
  for (const e of events) {
    if (e.kind === 'ddl') {
      out.push({ op: 'ddl', commitTs: e.commitTs, schema: e.schema, table: e.table, query: e.query });
      continue;
    }
    for (const c of e.changes) {
      const base = { commitTs: e.commitTs, schema: c.schema, table: c.table };
      switch (c.op) {
        case 'insert':
          out.push({ ...base, op: 'insert', after: canonicalRow(c.tableInfo, c.after) });
          break;
        case 'update':
          out.push({ ...base, op: 'update', before: canonicalRow(c.tableInfo, c.before), after: canonicalRow(c.tableInfo, c.after) });
          break;
        case 'delete':
          out.push({ ...base, op: 'delete', before: canonicalRow(c.tableInfo, c.before) });
          break;
        default:
          throw new TypeError('unreachable');
      }
    }
  }
  return out;
}

/** The end state applying `events` must produce. */
export function expectedState(events: readonly (Txn | DdlEvent)[]): SinkState {
  const folder = new StateFolder(keyColumnsOf(events));
  for (const c of canonicalChanges(events)) folder.apply(c);
  return folder.state();
}

/** Normalises a ReadBack to a SinkState using the tables' key columns. */
export function readBackState(rb: ReadBack, keyColumns: ReadonlyMap<string, readonly string[]>): SinkState {
  const folder = new StateFolder(keyColumns);
  if (rb.kind === 'changes') {
    for (const c of rb.changes) folder.apply(c);
    return folder.state();
  }
  for (const [name, rows] of Object.entries(rb.tables)) {
    const [schema = '', table = ''] = name.split('.');
    for (const r of rows) folder.apply({ op: 'insert', commitTs: 0n, schema, table, after: stripNulls(r) });
  }
  return folder.state();
}
