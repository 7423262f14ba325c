import type { Logger } from 'pino';
import pino from 'pino';

import type { CommitTs } from '../model/commit-ts.js';
import type { BackoffOptions } from './backoff.js';
import { Merger } from './merger.js';
import type { NodeStatus } from './node-status.js';
import type { PumpRegistry } from './pump-registry.js';
import { PumpStream, type PumpStreamStatus, type PumpTlsOptions } from './pump-stream.js';
import type { PumpRegistryError } from './upstream-errors.js';
import type { UpstreamMetrics } from './upstream-metrics.js';

export interface UpstreamOptions {
  readonly registry: PumpRegistry;
  readonly clusterId: bigint;
  /** Checkpoint ts: the merger starts after it and every initial pump is pulled from it. */
  readonly initialCommitTs: CommitTs;
  /** Go's detect-interval (default 5 s): re-list pumps even when the watch is quiet. */
  readonly detectIntervalMs?: number;
  readonly tls?: PumpTlsOptions;
  readonly compression?: 'gzip';
  readonly maxBufferedBytesPerPump?: number;
  readonly backoff?: BackoffOptions;
  readonly logger?: Logger;
  readonly metrics?: UpstreamMetrics;
}

export interface UpstreamStatus {
  /** Last commit ts received per pump (the `PumpPos` of the drainer's /status). */
  readonly pumpPos: ReadonlyMap<string, bigint>;
  /** Pumps the merge is waiting for right now (registered, nothing pending). */
  readonly waitingOn: readonly string[];
  readonly latestTs: CommitTs;
  readonly pumps: readonly PumpStreamStatus[];
}

/** Go's default detect-interval. */
export const DEFAULT_DETECT_INTERVAL_MS = 5000;

/**
 * The Go drainer's Collector for pumps (§4.4, §5.4): keeps one PumpStream per non-offline pump in the registry and
 * feeds them to one Merger. New pump (state ≠ offline) → stream from `merger.latestTs` and add; `offline` → remove and
 * close; `paused` → stop pulling; `online` → pull again; `pausing` / `closing` → nothing. Reacts to etcd watch
 * events, every detect interval, and to `refresh()` (Cistern `Notify`).
 *
 * Owner: `start()` once, read items from `merger`, `close()` once (stops the streams and the watch).
 */
export class Upstream {
  readonly merger: Merger;
  private readonly streams = new Map<string, PumpStream>();
  private readonly log: Logger;
  private stopWatch: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private closed = false;

  constructor(private readonly options: UpstreamOptions) {
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'upstream' });
    this.merger = new Merger({ initialTs: options.initialCommitTs, logger: options.logger, metrics: options.metrics });
  }

  /** Lists the pumps once (errors propagate: a drainer that cannot read its pumps at startup stops), then watches. */
  async start(signal?: AbortSignal): Promise<void> {
    await this.applySnapshot(signal);
    this.stopWatch = this.options.registry.watch(
      () => this.scheduleRefresh(),
      (err: PumpRegistryError) => this.log.warn(err.toLog(), 'pump registry watch error'),
    );
    this.timer = setInterval(() => this.scheduleRefresh(), this.options.detectIntervalMs ?? DEFAULT_DETECT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Re-reads the registry now and applies it (Cistern `Notify`); rejects when the registry cannot be read. */
  async refresh(signal?: AbortSignal): Promise<void> {
    await this.applySnapshot(signal);
  }

  status(): UpstreamStatus {
    const pumpPos = new Map<string, bigint>();
    const pumps: PumpStreamStatus[] = [];
    for (const [id, s] of this.streams) {
      pumpPos.set(id, s.lastCommitTs);
      const st = s.status();
      pumps.push(st);
      this.options.metrics?.pumpBufferedBytes.set({ nodeID: id }, st.bufferedBytes);
    }
    return { pumpPos, waitingOn: this.merger.waitingOn(), latestTs: this.merger.latestTs, pumps };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatch?.();
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.refreshing?.catch(() => undefined);
    const all = [...this.streams.values()];
    for (const s of all) this.merger.removeSource(s.nodeId);
    this.streams.clear();
    await Promise.all(all.map((s) => s.close()));
  }

  /** Coalesces watch events and ticks into one refresh at a time (plus one more if something came in meanwhile). */
  private scheduleRefresh(): void {
    if (this.closed) return;
    if (this.refreshing !== undefined) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.applySnapshot()
      .catch((err: unknown) => this.log.warn({ err }, 'cannot refresh pumps from registry'))
      .finally(() => {
        this.refreshing = undefined;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.scheduleRefresh();
        }
      });
  }

  private async applySnapshot(signal?: AbortSignal): Promise<void> {
    const snapshot = await this.options.registry.list(signal);
    if (this.closed) return;
    for (const { key, error } of snapshot.errors) this.log.error({ key, ...error.toLog() }, 'ignoring unparsable pump record');
    const removals: Promise<void>[] = [];
    for (const [id, status] of snapshot.pumps) {
      const p = this.apply(id, status);
      if (p !== undefined) removals.push(p);
    }
    await Promise.all(removals);
  }

  private apply(id: string, status: NodeStatus): Promise<void> | undefined {
    const stream = this.streams.get(id);
    if (stream === undefined) {
      if (status.state === 'offline') return undefined;
      const s = new PumpStream({
        nodeId: id,
        host: status.host,
        clusterId: this.options.clusterId,
        startAfter: this.merger.latestTs,
        tls: this.options.tls,
        compression: this.options.compression,
        maxBufferedBytes: this.options.maxBufferedBytesPerPump,
        backoff: this.options.backoff,
        paused: status.state === 'paused',
        logger: this.options.logger,
        metrics: this.options.metrics,
      });
      this.streams.set(id, s);
      this.merger.addSource(s);
      this.log.info({ pump: id, host: status.host, state: status.state, startAfter: this.merger.latestTs.toString() }, 'add pump');
      return undefined;
    }
    switch (status.state) {
      case 'offline':
        this.log.info({ pump: id }, 'pump offline, remove it');
        this.merger.removeSource(id);
        this.streams.delete(id);
        return stream.close();
      case 'paused':
        stream.pause();
        return undefined;
      case 'online':
        stream.resume();
        return undefined;
      case 'pausing':
      case 'closing':
        return undefined;
    }
  }
}
