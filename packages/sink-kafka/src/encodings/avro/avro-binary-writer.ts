import { GrowableBytes } from '../../format/growable-bytes.js';

const TEXT = new TextEncoder();

/** Avro binary encoding (spec 1.x): zig-zag varints, little-endian floats, length-prefixed bytes/strings. */
export class AvroBinaryWriter extends GrowableBytes {
  raw(bytes: ArrayLike<number>): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Confluent framing: magic byte 0 and the schema id as big-endian int32. */
  confluentHeader(schemaId: number): this {
    this.ensure(5);
    this.buf[this.pos] = 0;
    this.view.setInt32(this.pos + 1, schemaId, false);
    this.pos += 5;
    return this;
  }

  /** int or long, zig-zag encoded; bigint keeps all 64 bits. */
  long(v: bigint | number): this {
    // Small bigints (ids, ages…) take the number path: BigInt arithmetic costs far more than the varint itself.
    if (typeof v === 'bigint' && v > -0x40000000n && v < 0x40000000n) v = Number(v);
    let n = typeof v === 'bigint' ? BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)) : undefined;
    this.ensure(10);
    if (n === undefined) {
      const x = v as number;
      if (Number.isSafeInteger(x) && Math.abs(x) < 2 ** 30) {
        let z = (x << 1) ^ (x >> 31);
        z >>>= 0;
        while (z >= 0x80) {
          this.buf[this.pos++] = (z & 0x7f) | 0x80;
          z >>>= 7;
        }
        this.buf[this.pos++] = z;
        return this;
      }
      const b = BigInt(x);
      n = BigInt.asUintN(64, (b << 1n) ^ (b >> 63n));
    }
    this.bigUvarint(n);
    return this;
  }

  float(v: number): this {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  double(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  boolean(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  bytes(v: Uint8Array): this {
    this.long(v.length);
    return this.raw(v);
  }

  string(v: string): this {
    return this.bytes(TEXT.encode(v));
  }

  /** Empties the writer, keeping its buffer, so one writer can serve many records. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** The bytes written, copied into a Buffer of their own (the writer can then be reused). */
  finishCopy(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  finish(): Buffer {
    return this.written();
  }
}

/** An integer as minimal big-endian two's complement (Avro decimal): 0 → 00, 1250 → 04 E2, 128 → 00 80, −1 → FF. */
export function twosComplementBytes(v: bigint): Uint8Array {
  const out: number[] = [];
  let x = v;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, x));
    out.unshift(byte);
    x >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((x === 0n && !signBit) || (x === -1n && signBit)) break;
  }
  return Uint8Array.from(out);
}

/** Unsigned value as minimal big-endian bytes, at least one (TiCDC's BIT encoding): 0 → 00, 0x1234 → 12 34. */
export function unsignedBytes(v: bigint): Uint8Array {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (x > 0n);
  return Uint8Array.from(out);
}
