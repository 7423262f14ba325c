import type { CommitTs } from '../model/commit-ts.js';
import type { Checkpoint } from '../sdk/sink.js';

/** `initial-commit-ts = -1` (the Go default) means "start now": replaced by a fresh PD TSO at startup. */
export const INITIAL_COMMIT_TS_NOW = -1n;

export interface StartCheckpoint {
  readonly checkpoint: Checkpoint;
  /** True when it came from the store; false when initial-commit-ts (or the current TSO) was used. */
  readonly fromStore: boolean;
}

/**
 * The Go drainer's rule (spec §7.4): a stored checkpoint wins; `initial-commit-ts` is used only when none exists
 * or the stored commit ts is 0; `-1` stands for the current TSO (fetched lazily, only when needed). Pumps then
 * send binlogs with commit ts strictly greater than the result.
 */
export async function resolveStartCheckpoint(
  stored: Checkpoint | undefined,
  initialCommitTs: bigint,
  currentTso: () => Promise<CommitTs>,
): Promise<StartCheckpoint> {
  if (stored !== undefined && stored.commitTs !== 0n) return { checkpoint: stored, fromStore: true };
  if (initialCommitTs < INITIAL_COMMIT_TS_NOW) throw new RangeError(`initial-commit-ts must be ≥ -1 (got ${initialCommitTs})`);
  const commitTs = initialCommitTs === INITIAL_COMMIT_TS_NOW ? await currentTso() : initialCommitTs;
  // A fresh start has applied nothing, so it is "consistent" in the spec's sense (nothing after commitTs applied).
  return { checkpoint: { commitTs, schemaVersion: stored?.schemaVersion ?? 0, consistent: true }, fromStore: false };
}
