import { AbortedError } from '../errors/drainer-error.js';
import { parseJsonFast } from './fast-lossless-json.js';
import type { DdlJobSource, HistoryCursor } from './ddl-job-source.js';
import { SchemaJsonError, StatusApiError } from './schema-errors.js';
import type { TidbJob } from './tidb-json.js';
import { readTidbJob } from './tidb-json.js';

export interface StatusApiSourceOptions {
  /** TiDB status addresses (`host:port`, port 10080 by default in TiDB), tried in order; or a function that looks them up (e.g. from PD's etcd). */
  readonly addresses: readonly string[] | ((signal: AbortSignal) => Promise<readonly string[]>);
  /** Jobs per request. TiDB ≥ 7.5 rejects limits above 2048 (`DefNumGetDDLHistoryJobs`). */
  readonly pageSize?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

/** Small enough that a page of wide-table jobs stays a few MB, large enough to need few requests. */
const DEFAULT_PAGE_SIZE = 512;
/** A status API request that takes longer than this is stuck (TiDB answers from one meta snapshot). */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Widest id window one request covers; TiDB's global ids grow by about one per table, partition or job. */
const MAX_WINDOW = 1 << 20;

/**
 * DDL jobs from TiDB's HTTP status API.
 *
 * How TiDB pages (`server/handler` `DDLHistoryJobHandler` + `ddl.ScanHistoryDDLJobs`, v7.1 and later):
 * `GET /ddl/history?start_job_id=S&limit=L` returns at most L history jobs with id ≤ S in **descending** id order;
 * `GET /ddl/history?limit=1` returns the newest job; no parameters returns every job (v7.1) or the last 1024 (later
 * versions), so it is never used. To replay oldest first with bounded memory the cursor walks ascending windows of
 * job ids `[lo, hi]`: it asks for `start_job_id = hi, limit = pageSize` and keeps the jobs with id ≥ lo; a window
 * that came back full without reaching `lo` is retried at half the width (never below `pageSize` ids, which cannot
 * overflow), and a window that came back thin doubles the next one (ids are shared with tables and partitions, so
 * jobs are sparse). The walk ends at the newest id seen at the start. A job by id is
 * `start_job_id = id, limit = 1`, accepted only if the returned job has that id.
 */
export class StatusApiSource implements DdlJobSource {
  private readonly pageSize: number;
  private readonly timeoutMs: number;
  private lastGood: string | undefined;

  constructor(private readonly opts: StatusApiSourceOptions) {
    this.pageSize = Math.max(1, Math.min(opts.pageSize ?? DEFAULT_PAGE_SIZE, 2048));
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  openHistory(): HistoryCursor {
    const limit = this.pageSize;
    let lo = 1;
    let width = limit;
    let maxId: number | undefined;
    return {
      next: async (signal) => {
        if (maxId === undefined) {
          const newest = await this.getJobs({ limit: 1 }, signal);
          maxId = newest[0]?.id ?? 0;
        }
        for (;;) {
          if (lo > maxId) return undefined;
          const hi = Math.min(lo + width - 1, maxId);
          const jobs = await this.getJobs({ start_job_id: hi, limit }, signal);
          const page = jobs.filter((j) => j.id >= lo && j.id <= hi);
          // The answer is the newest `limit` jobs ≤ hi: it covers the whole window unless it is full and stops
          // inside the window, which only a window wider than `limit` ids can cause. Then retry narrower.
          if (jobs.length >= limit && page.length === jobs.length && hi - lo + 1 > limit) {
            width = Math.max(limit, Math.floor(width / 2));
            continue;
          }
          lo = hi + 1;
          // Ids are shared with databases, tables and partitions, so jobs can be sparse: widen over thin ranges.
          if (page.length < limit / 2) width = Math.min(width * 2, MAX_WINDOW);
          return page.sort((a, b) => a.id - b.id);
        }
      },
    };
  }

  async jobById(id: number, signal: AbortSignal): Promise<TidbJob | undefined> {
    const jobs = await this.getJobs({ start_job_id: id, limit: 1 }, signal);
    const job = jobs[0];
    return job !== undefined && job.id === id ? job : undefined;
  }

  private async addresses(signal: AbortSignal): Promise<readonly string[]> {
    const a = this.opts.addresses;
    return typeof a === 'function' ? await a(signal) : a;
  }

  private async getJobs(params: Readonly<Record<string, number>>, signal: AbortSignal): Promise<TidbJob[]> {
    const query = new URLSearchParams(
      Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return this.getJson(`/ddl/history?${query}`, signal, parseJobs);
  }

  /**
   * GETs `path` from the first TiDB that answers (in address order) and parses the body; the last failure is thrown
   * when none answers. A malformed body is not retried elsewhere: every TiDB would serve the same.
   */
  async getJson<T>(path: string, signal: AbortSignal, parse: (body: string, url: string) => T): Promise<T> {
    const listed = await this.addresses(signal);
    if (listed.length === 0) throw new StatusApiError('no TiDB status address known', { url: path });
    // The TiDB that answered last goes first: a dead one listed first would otherwise cost a timeout per request.
    const addrs =
      this.lastGood !== undefined && listed.includes(this.lastGood)
        ? [this.lastGood, ...listed.filter((a) => a !== this.lastGood)]
        : listed;
    let lastError: unknown;
    for (const addr of addrs) {
      const url = `${addr.includes('://') ? addr : `http://${addr}`}${path}`;
      try {
        const value = parse(await this.get(url, signal), url);
        this.lastGood = addr;
        return value;
      } catch (err) {
        if (signal.aborted) throw new AbortedError('TiDB status API request', signal.reason);
        if (err instanceof SchemaJsonError) throw err;
        lastError = err;
      }
    }
    throw lastError;
  }

  private async get(url: string, signal: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.any([signal, timeout]) });
    } catch (err) {
      throw new StatusApiError(`TiDB status API request failed: ${url}`, { url }, err);
    }
    const text = await res.text();
    if (!res.ok) {
      throw new StatusApiError(`TiDB status API answered ${res.status}: ${text.slice(0, 200)}`, {
        url,
        status: res.status,
      });
    }
    return text;
  }
}

function parseJobs(body: string, url: string): TidbJob[] {
  let value: unknown;
  try {
    value = parseJsonFast(body);
  } catch (err) {
    throw new SchemaJsonError(`TiDB status API returned invalid JSON from ${url}: ${(err as Error).message}`, {
      path: url,
    });
  }
  // TiDB marshals a nil slice as `null`.
  if (value === null) return [];
  if (!Array.isArray(value)) throw new SchemaJsonError(`expected a JSON array of DDL jobs from ${url}`, { path: url });
  return value.map((v, i) => readTidbJob(v, `${url}[${i}]`));
}
