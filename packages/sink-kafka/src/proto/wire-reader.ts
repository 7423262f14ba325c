/** Raised for truncated or malformed protobuf bytes; the caller wraps it with where it happened. */
export class WireFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'WireFormatError';
  }
}

const UTF8 = new TextDecoder('utf-8');

/** A minimal protobuf wire-format reader: 64-bit varints come back as bigint. */
export class WireReader {
  pos: number;
  private readonly view: DataView;

  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new WireFormatError('truncated varint', this.pos);
      const b = this.buf[this.pos++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
      if (shift > 63n) throw new WireFormatError('varint too long', this.pos);
    }
  }

  /** A varint that must fit a safe integer (tags, lengths, enums, int32). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new WireFormatError('truncated varint', this.pos);
      const b = this.buf[this.pos++] ?? 0;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 0x80;
      if (mul > 2 ** 63) throw new WireFormatError('varint too long', this.pos);
    }
  }

  /** int32 as protobuf encodes it: negative values are 10-byte sign-extended varints. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint64()));
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new WireFormatError('truncated double', this.pos);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.end) throw new WireFormatError('truncated bytes', this.pos);
    // A plain Uint8Array view (not a Buffer slice): no copy, and equal to other Uint8Arrays in tests.
    const out = new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.pos, len);
    this.pos += len;
    return out;
  }

  string(): string {
    return UTF8.decode(this.bytes());
  }

  /** A reader over the next length-delimited field. */
  sub(): WireReader {
    const len = this.varint();
    if (this.pos + len > this.end) throw new WireFormatError('truncated message', this.pos);
    const r = new WireReader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint64();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2:
        this.pos += this.varint();
        return;
      case 5:
        this.pos += 4;
        return;
      default:
        throw new WireFormatError(`unsupported wire type ${wireType}`, this.pos);
    }
  }
}
