import type { TidbJob } from './tidb-json.js';

/**
 * One pass over TiDB's DDL history, oldest job id first, one bounded page at a time.
 *
 * Contract: pages come in ascending job-id order and no job id repeats; each page holds at most the source's page
 * size; `next` resolves `undefined` once the history as of the cursor's creation is exhausted. A page may be empty
 * (a window of ids that holds no job). Job ids follow creation order, not schema-version order: the consumer
 * reorders (see SchemaTracker).
 */
export interface HistoryCursor {
  next(signal: AbortSignal): Promise<readonly TidbJob[] | undefined>;
}

/** Where DDL jobs come from: TiDB's status API, a schema file, or a test double. */
export interface DdlJobSource {
  /** Starts a new pass over the history (each call is independent). */
  openHistory(): HistoryCursor;
  /** The history job with this id, or `undefined` while TiDB has not moved it to the history yet. */
  jobById(id: number, signal: AbortSignal): Promise<TidbJob | undefined>;
}
