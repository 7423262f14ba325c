import { AbortedError } from '@tidb-drainer/core/sdk';

/**
 * Resolves like `p`, or rejects with AbortedError as soon as `signal` aborts. The underlying request is not
 * cancelled (kafkajs cannot cancel one); its outcome is ignored, and the batch counts as not delivered.
 */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(new AbortedError(what, signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError(what, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error('non-Error rejection', { cause: e }));
      },
    );
  });
}
