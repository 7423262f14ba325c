import type { ColumnValue } from '@tidb-drainer/core/sdk';
import { renderDuration, renderTime } from './render-temporal.js';

/**
 * SQL text spliced in verbatim by mysql2's placeholder formatting (its `toSqlString` protocol). Used only for exact
 * decimal literals, whose text is checked to be a plain number first.
 */
export interface SqlLiteral {
  readonly toSqlString: () => string;
}

/**
 * A value bound to a `?` placeholder. mysql2 renders each losslessly: bigint as its digits, number as the
 * shortest round-trip double, string quoted and escaped, Buffer as X'…', null as NULL, SqlLiteral verbatim.
 */
export type SqlParam = null | bigint | number | string | Buffer | SqlLiteral;

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** A checked decimal number spliced unquoted (a class, not a closure per value: this is the hot path). */
class DecimalLiteral implements SqlLiteral {
  constructor(private readonly text: string) {}
  toSqlString(): string {
    return this.text;
  }
}

/** An exact DECIMAL literal: unquoted, so the server neither rounds through a double nor compares as one. */
export function decimalLiteral(text: string): SqlLiteral {
  if (!DECIMAL_TEXT.test(text)) throw new TypeError(`not a decimal number: ${JSON.stringify(text)}`);
  return new DecimalLiteral(text);
}

/**
 * The parameter for a model value (spec row-codec §9.5, MySQL flavour): integers, YEAR, BIT → bigint; ENUM →
 * index and SET → bitmask (bigint); FLOAT/DOUBLE → number; DECIMAL → exact literal; DATE/DATETIME/TIMESTAMP and
 * TIME → MySQL text with the column's fsp; JSON → TiDB's JSON text; text → string; binary → Buffer (no copy).
 * TIMESTAMP values are UTC: DML sessions run with `time_zone = '+00:00'`.
 */
export function toSqlParam(v: ColumnValue): SqlParam {
  if (v === null) return null;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  switch (v.kind) {
    case 'decimal':
      return decimalLiteral(v.text);
    case 'time':
      return renderTime(v);
    case 'duration':
      return renderDuration(v);
    case 'json':
      return v.text;
    case 'enum':
      return BigInt(v.index);
    case 'set':
      return v.mask;
  }
}
