import { ColumnFlag } from '../model/mysql-type.js';
import type { TableInfo } from '../model/table-info.js';
import { enumValuesOf } from './column-value.js';
import type { ColumnPlan } from './column-value.js';
import { MysqlType } from '../model/mysql-type.js';
import { columnFsp, valueKindOf } from './value-kind.js';

/**
 * Per-table-version decoding plan: column lookup by id and the handle layout. TableInfo objects are immutable and
 * shared by every row of a version, so the plan is cached on the object.
 */
export interface TablePlan {
  readonly table: TableInfo;
  /** By `ColumnInfo.offset`. */
  readonly columns: readonly ColumnPlan[];
  /** Column ids below {@link DENSE_IDS} resolve through an array; the rest through a map. */
  readonly dense: readonly (ColumnPlan | undefined)[];
  readonly sparse: ReadonlyMap<number, ColumnPlan>;
  /** pk-is-handle tables: the integer PK column stored only as the handle. */
  readonly handleColumn: ColumnPlan | undefined;
  /** Clustered (common handle) tables: the PK columns in index order, and whether each is the full column. */
  readonly clusteredPk: readonly ColumnPlan[];
  readonly clusteredPkFull: readonly boolean[];
}

/** Column ids are allocated per table from 1; almost every table stays below this, making lookups an index. */
const DENSE_IDS = 1024;

const cache = new WeakMap<TableInfo, TablePlan>();

export function tablePlan(table: TableInfo): TablePlan {
  let plan = cache.get(table);
  if (plan === undefined) {
    plan = buildPlan(table);
    cache.set(table, plan);
  }
  return plan;
}

export function columnPlanById(plan: TablePlan, id: number): ColumnPlan | undefined {
  return id >= 0 && id < DENSE_IDS ? plan.dense[id] : plan.sparse.get(id);
}

function buildPlan(table: TableInfo): TablePlan {
  const columns: ColumnPlan[] = [];
  const dense: (ColumnPlan | undefined)[] = [];
  const sparse = new Map<number, ColumnPlan>();
  for (const column of table.columns) {
    const cp: ColumnPlan = {
      column,
      offset: column.offset,
      kind: valueKindOf(column),
      fsp: columnFsp(column),
      enumValues: column.type === MysqlType.Enum ? enumValuesOf(column) : [],
    };
    columns[column.offset] = cp;
    if (column.id >= 0 && column.id < DENSE_IDS) dense[column.id] = cp;
    else sparse.set(column.id, cp);
  }
  for (let i = 0; i < columns.length; i++) {
    if (columns[i] === undefined) throw new Error(`table ${table.schema}.${table.name}: no column at offset ${i}`);
  }
  const pk = table.indices.find((ix) => ix.primary);
  let handleColumn: ColumnPlan | undefined;
  if (table.pkIsHandle) {
    // TiDB keeps no primary index entry for pk-is-handle tables; the column carries the PriKey flag instead.
    const byFlag = table.columns.find((c) => (c.flag & ColumnFlag.PriKey) !== 0);
    const offset = byFlag?.offset ?? pk?.columns[0];
    handleColumn = offset === undefined ? undefined : columns[offset];
  }
  const clusteredPk: ColumnPlan[] = [];
  const clusteredPkFull: boolean[] = [];
  if (table.isCommonHandle && pk) {
    pk.columns.forEach((offset, i) => {
      const cp = columns[offset];
      if (cp === undefined) throw new Error(`table ${table.schema}.${table.name}: primary key names offset ${offset}`);
      clusteredPk.push(cp);
      clusteredPkFull.push((pk.lengths[i] ?? -1) < 0);
    });
  }
  return { table, columns, dense, sparse, handleColumn, clusteredPk, clusteredPkFull };
}
