import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { ControlError, ControlErrorCode } from '../control/control-errors.js';
import type { NodeAction } from '../control/drainer-node.js';
import type { NodeStatus } from '../upstream/node-status.js';

export interface ActionTls {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** How long a node gets to answer `PUT /state/...` (Go uses http.Client defaults; a hung node should not hang us). */
const ACTION_TIMEOUT_MS = 10_000;

/**
 * `binlogctl pause-*|offline-*`: `PUT {http|https}://<host from etcd>/state/<nodeID>/<action>` on the node itself.
 * The node answers HTTP 200 with Go's envelope; `code` ≠ 200 (wrong id, not online, bad action) is a failure.
 * Resolves with the node's message.
 */
export async function applyNodeAction(
  node: NodeStatus,
  action: NodeAction,
  tls: ActionTls | undefined,
): Promise<string> {
  const url = `${tls === undefined ? 'http' : 'https'}://${node.host}/state/${encodeURIComponent(node.nodeId)}/${action}`;
  const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const opts = {
      method: 'PUT',
      timeout: ACTION_TIMEOUT_MS,
      ...(tls === undefined ? {} : { ca: tls.ca, cert: tls.cert, key: tls.key }),
    };
    const req = (tls === undefined ? httpRequest : httpsRequest)(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ACTION_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  }).catch((err: unknown) => {
    throw new ControlError(
      ControlErrorCode.Action,
      `cannot send ${action} to ${url}: ${err instanceof Error ? err.message : String(err)}`,
      { node: node.nodeId, url },
      err,
    );
  });
  if (body.status < 200 || body.status >= 300) {
    throw new ControlError(ControlErrorCode.Action, `${url} answered HTTP ${body.status}: ${body.text.trim()}`, {
      node: node.nodeId,
      url,
    });
  }
  let parsed: { code?: unknown; message?: unknown };
  try {
    parsed = JSON.parse(body.text) as { code?: unknown; message?: unknown };
  } catch (err) {
    throw new ControlError(
      ControlErrorCode.Action,
      `${url} answered something that is not JSON`,
      { node: node.nodeId, url },
      err,
    );
  }
  const message = typeof parsed.message === 'string' ? parsed.message : '';
  if (parsed.code !== 200)
    throw new ControlError(ControlErrorCode.Action, message || `${action} refused`, {
      node: node.nodeId,
      url,
      code: parsed.code,
    });
  return message;
}
