import { defineSink, z } from '../sdk/index.js';
import type { Sink } from '../sdk/index.js';

/**
 * `null`: acknowledges everything at once and keeps nothing — measures the drainer without a downstream.
 * `maxInFlight` 4 so the benchmark exercises the runner's concurrent path; batches of 1024 txns / 16 MiB.
 */
export function createNullSink(): Sink & { readonly counts: { batches: number; rows: number; ddl: number } } {
  const counts = { batches: 0, rows: 0, ddl: 0 };
  return {
    counts,
    capabilities: { maxInFlight: 4, supportsDdl: true, defaultBatch: { maxTxns: 1024, maxBytes: 16 << 20, maxDelayMs: 5 } },
    async open() {},
    async write(batch) {
      counts.batches += 1;
      counts.rows += batch.rows;
    },
    async writeDdl() {
      counts.ddl += 1;
    },
    async close() {},
  };
}

export const nullSink = defineSink({
  type: 'null',
  aliases: ['blackhole'],
  description: 'Discards everything (benchmarks)',
  configSchema: z.strictObject({}),
  create: () => createNullSink(),
});
