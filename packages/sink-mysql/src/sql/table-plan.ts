import { ColumnFlag } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, TableInfo } from '@tidb-drainer/core/sdk';
import { quoteIdentifier } from './quote-identifier.js';

/** A unique key usable to identify a row: all its columns are written downstream. */
export interface KeyPlan {
  readonly name: string;
  readonly primary: boolean;
  readonly columns: readonly ColumnInfo[];
}

/**
 * What the SQL builder derives once per table version (cached by TableInfo identity).
 *
 * - `writable`: the columns DML writes — not generated (computed downstream), not hidden (TiDB's internal
 *   expression-index columns) — sorted by name, as the Go drainer sorts its column lists.
 * - `keys`: the primary key first, then the unique keys in index order; the WHERE clause of a row uses the first
 *   one whose values are all non-NULL (spec §8.2). Keys over a non-writable column are left out: the downstream
 *   computes those values, the row does not carry them.
 */
export interface TablePlan {
  readonly table: TableInfo;
  readonly writable: readonly ColumnInfo[];
  /** `` `a`,`b` `` for the full writable column list. */
  readonly writableList: string;
  readonly keys: readonly KeyPlan[];
}

const cache = new WeakMap<TableInfo, TablePlan>();

export function tablePlan(table: TableInfo): TablePlan {
  let plan = cache.get(table);
  if (plan === undefined) {
    plan = buildTablePlan(table);
    cache.set(table, plan);
  }
  return plan;
}

const byName = (a: ColumnInfo, b: ColumnInfo): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function buildTablePlan(table: TableInfo): TablePlan {
  const writable = table.columns.filter((c) => !c.generated && !c.hidden).sort(byName);
  const isWritable = new Set(writable.map((c) => c.offset));
  const keys: KeyPlan[] = [];
  const primary = table.indices.find((i) => i.primary);
  if (primary === undefined && table.pkIsHandle) {
    // TiDB keeps an integer handle primary key out of index_info; the column carries the PriKey flag.
    const col = table.columns.find((c) => (c.flag & ColumnFlag.PriKey) !== 0);
    if (col !== undefined && isWritable.has(col.offset)) keys.push({ name: 'PRIMARY', primary: true, columns: [col] });
  }
  const ordered = [...table.indices.filter((i) => i.primary), ...table.indices.filter((i) => !i.primary && i.unique)];
  for (const index of ordered) {
    const columns = index.columns.map((offset) => table.columns[offset]);
    if (columns.every((c): c is ColumnInfo => c !== undefined && isWritable.has(c.offset))) {
      keys.push({ name: index.primary ? 'PRIMARY' : index.name, primary: index.primary, columns });
    }
  }
  return { table, writable, writableList: writable.map((c) => quoteIdentifier(c.name)).join(','), keys };
}

const restricted = new WeakMap<TablePlan, Map<string, TablePlan>>();

/**
 * The plan limited to the columns the downstream table has (`present`: lower-case names; MySQL column names are
 * case-insensitive): the Go drainer drops values of columns missing downstream. Keys over a dropped column are
 * dropped too. Returns `plan` itself when nothing is missing.
 */
export function restrictPlan(plan: TablePlan, present: ReadonlySet<string>): TablePlan {
  const missing = plan.writable.filter((c) => !present.has(c.name.toLowerCase()));
  if (missing.length === 0) return plan;
  const id = missing.map((c) => c.name).join('\u0000');
  let byMissing = restricted.get(plan);
  if (byMissing === undefined) restricted.set(plan, (byMissing = new Map<string, TablePlan>()));
  let out = byMissing.get(id);
  if (out === undefined) {
    const writable = plan.writable.filter((c) => present.has(c.name.toLowerCase()));
    const keep = new Set(writable);
    out = {
      table: plan.table,
      writable,
      writableList: writable.map((c) => quoteIdentifier(c.name)).join(','),
      keys: plan.keys.filter((k) => k.columns.every((c) => keep.has(c))),
    };
    byMissing.set(id, out);
  }
  return out;
}
