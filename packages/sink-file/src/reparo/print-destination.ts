import { valueText } from '@tidb-drainer/core';
import type { ColumnValue, DdlEvent, RowValues, TableInfo, Txn } from '@tidb-drainer/core/sdk';
import type { RestoreDestination } from './restore-destination.js';

/** The subset of a writable stream the printer uses. */
export interface TextOut {
  write(chunk: string): unknown;
}

function printable(v: ColumnValue | undefined): string {
  if (v === undefined) return '';
  if (v !== null && typeof v === 'object' && 'kind' in v && v.kind === 'enum') return String(v.index);
  if (v !== null && typeof v === 'object' && 'kind' in v && v.kind === 'set') return v.mask.toString();
  return valueText(v) ?? 'NULL';
}

function row(t: TableInfo, values: RowValues): string {
  return t.columns
    .filter((_, i) => values[i] !== undefined)
    .map((c) => `${c.name}(${c.typeText}): ${printable(values[c.offset])}`)
    .join(', ');
}

/**
 * `dest-type = print`: one line per DDL and per row change, like Go reparo's printer (ENUM/SET/BIT as numbers,
 * binary strings in hex). TIMESTAMPs print in UTC.
 */
export class PrintDestination implements RestoreDestination {
  constructor(private readonly out: TextOut) {}

  apply(e: Txn | DdlEvent): Promise<void> {
    if (e.kind === 'ddl') {
      this.out.write(`commit_ts: ${e.commitTs} DDL schema: ${e.schema} query: ${e.query}\n`);
      return Promise.resolve();
    }
    let text = '';
    for (const c of e.changes) {
      const head = `commit_ts: ${e.commitTs} ${c.op} ${c.schema}.${c.table}`;
      switch (c.op) {
        case 'insert':
          text += `${head} ${row(c.tableInfo, c.after)}\n`;
          break;
        case 'update':
          text += `${head} ${row(c.tableInfo, c.before)} => ${row(c.tableInfo, c.after)}\n`;
          break;
        case 'delete':
          text += `${head} ${row(c.tableInfo, c.before)}\n`;
          break;
      }
    }
    this.out.write(text);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
