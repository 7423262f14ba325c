import { AbortedError, isRetryable } from '../errors/drainer-error.js';

/** How the runner retries a retryable failure: exponential backoff with jitter, per failure streak. */
export interface RetryPolicy {
  /** First delay. 200 ms: long enough for a dropped connection to be re-dialled, short enough to go unnoticed. */
  readonly initialBackoffMs: number;
  /** Cap. 30 s: a broker/server restart is usually back within it; longer only delays recovery. */
  readonly maxBackoffMs: number;
  readonly multiplier: number;
  /**
   * Give up (treat as fatal) after failing for this long without a success. 10 min: an outage longer than that
   * needs an operator, and a stopped drainer with an alert is better than one silently spinning.
   */
  readonly maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialBackoffMs: 200, maxBackoffMs: 30_000, multiplier: 2, maxElapsedMs: 600_000 };

/**
 * "Equal jitter": half the exponential delay is fixed, half random. Avoids both the synchronised retries of no
 * jitter and the zero-delay hammering full jitter allows.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
}

/** Resolves after `ms`, or rejects with AbortedError when `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortedError('backoff', signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError('backoff', signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls `fn` until it resolves. A retryable DrainerError is retried after a backoff (`onRetry` is told first); a
 * non-retryable error, an error after `maxElapsedMs` of failing, or an abort is thrown.
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry: (err: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (signal.aborted) throw err instanceof AbortedError ? err : new AbortedError('write', err);
      if (!isRetryable(err) || Date.now() - started >= policy.maxElapsedMs) throw err;
      const delayMs = backoffDelayMs(policy, attempt);
      onRetry(err, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}
