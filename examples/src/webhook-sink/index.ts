import { defineSink } from '@tidb-drainer/core/sdk';
import { webhookSinkConfigSchema } from './webhook-sink-config.js';
import type { WebhookSinkConfig } from './webhook-sink-config.js';
import { WebhookSink } from './webhook-sink.js';

/**
 * `drainer --sink ./examples/dist/webhook-sink.js` with `[sink] url = "http://…"`: replicates to an HTTP endpoint
 * (see WebhookSink). The drainer loads a custom sink by its default export.
 */
export const webhookSink = defineSink<WebhookSinkConfig>({
  type: 'webhook',
  description: 'POSTs row changes and DDL as JSON to an HTTP endpoint, in batches, with idempotency keys',
  configSchema: webhookSinkConfigSchema,
  create: (config, env) => new WebhookSink(config, env),
});

export default webhookSink;
export { WebhookSink } from './webhook-sink.js';
export { webhookSinkConfigSchema } from './webhook-sink-config.js';
export type { WebhookSinkConfig } from './webhook-sink-config.js';
export { WebhookErrorCode } from './post-json.js';
export type { WebhookBody, WebhookEvent, WebhookRow } from './webhook-payload.js';
