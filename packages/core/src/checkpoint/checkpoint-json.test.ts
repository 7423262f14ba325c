import { describe, expect, it } from 'vitest';
import { decodeCheckpointJson, encodeCheckpointJson } from './checkpoint-json.js';
import { resolveStartCheckpoint } from './initial-commit-ts.js';

describe('checkPoint JSON (tidb_binlog.checkpoint)', () => {
  it('encodes in the Go key order with exact 64-bit integers', () => {
    expect(encodeCheckpointJson({ commitTs: 434271871498256385n, schemaVersion: 12, consistent: false })).toBe(
      '{"consistent":false,"commitTS":434271871498256385,"ts-map":{},"schema-version":12}',
    );
    expect(encodeCheckpointJson({ commitTs: 9n, schemaVersion: 1, consistent: true, tsMap: { 'secondary-ts': 7n, 'primary-ts': 9n } })).toBe(
      '{"consistent":true,"commitTS":9,"ts-map":{"primary-ts":9,"secondary-ts":7},"schema-version":1}',
    );
  });

  it('decodes what the Go drainer writes, including a nil ts-map and TSOs beyond 2^53', () => {
    expect(decodeCheckpointJson('{"consistent":false,"commitTS":434271871498256385,"ts-map":null,"schema-version":3}')).toEqual({
      commitTs: 434271871498256385n,
      schemaVersion: 3,
      consistent: false,
      tsMap: {},
    });
    const withMap = decodeCheckpointJson('{"consistent":true,"commitTS":10,"ts-map":{"primary-ts":434271871498256385,"secondary-ts":434271871498256390},"schema-version":0}');
    expect(withMap.tsMap).toEqual({ 'primary-ts': 434271871498256385n, 'secondary-ts': 434271871498256390n });
    expect(() => decodeCheckpointJson('{"commitTS":"x"}')).toThrow(TypeError);
  });
});

describe('initial-commit-ts (spec §7.4)', () => {
  const now = (): Promise<bigint> => Promise.resolve(999n);
  it('a stored checkpoint wins; none or 0 → initial-commit-ts; -1 → the current TSO', async () => {
    const stored = { commitTs: 50n, schemaVersion: 2, consistent: false };
    expect(await resolveStartCheckpoint(stored, 7n, now)).toEqual({ checkpoint: stored, fromStore: true });
    expect((await resolveStartCheckpoint(undefined, 7n, now)).checkpoint.commitTs).toBe(7n);
    expect((await resolveStartCheckpoint({ ...stored, commitTs: 0n }, 7n, now)).checkpoint).toMatchObject({ commitTs: 7n, schemaVersion: 2 });
    expect((await resolveStartCheckpoint(undefined, -1n, now)).checkpoint.commitTs).toBe(999n);
    await expect(resolveStartCheckpoint(undefined, -2n, now)).rejects.toThrow(RangeError);
  });
});
