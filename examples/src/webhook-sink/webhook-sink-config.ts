import { z } from '@tidb-drainer/core/sdk';

/** Big enough to amortise HTTP overhead, small enough for common reverse-proxy body limits (often 1–10 MiB). */
const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
/** Receivers usually process events one by one; 500 keeps a request well under a second of work. */
const DEFAULT_MAX_EVENTS = 500;
/** A receiver slower than this is treated as unavailable (retryable): the runner backs off and resends. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The webhook sink's section of drainer.toml (`[sink]`, or `[syncer.to]`). Unknown keys are rejected (strict), so a
 * typo fails at startup with the nearest valid key suggested by the drainer.
 */
export const webhookSinkConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).describe('Receiver endpoint; every request is a POST of application/json'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra request headers, e.g. { Authorization = "Bearer …" } (values are never logged)'),
    'timeout-ms': z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_TIMEOUT_MS)
      .describe('Per-request timeout (retryable when hit)'),
    'max-events-per-request': z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_MAX_EVENTS)
      .describe('Split a batch into requests of at most this many events (a transaction is never split)'),
    'max-request-bytes': z
      .number()
      .int()
      .min(1024)
      .default(DEFAULT_MAX_REQUEST_BYTES)
      .describe('Split a batch into requests of at most this many body bytes (a transaction is never split)'),
    'ping-on-open': z.boolean().default(true).describe('POST an empty ping when the drainer starts, to fail fast'),
  })
  .strict();

export type WebhookSinkConfig = z.infer<typeof webhookSinkConfigSchema>;
