import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TidbSchemaModel } from './tidb-schema-model.js';

/** A marker no TiDB JSON string contains; `"<mark>123"` becomes the number 123 in the output. */
const BIGINT_MARK = '\u0000bigint:';
const BIGINT_RE = /"\\u0000bigint:(-?\d+)"/g;

export interface FakeTidbStatusApiOptions {
  readonly model: TidbSchemaModel;
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number;
  /** Largest `limit` accepted (TiDB ≥ 7.5: 2048; v7.1 has no cap). */
  readonly maxLimit?: number;
}

/** What the fake has served, for assertions on paging. */
export interface FakeTidbStats {
  readonly requests: number;
  readonly historyRequests: number;
  /** Most jobs returned by one `/ddl/history` response. */
  readonly maxJobsPerResponse: number;
}

/**
 * A fake of TiDB's HTTP status API (the endpoints the drainer uses), served on loopback from a TidbSchemaModel:
 *
 * - `GET /ddl/history` — v7.1 semantics of `DDLHistoryJobHandler`: no parameters → every job, ascending id;
 *   `limit=L` → the newest L jobs, descending; `start_job_id=S&limit=L` → at most L jobs with id ≤ S, descending;
 *   `start_job_id` without `limit`, `start_job_id < 1`, `limit < 1` → HTTP 400 with TiDB's message.
 * - `GET /schema` → every DBInfo; `/schema/{db}` → its TableInfos; `/schema/{db}/{table}` → one TableInfo;
 *   `/schema?table_id=N` → one TableInfo.
 * - `GET /status` → `{connections, version, git_hash}`.
 * Responses are JSON like TiDB's (tab-indented, `application/json`); int64 values stay exact.
 */
export class FakeTidbStatusApi {
  private server: Server | undefined;
  private stats = { requests: 0, historyRequests: 0, maxJobsPerResponse: 0 };
  /** When set, `/ddl/history` answers 503 (to test retries and fail-over). */
  failHistory = false;

  constructor(private readonly opts: FakeTidbStatusApiOptions) {}

  async start(): Promise<string> {
    if (this.server !== undefined) return this.address;
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return this.address;
  }

  /** `127.0.0.1:<port>`, what TiDB registers as its status address. */
  get address(): string {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (a === undefined || a === null) throw new Error('fake TiDB status API not started');
    return `127.0.0.1:${a.port}`;
  }

  get port(): number {
    return Number(this.address.split(':')[1]);
  }

  getStats(): FakeTidbStats {
    return { ...this.stats };
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.stats.requests++;
    const url = new URL(req.url ?? '/', 'http://fake-tidb');
    const parts = url.pathname
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    try {
      if (req.method !== 'GET') return this.error(res, 405, 'method not allowed');
      if (parts[0] === 'ddl' && parts[1] === 'history' && parts.length === 2) return this.history(url, res);
      if (parts[0] === 'schema') return this.schema(parts.slice(1), url, res);
      if (parts[0] === 'status' && parts.length === 1)
        return this.json(res, { connections: 0, version: '8.0.11-TiDB-v7.1.6', git_hash: 'fake' });
      return this.error(res, 404, '404 page not found');
    } catch (err) {
      return this.error(res, 500, (err as Error).message);
    }
  }

  private history(url: URL, res: ServerResponse): void {
    this.stats.historyRequests++;
    if (this.failHistory) return this.error(res, 503, 'fake TiDB: history unavailable');
    const startRaw = url.searchParams.get('start_job_id');
    const limitRaw = url.searchParams.get('limit');
    const start = startRaw === null || startRaw === '' ? 0 : Number(startRaw);
    const limit = limitRaw === null || limitRaw === '' ? 0 : Number(limitRaw);
    if (!Number.isInteger(start)) return this.error(res, 400, `strconv.Atoi: parsing "${startRaw}": invalid syntax`);
    if (!Number.isInteger(limit)) return this.error(res, 400, `strconv.Atoi: parsing "${limitRaw}": invalid syntax`);
    if (startRaw !== null && startRaw !== '' && start < 1)
      return this.error(res, 400, 'ddl history start_job_id must be greater than 0');
    const max = this.opts.maxLimit;
    if (limitRaw !== null && limitRaw !== '' && (limit < 1 || (max !== undefined && limit > max))) {
      return this.error(
        res,
        400,
        max === undefined
          ? 'ddl history limit must be greater than 0'
          : `ddl history limit must be greater than 0 and less than or equal to ${max}`,
      );
    }
    const jobs = this.opts.model.jobs;
    let out: readonly unknown[];
    if (start === 0 && limit === 0) out = jobs;
    else if (start > 0 && limit === 0)
      return this.error(res, 400, "when 'start_job_id' is specified, it must work with a 'limit'");
    else {
      // Jobs are kept in ascending id order: find the last one with id ≤ start, then walk down.
      let hi = jobs.length;
      if (start > 0) {
        let lo = 0;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (jobs[mid]!.id <= start) lo = mid + 1;
          else hi = mid;
        }
      }
      out = jobs.slice(Math.max(0, hi - limit), hi).reverse();
    }
    this.stats.maxJobsPerResponse = Math.max(this.stats.maxJobsPerResponse, out.length);
    this.json(res, out);
  }

  private schema(parts: readonly string[], url: URL, res: ServerResponse): void {
    const model = this.opts.model;
    const tableId = url.searchParams.get('table_id');
    if (parts.length === 0 && tableId !== null) {
      const found = model.tableJsonById(Number(tableId));
      return found === undefined
        ? this.error(res, 400, '[schema:1146]Table which ID = ' + tableId + ' does not exist.')
        : this.json(res, found.table);
    }
    if (parts.length === 0) return this.json(res, model.databases());
    const db = parts[0]!;
    if (!model.databases().some((d) => d.db_name.L === db.toLowerCase()))
      return this.error(res, 400, `[schema:1049]Unknown database '${db}'`);
    if (parts.length === 1) return this.json(res, model.tablesOf(db));
    const t = model.tablesOf(db).find((x) => x.name.L === parts[1]!.toLowerCase());
    return t === undefined
      ? this.error(res, 400, `[schema:1146]Table '${db}.${parts[1]}' doesn't exist`)
      : this.json(res, t);
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    // Native JSON.stringify (much faster than a lossless stringifier) with int64 values spliced back unquoted.
    const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? `${BIGINT_MARK}${v}` : v), '\t');
    res.end(text.replace(BIGINT_RE, '$1'));
  }

  private error(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(message);
  }
}
