import { AbortedError, SinkError } from '@tidb-drainer/core/sdk';

/** errno codes after which the same write may succeed (a full disk can be freed; EAGAIN/EINTR are transient). */
const RETRYABLE = new Set(['EAGAIN', 'EINTR', 'ENOSPC', 'EDQUOT', 'EBUSY', 'EMFILE', 'ENFILE']);

/** Wraps a file-system error once, classified by its errno code. */
export function fileError(what: string, err: unknown, details: Readonly<Record<string, unknown>>): Error {
  if (err instanceof SinkError || err instanceof AbortedError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  const retryable = RETRYABLE.has(code);
  return new SinkError(retryable ? 'E_FILE_RETRYABLE' : 'E_FILE_IO', `file sink: ${what} failed (${code})`, {
    retryable,
    cause: err,
    details: { ...details, errno: code },
  });
}
