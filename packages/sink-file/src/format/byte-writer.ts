import { crc32c } from './crc32c.js';
import { RECORD_HEADER_SIZE, RECORD_MAGIC } from './record-framing.js';

/** Strings shorter than this take the hand-copy path (their length varint is one byte). */
const SHORT_STRING = 128;
/** Largest length-prefixed field we nest (a protobuf varint of a 32-bit length takes at most 5 bytes). */
const MAX_LEN_VARINT = 5;

/**
 * A growable byte buffer with the protobuf and framing primitives the file sink needs. Length-delimited fields are
 * written content-first and the length varint is inserted afterwards (one memmove), so one buffer holds a whole
 * batch of framed records without per-message allocations.
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A copy of the written bytes. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  raw(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Unsigned varint of a non-negative safe integer. */
  uvarint(v: number): void {
    this.ensure(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** Unsigned varint of a 64-bit value (two's complement for negatives, as protobuf int64). */
  uvarint64(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    if (x <= 0x1fffffffffffffn) return this.uvarint(Number(x));
    this.ensure(10);
    while (x > 0x7fn) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
  }

  tag(field: number, wireType: number): void {
    this.byte((field << 3) | wireType);
  }

  /** Field of wire type 2 holding `bytes`. */
  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.uvarint(bytes.length);
    this.raw(bytes);
  }

  stringField(field: number, s: string): void {
    this.tag(field, 2);
    this.string(s);
  }

  /** Length-prefixed UTF-8 (protobuf string). */
  string(s: string): void {
    this.scaledLengthUtf8(s, 1);
  }

  /**
   * UTF-8 prefixed by its byte length times `scale` as a uvarint (scale 2 = TiDB's zig-zag compact-bytes length).
   * Short ASCII strings (most names and values) are copied by hand: Buffer.write's per-call overhead dominates
   * for them; the bound keeps their scaled length in one varint byte.
   */
  scaledLengthUtf8(s: string, scale: 1 | 2): void {
    const len = s.length;
    if (len < SHORT_STRING / scale) {
      this.ensure(len + 1);
      const buf = this.buf;
      let p = this.pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === len) {
        buf[this.pos] = len * scale;
        this.pos = p;
        return;
      }
    }
    const n = Buffer.byteLength(s);
    this.uvarint(n * scale);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /**
   * Starts a length-delimited field, reserving `guess` bytes for its length varint; returns the content start to
   * hand to `endLen` with the same guess. A right guess costs no copy; a wrong one moves the content once (the
   * varint must be minimal: Go writes it so, and the files are compared byte for byte).
   */
  beginLen(field: number, guess = 1): number {
    this.tag(field, 2);
    this.ensure(guess);
    this.pos += guess;
    return this.pos;
  }

  /** Ends a length-delimited field begun at `start`: writes its length varint before the content. */
  endLen(start: number, guess = 1): void {
    const n = this.pos - start;
    let size = 1;
    for (let v = n; v > 0x7f; v = Math.floor(v / 128)) size++;
    if (size !== guess) {
      this.ensure(MAX_LEN_VARINT);
      this.buf.copyWithin(start + size - guess, start, this.pos);
      this.pos += size - guess;
    }
    let v = n;
    let p = start - guess;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
  }

  /** Starts a framed record: magic and a length placeholder. Returns the payload start for `endRecord`. */
  beginRecord(): number {
    this.ensure(RECORD_HEADER_SIZE);
    this.buf.writeUInt32LE(RECORD_MAGIC, this.pos);
    this.pos += RECORD_HEADER_SIZE;
    return this.pos;
  }

  /** Patches the payload length and appends the CRC-32C of the payload. */
  endRecord(payloadStart: number): void {
    const n = this.pos - payloadStart;
    this.buf.writeUInt32LE(n >>> 0, payloadStart - 8);
    this.buf.writeUInt32LE(Math.floor(n / 0x1_0000_0000), payloadStart - 4);
    const crc = crc32c(this.buf, payloadStart, this.pos);
    this.ensure(4);
    this.buf.writeUInt32LE(crc, this.pos);
    this.pos += 4;
  }
}
