import { DrainerError, ErrorCode } from '../errors/drainer-error.js';
import type { Checkpoint } from '../sdk/sink.js';

/**
 * Where the runner keeps the checkpoint between runs. Formats are the Go drainer's, so a user can switch between
 * the Go drainer and this one in both directions.
 *
 * - `load` returns what is stored, or undefined when nothing is (no file, no row) or the stored commit ts is 0 —
 *   the Go drainer treats both as "use initial-commit-ts" (see `resolveStartCheckpoint`).
 * - `save` is atomic: after a crash at any instant, `load` returns either the previous or the new checkpoint,
 *   never a mix. Saves are issued one at a time by one owner.
 * - `close` releases connections/handles; idempotent.
 * Errors are `CheckpointError`s; `retryable` says whether repeating the same call may succeed.
 */
export interface CheckpointStore {
  /** `file` or `mysql` (as in `[syncer.to.checkpoint] type`). */
  readonly kind: string;
  /** Where: the savepoint path or `schema.table#clusterId`, for logs and errors. */
  readonly location: string;
  load(signal?: AbortSignal): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** A checkpoint could not be read or written. Names the store and where. */
export class CheckpointError extends DrainerError {
  constructor(message: string, options: { retryable: boolean; cause?: unknown; details: Readonly<Record<string, unknown>> }) {
    super(ErrorCode.Checkpoint, message, options);
  }
}
