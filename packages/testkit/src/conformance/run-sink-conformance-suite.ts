import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, Runner } from '@tidb-drainer/core';
import { createSinkContext, SinkError } from '@tidb-drainer/core/sdk';
import type { ChangeEvent, CommitTs, DdlEvent, ResumePoint, Sink, SinkCapabilities, SinkContext, Txn } from '@tidb-drainer/core/sdk';
import { conformanceFixture } from './conformance-fixture.js';
import type { ConformanceFixture } from './conformance-fixture.js';
import { driveSink } from './drive-sink.js';
import { expectedState, keyColumnsOf, readBackState } from './sink-state.js';
import type { ReadBack, SinkState } from './sink-state.js';

/** A real failure the target can provoke in its sink (see `ConformanceTarget.injectFault`). */
export interface Fault {
  readonly on: 'open' | 'write';
  readonly kind: 'retryable' | 'fatal';
}

/** One fresh, empty destination (a random database, topic or directory), created per test. */
export interface ConformanceTarget {
  /** The upstream schema name the fixture uses; a random one lets targets share a server. Default `conformance`. */
  readonly schema?: string;
  /** A new sink writing to this target. Called again to simulate a restart; the suite opens and closes each one. */
  createSink(): Sink | Promise<Sink>;
  /** Everything the target holds now (see `ReadBack`). Called only while no sink of the target is open. */
  readBack(signal: AbortSignal): Promise<ReadBack>;
  /**
   * Arms one fault: the next `fault.on` call (`open` or `write`) of a sink of this target MUST reject with a
   * SinkError whose `retryable` is `fault.kind === 'retryable'`, provoked for real where possible (kill the
   * connection, drop a privilege, a failing file handle). After a retryable fault the very next attempt of the
   * same call MUST be able to succeed; after a fatal one the suite only closes the sink.
   */
  injectFault(fault: Fault): void | Promise<void>;
  /** Removes what the target created. */
  dispose?(): Promise<void>;
}

export interface SinkConformanceOptions {
  /** Shown in the `describe` title. */
  readonly name: string;
  createTarget(): Promise<ConformanceTarget>;
  /** Per-test timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
}

type Events = readonly (Txn | DdlEvent)[];

/**
 * Registers the shared Sink contract tests (ARCHITECTURE §4) as vitest `describe`/`it` blocks. Call it at the top
 * level of a test file; each test gets a fresh target from `createTarget()` and the deterministic fixture from
 * `conformanceFixture({ schema })`.
 */
export function runSinkConformanceSuite(options: SinkConformanceOptions): void {
  const timeout = options.timeoutMs ?? 30_000;
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(): Promise<{ target: ConformanceTarget; fx: ConformanceFixture; signal: AbortSignal }> {
    const target = await options.createTarget();
    if (target.dispose !== undefined) cleanups.push(() => target.dispose?.() ?? Promise.resolve());
    const ac = new AbortController();
    cleanups.push(() => Promise.resolve(ac.abort()));
    return { target, fx: conformanceFixture({ schema: target.schema }), signal: ac.signal };
  }

  const closedSinks = new WeakSet<Sink>();
  /** Closes through the suite so the cleanup does not close it again (the runner closes exactly once). */
  async function close(sink: Sink): Promise<void> {
    closedSinks.add(sink);
    await sink.close();
  }

  async function openSink(target: ConformanceTarget, resume?: ResumePoint): Promise<Sink> {
    const sink = await target.createSink();
    cleanups.push(async () => {
      if (!closedSinks.has(sink)) await close(sink);
    });
    await sink.open(context(resume));
    return sink;
  }

  async function stateOf(target: ConformanceTarget, events: Events, signal: AbortSignal): Promise<SinkState> {
    return readBackState(await target.readBack(signal), keyColumnsOf(events));
  }

  async function runAll(target: ConformanceTarget, events: Events, signal: AbortSignal, resume?: ResumePoint): Promise<SinkCapabilities> {
    const sink = await openSink(target, resume);
    await driveSink(sink, events, { signal });
    await sink.flush?.(signal);
    await close(sink);
    return sink.capabilities;
  }

  describe(`sink conformance: ${options.name}`, () => {
    it('opens and closes; close is idempotent', async () => {
      const { target } = await setup();
      const sink = await openSink(target);
      await close(sink);
      await sink.close();
    }, timeout);

    it('closes after a failed open; a retryable open failure can be retried on the same instance', async () => {
      const { target } = await setup();
      const sink = await target.createSink();
      await target.injectFault({ on: 'open', kind: 'retryable' });
      const first = await sink.open(context()).then(() => undefined, (e: unknown) => e);
      expectSinkError(first, true);
      await sink.open(context());
      await close(sink);

      const other = await target.createSink();
      await target.injectFault({ on: 'open', kind: 'fatal' });
      const err = await other.open(context()).then(() => undefined, (e: unknown) => e);
      expectSinkError(err, false);
      await close(other);
    }, timeout);

    it('applies transactions and DDL in commit-ts order (the end state depends on the order)', async () => {
      const { target, fx, signal } = await setup();
      await runAll(target, fx.events, signal);
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(fx.events));
    }, timeout);

    it('DDL barrier: rows before the DDL are applied before it, rows after it use the new table version', async () => {
      const { target, fx, signal } = await setup();
      const before = fx.events.slice(0, fx.alterIndex + 1);
      await runAll(target, before, signal);
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(before));
      await runAll(target, fx.events.slice(fx.alterIndex + 1), signal, resumeAt(lastTs(before)));
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(fx.events));
    }, timeout);

