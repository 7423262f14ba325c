import protobuf from 'protobufjs/minimal.js';

import { DecodeError } from '../errors/drainer-error.js';

type Reader = protobuf.Reader;
type Writer = protobuf.Writer;

/** Wire types of the protobuf encoding (only the ones our messages use, plus the ones `skipType` must handle). */
export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;

/**
 * Reads a varint as an unsigned 64-bit `bigint` straight from the reader's buffer. protobufjs would hand back a
 * `Long` (or, without `long`, a lossy number); converting here once keeps TSOs exact and skips the Long allocation.
 */
export function readUint64(r: Reader): bigint {
  const buf = r.buf;
  const end = r.len;
  let pos = r.pos;
  let lo = 0;
  // The first four bytes carry 28 bits, which always fit a non-negative small integer.
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) throw truncated(pos);
    const b = buf[pos++]!;
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return BigInt(lo);
    }
  }
  // Bits 28..63 (at most six more bytes); 42 bits still fit a double exactly.
  let hi = 0;
  let mul = 1;
  for (let i = 0; i < 6; i++) {
    if (pos >= end) throw truncated(pos);
    const b = buf[pos++]!;
    hi += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) {
      r.pos = pos;
      const v = (BigInt(hi) << 28n) | BigInt(lo);
      // Only a 10-byte varint can carry bits above 63; TSOs (< 2^63) skip the extra truncation.
      return hi < 2 ** 36 ? v : BigInt.asUintN(64, v);
    }
  }
  throw new DecodeError('protobuf varint longer than 10 bytes', { offset: pos });
}

const TWO_63 = 0x8000_0000_0000_0000n;

/** A varint read as a signed (two's complement) int64. */
export function readInt64(r: Reader): bigint {
  const u = readUint64(r);
  return u < TWO_63 ? u : BigInt.asIntN(64, u);
}


const TWO_32 = 0x1_0000_0000n;

/** Writes an int64/uint64 varint from a `bigint` (negative values as 10-byte two's complement, as protobuf does). */
export function writeVarint64(w: Writer, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  if (u < TWO_32) {
    w.uint32(Number(u));
    return;
  }
  // protobufjs types Long as a plain {low, high, unsigned} shape, so no Long object is needed.
  const longBits: Parameters<Writer['uint64']>[0] = { low: Number(u & 0xffff_ffffn) | 0, high: Number(u >> 32n) | 0, unsigned: true };
  w.uint64(longBits);
}

export function truncated(offset: number): DecodeError {
  return new DecodeError('protobuf message truncated', { offset });
}

/** Throws unless a known field arrived with the wire type its declaration implies. */
export function expectWireType(actual: number, expected: number, field: string, offset: number): void {
  if (actual !== expected) {
    throw new DecodeError(`protobuf field ${field} has wire type ${actual}, expected ${expected}`, { offset });
  }
}

/** Skips an unknown field, turning protobufjs' RangeError on truncation into our DecodeError. */
export function skipField(r: Reader, wireType: number): void {
  try {
    r.skipType(wireType);
  } catch (err) {
    throw new DecodeError(`cannot skip unknown protobuf field of wire type ${wireType}`, { offset: r.pos }, err);
  }
}

/** A length-delimited field as a view into the reader's buffer (no copy), bounds-checked against `end`. */
export function readBytes(r: Reader, end: number): Uint8Array {
  const start = r.pos;
  const len = r.uint32();
  const from = r.pos;
  if (from + len > end) throw truncated(start);
  r.pos = from + len;
  return r.buf.subarray(from, from + len);
}

/** Reads a length prefix and returns the end offset of the embedded message, checked against the enclosing end. */
export function readSubEnd(r: Reader, end: number): number {
  const start = r.pos;
  const len = r.uint32();
  const subEnd = r.pos + len;
  if (subEnd > end) throw truncated(start);
  return subEnd;
}

/** A reader over `bytes`, which may be a Buffer or a plain Uint8Array (views are not copied). */
export function readerFor(bytes: Uint8Array): Reader {
  return protobuf.Reader.create(bytes);
}

/** A fresh writer (protobufjs picks a Buffer-backed one under Node). */
export function newWriter(): Writer {
  return protobuf.Writer.create();
}

/**
 * A reader reused across calls of one hot decode function (decoding is synchronous, so a call never overlaps
 * another). Only index-based Reader methods may be used on it (uint32/int32/skipType plus our helpers), since its
 * buffer may be a Buffer or a plain Uint8Array. Saves one object per binlog.
 */
export class ReusableReader {
  private readonly reader = new protobuf.Reader(new Uint8Array(0));

  /** Points the shared reader at `bytes` from offset 0. */
  over(bytes: Uint8Array): Reader {
    const r = this.reader;
    r.buf = bytes;
    r.pos = 0;
    r.len = bytes.length;
    return r;
  }

  /** Drops the reference to the last buffer so it can be collected. */
  release(): void {
    this.reader.buf = EMPTY_BYTES;
    this.reader.len = 0;
    this.reader.pos = 0;
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/** Wraps a failure of a decode step in our DecodeError (protobufjs throws RangeError "index out of range"). */
export function decodeFailure(what: string, err: unknown): DecodeError {
  if (err instanceof DecodeError) return err;
  return new DecodeError(`cannot decode ${what}: ${err instanceof Error ? err.message : String(err)}`, {}, err);
}

/** Runs a decode step, converting protobufjs' RangeError ("index out of range") into our DecodeError. */
export function guardDecode<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(`cannot decode ${what}: ${err instanceof Error ? err.message : String(err)}`, {}, err);
  }
}
