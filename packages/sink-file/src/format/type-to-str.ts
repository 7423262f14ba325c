import { BINARY_CHARSET, MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo } from '@tidb-drainer/core/sdk';

/** TiDB `types.TypeToStr` (spec §12.5): the `mysql_type` string of a pb column. */
const NAMES: Readonly<Record<number, string>> = {
  [MysqlType.Decimal]: 'decimal',
  [MysqlType.Tiny]: 'tinyint',
  [MysqlType.Short]: 'smallint',
  [MysqlType.Long]: 'int',
  [MysqlType.Float]: 'float',
  [MysqlType.Double]: 'double',
  [MysqlType.Null]: 'null',
  [MysqlType.Timestamp]: 'timestamp',
  [MysqlType.LongLong]: 'bigint',
  [MysqlType.Int24]: 'mediumint',
  [MysqlType.Date]: 'date',
  [MysqlType.Duration]: 'time',
  [MysqlType.Datetime]: 'datetime',
  [MysqlType.Year]: 'year',
  [MysqlType.NewDate]: 'date',
  [MysqlType.Varchar]: 'varchar',
  [MysqlType.Bit]: 'bit',
  [MysqlType.Json]: 'json',
  [MysqlType.NewDecimal]: 'decimal',
  [MysqlType.Enum]: 'enum',
  [MysqlType.Set]: 'set',
  [MysqlType.TinyBlob]: 'tinytext',
  [MysqlType.MediumBlob]: 'mediumtext',
  [MysqlType.LongBlob]: 'longtext',
  [MysqlType.Blob]: 'text',
  [MysqlType.VarString]: 'var_string',
  [MysqlType.String]: 'char',
  [MysqlType.Geometry]: 'geometry',
};

export function typeToStr(col: Pick<ColumnInfo, 'type' | 'charset'>): string {
  const s = NAMES[col.type] ?? '';
  if (col.charset !== BINARY_CHARSET) return s;
  if (s.endsWith('text')) return s.slice(0, -4) + 'blob';
  if (s === 'char') return 'binary';
  if (s === 'varchar') return 'varbinary';
  return s;
}
