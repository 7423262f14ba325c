import { MysqlType } from '@tidb-drainer/core/sdk';
import type { ColumnInfo, ColumnValue } from '@tidb-drainer/core/sdk';
import { isBinaryStringColumn, isUnsigned } from '../../format/type-names.js';

/** java.sql.Types codes TiCDC's canal-json puts in `sqlType` (kafka-encodings §1.5). */
export const JavaType = {
  BIT: -7, TINYINT: -6, BIGINT: -5, CHAR: 1, DECIMAL: 3, INTEGER: 4, SMALLINT: 5, REAL: 7, DOUBLE: 8, VARCHAR: 12,
  DATE: 91, TIME: 92, TIMESTAMP: 93, BLOB: 2004, CLOB: 2005,
} as const;

function baseJavaType(col: ColumnInfo): number {
  const bin = isBinaryStringColumn(col);
  switch (col.type) {
    case MysqlType.Tiny: return JavaType.TINYINT;
    case MysqlType.Short: return JavaType.SMALLINT;
    case MysqlType.Int24:
    case MysqlType.Long: return JavaType.INTEGER;
    case MysqlType.LongLong: return JavaType.BIGINT;
    case MysqlType.Float: return JavaType.REAL;
    case MysqlType.Double: return JavaType.DOUBLE;
    case MysqlType.Decimal:
    case MysqlType.NewDecimal: return JavaType.DECIMAL;
    case MysqlType.String: return bin ? JavaType.BLOB : JavaType.CHAR;
    case MysqlType.Varchar:
    case MysqlType.VarString: return bin ? JavaType.BLOB : JavaType.VARCHAR;
    case MysqlType.TinyBlob:
    case MysqlType.Blob:
    case MysqlType.MediumBlob:
    case MysqlType.LongBlob: return bin ? JavaType.BLOB : JavaType.CLOB;
    case MysqlType.Date:
    case MysqlType.NewDate: return JavaType.DATE;
    case MysqlType.Datetime:
    case MysqlType.Timestamp: return JavaType.TIMESTAMP;
    case MysqlType.Duration: return JavaType.TIME;
    case MysqlType.Year: return JavaType.VARCHAR;
    case MysqlType.Enum: return JavaType.INTEGER;
    case MysqlType.Set:
    case MysqlType.Bit: return JavaType.BIT;
    default: return JavaType.VARCHAR;
  }
}

/** `sqlType` of a column for one row value: unsigned integers above the signed range are promoted. */
export function canalSqlType(col: ColumnInfo, v: ColumnValue | undefined): number {
  const base = baseJavaType(col);
  if (!isUnsigned(col) || typeof v !== 'bigint') return base;
  switch (col.type) {
    case MysqlType.Tiny: return v > 127n ? JavaType.SMALLINT : base;
    case MysqlType.Short: return v > 32767n ? JavaType.INTEGER : base;
    case MysqlType.Long: return v > 2147483647n ? JavaType.BIGINT : base;
    case MysqlType.LongLong: return v > 9223372036854775807n ? JavaType.DECIMAL : base;
    default: return base;
  }
}

/** Canal event type of a DDL by TiDB action type (kafka-encodings §1.3). */
export function canalDdlType(jobType: number): string {
  switch (jobType) {
    case 3: return 'CREATE';
    case 4: return 'ERASE';
    case 11: return 'TRUNCATE';
    case 14: case 47: return 'RENAME';
    case 7: case 9: case 32: return 'CINDEX';
    case 8: case 10: case 33: return 'DINDEX';
    // add/drop/modify column, rebase auto id, default value, comment, rename index, partitions, charset,
    // index visibility, multi-schema change, partitioning changes
    case 5: case 6: case 12: case 13: case 15: case 17: case 18: case 19: case 20: case 22: case 23: case 37: case 38:
    case 41: case 61: case 64: case 71: case 72:
      return 'ALTER';
    default:
      return 'QUERY';
  }
}
