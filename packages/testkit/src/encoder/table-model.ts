import { BINARY_CHARSET, ColumnFlag, isStringType, MysqlType } from '@tidb-drainer/core/codec';
import type { ColumnInfo, IndexInfo, TableInfo } from '@tidb-drainer/core/codec';

/** What a test or workload states about a column; everything else gets TiDB's defaults for the type. */
export type ColumnSpec = Partial<Omit<ColumnInfo, 'offset'>> & { readonly name: string; readonly type: number };

export interface TableSpec {
  readonly id?: number;
  readonly schema?: string;
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** Primary key column names (with optional prefix lengths), and how TiDB stores it. */
  readonly primaryKey?: readonly (string | { readonly name: string; readonly length: number })[];
  /** 'handle' = pk-is-handle (single int PK), 'clustered' = common handle, 'rowid' = nonclustered / no PK. */
  readonly handle?: 'handle' | 'clustered' | 'rowid';
  readonly schemaVersion?: number;
}

/**
 * Builds a model TableInfo as TiDB would describe a fresh `CREATE TABLE`: column ids 1..n in order, offsets by
 * position, utf8mb4_bin strings, binary charset for BINARY/VARBINARY/BLOB (`charset: 'binary'`).
 */
export function makeTable(spec: TableSpec): TableInfo {
  const pkNames = (spec.primaryKey ?? []).map((p) => (typeof p === 'string' ? p : p.name));
  const handle = spec.handle ?? (pkNames.length > 0 ? 'clustered' : 'rowid');
  const columns: ColumnInfo[] = spec.columns.map((c, offset) => {
    const inPk = pkNames.includes(c.name);
    const unsigned = c.unsigned ?? false;
    const nullable = inPk ? false : (c.nullable ?? true);
    const isBinary = c.charset === BINARY_CHARSET;
    let flag = c.flag ?? 0;
    if (unsigned) flag |= ColumnFlag.Unsigned;
    if (!nullable) flag |= ColumnFlag.NotNull;
    if (inPk) flag |= ColumnFlag.PriKey;
    const col: ColumnInfo = {
      id: c.id ?? offset + 1,
      name: c.name,
      offset,
      type: c.type,
      flag,
      length: c.length ?? -1,
      decimal: c.decimal ?? (c.type === MysqlType.NewDecimal ? 0 : -1),
      charset: c.charset ?? (isStringish(c.type) ? 'utf8mb4' : BINARY_CHARSET),
      collation: c.collation ?? (isBinary || !isStringish(c.type) ? BINARY_CHARSET : 'utf8mb4_bin'),
      elems: c.elems ?? [],
      unsigned,
      nullable,
      generated: c.generated ?? false,
      generatedStored: c.generatedStored ?? false,
      hidden: c.hidden ?? false,
      typeText: c.typeText ?? '',
      ...(c.generatedExpr !== undefined ? { generatedExpr: c.generatedExpr } : {}),
      ...(c.defaultValue !== undefined ? { defaultValue: c.defaultValue } : {}),
      ...(c.originDefault !== undefined ? { originDefault: c.originDefault } : {}),
    };
    return col;
  });
  const indices: IndexInfo[] = [];
  if (pkNames.length > 0) {
    indices.push({
      id: 1,
      name: 'PRIMARY',
      primary: true,
      unique: true,
      columns: pkNames.map((n) => columns.findIndex((c) => c.name === n)),
      lengths: (spec.primaryKey ?? []).map((p) => (typeof p === 'string' ? -1 : p.length)),
    });
  }
  return {
    id: spec.id ?? 100,
    schema: spec.schema ?? 'test',
    name: spec.name,
    columns,
    indices,
    pkIsHandle: handle === 'handle',
    isCommonHandle: handle === 'clustered',
    schemaVersion: spec.schemaVersion ?? 1,
    charset: 'utf8mb4',
    collation: 'utf8mb4_bin',
  };
}

function isStringish(tp: number): boolean {
  return isStringType(tp) || tp === MysqlType.Enum || tp === MysqlType.Set;
}
