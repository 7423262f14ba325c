import type { DecimalValue, JsonValue } from '../model/values.js';
import { DatumCursor } from './datum-cursor.js';
import { DatumFlag } from './datum-flag.js';
import { readJson } from './json-binary.js';
import { decimalBinSize, readDecimal } from './my-decimal.js';

/**
 * One datum as TiDB's `DecodeOne` sees it, before any column type is applied (flattened form: times are packed
 * uint64, TIME is int64 ns, ENUM/SET/BIT are uint64). Useful for tooling and for handles whose type is unknown.
 */
export type Datum =
  | { readonly flag: 'nil' }
  | { readonly flag: 'bytes'; readonly value: Uint8Array }
  | { readonly flag: 'int'; readonly value: bigint }
  | { readonly flag: 'uint'; readonly value: bigint }
  | { readonly flag: 'float'; readonly value: number }
  | { readonly flag: 'decimal'; readonly value: DecimalValue }
  | { readonly flag: 'duration'; readonly value: bigint }
  | { readonly flag: 'json'; readonly value: JsonValue }
  | { readonly flag: 'max' };

/** Reads one datum of any flag (TiDB `DecodeOne`); unknown flag or truncated input → DecodeError. */
export function readDatum(cur: DatumCursor): Datum {
  const at = cur.pos;
  const flag = cur.byte();
  switch (flag) {
    case DatumFlag.Nil:
      return { flag: 'nil' };
    case DatumFlag.Bytes:
      return { flag: 'bytes', value: cur.memcomparableBytes() };
    case DatumFlag.CompactBytes: {
      const n = cur.compactLength();
      const start = cur.pos;
      cur.pos += n;
      return { flag: 'bytes', value: cur.buf.slice(start, start + n) };
    }
    case DatumFlag.Int:
      return { flag: 'int', value: cur.comparableInt64() };
    case DatumFlag.Uint:
      return { flag: 'uint', value: cur.uint64BE() };
    case DatumFlag.Float:
      return { flag: 'float', value: cur.float64() };
    case DatumFlag.Decimal:
      return { flag: 'decimal', value: readDecimal(cur) };
    case DatumFlag.Duration:
      return { flag: 'duration', value: cur.comparableInt64() };
    case DatumFlag.Varint:
      return { flag: 'int', value: cur.varint() };
    case DatumFlag.Uvarint:
      return { flag: 'uint', value: cur.uvarint() };
    case DatumFlag.Json:
      return { flag: 'json', value: readJson(cur) };
    case DatumFlag.Max:
      return { flag: 'max' };
    default:
      return cur.fail(`invalid datum flag 0x${flag.toString(16).padStart(2, '0')}`, at);
  }
}

/** Moves past one datum without building a value (TiDB `CutOne`), validating lengths. */
export function skipDatum(cur: DatumCursor): void {
  const at = cur.pos;
  const flag = cur.byte();
  switch (flag) {
    case DatumFlag.Nil:
    case DatumFlag.Max:
      return;
    case DatumFlag.Int:
    case DatumFlag.Uint:
    case DatumFlag.Float:
    case DatumFlag.Duration:
      cur.need(8);
      cur.pos += 8;
      return;
    case DatumFlag.Bytes:
      cur.memcomparableBytes();
      return;
    case DatumFlag.CompactBytes:
      cur.pos += cur.compactLength();
      return;
    case DatumFlag.Decimal: {
      cur.need(2);
      const size = decimalBinSize(cur.buf[cur.pos]!, cur.buf[cur.pos + 1]!);
      if (!(size >= 0)) cur.fail('invalid decimal precision/frac');
      cur.pos += 2;
      cur.need(size);
      cur.pos += size;
      return;
    }
    case DatumFlag.Varint:
    case DatumFlag.Uvarint:
      cur.uvarintHiLo();
      return;
    case DatumFlag.Json:
      readJson(cur);
      return;
    default:
      cur.fail(`invalid datum flag 0x${flag.toString(16).padStart(2, '0')}`, at);
  }
}

/** Decodes a byte string holding exactly one datum (test and tooling helper). */
export function decodeDatum(bytes: Uint8Array): Datum {
  const cur = new DatumCursor(bytes);
  const d = readDatum(cur);
  if (cur.remaining !== 0) cur.fail(`${cur.remaining} trailing bytes after datum`);
  return d;
}
