import { describe, expect, it } from 'vitest';
import { parseJsonLossless, stringifyJsonLossless } from './lossless-json.js';

describe('lossless JSON', () => {
  it('keeps TSOs above 2^53 exact in both directions', () => {
    const text = '{"nodeId":"p1","maxCommitTS":434271871498256385,"port":8250}';
    const v = parseJsonLossless(text) as Record<string, unknown>;
    expect(v['maxCommitTS']).toBe(434271871498256385n);
    expect(v['port']).toBe(8250);
    expect(stringifyJsonLossless(v)).toBe(text);
  });
});
