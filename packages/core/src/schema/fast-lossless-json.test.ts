import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless, stringifyJsonLossless } from '../util/lossless-json.js';
import { parseJsonFast } from './fast-lossless-json.js';

describe('parseJsonFast', () => {
  it.each([
    '{"FinishedTS": 434271871498256385, "id": 9007199254740991, "neg": -9223372036854775808}',
    '[1234567890123456, 12345678901234567, 1.2345678901234567e+300, 123456789012345678.5, -0.5, 1E20]',
    '{"query": "select 12345678901234567890 from t where s = \\"9999999999999999999\\" and x = \'\\\\\'", "n": 18446744073709551615}',
    '{"a": "\\\\", "b": 18446744073709551616, "c": [[], {}, null, true, false, ""]}',
    '  [ -12345678901234567 ,\n\t77777777777777777777 ]  ',
    '"just a string 12345678901234567890"',
    '12345678901234567890',
  ])('agrees with parseJsonLossless on %s', (text) => {
    expect(parseJsonFast(text)).toEqual(parseJsonLossless(text));
  });

  it('agrees with parseJsonLossless on random JSON with int64s inside and outside strings', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n });
    const leaf = fc.oneof(
      int64,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      int64.map((b) => `q"\\${b}`),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const text = stringifyJsonLossless(v);
        expect(parseJsonFast(text)).toEqual(parseJsonLossless(text));
      }),
      { numRuns: 500 },
    );
  });

  it('throws on malformed JSON like JSON.parse', () => {
    expect(() => parseJsonFast('{"a": 12345678901234567890')).toThrow(SyntaxError);
    expect(() => parseJsonFast('{"a": "open')).toThrow(SyntaxError);
  });
});
