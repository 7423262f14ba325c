import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import type { MergedItem } from './merged-item.js';
import { type MergeSource, Signal } from './merge-source.js';
import { Merger } from './merger.js';
import { upstreamMetrics } from './upstream-metrics.js';

/** An in-memory source fed by the test. */
class FedSource implements MergeSource {
  private readonly items: MergedItem[] = [];
  private readonly signal = new Signal();
  failure: Error | undefined;
  constructor(readonly nodeId: string) {}
  feed(commitTs: bigint, fake = false): void {
    this.items.push(fake ? { kind: 'fake', commitTs, pump: this.nodeId } : { kind: 'binlog', commitTs, startTs: commitTs - 1n, binlog: { tp: 1, startTs: commitTs - 1n, commitTs, ddlJobId: 0n, ddlSchemaState: 0 }, payloadBytes: 10, pump: this.nodeId });
    this.signal.fire();
  }
  fail(err: Error): void {
    this.failure = err;
    this.signal.fire();
  }
  tryTake(): MergedItem | undefined {
    const it = this.items.shift();
    if (it === undefined && this.failure !== undefined) throw this.failure;
    return it;
  }
  readable(): Promise<void> {
    return this.items.length > 0 || this.failure !== undefined ? Promise.resolve() : this.signal.wait();
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Merger', () => {
  it('emits the union of ordered sources in strictly increasing order for any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 1n << 40n }), { minLength: 1, maxLength: 60 }),
        fc.infiniteStream(fc.nat()),
        async (k, tsList, choices) => {
          const sources = Array.from({ length: k }, (_, i) => new FedSource(`p${i}`));
          const merger = new Merger({ initialTs: 0n });
          for (const s of sources) merger.addSource(s);
          // Assign each ts to a source; each source's list is ascending (the pump guarantee).
          const perSource = sources.map(() => [] as bigint[]);
          const it = choices[Symbol.iterator]();
          for (const ts of tsList) perSource[it.next().value! % k]!.push(ts);
          for (const l of perSource) l.sort((a, b) => (a < b ? -1 : 1));
          // Every source ends with a fake above everything, so the merge can pass the last real item.
          const top = tsList.reduce((a, b) => (a > b ? a : b)) + 1n;
          const out: bigint[] = [];
          const consumer = (async () => {
            for (;;) {
              const item = await merger.next();
              if (item.kind === 'fake') {
                if (item.commitTs >= top) return;
                continue;
              }
              out.push(item.commitTs);
            }
          })();
          // Feed in a random interleaving across sources, yielding to the consumer in between.
          const cursors = perSource.map(() => 0);
          let remaining = tsList.length;
          while (remaining > 0) {
            const i = it.next().value! % k;
            const l = perSource[i]!;
            if (cursors[i]! < l.length) {
              sources[i]!.feed(l[cursors[i]!]!);
              cursors[i]!++;
              remaining--;
            }
            if (it.next().value! % 3 === 0) await tick();
          }
          sources.forEach((s, i) => s.feed(top + BigInt(i), true));
          await consumer;
          const expected = [...tsList].sort((a, b) => (a < b ? -1 : 1));
          expect(out).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('drops duplicates and late items, counting them, and reports the pump it waits on', async () => {
    const registry = new Registry();
    const metrics = upstreamMetrics(registry);
    const a = new FedSource('a');
    const b = new FedSource('b');
    const merger = new Merger({ initialTs: 100n, metrics });
    merger.addSource(a);
    merger.addSource(b);
    expect(merger.waitingOn().sort()).toEqual(['a', 'b']);
    a.feed(50n); // late: below the checkpoint
    a.feed(110n);
    b.feed(110n); // duplicate of a's 110
    b.feed(120n);
    a.feed(130n, true);
    expect((await merger.next()).commitTs).toBe(110n);
    expect(merger.tryNext()?.commitTs).toBe(120n);
    expect(merger.tryNext()).toBeUndefined();
    expect(merger.waitingOn()).toEqual(['b']);
    const dropped = await registry.getSingleMetric('binlog_drainer_merger_dropped_total')!.get();
    const byReason: Record<string, number> = Object.fromEntries(dropped.values.map((v) => [String(v.labels.reason), v.value]));
    expect(byReason).toEqual({ late: 1, duplicate: 1 });
  });

  it('restarts the step when a source is added, so a new pump can contribute a smaller item', async () => {
    const a = new FedSource('a');
    const b = new FedSource('b');
    const merger = new Merger({ initialTs: 0n });
    merger.addSource(a);
    merger.addSource(b);
    a.feed(20n);
    const pending = merger.next(); // blocked on the silent b
    await tick();
    const c = new FedSource('c');
    merger.addSource(c);
    c.feed(10n);
    b.feed(30n);
    expect((await pending).commitTs).toBe(10n);
    // c is silent now; removing it releases the merge.
    const next = merger.next();
    await tick();
    expect(merger.waitingOn()).toEqual(['c']);
    merger.removeSource('c');
    expect((await next).commitTs).toBe(20n);
  });

  it('surfaces a source failure after its earlier items, and honours abort', async () => {
    const a = new FedSource('a');
    const merger = new Merger({ initialTs: 0n });
    merger.addSource(a);
    a.feed(5n);
    a.fail(new Error('boom'));
    expect((await merger.next()).commitTs).toBe(5n);
    await expect(merger.next()).rejects.toMatchObject({ details: { pump: 'a' } });
    const m2 = new Merger({ initialTs: 0n });
    m2.addSource(new FedSource('x'));
    const ac = new AbortController();
    const p = m2.next(ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
