import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DecodeError } from '../errors/drainer-error.js';
import type { ChangeEvent, DdlEvent, Resolved, RowChange, Txn } from '../model/events.js';
import { decodePrewriteValue } from '../protocol/tipb-codec.js';
import type { MergedBinlog, MergedItem } from '../upstream/merged-item.js';
import { ActionType, MAX_GLOBAL_ID, SchemaState, isJobFinished, isSkippedJobType } from '../schema/ddl-action.js';
import type { DdlJobSource } from '../schema/ddl-job-source.js';
import { SchemaInconsistentError } from '../schema/schema-errors.js';
import type { SchemaTracker } from '../schema/schema-tracker.js';
import type { TidbJob } from '../schema/tidb-json.js';
import { jobSchemaVersion } from '../schema/tidb-json.js';
import { waitForJob } from '../schema/wait-for-job.js';
import type { DecoderMetrics } from './decoder-metrics.js';
import { decoderMetrics } from './decoder-metrics.js';
import { decodeMutation, isDroppedMutation, tableIdOf } from './dml-decoder.js';

export interface BinlogDecoderOptions {
  readonly tracker: SchemaTracker;
  /** Where a DDL binlog's job is fetched by id (normally the tracker's own source). */
  readonly jobs: DdlJobSource;
  readonly logger?: Pick<Logger, 'warn' | 'debug' | 'info'>;
  /** Pause between lookups of a DDL job not yet in TiDB's history (default 1 s, as the Go drainer). */
  readonly jobPollMs?: number;
  /** Consecutive failed job lookups before the error is thrown (default 10, as the Go drainer). */
  readonly jobMaxErrors?: number;
  /** Where `binlog_drainer_ddl_jobs_total` is registered; no metrics without it. */
  readonly registry?: Registry;
}

const utf8 = new TextDecoder();

/**
 * Turns merged binlogs into the model's events (ARCHITECTURE §3), keeping the SchemaTracker in step.
 *
 * Contract:
 * - Call `start(checkpointSchemaVersion)` once, then `decode(item)` for every merged item in commit-ts order, never
 *   concurrently (the tracker is stateful). Output keeps that order.
 * - Result per item:
 *   - fake binlog → `Resolved { commitTs }`;
 *   - DML → `Txn` with changes in upstream order (tables in PrewriteValue order, rows in each mutation's `sequence`
 *     order); `bytes` = the binlog's payload size. Mutations on truncated tables' old ids (and on ids above TiDB's
 *     MaxGlobalID) are dropped; when nothing is left → `Resolved`;
 *   - DDL → `DdlEvent` (query = the binlog's DDL text) after applying the job to the tracker, or `Resolved` when the
 *     job type is skipped (§3.7), when it is the DeleteOnly step of a DROP COLUMN, or when the job failed (schema
 *     version 0). `CREATE TABLES` (job type 60) is emitted: the MySQL/TiDB sinks must not replay it (Go drainer
 *     §6.1 d), the tracker has already applied it;
 *   - `undefined` (no event, no watermark — the Go collector drops these outright): `select setval` DDL binlogs
 *     (sequence value changes) and DDL binlogs whose job was cancelled or rolled back.
 * - Errors: undecodable bytes → `DecodeError`; a table id the schema does not know → `TableNotFoundError` (naming
 *   commit ts and table id); never skipped. Waiting for a DDL job ends only with the signal (`AbortedError`) or
 *   after `jobMaxErrors` failed lookups in a row.
 */
export class BinlogDecoder {
  private readonly metrics: DecoderMetrics | undefined;

  constructor(private readonly opts: BinlogDecoderOptions) {
    this.metrics = opts.registry === undefined ? undefined : decoderMetrics(opts.registry);
  }

  /** Applies the history up to `checkpointSchemaVersion + 1` (the Go syncer's start). */
  async start(checkpointSchemaVersion: number, signal: AbortSignal): Promise<void> {
    await this.opts.tracker.advanceTo(checkpointSchemaVersion + 1, signal);
  }

  async decode(item: MergedItem, signal: AbortSignal): Promise<ChangeEvent | undefined> {
    if (item.kind === 'fake' || item.startTs === item.commitTs) return resolved(item.commitTs);
    if (item.binlog.ddlJobId > 0n) return this.decodeDdl(item, signal);
    return this.decodeDml(item, signal);
  }

