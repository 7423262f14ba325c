import { ColumnFlag, MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, IndexInfo, TableInfo } from '@tidb-drainer/core/sdk';

/** A column spec for `fixtureTable`: the few fields that differ between columns. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: number;
  readonly typeText: string;
  readonly nullable?: boolean;
  readonly unsigned?: boolean;
  readonly binary?: boolean;
  readonly length?: number;
  readonly decimal?: number;
  readonly elems?: readonly string[];
}

/** Builds a TableInfo the way the schema tracker would hand it to sinks. `pk` names the primary-key columns. */
export function fixtureTable(o: {
  readonly id: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly pk: readonly string[];
  readonly schemaVersion: number;
}): TableInfo {
  const columns: ColumnInfo[] = o.columns.map((c, offset) => {
    const inPk = o.pk.includes(c.name);
    const nullable = !inPk && c.nullable !== false;
    let flag = 0;
    if (!nullable) flag |= ColumnFlag.NotNull;
    if (inPk) flag |= ColumnFlag.PriKey;
    if (c.unsigned === true) flag |= ColumnFlag.Unsigned;
    if (c.binary === true) flag |= ColumnFlag.Binary;
    return {
      id: offset + 1,
      name: c.name,
      offset,
      type: c.type,
      flag,
      length: c.length ?? -1,
      decimal: c.decimal ?? -1,
      charset: c.binary === true ? 'binary' : 'utf8mb4',
      collation: c.binary === true ? 'binary' : 'utf8mb4_bin',
      elems: c.elems ?? [],
      unsigned: c.unsigned === true,
      nullable,
      generated: false,
      generatedStored: false,
      hidden: false,
      typeText: c.typeText,
    };
  });
  const pkOffsets = o.pk.map((name) => {
    const col = columns.find((c) => c.name === name);
    if (col === undefined) throw new RangeError(`pk column ${name} is not in table ${o.name}`);
    return col.offset;
  });
  const primary: IndexInfo = { id: 1, name: 'PRIMARY', primary: true, unique: true, columns: pkOffsets, lengths: pkOffsets.map(() => -1) };
  const firstPk = columns[pkOffsets[0] ?? -1];
  const pkIsHandle = pkOffsets.length === 1 && firstPk !== undefined && firstPk.type === MysqlType.LongLong;
  return {
    id: o.id,
    schema: o.schema,
    name: o.name,
    columns,
    indices: [primary],
    pkIsHandle,
    isCommonHandle: !pkIsHandle,
    schemaVersion: o.schemaVersion,
    charset: 'utf8mb4',
    collation: 'utf8mb4_bin',
  };
}

/** `orders`: integer handle, unsigned BIGINT beyond 2^53, DECIMAL, VARCHAR, DATETIME(6), VARBINARY, ENUM, DOUBLE, JSON. */
export const ORDERS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', type: MysqlType.LongLong, typeText: 'bigint(20)', length: 20 },
  { name: 'big', type: MysqlType.LongLong, typeText: 'bigint(20) unsigned', unsigned: true, length: 20 },
  { name: 'price', type: MysqlType.NewDecimal, typeText: 'decimal(10,2)', length: 10, decimal: 2 },
  { name: 'name', type: MysqlType.Varchar, typeText: 'varchar(64)', length: 64 },
  { name: 'created', type: MysqlType.Datetime, typeText: 'datetime(6)', decimal: 6 },
  { name: 'payload', type: MysqlType.VarString, typeText: 'varbinary(32)', binary: true, length: 32 },
  { name: 'status', type: MysqlType.Enum, typeText: "enum('new','paid','shipped')", elems: ['new', 'paid', 'shipped'] },
  { name: 'ratio', type: MysqlType.Double, typeText: 'double' },
  { name: 'doc', type: MysqlType.Json, typeText: 'json' },
];

/** `events`: a two-column clustered primary key, TIMESTAMP, TIME, SET, TEXT, INT. */
export const EVENTS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'k1', type: MysqlType.Varchar, typeText: 'varchar(16)', length: 16 },
  { name: 'k2', type: MysqlType.Long, typeText: 'int(11)', length: 11 },
  { name: 'at', type: MysqlType.Timestamp, typeText: 'timestamp(3)', decimal: 3 },
  { name: 'took', type: MysqlType.Duration, typeText: 'time', decimal: 0 },
  { name: 'tags', type: MysqlType.Set, typeText: "set('a','b','c')", elems: ['a', 'b', 'c'] },
  { name: 'note', type: MysqlType.Blob, typeText: 'text' },
  { name: 'n', type: MysqlType.Long, typeText: 'int(11)', length: 11 },
];

/** CREATE TABLE text for a fixture table, in MySQL syntax (what the DDL events carry). */
export function createTableSql(t: TableInfo): string {
  const cols = t.columns.map((c) => `\`${c.name}\` ${c.typeText}${c.nullable ? ' NULL' : ' NOT NULL'}`);
  const pk = t.indices.find((i) => i.primary);
  const pkCols = (pk?.columns ?? []).map((o) => `\`${t.columns[o]?.name ?? ''}\``).join(',');
  return `CREATE TABLE \`${t.name}\` (${cols.join(', ')}, PRIMARY KEY (${pkCols}))`;
}
