import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-checkpoint-store.js';
import { AbortedError } from '../errors/drainer-error.js';
import type { ChangeEvent } from '../model/events.js';
import { SinkError } from '../sdk/sink-error.js';
import { ExitCode } from './exit-codes.js';
import { heldBytesOf } from './held-bytes.js';
import { Runner } from './runner.js';
import type { RunnerOptions } from './runner-options.js';
import { deferred, fromArray, ScriptedSink, testDdl, testResolved, testTxn } from './runner-test-kit.js';

const FAST_RETRY = { initialBackoffMs: 1, maxBackoffMs: 4, maxElapsedMs: 5_000 };
const never = new AbortController().signal;

async function start(sink: ScriptedSink, store = new MemoryCheckpointStore({ commitTs: 100n, schemaVersion: 1, consistent: true }), extra: Partial<RunnerOptions> = {}) {
  const runner = new Runner({ sink, sinkType: 'scripted', checkpointStore: store, retry: FAST_RETRY, checkpointIntervalMs: 10, ...extra });
  const resume = await runner.open(never);
  return { runner, store, resume };
}

const txns = (from: number, n: number, rows = 1, bytes = 100): ChangeEvent[] =>
  Array.from({ length: n }, (_, i) => testTxn(BigInt(from + i), rows, bytes));

