import { DatumFlag } from '@tidb-drainer/core/codec';
import type { DecimalValue, JsonNode } from '@tidb-drainer/core/codec';
import type { ByteWriter } from './byte-writer.js';
import { writeDecimalBin } from './decimal-encoder.js';
import { encodeJsonBinary } from './json-encoder.js';

/**
 * TiDB's datum codec, writing side (`codec.EncodeValue`, comparable = false, spec §4), one function per flag.
 * The key-only forms (0x01, 0x03, 0x04, 0x07) are here too: clustered-handle prefixes and robustness tests use them.
 */
export const writeDatum = {
  nil(w: ByteWriter): void {
    w.byte(DatumFlag.Nil);
  },
  /** 0x02: zig-zag varint length + raw bytes. */
  compactBytes(w: ByteWriter, bytes: Uint8Array): void {
    w.byte(DatumFlag.CompactBytes).varint(bytes.length).bytes(bytes);
  },
  /** 0x01: memcomparable groups of 8 bytes + marker (0xFF − pad count). */
  memcomparableBytes(w: ByteWriter, bytes: Uint8Array): void {
    w.byte(DatumFlag.Bytes);
    for (let i = 0; ; i += 8) {
      const left = bytes.length - i;
      for (let j = 0; j < 8; j++) w.byte(j < left ? bytes[i + j]! : 0);
      if (left >= 8) {
        w.byte(0xff);
        continue;
      }
      w.byte(0xff - (8 - left));
      return;
    }
  },
  /** 0x08: zig-zag varint int64. */
  int(w: ByteWriter, v: bigint): void {
    w.byte(DatumFlag.Varint).varint(v);
  },
  /** 0x09: uvarint uint64. */
  uint(w: ByteWriter, v: bigint): void {
    w.byte(DatumFlag.Uvarint).uvarint(v);
  },
  /** 0x03: comparable int64 (sign bit flipped, 8 bytes BE). */
  comparableInt(w: ByteWriter, v: bigint): void {
    w.byte(DatumFlag.Int).uint64BE(BigInt.asUintN(64, v) ^ 0x8000000000000000n);
  },
  /** 0x04: 8-byte BE uint64. */
  comparableUint(w: ByteWriter, v: bigint): void {
    w.byte(DatumFlag.Uint).uint64BE(v);
  },
  /** 0x07: TIME nanoseconds as a comparable int64 (only in clustered-handle prefixes). */
  duration(w: ByteWriter, nanos: bigint): void {
    w.byte(DatumFlag.Duration).uint64BE(BigInt.asUintN(64, nanos) ^ 0x8000000000000000n);
  },
  /** 0x05: v7.1 rule — `f >= 0` (also −0) sets the sign bit, negatives invert every bit. */
  float(w: ByteWriter, f: number): void {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, f);
    let u = dv.getBigUint64(0);
    u = f >= 0 ? u | 0x8000000000000000n : ~u & 0xffffffffffffffffn;
    w.byte(DatumFlag.Float).uint64BE(u);
  },
  /** 0x06: precision, frac, MyDecimal binary. */
  decimal(w: ByteWriter, d: Pick<DecimalValue, 'text'>, precision: number, frac: number): void {
    w.byte(DatumFlag.Decimal).byte(precision).byte(frac);
    writeDecimalBin(w, d.text, precision, frac);
  },
  /** 0x0a: type code + binary JSON. */
  json(w: ByteWriter, node: JsonNode): void {
    w.byte(DatumFlag.Json).bytes(encodeJsonBinary(node));
  },
  max(w: ByteWriter): void {
    w.byte(DatumFlag.Max);
  },
};
