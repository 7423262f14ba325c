import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, TableInfo } from '@tidb-drainer/core/sdk';

/** A plain utf8mb4 column; only the first (the key) is NOT NULL. */
const column = (offset: number, name: string, type: number, typeText: string): ColumnInfo => ({
  id: offset + 1,
  name,
  offset,
  type,
  flag: 0,
  length: -1,
  decimal: -1,
  charset: 'utf8mb4',
  collation: 'utf8mb4_bin',
  elems: [],
  unsigned: false,
  nullable: offset > 0,
  generated: false,
  generatedStored: false,
  hidden: false,
  typeText,
});

/**
 * The two-column table the sink-file test fixtures write: `id bigint(20)` (integer primary key, the handle) and
 * `v varchar(64)`. Imports only the core model: the kill -9 test spawns a child using it many times.
 */
export function idValueTable(id: number, schema: string, name: string): TableInfo {
  return {
    id,
    schema,
    name,
    columns: [column(0, 'id', MysqlType.LongLong, 'bigint(20)'), column(1, 'v', MysqlType.Varchar, 'varchar(64)')],
    indices: [{ id: 1, name: 'PRIMARY', primary: true, unique: true, columns: [0], lengths: [-1] }],
    pkIsHandle: true,
    isCommonHandle: false,
    schemaVersion: 1,
    charset: 'utf8mb4',
    collation: 'utf8mb4_bin',
  };
}
