import { ColumnFlag } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, TableInfo } from '@tidb-drainer/core/sdk';

const cache = new WeakMap<TableInfo, readonly number[]>();

/**
 * TiCDC's handle key (kafka-encodings §0.3): the primary key if any, else the NOT NULL unique index (no virtual
 * generated column) with the fewest columns, ties to the smaller index id. Column offsets; empty when none.
 */
export function handleKeyColumns(t: TableInfo): readonly number[] {
  const hit = cache.get(t);
  if (hit !== undefined) return hit;
  let out: readonly number[] = [];
  if (t.pkIsHandle) {
    const pk = t.columns.find((c) => (c.flag & ColumnFlag.PriKey) !== 0);
    if (pk !== undefined) out = [pk.offset];
  }
  if (out.length === 0) {
    const pk = t.indices.find((i) => i.primary);
    if (pk !== undefined) out = pk.columns;
  }
  if (out.length === 0) {
    let best: { id: number; columns: readonly number[] } | undefined;
    for (const idx of t.indices) {
      if (!idx.unique) continue;
      const ok = idx.columns.every((o) => {
        const c = t.columns[o];
        return c !== undefined && !c.nullable && !(c.generated && !c.generatedStored);
      });
      if (!ok) continue;
      if (best === undefined || idx.columns.length < best.columns.length || (idx.columns.length === best.columns.length && idx.id < best.id)) best = idx;
    }
    if (best !== undefined) out = best.columns;
  }
  cache.set(t, out);
  return out;
}

/** The handle-key columns themselves (message keys). */
export function handleKeyColumnInfos(t: TableInfo): ColumnInfo[] {
  return handleKeyColumns(t)
    .map((o) => t.columns[o])
    .filter((c) => c !== undefined);
}

/** Offsets of columns in any unique index (TiCDC's UniqueKey flag) plus the handle key. */
export function uniqueKeyColumns(t: TableInfo): ReadonlySet<number> {
  const s = new Set<number>(handleKeyColumns(t));
  for (const idx of t.indices) if (idx.unique || idx.primary) for (const o of idx.columns) s.add(o);
  for (const c of t.columns) if ((c.flag & (ColumnFlag.PriKey | ColumnFlag.UniqueKey)) !== 0) s.add(c.offset);
  return s;
}

/** Names of the PRIMARY KEY columns in column order (canal-json `pkNames`). */
export function primaryKeyNames(t: TableInfo): readonly string[] {
  const pk = t.indices.find((i) => i.primary);
  const offs = new Set<number>(pk?.columns ?? []);
  for (const c of t.columns) if ((c.flag & ColumnFlag.PriKey) !== 0) offs.add(c.offset);
  return t.columns.filter((c) => offs.has(c.offset)).map((c) => c.name);
}
