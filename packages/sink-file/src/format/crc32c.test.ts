import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  it('matches the standard check value and the RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('slicing-by-8 agrees with a bitwise reference on every length and alignment', () => {
    const bitwise = (b: Uint8Array): number => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return ~c >>> 0;
    };
    const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 131 + 7) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 7) {
        expect(crc32c(data, start, end)).toBe(bitwise(data.subarray(start, end)));
      }
    }
  });

  it('continues a running checksum', () => {
    const a = Buffer.from('hello, ');
    const b = Buffer.from('world');
    expect(crc32c(b, 0, b.length, crc32c(a))).toBe(crc32c(Buffer.concat([a, b])));
  });
});
