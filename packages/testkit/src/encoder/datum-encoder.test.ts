/** Every flag of the datum codec: the testkit writer and the core reader agree (TiDB `EncodeValue` / `DecodeOne`). */
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeDatum } from '@tidb-drainer/core/codec';
import { ByteWriter } from './byte-writer.js';
import { writeDatum } from './datum-encoder.js';

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const bytes = (f: (w: ByteWriter) => void): Uint8Array => {
  const w = new ByteWriter(2);
  f(w);
  return w.finish();
};

describe('datum flags', () => {
  it('nil and max', () => {
    expect(decodeDatum(bytes((w) => writeDatum.nil(w)))).toEqual({ flag: 'nil' });
    expect(toHex(bytes((w) => writeDatum.max(w)))).toBe('fa');
    expect(decodeDatum(Uint8Array.of(0xfa))).toEqual({ flag: 'max' });
  });

  it('memcomparable bytes (0x01): 8-byte groups with a 0xFF − pad marker; empty → 00×8 f7 (spec §4.4)', () => {
    expect(toHex(bytes((w) => writeDatum.memcomparableBytes(w, new Uint8Array(0))))).toBe(
      '01 00 00 00 00 00 00 00 00 f7',
    );
    for (const n of [0, 1, 7, 8, 9, 16, 17]) {
      const data = Uint8Array.from({ length: n }, (_, i) => i + 1);
      expect(decodeDatum(bytes((w) => writeDatum.memcomparableBytes(w, data)))).toEqual({ flag: 'bytes', value: data });
    }
  });

  it('compact bytes (0x02), including a 64-byte length (zig-zag 128 → 80 01)', () => {
    const data = new Uint8Array(64).fill(0x61);
    const b = bytes((w) => writeDatum.compactBytes(w, data));
    expect(toHex(b.subarray(0, 3))).toBe('02 80 01');
    expect(decodeDatum(b)).toEqual({ flag: 'bytes', value: data });
  });

  it('comparable int (0x03) / uint (0x04) / duration (0x07): 8 bytes big-endian', () => {
    expect(toHex(bytes((w) => writeDatum.comparableInt(w, 0n)))).toBe('03 80 00 00 00 00 00 00 00');
    expect(toHex(bytes((w) => writeDatum.comparableInt(w, -1n)))).toBe('03 7f ff ff ff ff ff ff ff');
    for (const v of [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]) {
      expect(decodeDatum(bytes((w) => writeDatum.comparableInt(w, v)))).toEqual({ flag: 'int', value: v });
      expect(decodeDatum(bytes((w) => writeDatum.duration(w, v)))).toEqual({ flag: 'duration', value: v });
    }
    expect(decodeDatum(bytes((w) => writeDatum.comparableUint(w, 2n ** 64n - 1n)))).toEqual({
      flag: 'uint',
      value: 2n ** 64n - 1n,
    });
  });

  it('float (0x05), decimal (0x06), varint (0x08), uvarint (0x09), json (0x0a)', () => {
    for (const f of [0, 1.5, -1.5, Number.MAX_VALUE, -Number.MIN_VALUE, Infinity, -Infinity]) {
      expect(decodeDatum(bytes((w) => writeDatum.float(w, f)))).toEqual({ flag: 'float', value: f });
    }
    const d65 = '9'.repeat(35) + '.' + '9'.repeat(30);
    expect(decodeDatum(bytes((w) => writeDatum.decimal(w, { text: '-' + d65 }, 65, 30)))).toEqual({
      flag: 'decimal',
      value: { kind: 'decimal', text: '-' + d65, precision: 65, scale: 30 },
    });
    for (const v of [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 123456789012345n]) {
      expect(decodeDatum(bytes((w) => writeDatum.int(w, v)))).toEqual({ flag: 'int', value: v });
    }
    for (const v of [0n, 127n, 128n, 2n ** 49n - 1n, 2n ** 49n, 2n ** 64n - 1n]) {
      expect(decodeDatum(bytes((w) => writeDatum.uint(w, v)))).toEqual({ flag: 'uint', value: v });
    }
    expect(decodeDatum(bytes((w) => writeDatum.json(w, { a: [1n, 'x'] })))).toEqual({
      flag: 'json',
      value: { kind: 'json', value: { a: [1n, 'x'] }, text: '{"a": [1, "x"]}' },
    });
  });

  it('decimal rounding at the column scale happens in the writer, like TiDB at insert', () => {
    expect(decodeDatum(bytes((w) => writeDatum.decimal(w, { text: '1.005' }, 10, 2)))).toMatchObject({
      value: { text: '1.01' },
    });
    expect(decodeDatum(bytes((w) => writeDatum.decimal(w, { text: '-0.004' }, 10, 2)))).toMatchObject({
      value: { text: '0.00' },
    });
    expect(() => bytes((w) => writeDatum.decimal(w, { text: '99.995' }, 4, 2))).toThrow(RangeError);
  });

  it('unknown flags, truncation and trailing bytes are DecodeErrors with the offset', () => {
    for (const bad of [[0x0b], [0x14, 0x00], [0x08], [0x05, 0x80], [0x02, 0x06, 0x61], [0x06, 0x0a], [0x01, 0, 0, 0]]) {
      expect(() => decodeDatum(Uint8Array.from(bad))).toThrow(DecodeError);
    }
    try {
      decodeDatum(Uint8Array.of(0x08, 0x02, 0x00));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).details['offset']).toBe(2);
    }
  });
});
