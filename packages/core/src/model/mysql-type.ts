/**
 * MySQL column type codes as TiDB stores them in `FieldType.Tp` (the MySQL protocol's type byte).
 */
export const MysqlType = {
  Decimal: 0,
  Tiny: 1,
  Short: 2,
  Long: 3,
  Float: 4,
  Double: 5,
  Null: 6,
  Timestamp: 7,
  LongLong: 8,
  Int24: 9,
  Date: 10,
  Duration: 11,
  Datetime: 12,
  Year: 13,
  NewDate: 14,
  Varchar: 15,
  Bit: 16,
  Json: 245,
  NewDecimal: 246,
  Enum: 247,
  Set: 248,
  TinyBlob: 249,
  MediumBlob: 250,
  LongBlob: 251,
  Blob: 252,
  VarString: 253,
  String: 254,
  Geometry: 255,
} as const;
export type MysqlType = (typeof MysqlType)[keyof typeof MysqlType];

/** Column flags (`FieldType.Flag`), as in MySQL. */
export const ColumnFlag = {
  NotNull: 1,
  PriKey: 2,
  UniqueKey: 4,
  MultipleKey: 8,
  Blob: 16,
  Unsigned: 32,
  Zerofill: 64,
  Binary: 128,
  Enum: 256,
  AutoIncrement: 512,
  Timestamp: 1024,
  Set: 2048,
  NoDefaultValue: 4096,
  OnUpdateNow: 8192,
} as const;

/** TiDB uses this charset/collation pair for binary strings (BINARY, VARBINARY, BLOB). */
export const BINARY_CHARSET = 'binary';

export function isIntegerType(tp: number): boolean {
  return (
    tp === MysqlType.Tiny ||
    tp === MysqlType.Short ||
    tp === MysqlType.Int24 ||
    tp === MysqlType.Long ||
    tp === MysqlType.LongLong ||
    tp === MysqlType.Year
  );
}

export function isStringType(tp: number): boolean {
  return (
    tp === MysqlType.Varchar ||
    tp === MysqlType.VarString ||
    tp === MysqlType.String ||
    tp === MysqlType.TinyBlob ||
    tp === MysqlType.MediumBlob ||
    tp === MysqlType.LongBlob ||
    tp === MysqlType.Blob
  );
}
