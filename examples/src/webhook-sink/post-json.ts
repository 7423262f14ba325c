import { AbortedError, SinkError } from '@tidb-drainer/core/sdk';

/** Stable codes of the webhook sink's errors. */
export const WebhookErrorCode = {
  /** The receiver answered 408/425/429/5xx: it may accept the same request later. */
  Unavailable: 'E_WEBHOOK_UNAVAILABLE',
  /** The receiver rejected the request (other 4xx, 3xx): resending the same bytes cannot help. */
  Rejected: 'E_WEBHOOK_REJECTED',
  /** No answer within `timeout-ms`. */
  Timeout: 'E_WEBHOOK_TIMEOUT',
  /** Connection refused/reset, DNS try-again…: the network or the receiver is down for now. */
  Network: 'E_WEBHOOK_NETWORK',
  /** A transport failure we do not know to be transient (TLS certificate, unknown host…). */
  Transport: 'E_WEBHOOK_TRANSPORT',
} as const;

/** HTTP statuses that mean "not now" rather than "never" (RFC 9110 §15, plus 425 Too Early / 429 Too Many Requests). */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Transport error codes (Node net/dns and undici) that are transient: the same request may succeed later. */
const RETRYABLE_NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export interface PostOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Sent as `Idempotency-Key`. */
  readonly key: string;
  /** Where, for error details (commit ts range, batch seq…); never the body or header values. */
  readonly details: Readonly<Record<string, unknown>>;
}

function codeOf(err: unknown): string | undefined {
  // fetch wraps the socket error: TypeError('fetch failed', { cause: { code } }).
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * POSTs one JSON body and resolves once the receiver answered 2xx (the receiver's acknowledgement is what makes
 * the data durable for this sink). Every failure becomes a SinkError classified by HTTP status or error code, or
 * an AbortedError when `signal` aborted. Redirects are not followed: a moved endpoint is a configuration problem.
 */
export async function postJson(body: string, o: PostOptions, signal: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  let res: Response;
  try {
    res = await fetch(o.url, {
      method: 'POST',
      headers: { ...o.headers, 'content-type': 'application/json', 'idempotency-key': o.key },
      body,
      redirect: 'manual',
      signal: AbortSignal.any([signal, timeout]),
    });
  } catch (err) {
    if (signal.aborted) throw new AbortedError('webhook request', err);
    if (timeout.aborted) {
      throw SinkError.retryable(
        WebhookErrorCode.Timeout,
        `webhook: no answer within ${o.timeoutMs} ms`,
        err,
        o.details,
      );
    }
    const code = codeOf(err);
    const details = { ...o.details, ...(code === undefined ? {} : { errorCode: code }) };
    if (code !== undefined && RETRYABLE_NET_CODES.has(code)) {
      throw SinkError.retryable(WebhookErrorCode.Network, `webhook: cannot reach the receiver (${code})`, err, details);
    }
    throw SinkError.fatal(
      WebhookErrorCode.Transport,
      `webhook: request failed (${code ?? 'no error code'})`,
      err,
      details,
    );
  }
  // Drain the body so the keep-alive socket is reused; its content is not needed (and may hold secrets).
  await res.arrayBuffer().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return;
  const details = { ...o.details, status: res.status };
  if (RETRYABLE_STATUS.has(res.status)) {
    const retryAfter = res.headers.get('retry-after');
    throw SinkError.retryable(WebhookErrorCode.Unavailable, `webhook: receiver answered ${res.status}`, undefined, {
      ...details,
      ...(retryAfter === null ? {} : { retryAfter }),
    });
  }
  const hint =
    res.status === 413
      ? ' (lower max-request-bytes)'
      : res.status >= 300 && res.status < 400
        ? ' (redirects are not followed: fix the url)'
        : '';
  throw SinkError.fatal(
    WebhookErrorCode.Rejected,
    `webhook: receiver rejected the request with ${res.status}${hint}`,
    undefined,
    details,
  );
}
