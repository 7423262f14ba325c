import type { ColumnValue, RowChange, TableInfo, UpdateChange } from '@tidb-drainer/core/sdk';
import { uniqueKeyColumns } from '../format/handle-key.js';
import { valueText } from '../format/value-text.js';

function sameValue(t: TableInfo, o: number, a: ColumnValue | undefined, b: ColumnValue | undefined, zone: string): boolean {
  if (a === undefined || b === undefined) return true; // absent from the binlog: not known to have changed
  if (a === null || b === null) return a === b;
  const col = t.columns[o];
  if (col === undefined) return true;
  const x = valueText(col, a, zone);
  const y = valueText(col, b, zone);
  if (typeof x === 'string' || typeof y === 'string') return x === y;
  return Buffer.compare(x, y) === 0;
}

/** True when an update changes a handle-key or unique-key column (compared by string form, as TiCDC). */
export function changesKey(u: UpdateChange, zone: string): boolean {
  for (const o of uniqueKeyColumns(u.tableInfo)) if (!sameValue(u.tableInfo, o, u.before[o], u.after[o], zone)) return true;
  return false;
}

const RANK = { delete: 0, update: 1, insert: 2 } as const;

/**
 * TiCDC's split of key-changing updates (kafka-encodings §0.5, §5.4): such an update becomes a delete of the
 * old row and an insert of the new one; when anything was split, the transaction's changes are stably sorted
 * deletes, then updates, then inserts.
 */
export function splitKeyChangingUpdates(changes: readonly RowChange[], zone: string): readonly RowChange[] {
  let split = false;
  const out: RowChange[] = [];
  for (const ch of changes) {
    if (ch.op === 'update' && changesKey(ch, zone)) {
      split = true;
      out.push({ op: 'delete', schema: ch.schema, table: ch.table, tableInfo: ch.tableInfo, before: ch.before });
      out.push({ op: 'insert', schema: ch.schema, table: ch.table, tableInfo: ch.tableInfo, after: ch.after });
    } else out.push(ch);
  }
  if (!split) return changes;
  return out.map((ch, i) => ({ ch, i })).sort((a, b) => RANK[a.ch.op] - RANK[b.ch.op] || a.i - b.i).map((x) => x.ch);
}
