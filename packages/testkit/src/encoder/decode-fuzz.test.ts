/**
 * Fuzz: 100k random and mutated rows through the three row decoders. Whatever the bytes, the decoder either
 * returns a row or throws a DecodeError carrying table details — never another exception (RangeError, TypeError,
 * stack overflow…) and never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeDeleteRow, decodeInsertRow, decodeUpdateRow } from '@tidb-drainer/core/codec';
import type { TableInfo } from '@tidb-drainer/core/codec';
import { arbRow, arbTable } from './random-tables.js';
import { encodeDeleteRow, encodeInsertRow, encodeUpdateRow } from './row-encoder.js';
import { mulberry32 } from './mulberry32.js';

/** Deterministic so a failure reproduces from the printed seed. */
const rng = mulberry32;

const SEED = 20260524;
const ROWS = 100_000;

interface Sample {
  readonly table: TableInfo;
  readonly rows: readonly Uint8Array[];
}

function samples(): Sample[] {
  const cases = fc.sample(
    arbTable.chain((table) => fc.record({ table: fc.constant(table), a: arbRow(table), b: arbRow(table) })),
    { numRuns: 60, seed: SEED },
  );
  return cases.map(({ table, a, b }) => ({
    table,
    rows: [
      encodeInsertRow(table, a, { rowId: 7n }),
      encodeUpdateRow(table, a, b, { rowId: 7n }),
      encodeDeleteRow(table, b, { rowId: 7n }),
    ],
  }));
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const pick = r();
  if (pick < 0.15) {
    // Entirely random bytes, biased towards valid flag values so decoding gets past the first datum.
    const out = new Uint8Array(Math.floor(r() * 64));
    for (let i = 0; i < out.length; i++) out[i] = r() < 0.5 ? Math.floor(r() * 12) : Math.floor(r() * 256);
    return out;
  }
  if (pick < 0.35) return src.slice(0, Math.floor(r() * src.length));
  const out = src.slice();
  const flips = 1 + Math.floor(r() * 4);
  for (let k = 0; k < flips && out.length > 0; k++) {
    const at = Math.floor(r() * out.length);
    out[at] = r() < 0.5 ? out[at]! ^ (1 << Math.floor(r() * 8)) : Math.floor(r() * 256);
  }
  if (pick > 0.9) {
    const extra = Uint8Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256));
    const at = Math.floor(r() * (out.length + 1));
    return Uint8Array.from([...out.subarray(0, at), ...extra, ...out.subarray(at)]);
  }
  return out;
}

describe('row decoder fuzz', () => {
  it(`${ROWS} random and mutated rows: only DecodeError, always with table details`, () => {
    const r = rng(SEED);
    const pool = samples();
    const ctx = { commitTs: 99n };
    let errors = 0;
    // Most mutated rows fail: capturing full stacks for ~100k errors would dominate the run time.
    const stackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 1;
    try {
      for (let n = 0; n < ROWS; n++) {
        const s = pool[n % pool.length]!;
        const kind = Math.floor(r() * 3);
        const bytes = mutate(s.rows[kind]!, r);
        try {
          if (kind === 0) decodeInsertRow(s.table, bytes, ctx);
          else if (kind === 1) decodeUpdateRow(s.table, bytes, { ...ctx, appendDefaults: r() < 0.5 });
          else decodeDeleteRow(s.table, bytes, ctx);
        } catch (e) {
          if (!(e instanceof DecodeError)) {
            throw new Error(
              `row ${n} (${['insert', 'update', 'delete'][kind]}) bytes ${Buffer.from(bytes).toString('hex')}: ${String(e)}`,
              { cause: e },
            );
          }
          expect(e.details['commitTs']).toBe(99n);
          expect(e.details['table']).toBe(s.table.name);
          errors++;
        }
      }
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
    // Both outcomes must occur, or the mutations are not exercising the decoder.
    expect(errors).toBeGreaterThan(ROWS / 10);
    expect(errors).toBeLessThan(ROWS);
  }, 60_000);
});
