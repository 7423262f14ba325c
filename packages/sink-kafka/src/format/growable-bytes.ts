/** First buffer size: most encoded messages (one row) fit without growing. */
const INITIAL_CAPACITY = 256;

/**
 * The growable output buffer the Avro and protobuf writers build on: capacity doubles as needed and the finished
 * bytes are handed out without a copy. Subclasses write at `pos` after `ensure(n)`.
 */
export abstract class GrowableBytes {
  protected buf: Uint8Array = new Uint8Array(INITIAL_CAPACITY);
  protected view = new DataView(this.buf.buffer);
  protected pos = 0;

  protected ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned varint of a 64-bit value held as a bigint (the slow path: callers send small values as numbers). */
  protected bigUvarint(n: bigint): void {
    this.ensure(10);
    while (n >= 0x80n) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  /** The bytes written, sharing the writer's buffer (valid until the writer is written to again). */
  protected written(): Buffer {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.pos);
  }
}
