/**
 * Lossless column values handed to sinks. Which variant a column carries is fixed by its MySQL type:
 *
 * | column type                                   | value                       |
 * |-----------------------------------------------|-----------------------------|
 * | any type, SQL NULL                            | `null`                      |
 * | TINYINT…BIGINT (signed or unsigned), YEAR     | `bigint`                    |
 * | BIT(M)                                        | `bigint` (the bits, unsigned) |
 * | FLOAT (narrowed with Math.fround), DOUBLE     | `number`                    |
 * | CHAR / VARCHAR / TEXT family                  | `string` (decoded by charset) |
 * | BINARY / VARBINARY / BLOB family              | `Uint8Array`                |
 * | DECIMAL                                       | {@link DecimalValue}        |
 * | DATE / DATETIME / TIMESTAMP                   | {@link TimeValue}           |
 * | TIME                                          | {@link DurationValue}       |
 * | JSON                                          | {@link JsonValue}           |
 * | ENUM                                          | {@link EnumValue}           |
 * | SET                                           | {@link SetValue}            |
 */
export type ColumnValue =
  | null
  | bigint
  | number
  | string
  | Uint8Array
  | DecimalValue
  | TimeValue
  | DurationValue
  | JsonValue
  | EnumValue
  | SetValue;

/** Exact decimal: `text` is MySQL's form with exactly `scale` fraction digits, e.g. "-12.300". */
export interface DecimalValue {
  readonly kind: 'decimal';
  readonly text: string;
  readonly precision: number;
  readonly scale: number;
}

/**
 * DATE, DATETIME or TIMESTAMP. Not a JS Date: zero dates, year 0 and microseconds must survive.
 * TIMESTAMP values are in UTC (as TiDB stores them); sinks convert to a zone when they render.
 */
export interface TimeValue {
  readonly kind: 'time';
  readonly type: 'date' | 'datetime' | 'timestamp';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /** Fractional seconds precision 0–6 of the column. */
  readonly fsp: number;
}

/** TIME: signed nanoseconds (MySQL range ±838:59:59.000000) and the column's fsp. */
export interface DurationValue {
  readonly kind: 'duration';
  readonly nanos: bigint;
  readonly fsp: number;
}

/** A JSON node: int64/uint64 stay `bigint`, doubles are numbers, objects keep TiDB's key order. */
export type JsonNode = null | boolean | number | bigint | string | readonly JsonNode[] | { readonly [key: string]: JsonNode };

/** JSON column: the parsed tree and TiDB's text form (`BinaryJSON.String`). */
export interface JsonValue {
  readonly kind: 'json';
  readonly value: JsonNode;
  readonly text: string;
}

/** ENUM: 1-based index into the column's elems (0 = the empty error value) and the name. */
export interface EnumValue {
  readonly kind: 'enum';
  readonly index: number;
  readonly name: string;
}

/** SET: the bitmask and the member names in definition order. */
export interface SetValue {
  readonly kind: 'set';
  readonly mask: bigint;
  readonly names: readonly string[];
}

/** A row: values by column offset in `TableInfo.columns` (`undefined` = column absent from the row bytes). */
export type RowValues = readonly (ColumnValue | undefined)[];