  private async decodeDml(item: MergedBinlog, signal: AbortSignal): Promise<Txn | Resolved> {
    const { tracker } = this.opts;
    const raw = item.binlog.prewriteValue;
    if (raw === undefined) {
      throw new DecodeError(`DML binlog without prewrite value (commit ts ${item.commitTs})`, {
        commitTs: item.commitTs,
        pump: item.pump,
      });
    }
    let pv;
    try {
      pv = decodePrewriteValue(raw);
    } catch (err) {
      if (err instanceof DecodeError)
        throw new DecodeError(
          `${err.message} (commit ts ${item.commitTs})`,
          { ...err.details, commitTs: item.commitTs, pump: item.pump },
          err,
        );
      throw err;
    }
    const schemaVersion = safeNumber(pv.schemaVersion, 'schema version', item);
    const ctx = { commitTs: item.commitTs, schemaVersion, pump: item.pump };
    const kept = [];
    for (const m of pv.mutations) {
      const id = tableIdOf(m, ctx);
      if (!isDroppedMutation(tracker, id)) kept.push({ m, id });
    }
    await tracker.advanceTo(schemaVersion, signal);
    const changes: RowChange[] = [];
    for (const { m, id } of kept) decodeMutation(tracker, m, id, ctx, changes);
    if (changes.length === 0) return resolved(item.commitTs);
    return {
      kind: 'txn',
      commitTs: item.commitTs,
      startTs: item.startTs,
      schemaVersion,
      changes,
      bytes: item.payloadBytes,
    };
  }

  private async decodeDdl(item: MergedBinlog, signal: AbortSignal): Promise<DdlEvent | Resolved | undefined> {
    const { tracker, logger } = this.opts;
    const query = item.binlog.ddlQuery === undefined ? '' : utf8.decode(item.binlog.ddlQuery);
    // Sequence value changes come as fake DDL binlogs with a mock job id that has no history job (§3.2, §3.5).
    if (query.toLowerCase().startsWith('select setval')) return undefined;
    const jobId = safeNumber(item.binlog.ddlJobId, 'DDL job id', item);
    let job: TidbJob = await waitForJob(this.opts.jobs, jobId, {
      signal,
      ...(this.opts.jobPollMs !== undefined ? { intervalMs: this.opts.jobPollMs } : {}),
      ...(this.opts.jobMaxErrors !== undefined ? { maxErrors: this.opts.jobMaxErrors } : {}),
    });
    this.metrics?.ddlJobsTotal.inc();
    const deleteOnly = item.binlog.ddlSchemaState === SchemaState.DeleteOnly;
    if (!isJobFinished(job.state) && !deleteOnly) {
      logger?.info(
        { jobId, commitTs: item.commitTs.toString(), state: job.state },
        'DDL binlog of a cancelled or rolled-back job dropped',
      );
      return undefined;
    }
    if (deleteOnly) job = { ...job, schema_state: SchemaState.DeleteOnly };
    if (isSkippedJobType(job.type) || job.table_id > MAX_GLOBAL_ID) return resolved(item.commitTs);
    const version = jobSchemaVersion(job);
    await tracker.addJob(job, signal);
    if (job.type === ActionType.DropColumn && job.schema_state === SchemaState.DeleteOnly)
      return resolved(item.commitTs);
    if (version === 0) return resolved(item.commitTs);
    const target = tracker.takeDdlTarget(version);
    if (target === undefined) {
      throw new SchemaInconsistentError(
        `no schema/table recorded for DDL job ${jobId} at schema version ${version} (commit ts ${item.commitTs})`,
        {
          jobId,
          schemaVersion: version,
        },
      );
    }
    logger?.info(
      { commitTs: item.commitTs.toString(), jobId, schema: target.schema, table: target.table, query },
      'add ddl item to syncer, you can add this commit ts to `ignore-txn-commit-ts` to skip this ddl if needed',
    );
    const tableId = job.binlog?.TableInfo?.id;
    const tableInfo = tableId !== undefined && target.table !== undefined ? tracker.tableById(tableId) : undefined;
    return {
      kind: 'ddl',
      commitTs: item.commitTs,
      schema: target.schema,
      ...(target.table !== undefined ? { table: target.table } : {}),
      query,
      jobId,
      jobType: job.type,
      schemaVersion: version,
      ...(tableInfo !== undefined ? { tableInfo } : {}),
    };
  }
}

function resolved(commitTs: bigint): Resolved {
  return { kind: 'resolved', commitTs };
}

function safeNumber(v: bigint, what: string, item: MergedBinlog): number {
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DecodeError(`${what} ${v} out of range (commit ts ${item.commitTs})`, {
      commitTs: item.commitTs,
      pump: item.pump,
    });
  }
  return Number(v);
}
