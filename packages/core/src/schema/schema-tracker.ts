import type { Logger } from 'pino';
import type { TableInfo } from '../model/table-info.js';
import { parseColumnDefault } from '../codec/default-parse.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { AbortedError, isRetryable } from '../errors/drainer-error.js';
import { ActionType, MAX_GLOBAL_ID, SchemaState, isJobFinished, isSkippedJobType } from './ddl-action.js';
import type { DdlJobSource, HistoryCursor } from './ddl-job-source.js';
import { JobHeap } from './job-heap.js';
import type { CatalogSchema, DdlTarget } from './schema-catalog.js';
import { SchemaCatalog } from './schema-catalog.js';
import type { TidbJob } from './tidb-json.js';
import { jobSchemaVersion } from './tidb-json.js';
import type { DefaultValueParser } from './tidb-table-info.js';

export interface SchemaTrackerOptions {
  readonly source: DdlJobSource;
  /** Column default text → model value; the codec's `parseColumnDefault` unless a test swaps it. */
  readonly parseDefault?: DefaultValueParser;
  readonly logger?: Pick<Logger, 'warn' | 'debug' | 'info'>;
  /**
   * Jobs read ahead of the one being applied. History pages come in job-id order while jobs must be applied in
   * schema-version order; a job that finishes after more than this many later-created jobs would be applied late.
   */
  readonly lookahead?: number;
  /**
   * History pages are read lazily, so a TiDB outage can hit a DML binlog mid-stream (the Go drainer read everything at
   * start): a retryable read error is retried this many times in a row, with backoff, before it is thrown.
   */
  readonly historyMaxErrors?: number;
  /** First retry delay; doubles up to 5 s. */
  readonly historyRetryMs?: number;
}

/** Backoff ceiling for history page retries: TiDB restarts take seconds. */
const MAX_RETRY_MS = 5000;

/** Enough to cover the DDL jobs that can finish while one long job (an ADD INDEX reorg) runs, at ~2 KB per job. */
const DEFAULT_LOOKAHEAD = 1024;
/** `version → (schema, table)` entries kept for DDL binlogs; older ones belong to jobs whose binlog is long past. */
const MAX_TARGETS = 1024;

/**
 * TiDB's schema as of any schema version the drainer meets (the Go drainer's `Schema`, spec §3.6–§3.7).
 *
 * Contract:
 * - `advanceTo(v)` applies, in schema-version order, every known finished job with version ≤ v and not yet applied
 *   (`handlePreviousDDLJobIfNeed`). Call it with `checkpoint.schemaVersion + 1` at start, with a DML binlog's
 *   `schema_version` before decoding it, and `addJob(job)` for each DDL binlog.
 * - The history is read lazily, page by page, only as far as the versions asked for (plus `lookahead` jobs):
 *   memory holds at most `lookahead + page size` jobs whatever the history's length, plus two `TableInfo`s per table.
 * - Skipped job types (§3.7), unfinished jobs (cancelled, rolled back) and ids above `MAX_GLOBAL_ID` never change
 *   the schema. A DROP COLUMN job at DeleteOnly only marks its table as dropping a column.
 * - Not safe for concurrent use: one decoder owns it.
 */
export class SchemaTracker {
  private readonly catalog: SchemaCatalog;
  private readonly heap = new JobHeap();
  private readonly lookahead: number;
  private cursor: HistoryCursor | undefined;
  private version = 0;
  private readonly truncatedIds = new Set<number>();
  private readonly droppingColumn = new Set<number>();
  private readonly tableSchemaVersion = new Map<number, number>();
  private readonly targets = new Map<number, DdlTarget>();
  private peak = 0;

  constructor(private readonly opts: SchemaTrackerOptions) {
    this.catalog = new SchemaCatalog(opts.parseDefault ?? parseColumnDefault);
    this.lookahead = Math.max(1, opts.lookahead ?? DEFAULT_LOOKAHEAD);
    this.cursor = opts.source.openHistory();
  }

  /** Schema version of the last applied job. */
  get currentVersion(): number {
    return this.version;
  }

  /** Most jobs held at once (pending heap) since creation: stays ≤ lookahead + one page. */
  get peakPendingJobs(): number {
    return this.peak;
  }

  get pendingJobs(): number {
    return this.heap.size;
  }

