import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/drainer-error.js';
import { DatumCursor } from './datum-cursor.js';
import { readJson } from './json-binary.js';
import { parseJsonText } from './json-parse.js';

const json = (bytes: number[]): ReturnType<typeof readJson> => {
  const cur = new DatumCursor(Uint8Array.from(bytes));
  const v = readJson(cur);
  expect(cur.remaining).toBe(0);
  return v;
};
const le64 = (v: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

/** In-memory CoreTime (spec §6.2): year 63..50, month 49..46, day 45..41, hour 40..36, minute 35..30, second 29..24, µs 23..4. */
function coreTime(y: number, mo: number, d: number, h: number, mi: number, s: number, us: number): bigint {
  return (
    (BigInt(y) << 50n) |
    (BigInt(mo) << 46n) |
    (BigInt(d) << 41n) |
    (BigInt(h) << 36n) |
    (BigInt(mi) << 30n) |
    (BigInt(s) << 24n) |
    (BigInt(us) << 4n)
  );
}

describe('binary JSON scalars TiDB produces from CASTs (type codes 0x0d–0x11)', () => {
  it('datetime / timestamp print with 6 fraction digits, date without time', () => {
    const t = coreTime(2023, 5, 17, 12, 34, 56, 789);
    expect(json([0x0f, ...le64(t)])).toEqual({
      kind: 'json',
      value: '2023-05-17 12:34:56.000789',
      text: '"2023-05-17 12:34:56.000789"',
    });
    expect(json([0x10, ...le64(t)]).text).toBe('"2023-05-17 12:34:56.000789"');
    expect(json([0x0e, ...le64(coreTime(2023, 5, 17, 0, 0, 0, 0))]).text).toBe('"2023-05-17"');
  });

  it('time: int64 ns + uint32 fsp', () => {
    const ns = -(12n * 3600n + 34n * 60n + 56n) * 1_000_000_000n - 500_000_000n;
    expect(json([0x11, ...le64(BigInt.asUintN(64, ns)), 1, 0, 0, 0]).text).toBe('"-12:34:56.5"');
  });

  it('opaque: "base64:type<code>:<data>"', () => {
    expect(json([0x0d, 0xfc, 0x03, 0x61, 0x62, 0x63]).text).toBe('"base64:type252:YWJj"');
  });

  it('literals, escapes and invalid UTF-8 print like TiDB', () => {
    expect(json([0x04, 0x01]).value).toBe(true);
    expect(json([0x0c, 0x04, 0x22, 0x0a, 0x01, 0x3c]).text).toBe('"\\"\\n\\u0001<"');
    expect(json([0x0c, 0x02, 0xff, 0x61]).text).toBe('"\\ufffda"');
    expect(json([0x0b, ...le64(0x8000000000000000n)]).text).toBe('-0');
  });

  it('corrupt containers fail with DecodeError, not a crash or a hang', () => {
    // An array whose entries point back at itself: would recurse forever without the bounds and node budget.
    const selfRef = [0x03, 2, 0, 0, 0, 18, 0, 0, 0, 0x03, 0, 0, 0, 0, 0x03, 0, 0, 0, 0];
    expect(() => json(selfRef)).toThrow(DecodeError);
    expect(() => json([0x03, 1, 0, 0, 0, 0xff, 0, 0, 0])).toThrow(DecodeError);
    expect(() => json([0x04, 0x07])).toThrow(DecodeError);
    expect(() => json([0x02])).toThrow(DecodeError);
  });

  it('deep nesting beyond TiDB’s limit is rejected by the text parser', () => {
    expect(() => parseJsonText('['.repeat(101) + ']'.repeat(101))).toThrow(DecodeError);
    expect(parseJsonText('['.repeat(50) + ']'.repeat(50)).text).toBe('['.repeat(50) + ']'.repeat(50));
  });
});
