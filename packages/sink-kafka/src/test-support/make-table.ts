import { BINARY_CHARSET, ColumnFlag, MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue, IndexInfo, TableInfo } from '@tidb-drainer/core/sdk';

/** Test-only builders for model tables (not part of the package build). */
export interface ColSpec {
  readonly name: string;
  readonly type: number;
  readonly length?: number;
  readonly decimal?: number;
  readonly unsigned?: boolean;
  readonly notNull?: boolean;
  readonly pk?: boolean;
  readonly binary?: boolean;
  readonly elems?: readonly string[];
  readonly defaultValue?: ColumnValue;
  readonly typeText?: string;
}

export function makeColumn(spec: ColSpec, offset: number): ColumnInfo {
  let flag = 0;
  if (spec.notNull === true || spec.pk === true) flag |= ColumnFlag.NotNull;
  if (spec.pk === true) flag |= ColumnFlag.PriKey;
  if (spec.unsigned === true) flag |= ColumnFlag.Unsigned;
  const numeric = spec.type !== MysqlType.Varchar && spec.type !== MysqlType.String && spec.type !== MysqlType.Blob &&
    spec.type !== MysqlType.TinyBlob && spec.type !== MysqlType.MediumBlob && spec.type !== MysqlType.LongBlob &&
    spec.type !== MysqlType.Enum && spec.type !== MysqlType.Set && spec.type !== MysqlType.Json;
  const binary = spec.binary === true || numeric;
  if (binary) flag |= ColumnFlag.Binary;
  const col: ColumnInfo = {
    id: offset + 1,
    name: spec.name,
    offset,
    type: spec.type,
    flag,
    length: spec.length ?? -1,
    decimal: spec.decimal ?? -1,
    charset: binary ? BINARY_CHARSET : 'utf8mb4',
    collation: binary ? BINARY_CHARSET : 'utf8mb4_bin',
    elems: spec.elems ?? [],
    unsigned: spec.unsigned === true,
    nullable: !(spec.notNull === true || spec.pk === true),
    generated: false,
    generatedStored: false,
    hidden: false,
    typeText: spec.typeText ?? '',
  };
  return spec.defaultValue === undefined ? col : { ...col, defaultValue: spec.defaultValue, originDefault: spec.defaultValue };
}

export function makeTable(
  schema: string,
  name: string,
  cols: readonly ColSpec[],
  opts: { readonly id?: number; readonly uniques?: readonly { name: string; cols: readonly string[] }[]; readonly pkIsHandle?: boolean } = {},
): TableInfo {
  const columns = cols.map((c, i) => makeColumn(c, i));
  const indices: IndexInfo[] = [];
  const pkCols = columns.filter((c) => (c.flag & ColumnFlag.PriKey) !== 0);
  const intPk = pkCols.length === 1 && [MysqlType.Tiny, MysqlType.Short, MysqlType.Int24, MysqlType.Long, MysqlType.LongLong].includes(pkCols[0]!.type as 1);
  const pkIsHandle = opts.pkIsHandle ?? intPk;
  if (pkCols.length > 0 && !pkIsHandle) {
    indices.push({ id: 1, name: 'PRIMARY', primary: true, unique: true, columns: pkCols.map((c) => c.offset), lengths: pkCols.map(() => -1) });
  }
  for (const u of opts.uniques ?? []) {
    const offs = u.cols.map((n) => columns.findIndex((c) => c.name === n));
    indices.push({ id: indices.length + 2, name: u.name, primary: false, unique: true, columns: offs, lengths: offs.map(() => -1) });
  }
  return {
    id: opts.id ?? 100,
    schema,
    name,
    columns,
    indices,
    pkIsHandle,
    isCommonHandle: pkCols.length > 0 && !pkIsHandle,
    schemaVersion: 1,
    charset: 'utf8mb4',
    collation: 'utf8mb4_bin',
  };
}
