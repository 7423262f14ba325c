import type { CommitTs } from '../model/commit-ts.js';
import type { Checkpoint, ResumePoint } from '../sdk/sink.js';

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
