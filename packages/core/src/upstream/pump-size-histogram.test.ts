import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { PumpSizeHistogram } from './pump-size-histogram.js';

describe('PumpSizeHistogram', () => {
  it('exposes exactly what a prom-client Histogram fed the same values exposes', async () => {
    const buckets = [16, 32, 64, 128];
    const fastReg = new Registry();
    const refReg = new Registry();
    const fast = new PumpSizeHistogram({ name: 'sz', help: 'size', buckets, registers: [fastReg] });
    const ref = new Histogram({ name: 'sz', help: 'size', labelNames: ['nodeID'], buckets, registers: [refReg] });
    const values: [string, number][] = [['p1', 1], ['p1', 16], ['p1', 17], ['p2', 128], ['p2', 129], ['p1', 64], ['p2', 0], ['p1', 5000]];
    const recorders = new Map<string, (v: number) => void>();
    for (const [pump, v] of values) {
      if (!recorders.has(pump)) recorders.set(pump, fast.recorder(pump));
      recorders.get(pump)!(v);
      ref.labels({ nodeID: pump }).observe(v);
    }
    expect(await fastReg.metrics()).toBe(await refReg.metrics());
    expect(await fastReg.getMetricsAsJSON()).toEqual(await refReg.getMetricsAsJSON());
    fast.forget('p2');
    expect(await fastReg.metrics()).not.toContain('nodeID="p2"');
    fast.reset();
    expect(await fastReg.metrics()).not.toContain('nodeID="p1"');
  });
});
