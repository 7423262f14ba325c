import { resolveStartCheckpoint } from '../checkpoint/initial-commit-ts.js';
import type { StartCheckpoint } from '../checkpoint/initial-commit-ts.js';
import type { CommitTs } from '../model/commit-ts.js';
import { tsoFromPhysical } from '../model/commit-ts.js';
import type { Checkpoint, ResumePoint } from '../sdk/sink.js';
import { DEFAULT_CLOCK_SKEW_MARGIN_MS } from './runner-options.js';
import type { RunnerOptions } from './runner-options.js';

/**
 * Where a sink resumes and how far it must apply idempotently.
 *
 * The rule: after a clean shutdown (`consistent: true`) nothing past the checkpoint was applied, so
 * `replaySafeUntil = checkpoint`. Otherwise the previous run may have applied anything it had pulled before it
 * died — checkpoints are saved every few seconds, and up to the memory quota of batches can be in flight. The
 * stored formats (Go's) record no high-water mark, so the bound used is `upperBound`: a TSO obtained at startup
 * (PD's current TSO when the upstream client provides it). It is sound because every transaction the previous
 * run applied was committed, and thus got its commit ts, before that run died — i.e. before this TSO was issued.
 * It can be longer than necessary (a drainer that was far behind replays idempotently until it catches up to
 * "now"); the Go drainer instead stays in safe mode for 5 minutes of wall time, which is shorter but not sound
 * when the drainer is catching up a backlog. Sinks may additionally keep their own safe-mode rules.
 */
export function computeResumePoint(start: Checkpoint, upperBound: CommitTs): ResumePoint {
  if (start.consistent) return { checkpoint: start.commitTs, replaySafeUntil: start.commitTs };
  return { checkpoint: start.commitTs, replaySafeUntil: upperBound > start.commitTs ? upperBound : start.commitTs };
}

/**
 * The start checkpoint (stored, else initial-commit-ts) and the resume point. The replay bound is PD's current
 * TSO when `currentTso` is given, else the wall clock plus `clockSkewMarginMs` (a host clock may lag PD's).
 */
export async function resolveResumePoint(
  stored: Checkpoint | undefined,
  o: Pick<RunnerOptions, 'initialCommitTs' | 'currentTso' | 'clockSkewMarginMs'>,
  signal: AbortSignal,
): Promise<{ readonly start: StartCheckpoint; readonly resume: ResumePoint }> {
  const tso = o.currentTso;
  const now = async (): Promise<CommitTs> => (tso !== undefined ? tso(signal) : tsoFromPhysical(Date.now()));
  const start = await resolveStartCheckpoint(stored, o.initialCommitTs ?? -1n, now);
  const cp = start.checkpoint;
  let bound = cp.commitTs;
  if (!cp.consistent) bound = tso !== undefined ? await tso(signal) : tsoFromPhysical(Date.now() + (o.clockSkewMarginMs ?? DEFAULT_CLOCK_SKEW_MARGIN_MS));
  return { start, resume: computeResumePoint(cp, bound) };
}
