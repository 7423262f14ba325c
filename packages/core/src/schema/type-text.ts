import { BINARY_CHARSET, ColumnFlag, MysqlType } from '../model/mysql-type.js';
import type { TidbFieldType } from './tidb-json.js';

/** `types.TypeToStr` (tidb-binlog.md §12.5). */
function typeName(tp: number, charset: string): string {
  const binary = charset === BINARY_CHARSET;
  switch (tp) {
    case MysqlType.Bit:
      return 'bit';
    case MysqlType.Blob:
      return binary ? 'blob' : 'text';
    case MysqlType.TinyBlob:
      return binary ? 'tinyblob' : 'tinytext';
    case MysqlType.MediumBlob:
      return binary ? 'mediumblob' : 'mediumtext';
    case MysqlType.LongBlob:
      return binary ? 'longblob' : 'longtext';
    case MysqlType.Date:
    case MysqlType.NewDate:
      return 'date';
    case MysqlType.Datetime:
      return 'datetime';
    case MysqlType.Decimal:
    case MysqlType.NewDecimal:
      return 'decimal';
    case MysqlType.Double:
      return 'double';
    case MysqlType.Float:
      return 'float';
    case MysqlType.Enum:
      return 'enum';
    case MysqlType.Set:
      return 'set';
    case MysqlType.Geometry:
      return 'geometry';
    case MysqlType.Int24:
      return 'mediumint';
    case MysqlType.Json:
      return 'json';
    case MysqlType.Long:
      return 'int';
    case MysqlType.LongLong:
      return 'bigint';
    case MysqlType.Short:
      return 'smallint';
    case MysqlType.Tiny:
      return 'tinyint';
    case MysqlType.Null:
      return 'null';
    case MysqlType.String:
      return binary ? 'binary' : 'char';
    case MysqlType.Varchar:
      return binary ? 'varbinary' : 'varchar';
    case MysqlType.VarString:
      return binary ? 'varbinary' : 'var_string';
    case MysqlType.Duration:
      return 'time';
    case MysqlType.Timestamp:
      return 'timestamp';
    case MysqlType.Year:
      return 'year';
    default:
      return 'unknown';
  }
}

/** `mysql.GetDefaultFieldLengthAndDecimal` for the types whose length SHOW CREATE TABLE always prints. */
function defaultFlen(tp: number, unsigned: boolean): number {
  switch (tp) {
    case MysqlType.Tiny:
      return unsigned ? 3 : 4;
    case MysqlType.Short:
      return unsigned ? 5 : 6;
    case MysqlType.Int24:
      return unsigned ? 8 : 9;
    case MysqlType.Long:
      return unsigned ? 10 : 11;
    case MysqlType.LongLong:
      return 20;
    case MysqlType.Bit:
    case MysqlType.String:
      return 1;
    case MysqlType.Year:
      return 4;
    case MysqlType.NewDecimal:
    case MysqlType.Decimal:
      return 10;
    default:
      return -1;
  }
}

function quoteElem(e: string): string {
  return `'${e.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The column type as TiDB's `SHOW CREATE TABLE` prints it (`FieldType.InfoSchemaStr`), e.g. `bigint(20) unsigned`,
 * `decimal(10,2)`, `datetime(3)`, `varbinary(16)`, `enum('a','b')`.
 */
export function columnTypeText(ft: TidbFieldType): string {
  const unsigned = (ft.Flag & ColumnFlag.Unsigned) !== 0;
  const flen = ft.Flen >= 0 ? ft.Flen : defaultFlen(ft.Tp, unsigned);
  let text = typeName(ft.Tp, ft.Charset);
  switch (ft.Tp) {
    case MysqlType.Enum:
    case MysqlType.Set:
      text += `(${(ft.Elems ?? []).map(quoteElem).join(',')})`;
      break;
    case MysqlType.Timestamp:
    case MysqlType.Datetime:
    case MysqlType.Duration:
      if (ft.Decimal > 0) text += `(${ft.Decimal})`;
      break;
    case MysqlType.Double:
    case MysqlType.Float:
      if (ft.Flen >= 0 && ft.Decimal >= 0) text += `(${ft.Flen},${ft.Decimal})`;
      break;
    case MysqlType.Decimal:
    case MysqlType.NewDecimal:
      text += `(${flen},${ft.Decimal >= 0 ? ft.Decimal : 0})`;
      break;
    case MysqlType.Bit:
    case MysqlType.Tiny:
    case MysqlType.Short:
    case MysqlType.Int24:
    case MysqlType.Long:
    case MysqlType.LongLong:
    case MysqlType.Varchar:
    case MysqlType.String:
    case MysqlType.VarString:
    case MysqlType.Year:
      if (flen >= 0) text += `(${flen})`;
      break;
    default:
      break;
  }
  const numeric =
    ft.Tp !== MysqlType.Bit && ft.Tp !== MysqlType.Year && ft.Tp !== MysqlType.Enum && ft.Tp !== MysqlType.Set;
  if (numeric && unsigned) text += ' unsigned';
  if (numeric && (ft.Flag & ColumnFlag.Zerofill) !== 0) text += ' zerofill';
  return text;
}
