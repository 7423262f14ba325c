import { formatDuration, formatTime, timestampToZone } from '@tidb-drainer/core/codec';
import type { ColumnInfo, ColumnValue } from '@tidb-drainer/core/codec';
import type { ByteWriter } from './byte-writer.js';

const FLAG_NIL = 0x00;
const FLAG_COMPACT_BYTES = 0x02;
const FLAG_FLOAT = 0x05;
const FLAG_VARINT = 0x08;
const FLAG_UVARINT = 0x09;
const SIGN_MASK = 0x8000_0000;

function zigzag64(w: ByteWriter, v: bigint): void {
  const ux = BigInt.asUintN(64, v) << 1n;
  w.uvarint64(v < 0n ? BigInt.asUintN(64, ~ux) : BigInt.asUintN(64, ux));
}

function compactBytes(w: ByteWriter, b: Uint8Array): void {
  w.byte(FLAG_COMPACT_BYTES);
  w.uvarint(b.length * 2);
  w.raw(b);
}

function compactString(w: ByteWriter, s: string): void {
  w.byte(FLAG_COMPACT_BYTES);
  // Compact bytes carry a zig-zag varint length: for a non-negative length that is the uvarint of twice it.
  w.scaledLengthUtf8(s, 2);
}

/** TiDB EncodeFloat: IEEE bits, sign bit set for non-negative values, all bits inverted for negative ones (BE). */
function float(w: ByteWriter, x: number): void {
  w.byte(FLAG_FLOAT);
  w.ensure(8);
  w.buf.writeDoubleBE(x, w.pos);
  const hi = w.buf.readUInt32BE(w.pos);
  const lo = w.buf.readUInt32BE(w.pos + 4);
  if (x >= 0 || Number.isNaN(x)) {
    w.buf.writeUInt32BE((hi | SIGN_MASK) >>> 0, w.pos);
  } else {
    w.buf.writeUInt32BE(~hi >>> 0, w.pos);
    w.buf.writeUInt32BE(~lo >>> 0, w.pos + 4);
  }
  w.pos += 8;
}

/**
 * Writes one column value as the Go pb sink does (spec §8.5): first formatted the "unknown" way (DATE, DATETIME,
 * TIMESTAMP, DECIMAL, JSON, TIME → string; ENUM, SET, BIT → uint64; the rest unchanged), then encoded with TiDB's
 * non-comparable datum codec: strings and bytes → flag 2, signed ints → 8, unsigned → 9, floats → 5, NULL → 0.
 * TIMESTAMPs are rendered in `zone` (Go formats them in the drainer's local zone).
 */
export function writeDatumValue(w: ByteWriter, col: ColumnInfo, v: ColumnValue, zone: string): void {
  if (v === null) return w.byte(FLAG_NIL);
  if (typeof v === 'bigint') {
    if (col.unsigned || v > 0x7fff_ffff_ffff_ffffn) {
      w.byte(FLAG_UVARINT);
      return w.uvarint64(v);
    }
    w.byte(FLAG_VARINT);
    return zigzag64(w, v);
  }
  if (typeof v === 'number') return float(w, v);
  if (typeof v === 'string') return compactString(w, v);
  if (v instanceof Uint8Array) return compactBytes(w, v);
  switch (v.kind) {
    case 'decimal':
      return compactString(w, v.text);
    case 'time':
      return compactString(w, formatTime(v.type === 'timestamp' && !isZero(v) ? timestampToZone(v, zone) : v));
    case 'duration':
      return compactString(w, formatDuration(v));
    case 'json':
      return compactString(w, v.text);
    case 'enum':
      w.byte(FLAG_UVARINT);
      return w.uvarint(v.index);
    case 'set':
      w.byte(FLAG_UVARINT);
      return w.uvarint64(v.mask);
    default:
      return assertNever(v);
  }
}

function isZero(t: { readonly year: number; readonly month: number; readonly day: number }): boolean {
  return t.year === 0 && t.month === 0 && t.day === 0;
}

function assertNever(x: never): never {
  throw new TypeError(`unexpected column value ${String(x)}`);
}