describe('Runner', () => {
  it('delivers whole transactions in order, batched by maxTxns, and saves consistent on completion', async () => {
    const sink = new ScriptedSink({ defaultBatch: { maxTxns: 3 } });
    const { runner, store } = await start(sink);
    const result = await runner.run(fromArray(txns(101, 10, 2)), never);
    expect(result.outcome).toBe('completed');
    expect(result.exitCode).toBe(ExitCode.Ok);
    expect(sink.ackedTs()).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(101 + i)));
    expect(sink.writes.map((b) => b.txns.length)).toEqual([3, 3, 3, 1]);
    expect(sink.writes.map((b) => b.seq)).toEqual([1, 2, 3, 4]);
    expect(result.stats.rows).toBe(20);
    expect(store.history.at(-1)).toEqual({ commitTs: 110n, schemaVersion: 1, consistent: true, tsMap: undefined });
    expect(sink.closeCalls).toBe(1);
    expect(store.closed).toBe(true);
  });

  it('closes a batch by bytes and by delay', async () => {
    const sink = new ScriptedSink({ defaultBatch: { maxTxns: 100, maxBytes: 250, maxDelayMs: 10_000 } });
    const { runner } = await start(sink);
    await runner.run(fromArray(txns(101, 5)), never);
    expect(sink.writes.map((b) => b.bytes)).toEqual([200, 200, 100]);

    const slow = new ScriptedSink({ defaultBatch: { maxTxns: 100, maxDelayMs: 20 } });
    const r2 = await start(slow);
    const gate = deferred();
    async function* trickle(): AsyncGenerator<ChangeEvent> {
      yield testTxn(101n);
      await gate.promise;
      yield testTxn(102n);
    }
    const run = r2.runner.run(trickle(), never);
    await new Promise((r) => setTimeout(r, 80));
    expect(slow.writes.length).toBe(1); // sent after maxDelayMs although the batch was not full
    gate.resolve();
    await run;
    expect(slow.writes.length).toBe(2);
  });

  it('out-of-order acks: the checkpoint never passes a batch still in flight', async () => {
    const sink = new ScriptedSink({ maxInFlight: 3, defaultBatch: { maxTxns: 1 } });
    const gates = new Map<number, ReturnType<typeof deferred<void>>>();
    sink.onWrite = (b) => {
      const g = deferred<void>();
      gates.set(b.seq, g);
      return g.promise;
    };
    const { runner, store } = await start(sink);
    const run = runner.run(fromArray(txns(101, 3)), never);
    while (gates.size < 3) await new Promise((r) => setTimeout(r, 2));
    expect(sink.maxObservedInFlight).toBe(3);
    gates.get(3)?.resolve();
    gates.get(2)?.resolve();
    await new Promise((r) => setTimeout(r, 40)); // several checkpoint intervals
    expect(store.history.every((c) => c.commitTs === 100n || c.commitTs < 101n)).toBe(true);
    gates.get(1)?.resolve();
    const result = await run;
    expect(result.checkpoint.commitTs).toBe(103n);
    expect(store.history.map((c) => c.commitTs)).not.toContain(102n);
  });

  it('retries a retryable failure by resending the identical batch', async () => {
    const sink = new ScriptedSink({ defaultBatch: { maxTxns: 2 } });
    sink.onWrite = (b, _s, attempt) => {
      if (b.seq === 2 && attempt <= 2) throw SinkError.retryable('E_TEST_RETRY', 'try again');
    };
    const { runner } = await start(sink);
    const result = await runner.run(fromArray(txns(101, 6)), never);
    expect(result.outcome).toBe('completed');
    const second = sink.writes.filter((b) => b.seq === 2);
    expect(second).toHaveLength(3);
    expect(second[0]).toBe(second[2]);
    expect(result.stats.retries).toBe(2);
    expect(sink.ackedTs()).toEqual([101n, 102n, 103n, 104n, 105n, 106n]);
  });

  it('stops on a fatal error with the checkpoint before the failed batch', async () => {
    const sink = new ScriptedSink({ maxInFlight: 2, defaultBatch: { maxTxns: 2 } });
    sink.onWrite = (b) => {
      if (b.seq === 3) throw SinkError.fatal('E_TEST_FATAL', 'duplicate key', undefined, { commitTs: b.firstCommitTs });
    };
    const { runner, store } = await start(sink);
    const result = await runner.run(fromArray(txns(101, 20)), never);
    expect(result.outcome).toBe('fatal');
    expect(result.exitCode).toBe(ExitCode.Fatal);
    expect(result.error).toBeInstanceOf(SinkError);
    expect(result.checkpoint.consistent).toBe(false);
    expect(result.checkpoint.commitTs).toBeLessThan(105n); // batch 3 = 105..106
    expect(Math.max(...store.history.map((c) => Number(c.commitTs)))).toBeLessThan(105);
    expect(sink.writes.filter((b) => b.seq === 3)).toHaveLength(1); // not retried
    expect(sink.closeCalls).toBe(1);
  });

  it('a non-SinkError thrown by the sink is fatal too (exit code Internal)', async () => {
    const sink = new ScriptedSink();
    sink.onWrite = () => {
      throw new TypeError('bug in sink');
    };
    const { runner } = await start(sink);
    const result = await runner.run(fromArray(txns(101, 2)), never);
    expect(result.outcome).toBe('fatal');
    expect(result.exitCode).toBe(ExitCode.Internal);
    expect(result.checkpoint.commitTs).toBe(100n);
  });

  it('backpressure: a slow sink keeps held bytes within the memory quota and pulling pauses', async () => {
    const perTxn = heldBytesOf(testTxn(1n, 3, 300));
    const quota = perTxn * 10;
    const sink = new ScriptedSink({ maxInFlight: 2, defaultBatch: { maxTxns: 3, maxBytes: 2_000 } });
    sink.onWrite = () => new Promise((r) => setTimeout(r, 3));
    let pulled = 0;
    let maxAhead = 0;
    // eslint-disable-next-line @typescript-eslint/require-await -- a synchronous source behind the async-iterable interface
    async function* source(): AsyncGenerator<ChangeEvent> {
      for (let i = 0; i < 300; i++) {
        pulled += 1;
        maxAhead = Math.max(maxAhead, pulled - sink.ackedTs().length);
        yield testTxn(BigInt(101 + i), 3, 300);
      }
    }
    const { runner } = await start(sink, undefined, { memoryQuotaBytes: quota });
    const result = await runner.run(source(), never);
    expect(result.outcome).toBe('completed');
    expect(sink.ackedTs()).toHaveLength(300);
    expect(result.stats.peakHeldBytes).toBeLessThanOrEqual(quota);
    expect(result.stats.peakHeldBytes).toBeGreaterThan(quota / 2); // the bound was actually reached
    // Held = pulled − acked transactions; one more may be in the generator's hands waiting for quota.
    expect(maxAhead).toBeLessThanOrEqual(quota / perTxn + 1);
  });

  it('resolved watermarks advance and save the checkpoint while idle', async () => {
    const sink = new ScriptedSink();
    const { runner, store } = await start(sink);
    const stop = new AbortController();
    async function* idle(): AsyncGenerator<ChangeEvent> {
      yield testTxn(101n);
      yield testResolved(150n);
      yield testResolved(200n);
      await new Promise((r) => setTimeout(r, 60));
      stop.abort();
      await new Promise(() => undefined); // an upstream that stays quiet until it is abandoned
    }
    const result = await runner.run(idle(), stop.signal);
    expect(result.outcome).toBe('stopped');
    expect(store.history.some((c) => c.commitTs === 200n && !c.consistent)).toBe(true);
    expect(result.checkpoint).toMatchObject({ commitTs: 200n, consistent: true });
  });

  it('DDL barrier: writeDdl runs with no write outstanding and the checkpoint is saved right after', async () => {
    const sink = new ScriptedSink({ maxInFlight: 4, defaultBatch: { maxTxns: 1 } });
    sink.onWrite = () => new Promise((r) => setTimeout(r, 5));
    const { runner, store } = await start(sink, undefined, { checkpointIntervalMs: 60_000 });
    const result = await runner.run(fromArray([...txns(101, 6), testDdl(107n), ...txns(108, 4)]), never);
    expect(result.outcome).toBe('completed');
    const ddlAt = sink.log.findIndex((l) => l.startsWith('ddl 107'));
    expect(sink.log[ddlAt]).toBe('ddl 107 inFlight=0');
    expect(sink.log.slice(0, ddlAt).filter((l) => l.startsWith('write')).length).toBe(6);
    expect(sink.log.slice(0, ddlAt).filter((l) => l.startsWith('ack')).length).toBe(6);
    expect(store.history[0]).toMatchObject({ commitTs: 107n, schemaVersion: 2, consistent: false });
  });

  it('graceful shutdown during a write lets it finish, then flushes and saves consistent', async () => {
    const sink = new ScriptedSink({ defaultBatch: { maxTxns: 1 } });
    const gate = deferred();
    let inWrite = deferred();
    sink.onWrite = (b) => {
      if (b.seq === 2) {
        inWrite.resolve();
        return gate.promise;
      }
    };
    const { runner, store } = await start(sink);
    const stop = new AbortController();
    // eslint-disable-next-line @typescript-eslint/require-await -- a synchronous source behind the async-iterable interface
    async function* endless(): AsyncGenerator<ChangeEvent> {
      for (let i = 101; ; i++) yield testTxn(BigInt(i));
    }
    const run = runner.run(endless(), stop.signal);
    await inWrite.promise;
    stop.abort();
    setTimeout(() => gate.resolve(), 10);
    const result = await run;
    expect(result.outcome).toBe('stopped');
    expect(result.exitCode).toBe(ExitCode.Ok);
    const last = sink.ackedTs().at(-1);
    expect(result.checkpoint).toMatchObject({ commitTs: last, consistent: true });
    expect(store.history.at(-1)?.consistent).toBe(true);
    inWrite = deferred();
  });

  it('a write that outlives the drain deadline is aborted; the checkpoint stays inconsistent', async () => {
    const sink = new ScriptedSink({ defaultBatch: { maxTxns: 1 } });
    let sawAbort = false;
    sink.onWrite = (b, signal) => {
      if (b.seq < 3) return;
      return new Promise((_, reject) => signal.addEventListener('abort', () => ((sawAbort = true), reject(new AbortedError('write'))), { once: true }));
    };
    const { runner } = await start(sink, undefined, { drainTimeoutMs: 30 });
    const stop = new AbortController();
    const run = runner.run(fromArray(txns(101, 5)), stop.signal);
    await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    const result = await run;
    expect(sawAbort).toBe(true);
    expect(result.outcome).toBe('drain-timeout');
    expect(result.exitCode).toBe(ExitCode.DrainTimeout);
    expect(result.checkpoint).toMatchObject({ commitTs: 102n, consistent: false });
  });

  it('a forced stop aborts at once', async () => {
    const sink = new ScriptedSink();
    sink.onWrite = (_b, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new AbortedError('write')), { once: true }));
    const { runner } = await start(sink);
    const force = new AbortController();
    const run = runner.run(fromArray(txns(101, 3)), never, force.signal);
    await new Promise((r) => setTimeout(r, 10));
    force.abort();
    const result = await run;
    expect(result.outcome).toBe('forced');
    expect(result.exitCode).toBe(ExitCode.Forced);
  });

  it('ownsCheckpoint: one batch at a time, checkpoint in the batch, resume from loadCheckpoint', async () => {
    const sink = new ScriptedSink({ maxInFlight: 8, ownsCheckpoint: true, defaultBatch: { maxTxns: 2 } });
    sink.stored = { commitTs: 500n, schemaVersion: 3, consistent: false };
    sink.onWrite = () => new Promise((r) => setTimeout(r, 1));
    const runner = new Runner({ sink, sinkType: 'scripted', retry: FAST_RETRY, currentTso: () => Promise.resolve(9_000n) });
    const resume = await runner.open(never);
    expect(resume).toEqual({ checkpoint: 500n, replaySafeUntil: 9_000n });
    expect(sink.ctx?.resume).toEqual(resume);
    const result = await runner.run(fromArray([...txns(501, 3), testResolved(600n)]), never);
    expect(sink.maxObservedInFlight).toBe(1);
    expect(sink.writes.map((b) => b.checkpoint?.commitTs)).toEqual([502n, 600n]);
    expect(result.checkpoint).toMatchObject({ commitTs: 600n, consistent: true });
    expect(sink.stored).toMatchObject({ commitTs: 600n, consistent: true });
  });

  it('resume point: consistent → replaySafeUntil = checkpoint; none stored → initial-commit-ts', async () => {
    const a = await start(new ScriptedSink(), new MemoryCheckpointStore({ commitTs: 100n, schemaVersion: 1, consistent: true }));
    expect(a.resume).toEqual({ checkpoint: 100n, replaySafeUntil: 100n });
    await a.runner.close();
    const b = await start(new ScriptedSink(), new MemoryCheckpointStore({ commitTs: 100n, schemaVersion: 1, consistent: false }), { currentTso: () => Promise.resolve(777n) });
    expect(b.resume).toEqual({ checkpoint: 100n, replaySafeUntil: 777n });
    await b.runner.close();
    const c = await start(new ScriptedSink(), new MemoryCheckpointStore(), { initialCommitTs: 42n });
    expect(c.resume).toEqual({ checkpoint: 42n, replaySafeUntil: 42n });
    await c.runner.close();
    const d = await start(new ScriptedSink(), new MemoryCheckpointStore({ commitTs: 0n, schemaVersion: 0, consistent: false }), { currentTso: () => Promise.resolve(1234n) });
    expect(d.resume.checkpoint).toBe(1234n); // stored 0 → initial-commit-ts (-1 = current TSO)
    await d.runner.close();
  });

  it('a failed open closes the sink once and rethrows; a retryable open failure is retried', async () => {
    const sink = new ScriptedSink();
    let opens = 0;
    sink.onOpen = () => {
      opens += 1;
      if (opens === 1) throw SinkError.retryable('E_TEST', 'not yet');
      if (opens === 2) throw SinkError.fatal('E_TEST', 'no');
    };
    const runner = new Runner({ sink, sinkType: 'scripted', checkpointStore: new MemoryCheckpointStore(), retry: FAST_RETRY });
    await expect(runner.open(never)).rejects.toMatchObject({ retryable: false });
    expect(opens).toBe(2);
    expect(sink.closeCalls).toBe(1);
  });

  it('rejects input that goes backwards in commit ts as a fatal error', async () => {
    const sink = new ScriptedSink();
    const { runner } = await start(sink);
    const result = await runner.run(fromArray([testTxn(101n), testTxn(101n)]), never);
    expect(result.outcome).toBe('fatal');
    expect(result.checkpoint.commitTs).toBeLessThanOrEqual(101n);
  });
});
