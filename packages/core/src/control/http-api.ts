import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

import { stringifyJsonLossless } from '../util/lossless-json.js';
import type { ActionResult } from './drainer-node.js';
import { isNodeAction } from './drainer-node.js';

/** What `GET /status` reports (§5.6); `pumpPos` undefined before the upstream is running (Go: `null`). */
export interface DrainerHttpStatus {
  readonly pumpPos: ReadonlyMap<string, bigint> | undefined;
  readonly synced: boolean;
  readonly lastTs: bigint;
}

export interface HttpApiHandlers {
  readonly nodeId: string;
  readonly status: () => DrainerHttpStatus;
  readonly checkpointTs: () => bigint;
  readonly applyAction: (action: 'pause' | 'close') => ActionResult;
  readonly metrics: Registry;
}

/** Go's `util.Response` envelope, indented with two spaces as unrolled/render writes it. */
function envelope(message: string, code: number, data: unknown): string {
  return `${stringifyJsonLossless({ message, code, data }, 2)}\n`;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const JSON_TYPE = 'application/json; charset=UTF-8';

/**
 * The drainer's HTTP API (§5.6): `GET /status`, `GET /commit_ts`, `PUT /state/{nodeID}/{action}`, `GET /metrics`.
 * Bodies and messages are the Go drainer's, including its quirks ("this pump's nodeID", HTTP 200 with `code: 3` on
 * a refused action). Anything else is 404 (405 for a known path with the wrong method, as gorilla/mux answers).
 */
export function createHttpApi(h: HttpApiHandlers): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://drainer').pathname;
    const method = req.method ?? 'GET';
    const state = /^\/state\/([^/]+)\/([^/]+)$/.exec(path);
    const known = path === '/status' || path === '/commit_ts' || path === '/metrics' || state !== null;
    if (!known) return send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    if (state !== null) {
      if (method !== 'PUT') return send(res, 405, 'text/plain; charset=utf-8', '');
      const nodeId = decodeURIComponent(state[1] ?? '');
      const action = decodeURIComponent(state[2] ?? '');
      if (nodeId !== h.nodeId) {
        return send(
          res,
          200,
          JSON_TYPE,
          envelope(`invalid nodeID ${nodeId}, this pump's nodeID is ${h.nodeId}`, 3, null),
        );
      }
      if (!isNodeAction(action)) return send(res, 200, JSON_TYPE, envelope(`invalid action ${action}`, 3, null));
      const r = h.applyAction(action);
      return send(res, 200, JSON_TYPE, envelope(r.message, r.code, null));
    }
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', '');
    switch (path) {
      case '/status': {
        const s = h.status();
        const pumpPos = s.pumpPos === undefined ? null : Object.fromEntries(s.pumpPos);
        const body = `${stringifyJsonLossless({ PumpPos: pumpPos, Synced: s.synced, LastTS: s.lastTs, TsMap: '' })}\n`;
        return send(res, 200, JSON_TYPE, body);
      }
      case '/commit_ts':
        return send(res, 200, JSON_TYPE, envelope("get drainer's latest ts success!", 200, { ts: h.checkpointTs() }));
      default:
        h.metrics.metrics().then(
          (text) => send(res, 200, h.metrics.contentType, text),
          (err: unknown) => send(res, 500, 'text/plain; charset=utf-8', `${String(err)}\n`),
        );
    }
  };
}