    it('replaying already-applied batches inside the replay window gives the same end state', async () => {
      const { target, fx, signal } = await setup();
      const cut = Math.floor(fx.events.length / 3);
      await runAll(target, fx.events, signal);
      // A crash after everything was applied but with the checkpoint saved only at `cut`: all later events come again.
      const resume = { checkpoint: lastTs(fx.events.slice(0, cut)), replaySafeUntil: lastTs(fx.events) };
      const caps = await runAll(target, fx.events.slice(cut), signal, resume);
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(fx.events));
      if (caps.ownsCheckpoint === true) {
        const sink = await openSink(target);
        expect((await sink.loadCheckpoint?.(signal))?.commitTs).toBe(lastTs(fx.events));
        await close(sink);
      }
    }, timeout);

    it('flush then close leaves everything readable', async () => {
      const { target, fx, signal } = await setup();
      const sink = await openSink(target);
      await driveSink(sink, fx.events, { signal });
      await sink.flush?.(signal);
      await close(sink);
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(fx.events));
    }, timeout);

    it('abort during write settles promptly; the batch is redelivered after a restart', async () => {
      const { target, fx, signal } = await setup();
      const head = fx.events.slice(0, fx.alterIndex + 1);
      await runAll(target, head, signal);
      const sink = await openSink(target, resumeAt(lastTs(head)));
      const ac = new AbortController();
      const tail = fx.events.slice(fx.alterIndex + 1);
      const settled = driveSink(sink, tail, { signal: ac.signal, beforeWrite: () => void queueMicrotask(() => ac.abort()) }).then(
        () => 'resolved',
        () => 'rejected',
      );
      const outcome = await Promise.race([settled, delay(timeout / 3).then(() => 'hung')]);
      expect(outcome).not.toBe('hung');
      await close(sink);
      await runAll(target, tail, signal, { checkpoint: lastTs(head), replaySafeUntil: lastTs(fx.events) });
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(fx.events));
    }, timeout);

    it('a retryable write error is a retryable SinkError and resending the same batch succeeds', async () => {
      const { target, fx, signal } = await setup();
      const head = fx.events.slice(0, 3);
      await runAll(target, head, signal);
      const sink = await openSink(target, resumeAt(lastTs(head)));
      const rest = fx.events.slice(3);
      let armed = false;
      // One write at a time so the failed batch is the last one sent; then resend from it on, as the runner would.
      const err = await driveSink(sink, rest, {
        signal,
        maxInFlight: 1,
        beforeWrite: async () => {
          if (!armed) await target.injectFault({ on: 'write', kind: 'retryable' });
          armed = true;
        },
      }).then(() => undefined, (e: unknown) => e);
      expectSinkError(err, true);
      await driveSink(sink, rest, { signal, maxInFlight: 1 });
      await close(sink);
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(fx.events));
    }, timeout);

    it('runs end to end under the Runner, retrying an injected retryable write failure', async () => {
      const { target, fx, signal } = await setup();
      const sink = await target.createSink();
      closedSinks.add(sink); // the runner closes it
      const runner = new Runner({
        sink,
        sinkType: options.name,
        checkpointStore: sink.capabilities.ownsCheckpoint === true ? undefined : new MemoryCheckpointStore(),
        initialCommitTs: 1n,
        retry: { initialBackoffMs: 1, maxBackoffMs: 20 },
      });
      await runner.open(signal);
      await target.injectFault({ on: 'write', kind: 'retryable' });
      const end = fx.events[fx.events.length - 1]?.commitTs ?? 0n;
      const result = await runner.run(fromEvents([...fx.events, { kind: 'resolved', commitTs: end + 10n }]), signal);
      expect(result.error).toBeUndefined();
      expect(result.outcome).toBe('completed');
      expect(result.stats.retries).toBeGreaterThanOrEqual(1);
      expect(result.checkpoint).toMatchObject({ commitTs: end + 10n, consistent: true });
      expect(await stateOf(target, fx.events, signal)).toEqual(expectedState(fx.events));
    }, timeout);

    it('a fatal write error is a non-retryable SinkError and the sink still closes', async () => {
      const { target, fx, signal } = await setup();
      const sink = await openSink(target);
      await driveSink(sink, fx.events.slice(0, 2), { signal });
      await target.injectFault({ on: 'write', kind: 'fatal' });
      const err = await driveSink(sink, fx.events.slice(2), { signal }).then(() => undefined, (e: unknown) => e);
      expectSinkError(err, false);
      await close(sink);
    }, timeout);
  });
}

// eslint-disable-next-line @typescript-eslint/require-await -- a synchronous source behind the async-iterable interface
async function* fromEvents(events: readonly ChangeEvent[]): AsyncGenerator<ChangeEvent> {
  for (const e of events) yield e;
}

function context(resume?: ResumePoint): SinkContext {
  return createSinkContext(resume === undefined ? {} : { resume });
}

function resumeAt(ts: CommitTs): ResumePoint {
  return { checkpoint: ts, replaySafeUntil: ts };
}

function lastTs(events: Events): CommitTs {
  const e = events[events.length - 1];
  if (e === undefined) throw new RangeError('no events');
  return e.commitTs;
}

function expectSinkError(err: unknown, retryable: boolean): void {
  expect(err).toBeInstanceOf(SinkError);
  expect((err as SinkError).retryable).toBe(retryable);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
