import { DecodeError } from '../errors/drainer-error.js';

/**
 * A read position over a byte array, with the primitive readers of TiDB's datum codec. Every reader checks bounds
 * and throws `DecodeError` (with the byte `offset`) on truncated or malformed input; callers enrich the error with
 * commit ts / table / column. One cursor is reused for a whole row: no per-datum allocation besides the values.
 */
export class DatumCursor {
  buf: Uint8Array;
  pos: number;
  end: number;
  /** High / low 32 bits of the last {@link uvarintHiLo} read (unsigned). */
  hi = 0;
  lo = 0;

  constructor(buf: Uint8Array = EMPTY, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Point the cursor at new bytes (so a single cursor can serve many rows). */
  reset(buf: Uint8Array, pos = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string, offset = this.pos): never {
    throw new DecodeError(message, { offset });
  }

  need(n: number): void {
    if (this.end - this.pos < n) this.fail(`truncated datum: need ${n} bytes, ${this.end - this.pos} left`);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail('truncated datum: unexpected end of row');
    return this.buf[this.pos++]!;
  }

  /** Go uvarint as a JS number; only for values known to be < 2^53 (lengths, column ids); larger → DecodeError. */
  uvarintNumber(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    // 7 groups of 7 bits = 49 bits: always exact in a double.
    for (let i = 0; i < 7; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (b < 0x80) {
        this.pos = pos;
        return result + b * mul;
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
    }
    this.fail('varint too large for a length or column id');
  }

  /** Go zig-zag varint as a JS number (column ids, lengths); |value| must be < 2^48. */
  varintNumber(): number {
    const u = this.uvarintNumber();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Go `binary.Uvarint` as a uint64 bigint: at most 10 bytes, the 10th must be 0 or 1. */
  uvarint(): bigint {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (b < 0x80) {
        this.pos = pos;
        return BigInt(result + b * mul);
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
    }
    let big = BigInt(result);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (i === 9 && b > 1) this.fail('varint overflows 64 bits', pos - 1);
      if (b < 0x80) {
        this.pos = pos;
        return big | (BigInt(b) << shift);
      }
      big |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    }
    this.fail('varint overflows 64 bits', pos - 1);
  }

  /**
   * Go uvarint split into {@link hi} / {@link lo} (unsigned 32-bit halves) without bigint arithmetic: packed times
   * (9-byte uvarints) take this path for every DATE/DATETIME/TIMESTAMP value.
   */
  uvarintHiLo(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    // Three accumulators of 28, 28 and 8 bits keep every shift within 32-bit integer arithmetic.
    let a = 0;
    let b = 0;
    let c = 0;
    let i = 0;
    for (;;) {
      if (pos >= end) this.fail('truncated varint');
      const x = buf[pos++]!;
      const g = x & 0x7f;
      if (i < 4) a |= g << (7 * i);
      else if (i < 8) b |= g << (7 * (i - 4));
      else if (i === 8) c = g;
      else {
        if (x > 1) this.fail('varint overflows 64 bits', pos - 1);
        c |= x << 7;
      }
      i++;
      if (x < 0x80) break;
      if (i === 10) this.fail('varint overflows 64 bits', pos - 1);
    }
    this.pos = pos;
    this.lo = (a | ((b & 0xf) << 28)) >>> 0;
    this.hi = ((b >>> 4) | (c << 24)) >>> 0;
  }

  /** 8-byte big-endian split into {@link hi} / {@link lo}. */
  uint64HiLo(): void {
    this.need(8);
    const buf = this.buf;
    const p = this.pos;
    this.hi = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
    this.lo = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
    this.pos = p + 8;
  }

  /** Go `binary.Varint` (zig-zag) as an int64 bigint. */
  varint(): bigint {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (b < 0x80) {
        this.pos = pos;
        const u = result + b * mul;
        return BigInt(u % 2 === 0 ? u / 2 : -(u + 1) / 2);
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
    }
    const u = this.uvarint();
    return (u >> 1n) ^ -(u & 1n);
  }

  /** 8-byte big-endian uint64 (payload of flags 0x04). */
  uint64BE(): bigint {
    this.need(8);
    const buf = this.buf;
    const p = this.pos;
    const hi = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
    const lo = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
    this.pos = p + 8;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Comparable int64: 8-byte big-endian with the sign bit flipped (payload of flags 0x03 and 0x07). */
  comparableInt64(): bigint {
    return BigInt.asIntN(64, this.uint64BE() ^ SIGN_BIT);
  }

  /** Comparable float64 (flag 0x05): top bit set → clear it; else invert all bits. */
  float64(): number {
    this.need(8);
    const buf = this.buf;
    const p = this.pos;
    let hi = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
    let lo = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
    if (hi & 0x80000000) {
      hi &= 0x7fffffff;
    } else {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    }
    this.pos = p + 8;
    SCRATCH.setUint32(0, hi);
    SCRATCH.setUint32(4, lo);
    return SCRATCH.getFloat64(0);
  }

  /** Length of a compact-bytes payload (zig-zag varint); leaves the cursor on the first byte of the data. */
  compactLength(): number {
    const n = this.varintNumber();
    if (n < 0) this.fail(`negative compact bytes length ${n}`);
    this.need(n);
    return n;
  }

  /** Skips memcomparable bytes (flag 0x01): 9-byte groups until a marker other than 0xFF. */
  memcomparableBytes(): Uint8Array {
    const parts: number[] = [];
    for (;;) {
      this.need(9);
      const p = this.pos;
      const marker = this.buf[p + 8]!;
      const pad = 0xff - marker;
      if (pad > 8) this.fail('invalid memcomparable marker', p + 8);
      for (let i = 0; i < 8 - pad; i++) parts.push(this.buf[p + i]!);
      this.pos = p + 9;
      if (pad !== 0) return Uint8Array.from(parts);
    }
  }
}

const EMPTY = new Uint8Array(0);
const SIGN_BIT = 0x8000000000000000n;
const SCRATCH = new DataView(new ArrayBuffer(8));
