import { collectDefaultMetrics, Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

import { tsoPhysicalMs } from '../model/commit-ts.js';
import type { ChangeEvent } from '../model/events.js';

function exponential(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0, v = start; i < count; i++, v *= factor) out.push(v);
  return out;
}

/**
 * The Go drainer metrics (§11) the other stages do not register themselves, under the Go names, labels and buckets,
 * plus what the Go drainer lacks: the commit-ts lag. Registered once per registry (prom-client rejects duplicates);
 * the Go/process collectors become Node's default process/nodejs collectors.
 *
 * Already registered elsewhere on the same registry: `binlog_drainer_pump_position`, `read_binlog_size`,
 * `error_count` (upstream), `ddl_jobs_total` (decoder), `checkpoint_tso` (runner), `query_duration_time` (MySQL sink);
 * the runner's `drainer_runner_queue_bytes`, `drainer_runner_retries_total` and `drainer_sink_rows_total{sink}` are
 * the queue-bytes, retry and per-sink throughput figures.
 */
export class ControlMetrics {
  /** Go `binlog_drainer_event{type}`: Insert/Update/Delete per row change, DDL per DDL, after filtering. */
  readonly event: Counter<'type'>;
  /** Go `binlog_drainer_checkpoint_delay_seconds`: now − physical(checkpoint), observed every heartbeat. */
  readonly checkpointDelay: Histogram;
  /** Go `binlog_drainer_binlog_reach_duration_time{nodeID}`: now − physical(commit ts) when a binlog is received. */
  readonly reachDuration: Histogram<'nodeID'>;
  /**
   * Go `binlog_drainer_queue_size{name}`. Only `syncer_input` is fed: the binlogs received from pumps and not yet
   * merged (Go's syncer input channel holds merged items; our buffering sits before the merger). No `worker_N`.
   */
  readonly queueSize: Gauge<'name'>;
  /** Go `binlog_drainer_execute_duration_time`: how long handing one item to the sink stage took (runner back-pressure). */
  readonly executeDuration: Histogram;
  /** New: seconds between now and the checkpoint's physical time, computed at scrape time. */
  readonly commitTsLag: Gauge;

  constructor(registry: Registry, checkpointTs: () => bigint, queuedItems?: () => number) {
    const registers = [registry];
    this.event = new Counter({
      name: 'binlog_drainer_event',
      help: 'the count of receive event',
      labelNames: ['type'],
      registers,
    });
    this.checkpointDelay = new Histogram({
      name: 'binlog_drainer_checkpoint_delay_seconds',
      help: 'How much the downstream checkpoint lag behind',
      buckets: exponential(0.001, 2, 22),
      registers,
    });
    this.reachDuration = new Histogram({
      name: 'binlog_drainer_binlog_reach_duration_time',
      help: "Bucketed histogram of how long the binlog take to reach drainer since it's committed",
      labelNames: ['nodeID'],
      buckets: exponential(0.001, 2, 22),
      registers,
    });
    this.queueSize = new Gauge({
      name: 'binlog_drainer_queue_size',
      help: 'the size of queue',
      labelNames: ['name'],
      registers,
      collect() {
        if (queuedItems !== undefined) this.set({ name: 'syncer_input' }, queuedItems());
      },
    });
    this.executeDuration = new Histogram({
      name: 'binlog_drainer_execute_duration_time',
      help: 'Bucketed histogram of processing time (s) of a execute to sync data to downstream.',
      buckets: exponential(0.00005, 2, 18),
      registers,
    });
    this.commitTsLag = new Gauge({
      name: 'drainer_commit_ts_lag_seconds',
      help: 'Seconds between now and the physical time of the checkpoint commit ts (everything before it is synced)',
      registers,
      collect() {
        const ts = checkpointTs();
        this.set(ts === 0n ? 0 : Math.max(0, (Date.now() - tsoPhysicalMs(ts)) / 1000));
      },
    });
    if (registry.getSingleMetric('process_cpu_seconds_total') === undefined)
      collectDefaultMetrics({ register: registry });
  }

  /** Counts one event leaving the filter stage (Go counts DML per sequence element after filtering). */
  onEvent(e: ChangeEvent): void {
    switch (e.kind) {
      case 'txn': {
        let ins = 0;
        let upd = 0;
        let del = 0;
        for (const c of e.changes) {
          if (c.op === 'insert') ins++;
          else if (c.op === 'update') upd++;
          else del++;
        }
        if (ins > 0) this.event.inc({ type: 'Insert' }, ins);
        if (upd > 0) this.event.inc({ type: 'Update' }, upd);
        if (del > 0) this.event.inc({ type: 'Delete' }, del);
        return;
      }
      case 'ddl':
        this.event.inc({ type: 'DDL' });
        return;
      case 'resolved':
        return;
    }
  }

  /** One item handed to the runner in `ms` milliseconds (from yield until the runner asked for the next one). */
  onHandedOff(ms: number): void {
    this.executeDuration.observe(ms / 1000);
  }

  /** A binlog received from `pump` with `commitTs` (fake binlogs included, as Go observes every received item). */
  onReceived(pump: string, commitTs: bigint): void {
    this.reachDuration.observe({ nodeID: pump }, Math.max(0, (Date.now() - tsoPhysicalMs(commitTs)) / 1000));
  }

  /** Called every heartbeat with the checkpoint ts; a moved checkpoint counts as one Go `savepoint` event. */
  onCheckpoint(ts: bigint): void {
    if (ts === 0n) return;
    this.checkpointDelay.observe(Math.max(0, (Date.now() - tsoPhysicalMs(ts)) / 1000));
    if (ts !== this.lastCheckpoint) this.event.inc({ type: 'savepoint' });
    this.lastCheckpoint = ts;
  }

  private lastCheckpoint = 0n;
}
