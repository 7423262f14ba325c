import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './progress-tracker.js';

describe('ProgressTracker', () => {
  it('advances only over the contiguous acknowledged prefix when acks come out of order', () => {
    const t = new ProgressTracker(100n, 1);
    const a = t.add(110n, 1);
    const b = t.add(120n, 2);
    const c = t.add(130n, 2);
    t.ack(c);
    expect(t.checkpointTs).toBe(100n);
    t.ack(b);
    expect(t.checkpointTs).toBe(100n);
    t.ack(a);
    expect(t.checkpointTs).toBe(130n);
    expect(t.schemaVersion).toBe(2);
    expect(t.pending).toBe(0);
  });

  it('a gap (an item never acknowledged) holds the checkpoint before it forever', () => {
    const t = new ProgressTracker(0n);
    const ids = [10n, 20n, 30n, 40n].map((ts) => t.add(ts, 0));
    t.ack(ids[0] as number);
    t.ack(ids[2] as number);
    t.ack(ids[3] as number);
    expect(t.checkpointTs).toBe(10n);
    expect(t.pending).toBe(3);
  });

  it('resolved watermarks advance when idle and wait behind unacknowledged items', () => {
    const t = new ProgressTracker(5n);
    t.addResolved(9n);
    expect(t.checkpointTs).toBe(9n);
    const id = t.add(12n, 0);
    t.addResolved(20n);
    expect(t.checkpointTs).toBe(9n);
    t.ack(id);
    expect(t.checkpointTs).toBe(20n);
    t.addResolved(15n); // stale: ignored
    expect(t.checkpointTs).toBe(20n);
  });

  it('rejects items registered out of commit-ts order and unknown acks', () => {
    const t = new ProgressTracker(50n);
    expect(() => t.add(40n, 0)).toThrow(RangeError);
    const id = t.add(60n, 0);
    t.ack(id);
    expect(() => t.ack(id)).toThrow(RangeError);
  });
});
