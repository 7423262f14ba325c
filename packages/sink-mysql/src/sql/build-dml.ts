import type { ColumnInfo, RowValues } from '@tidb-drainer/core/sdk';
import { quoteIdentifier } from './quote-identifier.js';
import { toSqlParam } from './sql-param.js';
import type { SqlParam } from './sql-param.js';
import type { KeyPlan, TablePlan } from './table-plan.js';

/** SQL text with `?` placeholders and the values bound to them, in order. */
export interface BuiltSql {
  readonly sql: string;
  readonly params: SqlParam[];
}

/**
 * The columns an INSERT / REPLACE of `row` lists: every writable column, or (when the row lacks some, which a
 * well-formed insert never does) those present. Returns `plan.writable` itself in the common case so callers can
 * compare lists by identity.
 */
export function insertColumns(plan: TablePlan, row: RowValues): readonly ColumnInfo[] {
  for (const c of plan.writable) {
    if (row[c.offset] === undefined) return plan.writable.filter((w) => row[w.offset] !== undefined);
  }
  return plan.writable;
}

const placeholderGroups = new Map<number, string>();
/** `(?,?,…)` with n placeholders, cached: multi-row statements repeat it per row. */
function placeholders(n: number): string {
  let s = placeholderGroups.get(n);
  if (s === undefined) {
    s = `(${n > 0 ? '?' + ',?'.repeat(n - 1) : ''})`;
    placeholderGroups.set(n, s);
  }
  return s;
}

/**
 * ``INSERT INTO `db`.`t`(`a`,`b`) VALUES(?,?),(?,?)`` — or REPLACE (safe mode). `target` is the quoted table;
 * every row must have a value for every listed column.
 */
export function buildInsert(
  target: string,
  columns: readonly ColumnInfo[],
  rows: readonly RowValues[],
  verb: 'INSERT' | 'REPLACE',
  columnList = columns.map((c) => quoteIdentifier(c.name)).join(','),
): BuiltSql {
  const group = placeholders(columns.length);
  const params: SqlParam[] = new Array<SqlParam>(columns.length * rows.length);
  let i = 0;
  for (const row of rows) {
    for (const c of columns) params[i++] = toSqlParam(row[c.offset] ?? null);
  }
  const sql = `${verb} INTO ${target}(${columnList}) VALUES${rows.length === 1 ? group : new Array<string>(rows.length).fill(group).join(',')}`;
  return { sql, params };
}

/** The first key (PK first) whose values in `row` are all present and non-NULL; undefined → match all columns. */
export function chooseKey(plan: TablePlan, row: RowValues): KeyPlan | undefined {
  for (const key of plan.keys) {
    if (key.columns.every((c) => row[c.offset] !== undefined && row[c.offset] !== null)) return key;
  }
  return undefined;
}

/** `` `a` = ? AND `b` IS NULL `` on the chosen key, else on every writable column the row carries. */
function whereClause(plan: TablePlan, row: RowValues, params: SqlParam[]): string {
  const key = chooseKey(plan, row);
  const columns = key === undefined ? plan.writable.filter((c) => row[c.offset] !== undefined) : key.columns;
  const terms: string[] = [];
  for (const c of columns) {
    const v = row[c.offset] ?? null;
    if (v === null) {
      terms.push(`${quoteIdentifier(c.name)} IS NULL`);
    } else {
      terms.push(`${quoteIdentifier(c.name)} = ?`);
      params.push(toSqlParam(v));
    }
  }
  return terms.join(' AND ');
}

/** ``UPDATE `db`.`t` SET `a` = ?,`b` = ? WHERE <key of before> LIMIT 1``: sets the columns `after` carries. */
export function buildUpdate(target: string, plan: TablePlan, before: RowValues, after: RowValues): BuiltSql {
  const params: SqlParam[] = [];
  const sets: string[] = [];
  for (const c of plan.writable) {
    const v = after[c.offset];
    if (v === undefined) continue;
    sets.push(`${quoteIdentifier(c.name)} = ?`);
    params.push(toSqlParam(v));
  }
  const where = whereClause(plan, before, params);
  return { sql: `UPDATE ${target} SET ${sets.join(',')} WHERE ${where} LIMIT 1`, params };
}

/** ``DELETE FROM `db`.`t` WHERE <key of before> LIMIT 1`` */
export function buildDelete(target: string, plan: TablePlan, before: RowValues): BuiltSql {
  const params: SqlParam[] = [];
  const where = whereClause(plan, before, params);
  return { sql: `DELETE FROM ${target} WHERE ${where} LIMIT 1`, params };
}

/**
 * Deletes several rows identified by the same unique key in one statement: ``WHERE `id` IN (?,?)`` for a
 * one-column key, ``WHERE (`a` = ? AND `b` = ?) OR (…)`` otherwise. Every row must have non-NULL key values.
 */
export function buildDeleteByKey(target: string, key: KeyPlan, rows: readonly RowValues[]): BuiltSql {
  const params: SqlParam[] = [];
  const [only] = key.columns;
  if (key.columns.length === 1 && only !== undefined) {
    for (const row of rows) params.push(toSqlParam(row[only.offset] ?? null));
    const list = placeholders(rows.length);
    return { sql: `DELETE FROM ${target} WHERE ${quoteIdentifier(only.name)} IN ${list}`, params };
  }
  const group = `(${key.columns.map((c) => `${quoteIdentifier(c.name)} = ?`).join(' AND ')})`;
  for (const row of rows) {
    for (const c of key.columns) params.push(toSqlParam(row[c.offset] ?? null));
  }
  return { sql: `DELETE FROM ${target} WHERE ${new Array<string>(rows.length).fill(group).join(' OR ')}`, params };
}
