import { GrowableBytes } from '../format/growable-bytes.js';

const TEXT = new TextEncoder();

/**
 * A minimal protobuf wire-format writer: varints from number or bigint (int64/uint64 without precision loss),
 * length-delimited fields with nested messages built by `fork()` / `join()`. Fields are written in the order
 * the caller writes them, which is how gogoproto marshals: by field number.
 */
export class WireWriter extends GrowableBytes {
  private readonly forks: number[] = [];

  /** Unsigned varint of a number below 2^53. */
  varint(n: number): this {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  /** Varint of a 64-bit value; negative values are written as their two's complement (10 bytes), as int64 is. */
  varint64(v: bigint): this {
    // Most values (ids, small counters) fit a double exactly: skip BigInt arithmetic for them.
    if (v >= 0n && v <= 0x1fffffffffffffn) return this.varint(Number(v));
    this.bigUvarint(BigInt.asUintN(64, v));
    return this;
  }

  tag(field: number, wireType: 0 | 1 | 2 | 5): this {
    return this.varint(field * 8 + wireType);
  }

  bool(field: number, v: boolean): this {
    return this.tag(field, 0).varint(v ? 1 : 0);
  }

  /** int32 field: negative values take 10 bytes (sign-extended), as in protobuf. */
  int32(field: number, v: number): this {
    this.tag(field, 0);
    return v < 0 ? this.varint64(BigInt(v)) : this.varint(v);
  }

  int64(field: number, v: bigint): this {
    return this.tag(field, 0).varint64(v);
  }

  double(field: number, v: number): this {
    this.tag(field, 1);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  bytes(field: number, v: Uint8Array): this {
    this.tag(field, 2).varint(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }

  string(field: number, v: string): this {
    this.tag(field, 2);
    if (v.length * 3 < 0x80) {
      // At most 127 UTF-8 bytes: a one-byte length, then encode in place.
      this.ensure(1 + v.length * 3);
      const at = this.pos++;
      const { written } = TEXT.encodeInto(v, this.buf.subarray(this.pos));
      this.buf[at] = written;
      this.pos += written;
      return this;
    }
    const bytes = Buffer.byteLength(v, 'utf8');
    this.varint(bytes);
    this.ensure(bytes);
    this.pos += TEXT.encodeInto(v, this.buf.subarray(this.pos)).written;
    return this;
  }

  /** Starts a nested message for `field`; close it with `join()`. */
  fork(field: number): this {
    this.tag(field, 2);
    // Reserve one length byte: most nested messages are shorter than 128 bytes and need no move on join.
    this.ensure(1);
    this.pos++;
    this.forks.push(this.pos);
    return this;
  }

  /** Ends the innermost `fork()`: inserts the length prefix before the nested bytes. */
  join(): this {
    const start = this.forks.pop();
    if (start === undefined) throw new Error('WireWriter.join without fork');
    const len = this.pos - start;
    if (len < 0x80) {
      this.buf[start - 1] = len;
      return this;
    }
    let lenBytes = 1;
    for (let n = len; n >= 0x80; n = Math.floor(n / 0x80)) lenBytes++;
    const extra = lenBytes - 1;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, this.pos);
    let p = start - 1;
    let n = len;
    while (n >= 0x80) {
      this.buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[p] = n;
    this.pos += extra;
    return this;
  }

  finish(): Buffer {
    if (this.forks.length > 0) throw new Error('WireWriter.finish with an open fork');
    return this.written();
  }
}
