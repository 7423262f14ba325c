/** A growable byte buffer for building datums and rows in tests and the simulator. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initial = 64) {
    this.buf = new Uint8Array(initial);
  }

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Go `binary.PutUvarint` of a uint64. */
  uvarint(v: bigint | number): this {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    return this.byte(Number(x));
  }

  /** Go `binary.PutVarint` (zig-zag) of an int64. */
  varint(v: bigint | number): this {
    const x = BigInt.asIntN(64, BigInt(v));
    return this.uvarint(BigInt.asUintN(64, (x << 1n) ^ (x >> 63n)));
  }

  /** 8-byte big-endian of a uint64. */
  uint64BE(v: bigint): this {
    const x = BigInt.asUintN(64, v);
    for (let shift = 56n; shift >= 0n; shift -= 8n) this.byte(Number((x >> shift) & 0xffn));
    return this;
  }

  /** 4-byte / 2-byte little-endian (binary JSON). */
  u32LE(v: number): this {
    return this.byte(v)
      .byte(v >>> 8)
      .byte(v >>> 16)
      .byte(v >>> 24);
  }

  u16LE(v: number): this {
    return this.byte(v).byte(v >>> 8);
  }

  /** Overwrites 4 bytes little-endian at `at` (sizes filled in after the fact). */
  patchU32LE(at: number, v: number): this {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
    this.buf[at + 2] = (v >>> 16) & 0xff;
    this.buf[at + 3] = (v >>> 24) & 0xff;
    return this;
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
