import { SinkError } from '../sdk/index.js';

/** errno codes after which the same write can succeed later (space freed, device ready, signal interruption). */
const RETRYABLE_ERRNO = new Set(['ENOSPC', 'EAGAIN', 'EBUSY', 'EINTR', 'EDQUOT']);

/** Wraps a file/stream error once, classified by its errno code (never its message). */
export function outputError(sinkType: string, what: string, err: unknown, details: Readonly<Record<string, unknown>>): SinkError {
  if (err instanceof SinkError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  const retryable = code !== undefined && RETRYABLE_ERRNO.has(code);
  const prefix = `E_${sinkType.toUpperCase().replace(/-/g, '_')}`;
  return new SinkError(`${prefix}_${retryable ? 'RETRYABLE' : 'IO'}`, `${sinkType} sink: cannot ${what}`, { retryable, cause: err, details: { ...details, errno: code } });
}
