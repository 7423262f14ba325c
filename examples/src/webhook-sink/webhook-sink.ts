import { AbortedError, batchErrorDetails } from '@tidb-drainer/core/sdk';
import type {
  CheckResult,
  DdlEvent,
  Sink,
  SinkCapabilities,
  SinkContext,
  SinkEnv,
  TxnBatch,
} from '@tidb-drainer/core/sdk';
import type { WebhookSinkConfig } from './webhook-sink-config.js';
import { ddlEvent, splitRequests } from './webhook-payload.js';
import { postJson } from './post-json.js';
import type { PostOptions } from './post-json.js';

/** Idempotency key of the ping `open()` sends (receivers should ignore a body with no events). */
const PING_KEY = 'ping';

/**
 * Replicates to an HTTP endpoint: each batch becomes one or more `POST {"events":[…]}` requests (split between
 * transactions), sent one after another and acknowledged by a 2xx answer.
 *
 * - Ordering: `maxInFlight` is 1, so requests reach the receiver in commit-ts order (a webhook has no partitions
 *   that could keep per-row order under concurrency).
 * - Idempotency: every event has an `id` (`<commitTs>-<index>`) and every request an `Idempotency-Key` header;
 *   both are the same on the runner's resends and on replays after a crash, so a receiver that remembers applied
 *   ids makes duplicates harmless (at-least-once delivery becomes effectively-once).
 * - Errors: 408/425/429/5xx, timeouts and connection errors are retryable (the runner resends the same batch with
 *   backoff); other statuses are fatal. If a batch fails half-way, the resend repeats the requests that already
 *   succeeded — with the same keys.
 */
export class WebhookSink implements Sink {
  readonly capabilities: SinkCapabilities = {
    maxInFlight: 1,
    supportsDdl: true,
    // 256 txns / 1 MiB / 100 ms: a few requests per batch at most, and low latency when the upstream is quiet.
    defaultBatch: { maxTxns: 256, maxBytes: 1024 * 1024, maxDelayMs: 100 },
  };
  #log: SinkContext['logger'] | undefined;
  #replaySafeUntil = 0n;

  constructor(
    private readonly config: WebhookSinkConfig,
    private readonly env?: SinkEnv,
  ) {}

  async open(ctx: SinkContext): Promise<void> {
    this.#log = ctx.logger;
    this.#replaySafeUntil = ctx.resume.replaySafeUntil;
    // The URL may carry credentials (user:pass@): log the origin only.
    ctx.logger.info({ endpoint: new URL(this.config.url).origin, selectedAs: this.env?.dbType }, 'webhook sink open');
    if (this.config['ping-on-open'])
      await postJson('{"events":[]}', this.#post(PING_KEY, { phase: 'open' }), ctx.signal);
  }

  async write(batch: TxnBatch, signal: AbortSignal): Promise<void> {
    const requests = splitRequests(batch.txns, this.config['max-events-per-request'], this.config['max-request-bytes']);
    const where = batchErrorDetails(batch);
    for (const [i, r] of requests.entries()) {
      if (signal.aborted) throw new AbortedError('webhook write');
      await postJson(r.body, this.#post(r.key, { ...where, request: i, requests: requests.length }), signal);
    }
    this.#log?.debug(
      { ...where, requests: requests.length, rows: batch.rows, replay: batch.lastCommitTs <= this.#replaySafeUntil },
      'webhook batch delivered',
    );
  }

  async writeDdl(ddl: DdlEvent, signal: AbortSignal): Promise<void> {
    const e = ddlEvent(ddl);
    await postJson(
      JSON.stringify({ events: [e] }),
      this.#post(`${e.id}..${e.id}`, { commitTs: ddl.commitTs, schema: ddl.schema, table: ddl.table }),
      signal,
    );
  }

  async check(signal: AbortSignal): Promise<readonly CheckResult[]> {
    try {
      await postJson('{"events":[]}', this.#post(PING_KEY, { phase: 'check' }), signal);
      return [
        { name: 'webhook reachable', ok: true, message: `${new URL(this.config.url).origin} answered 2xx to a ping` },
      ];
    } catch (err) {
      return [{ name: 'webhook reachable', ok: false, message: err instanceof Error ? err.message : String(err) }];
    }
  }

  close(): Promise<void> {
    // Nothing to release: fetch's connection pool is process-wide and idle sockets time out on their own.
    return Promise.resolve();
  }

  #post(key: string, details: Readonly<Record<string, unknown>>): PostOptions {
    return { url: this.config.url, headers: this.config.headers, timeoutMs: this.config['timeout-ms'], key, details };
  }
}
