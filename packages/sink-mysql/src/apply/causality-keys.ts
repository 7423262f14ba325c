import type { ColumnInfo, ColumnValue, RowChange, RowValues } from '@tidb-drainer/core/sdk';
import { renderTime } from '../sql/render-temporal.js';
import { tablePlan } from '../sql/table-plan.js';

/**
 * A column value as it takes part in a causality key. Over-approximates equality the way a downstream unique
 * index would see it: case-insensitive collations compare case-folded and PAD SPACE ignores trailing spaces, so
 * rows the downstream treats as the same key always share a key here (sharing too often only costs parallelism).
 */
function keyPart(v: ColumnValue, col: ColumnInfo): string {
  if (v === null) return 'N';
  if (typeof v === 'bigint') return 'i' + v.toString();
  if (typeof v === 'number') return 'f' + String(v);
  if (typeof v === 'string') {
    const folded = col.collation.endsWith('_bin') ? v : v.toLowerCase();
    return 's' + folded.replace(/ +$/, '');
  }
  if (v instanceof Uint8Array) return 'b' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
  switch (v.kind) {
    case 'decimal':
      return 'd' + v.text;
    case 'time':
      return 't' + renderTime(v);
    case 'duration':
      return 'u' + v.nanos.toString();
    case 'json':
      return 'j' + v.text;
    case 'enum':
      return 'e' + String(v.index);
    case 'set':
      return 'x' + v.mask.toString();
  }
}

const SEP = '\u0000';

/**
 * Keys of one row image (spec §8.2 "Dispatch"): for every unique key (PK first) with at least one non-NULL value,
 * table + key name + the non-NULL values; when none, table + every column value (a row of a table without keys
 * conflicts only with an identical row image).
 */
function rowKeys(target: string, change: RowChange, row: RowValues, out: string[]): void {
  const plan = tablePlan(change.tableInfo);
  let found = false;
  for (const key of plan.keys) {
    let text = '';
    let any = false;
    for (const c of key.columns) {
      const v = row[c.offset];
      if (v === undefined || v === null) continue;
      any = true;
      text += SEP + c.name + SEP + keyPart(v, c);
    }
    if (any) {
      out.push(target + SEP + key.name + text);
      found = true;
    }
  }
  if (found) return;
  let all = target + SEP + '*';
  for (const c of plan.writable) {
    const v = row[c.offset];
    if (v !== undefined) all += SEP + keyPart(v, c);
  }
  out.push(all);
}

/** Every key a change touches: its new image and, for updates and deletes, its old image. */
export function causalityKeys(change: RowChange): string[] {
  const target = change.schema + SEP + change.table;
  const keys: string[] = [];
  switch (change.op) {
    case 'insert':
      rowKeys(target, change, change.after, keys);
      break;
    case 'update':
      rowKeys(target, change, change.after, keys);
      rowKeys(target, change, change.before, keys);
      break;
    case 'delete':
      rowKeys(target, change, change.before, keys);
      break;
  }
  return keys;
}

