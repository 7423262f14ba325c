import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import type { Checkpoint, Sink } from '../sdk/sink.js';
import { CheckpointSaver } from './checkpoint-saver.js';
import type { ProgressTracker } from './progress-tracker.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import type { RunnerMetrics } from './runner-metrics.js';
import type { WriteWindow } from './write-window.js';

describe('CheckpointSaver.loop', () => {
  // Regression: a stop that arrived while a periodic save was in flight was missed (the next wait listened on an
  // already-aborted signal), so the loop saved every interval forever and Runner.run never returned.
  it('ends when stop aborts during a save', async () => {
    let release: () => void = () => undefined;
    let saves = 0;
    const store = {
      location: 'test',
      load: () => Promise.resolve(undefined),
      save: (_cp: Checkpoint) => {
        saves++;
        return new Promise<void>((r) => (release = r));
      },
      close: () => Promise.resolve(),
    } as unknown as CheckpointStore;
    let ts = 1n;
    const saver = new CheckpointSaver({
      sink: {} as Sink,
      store,
      owns: false,
      tracker: () => ({ checkpointTs: ts++, schemaVersion: 1 }) as unknown as ProgressTracker,
      window: {} as WriteWindow,
      retry: DEFAULT_RETRY_POLICY,
      metrics: { checkpointTso: { set: () => undefined }, checkpointSaves: { inc: () => undefined } } as unknown as RunnerMetrics,
      log: pino({ level: 'silent' }),
      onRetry: () => undefined,
    });
    const stop = new AbortController();
    const failures: unknown[] = [];
    let ended = false;
    const loop = saver.loop(5, stop.signal, new AbortController().signal, () => false, (e) => failures.push(e)).then(() => (ended = true));
    while (saves === 0) await new Promise((r) => setTimeout(r, 1));
    stop.abort();
    release();
    // Several intervals later the loop must have ended without another save.
    await new Promise((r) => setTimeout(r, 50));
    expect(ended).toBe(true);
    expect(saves).toBe(1);
    expect(failures).toEqual([]);
    await loop;
  });
});
