import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookBody, WebhookEvent } from './webhook-payload.js';

/** What the next request of a kind gets instead of being applied (tests provoke real HTTP failures with it). */
export interface ReceiverFault {
  readonly on: 'ping' | 'events';
  readonly status: number;
}

/** Refuse bodies above this: a receiver must bound what it buffers (the sink splits requests well below it). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * A minimal webhook receiver for the webhook sink: stores events in arrival order and applies each event id at
 * most once (replays and resends are acknowledged but not stored again) — the receiver side of idempotency.
 * Answers 200 to valid requests, 400 to malformed ones, 413 to oversized ones.
 *
 * Owner: `start()` once, `close()` once.
 */
export class WebhookReceiver {
  readonly events: WebhookEvent[] = [];
  readonly stats = { requests: 0, pings: 0, duplicates: 0 };
  readonly #seen = new Set<string>();
  readonly #faults: ReceiverFault[] = [];
  #server: Server | undefined;

  /** Listens on 127.0.0.1 (port 0 = any free port); resolves with the URL to configure. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  get url(): string {
    const a = this.#server?.address() as AddressInfo | null | undefined;
    if (a === undefined || a === null) throw new Error('webhook receiver not started');
    return `http://127.0.0.1:${a.port}/events`;
  }

  /** The next request of `fault.on` is answered with `fault.status` and not applied. */
  fail(fault: ReceiverFault): void {
    this.#faults.push(fault);
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) return void res.writeHead(413).end();
        chunks.push(chunk);
      }
    } catch {
      // The client went away mid-body (e.g. an aborted write): nothing to answer.
      return;
    }
    let events: readonly WebhookEvent[];
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<WebhookBody>;
      if (!Array.isArray(body.events)) throw new TypeError('no events array');
      events = body.events as readonly WebhookEvent[];
    } catch {
      return void res.writeHead(400).end('malformed body');
    }
    const kind = events.length === 0 ? 'ping' : 'events';
    const f = this.#faults.findIndex((x) => x.on === kind);
    if (f >= 0) {
      const [fault] = this.#faults.splice(f, 1);
      return void res.writeHead(fault?.status ?? 500).end('injected fault');
    }
    if (kind === 'ping') this.stats.pings++;
    for (const e of events) {
      if (this.#seen.has(e.id)) {
        this.stats.duplicates++;
        continue;
      }
      this.#seen.add(e.id);
      this.events.push(e);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}
