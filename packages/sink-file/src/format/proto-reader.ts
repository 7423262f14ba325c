import { DrainerError, ErrorCode } from '@tidb-drainer/core/sdk';

/** A payload that is not a valid protobuf message (offset is inside the payload). */
export class ProtoDecodeError extends DrainerError {
  constructor(message: string, offset: number) {
    super(ErrorCode.Decode, message, { details: { offset } });
  }
}

/** Minimal protobuf wire reader over one message (or a sub-message view). */
export class ProtoReader {
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string): never {
    throw new ProtoDecodeError(`pb_binlog: ${message} at payload offset ${this.pos}`, this.pos);
  }

  tag(): [number, number] {
    const t = this.uint32();
    return [t >>> 3, t & 7];
  }

  uint32(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      if (i < 5) result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) return result >>> 0 === result ? result : result % 0x1_0000_0000;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** int64 varint (two's complement). */
  int64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, result);
    }
    return this.fail('varint longer than 10 bytes');
  }

  private length(): number {
    const n = this.uint32();
    if (n > this.end - this.pos) this.fail(`length ${n} beyond the message end`);
    return n;
  }

  bytes(): Uint8Array {
    const n = this.length();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const b = this.bytes();
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  }

  /** A reader over the next length-delimited field. */
  sub(): ProtoReader {
    const n = this.length();
    const r = new ProtoReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.int64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos += this.length();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        this.fail(`unsupported wire type ${wire}`);
    }
    if (this.pos > this.end) this.fail('truncated field');
  }
}
