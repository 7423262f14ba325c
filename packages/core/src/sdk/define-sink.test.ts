import { describe, expect, it } from 'vitest';
import { createNullSink } from '../sinks/null-sink.js';
import { testTxn } from '../runner/runner-test-kit.js';
import { defineSink, isSinkDefinition } from './define-sink.js';
import { z } from 'zod';
import { buildTxnBatch } from './txn-batch.js';
import { createSinkContext } from './sink-context.js';

describe('defineSink', () => {
  it('validates the type name and every created sink\'s capabilities', () => {
    expect(() => defineSink({ type: 'Bad Name', description: '', configSchema: z.object({}), create: () => createNullSink() })).toThrow(TypeError);
    const bad = defineSink({
      type: 'bad',
      description: '',
      configSchema: z.object({}),
      create: () => ({ ...createNullSink(), capabilities: { maxInFlight: 0, supportsDdl: true, defaultBatch: { maxTxns: 1, maxBytes: 1, maxDelayMs: 0 } } }),
    });
    expect(isSinkDefinition(bad)).toBe(true);
    const env = { dbType: 'bad', workerCount: 1, txnBatch: 1, safeMode: false, timezone: 'UTC' };
    expect(() => bad.create({}, env)).toThrow(/maxInFlight/);
    const owns = defineSink({
      type: 'owns',
      description: '',
      configSchema: z.object({}),
      create: () => ({ ...createNullSink(), capabilities: { ...createNullSink().capabilities, ownsCheckpoint: true } }),
    });
    expect(() => owns.create({}, env)).toThrow(/loadCheckpoint/);
  });
});

describe('buildTxnBatch / createSinkContext', () => {
  it('sums bytes and rows and rejects empty or unordered input', () => {
    const b = buildTxnBatch(7, [testTxn(10n, 2, 50), testTxn(11n, 3, 70)]);
    expect(b).toMatchObject({ seq: 7, firstCommitTs: 10n, lastCommitTs: 11n, bytes: 120, rows: 5 });
    expect(b.checkpoint).toBeUndefined();
    expect(() => buildTxnBatch(1, [])).toThrow(RangeError);
    expect(() => buildTxnBatch(1, [testTxn(11n), testTxn(10n)])).toThrow(RangeError);
  });

  it('gives a quiet context whose resume point defaults to the checkpoint', () => {
    const ctx = createSinkContext({ checkpoint: 42n });
    expect(ctx.resume).toEqual({ checkpoint: 42n, replaySafeUntil: 42n });
    expect(ctx.signal.aborted).toBe(false);
  });
});