  /** Applies every finished job with schema version ≤ `version` (reading more history when needed). */
  async advanceTo(version: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      await this.fill(signal);
      const top = this.heap.peek();
      if (top === undefined || jobSchemaVersion(top) > version) return;
      this.heap.pop();
      this.applyJob(top);
    }
  }

  /**
   * A DDL binlog's job (fetched by id; `schema_state` already overridden to DeleteOnly for the mid-drop binlog):
   * queued unless already known, then everything up to its version is applied.
   */
  async addJob(job: TidbJob, signal: AbortSignal): Promise<void> {
    const v = jobSchemaVersion(job);
    if (v > this.version && !this.heap.has(job.id, job.schema_state)) this.push(job);
    await this.advanceTo(v, signal);
  }

  /** The (schema, table) recorded when the job of `version` was applied; consumed (Go: `getSchemaTableAndDelete`). */
  takeDdlTarget(version: number): DdlTarget | undefined {
    const t = this.targets.get(version);
    if (t !== undefined) this.targets.delete(version);
    return t;
  }

  /** Newest definition of a table (a partition id resolves to its logical table). */
  tableById(id: number): TableInfo | undefined {
    return this.catalog.tableById(id);
  }

  /**
   * "pinfo" of spec §9.4: the oldest of the (≤ 2) stored versions whose schema version ≥ `version`; the newest when
   * both are older.
   */
  tableBySchemaVersion(id: number, version: number): TableInfo | undefined {
    const versions = this.catalog.tableVersions(id);
    return versions.find((t) => t.schemaVersion >= version) ?? versions[versions.length - 1];
  }

  /** Rows may lack columns: the table is mid DROP COLUMN, or the row predates the table's last DDL (§9.4). */
  canAppendDefaultValue(id: number, version: number): boolean {
    return this.droppingColumn.has(id) || version < (this.tableSchemaVersion.get(id) ?? 0);
  }

  /** Ids of tables replaced by TRUNCATE: DML still written against them is dropped (spec §6.1 3b). */
  isTruncatedTableId(id: number): boolean {
    return this.truncatedIds.has(id);
  }

  schemaById(id: number): CatalogSchema | undefined {
    return this.catalog.schemaById(id);
  }

  schemas(): CatalogSchema[] {
    return this.catalog.schemaList();
  }

  tableCount(): number {
    return this.catalog.tableCount();
  }

  private push(job: TidbJob): void {
    this.heap.push(job);
    if (this.heap.size > this.peak) this.peak = this.heap.size;
  }

  private async fill(signal: AbortSignal): Promise<void> {
    while (this.cursor !== undefined && this.heap.size < this.lookahead) {
      if (signal.aborted) throw new AbortedError('DDL history read', signal.reason);
      const page = await this.nextPage(this.cursor, signal);
      if (page === undefined) {
        this.cursor = undefined;
        return;
      }
      for (const job of page) if (this.worthQueueing(job)) this.push(job);
    }
  }

  private async nextPage(cursor: HistoryCursor, signal: AbortSignal): Promise<readonly TidbJob[] | undefined> {
    const maxErrors = this.opts.historyMaxErrors ?? 10;
    let delay = this.opts.historyRetryMs ?? 200;
    for (let errors = 1; ; errors++) {
      try {
        return await cursor.next(signal);
      } catch (err) {
        if (signal.aborted) throw new AbortedError('DDL history read', signal.reason);
        if (!isRetryable(err) || errors >= maxErrors) throw err;
        this.opts.logger?.warn({ err, attempt: errors }, 'reading the DDL history failed, retrying');
        try {
          await sleep(delay, undefined, { signal });
        } catch {
          throw new AbortedError('DDL history read', signal.reason);
        }
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  private worthQueueing(job: TidbJob): boolean {
    const v = jobSchemaVersion(job);
    return v > this.version && isJobFinished(job.state) && !isSkippedJobType(job.type);
  }

  private applyJob(job: TidbJob): void {
    const v = jobSchemaVersion(job);
    const log = this.opts.logger;
    if (v <= this.version) {
      log?.debug({ jobId: job.id, schemaVersion: v, currentVersion: this.version }, 'DDL job already applied, skipped');
      return;
    }
    if (job.type === ActionType.DropColumn && job.schema_state === SchemaState.DeleteOnly) {
      this.droppingColumn.add(job.table_id);
      return;
    }
    if (isSkippedJobType(job.type) || !isJobFinished(job.state)) return;
    if (job.table_id > MAX_GLOBAL_ID) {
      log?.debug({ jobId: job.id, tableId: job.table_id }, 'DDL job on a DDL-internal system table ignored');
      return;
    }
    const target = this.catalog.apply(job, v);
    if (job.type === ActionType.TruncateTable) this.truncatedIds.add(job.table_id);
    if (job.type === ActionType.DropColumn) this.droppingColumn.delete(job.table_id);
    this.version = v;
    this.tableSchemaVersion.set(job.table_id, v);
    this.targets.set(v, target);
    if (this.targets.size > MAX_TARGETS) {
      const oldest = this.targets.keys().next();
      if (oldest.done !== true) this.targets.delete(oldest.value);
    }
  }
}
