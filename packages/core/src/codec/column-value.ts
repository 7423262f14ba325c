import type { ColumnInfo } from '../model/table-info.js';
import type { ColumnValue, EnumValue, SetValue, TimeValue } from '../model/values.js';
import type { DatumCursor } from './datum-cursor.js';
import { DatumFlag } from './datum-flag.js';
import { readJson } from './json-binary.js';
import { readDecimal } from './my-decimal.js';
import { unpackTimeParts } from './packed-time.js';
import { decodeUtf8 } from './utf8.js';
import { ValueKind } from './value-kind.js';

/** What {@link readColumnValue} needs to know about a column; built once per table version (table-plan.ts). */
export interface ColumnPlan {
  readonly column: ColumnInfo;
  readonly offset: number;
  readonly kind: ValueKind;
  readonly fsp: number;
  /** ENUM columns: the value for each index (0 = the empty value), shared by every row (values are immutable). */
  readonly enumValues: readonly EnumValue[];
}

/**
 * Reads one value datum and turns it into the model value for `plan`'s column (TiDB's `Unflatten`, spec §8).
 * Accepts every flag TiDB can produce for the column type (row values, clustered-handle prefix datums, and the
 * key-only forms a robust decoder should take); any other flag is a DecodeError.
 */
export function readColumnValue(cur: DatumCursor, plan: ColumnPlan): ColumnValue {
  const flagAt = cur.pos;
  const flag = cur.byte();
  if (flag === DatumFlag.Nil) return null;
  switch (plan.kind) {
    case ValueKind.Int:
      if (flag === DatumFlag.Varint) return cur.varint();
      if (flag === DatumFlag.Uvarint) return BigInt.asIntN(64, cur.uvarint());
      if (flag === DatumFlag.Int) return cur.comparableInt64();
      if (flag === DatumFlag.Uint) return BigInt.asIntN(64, cur.uint64BE());
      break;
    case ValueKind.Uint:
    case ValueKind.Bit:
      if (flag === DatumFlag.Uvarint) return cur.uvarint();
      // A pk-is-handle prefix writes unsigned handles as int64 (spec §2.1): reinterpret.
      if (flag === DatumFlag.Varint) return BigInt.asUintN(64, cur.varint());
      if (flag === DatumFlag.Uint) return cur.uint64BE();
      if (flag === DatumFlag.Int) return BigInt.asUintN(64, cur.comparableInt64());
      break;
    case ValueKind.Float:
      if (flag === DatumFlag.Float) return Math.fround(cur.float64());
      break;
    case ValueKind.Double:
      if (flag === DatumFlag.Float) return cur.float64();
      break;
    case ValueKind.Decimal:
      if (flag === DatumFlag.Decimal) return readDecimal(cur);
      break;
    case ValueKind.Text:
      if (flag === DatumFlag.CompactBytes) {
        const n = cur.compactLength();
        const start = cur.pos;
        cur.pos = start + n;
        return decodeUtf8(cur.buf, start, start + n);
      }
      if (flag === DatumFlag.Bytes) {
        const b = cur.memcomparableBytes();
        return decodeUtf8(b, 0, b.length);
      }
      break;
    case ValueKind.Bytes:
      if (flag === DatumFlag.CompactBytes) {
        const n = cur.compactLength();
        const start = cur.pos;
        cur.pos = start + n;
        return cur.buf.slice(start, start + n);
      }
      if (flag === DatumFlag.Bytes) return cur.memcomparableBytes();
      break;
    case ValueKind.Date:
    case ValueKind.Datetime:
    case ValueKind.Timestamp:
      if (flag === DatumFlag.Uvarint) cur.uvarintHiLo();
      else if (flag === DatumFlag.Uint) cur.uint64HiLo();
      else break;
      return unpackTimeParts(cur.hi, cur.lo, TIME_TYPES[plan.kind - ValueKind.Date]!, plan.fsp);
    case ValueKind.Duration:
      if (flag === DatumFlag.Varint) return { kind: 'duration', nanos: cur.varint(), fsp: plan.fsp };
      if (flag === DatumFlag.Duration || flag === DatumFlag.Int) {
        return { kind: 'duration', nanos: cur.comparableInt64(), fsp: plan.fsp };
      }
      break;
    case ValueKind.Enum:
      if (flag === DatumFlag.Uvarint) {
        // Indexes are small; anything past the members (however large) is the empty value, as in TiDB.
        cur.uvarintHiLo();
        return cur.hi === 0 && cur.lo < plan.enumValues.length ? plan.enumValues[cur.lo]! : EMPTY_ENUM;
      }
      if (flag === DatumFlag.Uint) return enumValue(cur.uint64BE(), plan.column);
      break;
    case ValueKind.Set:
      if (flag === DatumFlag.Uvarint) return setValue(cur, cur.uvarint(), plan.column, flagAt);
      if (flag === DatumFlag.Uint) return setValue(cur, cur.uint64BE(), plan.column, flagAt);
      break;
    case ValueKind.Json:
      if (flag === DatumFlag.Json) return readJson(cur);
      break;
  }
  return cur.fail(
    `datum flag 0x${flag.toString(16).padStart(2, '0')} is not valid for column type ${plan.column.type}`,
    flagAt,
  );
}

const EMPTY_ENUM: EnumValue = { kind: 'enum', index: 0, name: '' };

/** The shared ENUM values of a column, by index. */
export function enumValuesOf(column: Pick<ColumnInfo, 'elems'>): EnumValue[] {
  return [EMPTY_ENUM, ...column.elems.map((name, i): EnumValue => ({ kind: 'enum', index: i + 1, name }))];
}

const TIME_TYPES: readonly TimeValue['type'][] = ['date', 'datetime', 'timestamp'];

/** ENUM index → name; out of range gives the empty enum (TiDB's Unflatten does not fail, spec §8). */
export function enumValue(index: bigint, column: Pick<ColumnInfo, 'elems'>): EnumValue {
  const i = Number(index);
  if (i >= 1 && i <= column.elems.length) return { kind: 'enum', index: i, name: column.elems[i - 1]! };
  return EMPTY_ENUM;
}

function setValue(cur: DatumCursor, mask: bigint, column: Pick<ColumnInfo, 'elems'>, at: number): SetValue {
  const names: string[] = [];
  let rest = mask;
  for (let i = 0; rest !== 0n; i++, rest >>= 1n) {
    if ((rest & 1n) === 0n) continue;
    if (i >= column.elems.length)
      cur.fail(`SET bitmask ${mask} has bits beyond the ${column.elems.length} members`, at);
    names.push(column.elems[i]!);
  }
  return { kind: 'set', mask, names };
}
