import { ColumnFlag, MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue, IndexInfo, RowChange, RowValues, TableInfo } from '@tidb-drainer/core/sdk';

/** Test-only: a column of `makeTable`. */
export interface TestColumn {
  readonly name: string;
  readonly type?: number;
  readonly typeText?: string;
  readonly nullable?: boolean;
  readonly unsigned?: boolean;
  readonly binary?: boolean;
  readonly collation?: string;
  readonly decimal?: number;
  readonly elems?: readonly string[];
  readonly generated?: boolean;
  readonly hidden?: boolean;
}

/** Test-only: a TableInfo as the schema tracker would give it, with a PK (index or handle) and unique keys. */
export function makeTable(o: {
  readonly schema?: string;
  readonly name: string;
  readonly columns: readonly TestColumn[];
  readonly pk?: readonly string[];
  /** The PK is an integer handle kept out of `indices` (TiDB's pk_is_handle). */
  readonly pkIsHandle?: boolean;
  readonly uniques?: readonly { readonly name: string; readonly columns: readonly string[] }[];
}): TableInfo {
  const pk = o.pk ?? [];
  const columns: ColumnInfo[] = o.columns.map((c, offset) => {
    const inPk = pk.includes(c.name);
    const nullable = !inPk && c.nullable !== false;
    let flag = 0;
    if (!nullable) flag |= ColumnFlag.NotNull;
    if (inPk) flag |= ColumnFlag.PriKey;
    if (c.unsigned === true) flag |= ColumnFlag.Unsigned;
    return {
      id: offset + 1,
      name: c.name,
      offset,
      type: c.type ?? MysqlType.Long,
      flag,
      length: -1,
      decimal: c.decimal ?? -1,
      charset: c.binary === true ? 'binary' : 'utf8mb4',
      collation: c.collation ?? (c.binary === true ? 'binary' : 'utf8mb4_bin'),
      elems: c.elems ?? [],
      unsigned: c.unsigned === true,
      nullable,
      generated: c.generated === true,
      generatedStored: false,
      hidden: c.hidden === true,
      typeText: c.typeText ?? 'int',
    };
  });
  const offsetOf = (name: string): number => {
    const col = columns.find((c) => c.name === name);
    if (col === undefined) throw new RangeError(`no column ${name}`);
    return col.offset;
  };
  const indices: IndexInfo[] = [];
  if (pk.length > 0 && o.pkIsHandle !== true) {
    const cols = pk.map(offsetOf);
    indices.push({ id: 1, name: 'PRIMARY', primary: true, unique: true, columns: cols, lengths: cols.map(() => -1) });
  }
  for (const [i, u] of (o.uniques ?? []).entries()) {
    const cols = u.columns.map(offsetOf);
    indices.push({ id: i + 2, name: u.name, primary: false, unique: true, columns: cols, lengths: cols.map(() => -1) });
  }
  return {
    id: 100,
    schema: o.schema ?? 'db',
    name: o.name,
    columns,
    indices,
    pkIsHandle: o.pkIsHandle === true,
    isCommonHandle: false,
    schemaVersion: 1,
    charset: 'utf8mb4',
    collation: 'utf8mb4_bin',
  };
}

/** Test-only: a row array from column name → value (absent names stay undefined). */
export function row(table: TableInfo, values: Readonly<Record<string, ColumnValue>>): RowValues {
  return table.columns.map((c) => (c.name in values ? values[c.name] : undefined));
}

export const ins = (t: TableInfo, after: Readonly<Record<string, ColumnValue>>): RowChange => ({
  op: 'insert',
  schema: t.schema,
  table: t.name,
  tableInfo: t,
  after: row(t, after),
});
export const upd = (t: TableInfo, before: Readonly<Record<string, ColumnValue>>, after: Readonly<Record<string, ColumnValue>>): RowChange => ({
  op: 'update',
  schema: t.schema,
  table: t.name,
  tableInfo: t,
  before: row(t, before),
  after: row(t, after),
});
export const del = (t: TableInfo, before: Readonly<Record<string, ColumnValue>>): RowChange => ({
  op: 'delete',
  schema: t.schema,
  table: t.name,
  tableInfo: t,
  before: row(t, before),
});
