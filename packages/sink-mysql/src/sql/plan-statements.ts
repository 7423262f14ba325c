import type { ColumnInfo, CommitTs, RowChange, RowValues } from '@tidb-drainer/core/sdk';
import { buildDelete, buildDeleteByKey, buildInsert, buildUpdate, chooseKey, insertColumns } from './build-dml.js';
import type { BuiltSql } from './build-dml.js';
import { quoteTable } from './quote-identifier.js';
import { restrictPlan, tablePlan } from './table-plan.js';
import type { KeyPlan, TablePlan } from './table-plan.js';

/** A row change with the commit ts of its transaction. */
export interface SequencedChange {
  readonly change: RowChange;
  readonly commitTs: CommitTs;
}

/** One downstream statement and where it comes from (for errors and metrics; never row values). */
export interface Statement extends BuiltSql {
  readonly rows: number;
  readonly schema: string;
  readonly table: string;
  /** Commit ts of the first row in the statement. */
  readonly commitTs: CommitTs;
}

export interface PlanOptions {
  /** Idempotent shapes: insert → REPLACE, update → DELETE (old) + REPLACE (new). */
  readonly safeMode: boolean;
  /** Most rows merged into one multi-row statement. */
  readonly rowsPerStatement: number;
  /**
   * `[syncer.to] merge = true`: an update that keeps its row's key and carries every column becomes part of a
   * multi-row REPLACE of the new image (as the Go drainer's merge mode). Correct because statements keep their
   * order: at that point the downstream row is exactly the update's before image.
   */
  readonly mergeUpdates?: boolean;
  /**
   * The columns the downstream table has (lower-case names), when known: values of other columns are dropped, as
   * the Go drainer does when the downstream has fewer columns. Undefined = write every column.
   */
  readonly downstreamColumns?: (schema: string, table: string) => ReadonlySet<string> | undefined;
}

/** A run of consecutive same-shape row changes on one table, merged into one statement. */
interface Run {
  readonly verb: 'INSERT' | 'REPLACE' | 'DELETE';
  readonly target: string;
  readonly plan: TablePlan;
  /** INSERT/REPLACE: the column list; DELETE: unused. */
  readonly columns: readonly ColumnInfo[];
  /** DELETE: the key all rows are matched on. */
  readonly key: KeyPlan | undefined;
  readonly rows: RowValues[];
  readonly schema: string;
  readonly table: string;
  readonly commitTs: CommitTs;
}

/**
 * Turns row changes (in apply order) into statements, keeping their order: consecutive inserts (or deletes by the
 * same unique key) on one table become one multi-row statement; updates, and deletes of rows without a usable
 * key (`LIMIT 1` on all columns), stay one statement per row. Pure: no I/O.
 */
export function planStatements(changes: readonly SequencedChange[], options: PlanOptions): Statement[] {
  const out: Statement[] = [];
  let run: Run | undefined;
  const flush = (): void => {
    if (run === undefined) return;
    const r = run;
    run = undefined;
    let built: BuiltSql;
    if (r.verb === 'DELETE') {
      const [first] = r.rows;
      built =
        r.rows.length === 1 && first !== undefined
          ? buildDelete(r.target, r.plan, first)
          : buildDeleteByKey(r.target, r.key as KeyPlan, r.rows);
    } else {
      built = buildInsert(r.target, r.columns, r.rows, r.verb, r.columns === r.plan.writable ? r.plan.writableList : undefined);
    }
    out.push({ ...built, rows: r.rows.length, schema: r.schema, table: r.table, commitTs: r.commitTs });
  };
  const append = (
    verb: Run['verb'],
    c: RowChange,
    commitTs: CommitTs,
    target: string,
    plan: TablePlan,
    row: RowValues,
    columns: readonly ColumnInfo[],
    key: KeyPlan | undefined,
  ): void => {
    if (
      run !== undefined &&
      run.verb === verb &&
      run.target === target &&
      run.plan === plan &&
      run.rows.length < options.rowsPerStatement &&
      (verb === 'DELETE' ? run.key === key : sameColumns(run.columns, columns))
    ) {
      run.rows.push(row);
      return;
    }
    flush();
    run = { verb, target, plan, columns, key, rows: [row], schema: c.schema, table: c.table, commitTs };
  };
  const single = (built: BuiltSql, c: RowChange, commitTs: CommitTs): void => {
    flush();
    out.push({ ...built, rows: 1, schema: c.schema, table: c.table, commitTs });
  };
  const upsertVerb = options.safeMode ? 'REPLACE' : 'INSERT';
  // Quoted names per (schema, table): a batch usually touches few tables and many rows.
  const targets = new Map<string, string>();
  const targetOf = (c: RowChange): string => {
    const id = `${c.schema}\u0000${c.table}`;
    let t = targets.get(id);
    if (t === undefined) targets.set(id, (t = quoteTable(c.schema, c.table)));
    return t;
  };

  for (const { change: c, commitTs } of changes) {
    const present = options.downstreamColumns?.(c.schema, c.table);
    const plan = present === undefined ? tablePlan(c.tableInfo) : restrictPlan(tablePlan(c.tableInfo), present);
    const target = targetOf(c);
    switch (c.op) {
      case 'insert':
        append(upsertVerb, c, commitTs, target, plan, c.after, insertColumns(plan, c.after), undefined);
        break;
      case 'delete':
        deleteRow(c, c.before, commitTs, target, plan);
        break;
      case 'update':
        if (options.mergeUpdates === true && keepsKey(plan, c.before, c.after) && insertColumns(plan, c.after) === plan.writable) {
          append('REPLACE', c, commitTs, target, plan, c.after, plan.writable, undefined);
        } else if (options.safeMode) {
          deleteRow(c, c.before, commitTs, target, plan);
          append('REPLACE', c, commitTs, target, plan, c.after, insertColumns(plan, c.after), undefined);
        } else {
          single(buildUpdate(target, plan, c.before, c.after), c, commitTs);
        }
        break;
    }
  }
  flush();
  return out;

  function deleteRow(c: RowChange, before: RowValues, commitTs: CommitTs, target: string, plan: TablePlan): void {
    const key = chooseKey(plan, before);
    if (key === undefined) single(buildDelete(target, plan, before), c, commitTs);
    else append('DELETE', c, commitTs, target, plan, before, [], key);
  }
}

/** The row is matched by a unique key whose values the update leaves unchanged. */
function keepsKey(plan: TablePlan, before: RowValues, after: RowValues): boolean {
  const key = chooseKey(plan, before);
  if (key === undefined) return false;
  for (const c of key.columns) {
    const a = after[c.offset];
    const b = before[c.offset];
    if (a === undefined || a === null || b === undefined || b === null || typeof a !== typeof b) return false;
    if (typeof a !== 'object' || typeof b !== 'object') {
      if (a !== b) return false;
    } else if (JSON.stringify(toPlain(a)) !== JSON.stringify(toPlain(b))) return false;
  }
  return true;
}

/** A key value in a form JSON.stringify can compare (bigints and byte arrays as text). */
function toPlain(v: object): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))) as unknown;
}

function sameColumns(a: readonly ColumnInfo[], b: readonly ColumnInfo[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
