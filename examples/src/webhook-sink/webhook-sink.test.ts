import { SinkError, buildTxnBatch, createSinkContext } from '@tidb-drainer/core/sdk';
import type { Txn } from '@tidb-drainer/core/sdk';
import { conformanceFixture, runSinkConformanceSuite } from '@tidb-drainer/testkit/conformance';
import type { CanonicalChange, CanonicalRow, ConformanceTarget } from '@tidb-drainer/testkit/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookSink } from './index.js';
import type { WebhookRow } from './webhook-payload.js';
import { WebhookReceiver } from './webhook-receiver.js';

/** The SDK's env for a sink created outside the drainer (the webhook sink uses none of it). */
const ENV = { dbType: 'webhook', workerCount: 1, txnBatch: 20, safeMode: false, timezone: 'UTC' };

function canonical(row: WebhookRow | undefined): CanonicalRow {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row ?? {})) if (v !== null) out[k] = v;
  return out;
}

async function startReceiver(): Promise<WebhookReceiver> {
  const r = new WebhookReceiver();
  await r.start();
  return r;
}

// The shared Sink contract against a real HTTP server on loopback; faults are real HTTP answers (503, 400).
runSinkConformanceSuite({
  name: 'webhook (example)',
  async createTarget(): Promise<ConformanceTarget> {
    const receiver = await startReceiver();
    // Small requests so every batch of the fixture is split into several: the splitting is under test too.
    const config = webhookSink.configSchema.parse({
      url: receiver.url,
      'max-events-per-request': 2,
      'timeout-ms': 5_000,
    });
    return {
      createSink: () => webhookSink.create(config, ENV),
      injectFault: (f) =>
        receiver.fail({ on: f.on === 'open' ? 'ping' : 'events', status: f.kind === 'retryable' ? 503 : 400 }),
      readBack: () =>
        Promise.resolve({
          kind: 'changes',
          changes: receiver.events.map((e): CanonicalChange => {
            const commitTs = BigInt(e.commitTs);
            switch (e.type) {
              case 'ddl':
                return {
                  op: 'ddl',
                  commitTs,
                  schema: e.schema,
                  ...(e.table === undefined ? {} : { table: e.table }),
                  query: e.query,
                };
              case 'insert':
                return { op: 'insert', commitTs, schema: e.schema, table: e.table, after: canonical(e.after) };
              case 'update':
                return {
                  op: 'update',
                  commitTs,
                  schema: e.schema,
                  table: e.table,
                  before: canonical(e.before),
                  after: canonical(e.after),
                };
              case 'delete':
                return { op: 'delete', commitTs, schema: e.schema, table: e.table, before: canonical(e.before) };
            }
          }),
        }),
      dispose: () => receiver.close(),
    };
  },
});

describe('webhook sink (example): classification and config', () => {
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [408, true],
    [400, false],
    [401, false],
    [404, false],
    [413, false],
    [422, false],
  ])('HTTP %i on open → retryable %s', async (status, retryable) => {
    const r = await startReceiver();
    receivers.push(r);
    r.fail({ on: 'ping', status });
    const sink = webhookSink.create(webhookSink.configSchema.parse({ url: r.url }), ENV);
    const err = await sink.open(createSinkContext()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).retryable).toBe(retryable);
    expect((err as SinkError).code).toBe(retryable ? 'E_WEBHOOK_UNAVAILABLE' : 'E_WEBHOOK_REJECTED');
    await sink.close();
  });

  it('a refused connection is a retryable network error naming the errno code', async () => {
    const r = await startReceiver();
    const url = r.url;
    await r.close();
    const sink = webhookSink.create(webhookSink.configSchema.parse({ url }), ENV);
    const err = await sink.open(createSinkContext()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).code).toBe('E_WEBHOOK_NETWORK');
    expect((err as SinkError).retryable).toBe(true);
    await sink.close();
  });

  it('a resent batch carries the same event ids and idempotency keys: the receiver stores each event once', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const txns = conformanceFixture({ schema: 'idem' }).events.filter((e): e is Txn => e.kind === 'txn');
    const batch = buildTxnBatch(1, txns);
    const sink = webhookSink.create(webhookSink.configSchema.parse({ url: r.url, 'max-events-per-request': 3 }), ENV);
    const signal = new AbortController().signal;
    await sink.open(createSinkContext());
    await sink.write(batch, signal);
    const stored = r.events.map((e) => e.id);
    const requests = r.stats.requests;
    await sink.write(batch, signal);
    await sink.close();
    expect(stored.length).toBe(batch.rows);
    expect(new Set(stored).size).toBe(batch.rows);
    expect(r.events.map((e) => e.id)).toEqual(stored);
    expect(r.stats.duplicates).toBe(batch.rows);
    // Split into several requests (3 events at most, never inside a transaction), the same number both times.
    expect(requests - 1).toBeGreaterThan(1);
    expect(r.stats.requests - requests).toBe(requests - 1);
  });

  it('rejects unknown keys and non-http URLs', () => {
    expect(
      webhookSink.configSchema.safeParse({ url: 'http://127.0.0.1:1/x', 'max-event-per-request': 3 }).success,
    ).toBe(false);
    expect(webhookSink.configSchema.safeParse({ url: 'ftp://127.0.0.1/x' }).success).toBe(false);
    expect(webhookSink.configSchema.safeParse({ url: 'https://example.com/hook' }).success).toBe(true);
  });
});
