import { setTimeout as sleep } from 'node:timers/promises';
import { AbortedError, isRetryable } from '../errors/drainer-error.js';
import type { DdlJobSource } from './ddl-job-source.js';
import type { TidbJob } from './tidb-json.js';

export interface WaitForJobOptions {
  readonly signal: AbortSignal;
  /** Pause between lookups while the job is not in the history yet (Go drainer: 1 s). */
  readonly intervalMs?: number;
  /** Consecutive failed lookups tolerated before giving up (Go drainer: 10 tries, 1 s apart). */
  readonly maxErrors?: number;
}

/**
 * Fetches a DDL binlog's job by id, waiting as long as it takes for TiDB to move it to the history (spec §3.5 step
 * 2: the binlog can arrive before the job is visible). Lookup errors are retried `maxErrors` times in a row, then
 * thrown; only the signal ends the wait for a job that is not there yet.
 */
export async function waitForJob(source: DdlJobSource, jobId: number, opts: WaitForJobOptions): Promise<TidbJob> {
  const interval = opts.intervalMs ?? 1000;
  const maxErrors = opts.maxErrors ?? 10;
  let errors = 0;
  for (;;) {
    if (opts.signal.aborted) throw new AbortedError(`wait for DDL job ${jobId}`, opts.signal.reason);
    try {
      const job = await source.jobById(jobId, opts.signal);
      if (job !== undefined) return job;
      errors = 0;
    } catch (err) {
      if (opts.signal.aborted) throw new AbortedError(`wait for DDL job ${jobId}`, opts.signal.reason);
      errors += 1;
      if (!isRetryable(err) || errors >= maxErrors) throw err;
    }
    try {
      await sleep(interval, undefined, { signal: opts.signal });
    } catch {
      throw new AbortedError(`wait for DDL job ${jobId}`, opts.signal.reason);
    }
  }
}
