import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { FileCheckpointStore } from '../checkpoint/file-checkpoint-store.js';
import { MysqlCheckpointStore } from '../checkpoint/mysql-checkpoint-store.js';
import type { DrainerConfig } from '../config/drainer-config.js';
import { BinlogDecoder } from '../decoder/binlog-decoder.js';
import { AbortedError } from '../errors/drainer-error.js';
import { createFilterStage } from '../filter/filter-stage.js';
import type { FilterStats } from '../filter/filter-stage.js';
import type { ChangeEvent } from '../model/events.js';
import { Runner } from '../runner/runner.js';
import type { RunResult } from '../runner/runner.js';
import type { DdlJobSource } from '../schema/ddl-job-source.js';
import { SchemaTracker } from '../schema/schema-tracker.js';
import { StatusApiSource } from '../schema/status-api-source.js';
import { discoverTidbStatusAddresses } from '../schema/tidb-topology.js';
import type { Sink } from '../sdk/sink.js';
import { createPdEtcdClient } from '../upstream/pd-etcd-client.js';
import { resolveClusterId } from '../upstream/cluster-id.js';
import { EtcdPumpRegistry, StaticPumpRegistry } from '../upstream/pump-registry.js';
import type { PumpRegistry } from '../upstream/pump-registry.js';
import { Upstream } from '../upstream/upstream.js';
import { ControlPlane } from '../control/control-plane.js';
import { upstreamMetrics } from '../upstream/upstream-metrics.js';
import type { UpstreamStatus } from '../upstream/upstream.js';
import { planCheckpoint } from './checkpoint-plan.js';
import type { CheckpointPlan } from './checkpoint-plan.js';
import type { PreparedSink } from './prepare-sink.js';
import { readTlsFiles } from './tls-files.js';
import type { TlsBuffers } from './tls-files.js';

export interface DrainerOptions {
  readonly config: DrainerConfig;
  /** The sink, resolved and configured (see `prepareSink`). */
  readonly sink: PreparedSink;
  /** Whether `[syncer] txn-batch` was set explicitly (then it caps transactions per runner batch). */
  readonly txnBatchExplicit?: boolean;
  readonly logger?: Logger;
  readonly metrics?: Registry;
  /** Overrides (tests, the demo): where pumps are listed, where DDL jobs come from, the cluster id. */
  readonly registry?: PumpRegistry;
  readonly ddlSource?: DdlJobSource;
  readonly clusterId?: bigint;
  /**
   * The current PD TSO, for `initial-commit-ts = -1` and the replay window. There is no PD TSO client yet, so the
   * default is the runner's (the wall clock as a TSO, widened by its clock-skew margin).
   */
  readonly currentTso?: (signal: AbortSignal) => Promise<bigint>;
  /**
   * Serve the control plane (the CLI sets it): the `addr` port (gRPC Cistern + HTTP API), the registry node
   * `/tidb-binlog/v1/drainers/<node-id>` when pumps come from PD's etcd, and the Go-named metrics.
   */
  readonly control?: boolean;
  /** Control-plane heartbeat period (tests shorten it; Go: 1 s). */
  readonly controlHeartbeatMs?: number;
}

export interface DrainerStatus {
  readonly checkpointPlan: CheckpointPlan;
  readonly upstream?: UpstreamStatus;
  readonly filter: Readonly<FilterStats>;
  readonly decoded: { readonly txns: number; readonly ddls: number; readonly resolved: number };
}

/**
 * The whole drainer process minus its control plane: registry → pump streams → merger → decoder →
 * filters/routes → runner → sink, with the checkpoint store chosen as the Go drainer does (spec §7.1) and the
 * start point from the checkpoint or initial-commit-ts (§7.4, via the runner).
 *
 * Owner: `open(signal)` once, `run(stop, force)` once, `close()` (idempotent; `run` calls it). Resources it
 * creates (etcd client, registry, upstream streams, checkpoint store, sink) are closed by it, in reverse order.
 */
export class Drainer {
  readonly #o: DrainerOptions;
  readonly #log: Logger;
  readonly #metrics: Registry;
  readonly #filterStats: FilterStats = { txnsDropped: 0, rowsDropped: 0, ddlsDropped: 0 };
  readonly #decoded = { txns: 0, ddls: 0, resolved: 0 };
  #etcd: Etcd3 | undefined;
  #registry: PumpRegistry | undefined;
  #upstream: Upstream | undefined;
  #runner: Runner | undefined;
  #decoder: BinlogDecoder | undefined;
  #plan: CheckpointPlan | undefined;
  #control: ControlPlane | undefined;
  #closed = false;

  constructor(options: DrainerOptions) {
    this.#o = options;
    this.#log = options.logger ?? pino({ level: 'silent' });
    this.#metrics = options.metrics ?? new Registry();
  }

  /** Cluster id, checkpoint store, sink open (runner), schema up to the checkpoint, pump streams. */
  async open(signal: AbortSignal): Promise<void> {
    const c = this.#o.config;
    try {
      const tls = await readTlsFiles(c.tls, 'security');
      const forPumps = this.#o.registry === undefined && c.pumpAddrs.length === 0;
      const forTidb = this.#o.ddlSource === undefined && c.tidbStatusAddrs.length === 0;
      const forClusterId = this.#o.clusterId === undefined && c.clusterId === 0n;
      if (forPumps || forTidb || forClusterId) this.#etcd = this.#etcdClient(c, tls);
      const clusterId = await this.#clusterId(c, tls);
      this.#registry =
        this.#o.registry ??
        (c.pumpAddrs.length > 0
          ? new StaticPumpRegistry(c.pumpAddrs)
          : new EtcdPumpRegistry({ etcd: this.#requireEtcd() }));

      const { sink, definition, name } = this.#o.sink;
      this.#plan = planCheckpoint(
        c,
        definition.type,
        this.#o.sink.config as Record<string, unknown>,
        sink.capabilities.ownsCheckpoint === true,
      );
      const store = await this.#openCheckpointStore(this.#plan, clusterId, signal);
      this.#log.info(
        { sink: name, checkpoint: store?.location ?? 'in the sink', clusterId: clusterId.toString() },
        'drainer starting',
      );
      this.#runner = new Runner({
        sink,
        sinkType: definition.type,
        ...(store === undefined ? {} : { checkpointStore: store }),
        batch: {
          ...(this.#o.txnBatchExplicit === true ? { maxTxns: c.syncer.txnBatch } : {}),
          ...(c.syncer.batchBytes === undefined ? {} : { maxBytes: c.syncer.batchBytes }),
          ...(c.syncer.batchDelayMs === undefined ? {} : { maxDelayMs: c.syncer.batchDelayMs }),
        },
        initialCommitTs: c.initialCommitTs,
        ...(this.#o.currentTso === undefined ? {} : { currentTso: this.#o.currentTso }),
        logger: this.#log,
        metrics: this.#metrics,
        clusterId,
        nodeId: c.nodeId,
        dataDir: c.dataDir,
      });
      const resume = await this.#runner.open(signal);
      const stored = store === undefined ? await sink.loadCheckpoint?.(signal) : await store.load(signal);

      const source = this.#o.ddlSource ?? this.#statusApiSource(c);
      const tracker = new SchemaTracker({ source, logger: this.#log });
      this.#decoder = new BinlogDecoder({ tracker, jobs: source, logger: this.#log, registry: this.#metrics });
      await this.#decoder.start(stored?.schemaVersion ?? 0, signal);

      this.#upstream = new Upstream({
        registry: this.#registry,
        clusterId,
        initialCommitTs: resume.checkpoint,
        detectIntervalMs: c.detectIntervalSec * 1000,
        ...(tls === undefined ? {} : { tls }),
        ...(c.compressor === 'gzip' ? { compression: 'gzip' as const } : {}),
        logger: this.#log,
        metrics: upstreamMetrics(this.#metrics),
      });
      await this.#upstream.start(signal);
      if (this.#o.control === true) await this.#openControl(c, tls, forPumps, signal);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /**
   * Replicates until `stop` (graceful: drain, flush, consistent checkpoint) or `force` aborts, or a fatal error.
   * Resolves with the runner's result (outcome, exit code, last checkpoint); closes everything.
   */
  async run(stop: AbortSignal, force?: AbortSignal): Promise<RunResult> {
    const runner = this.#runner;
    if (runner === undefined) throw new AbortedError('drainer run before open');
    try {
      const until = this.#control === undefined ? stop : AbortSignal.any([stop, this.#control.stopSignal]);
      return await runner.run(this.#events(until), until, force);
    } finally {
      await this.close();
    }
  }

  /**
   * Re-reads the pump registry now (the Go drainer does this on a Cistern `Notify` from a new pump, which fails to
   * start if this rejects). Seam for the control plane.
   */
  async refreshPumps(signal?: AbortSignal): Promise<void> {
    if (this.#upstream === undefined) throw new AbortedError('drainer not open');
    await this.#upstream.refresh(signal);
  }

  /** The control plane (undefined unless `control` was set and `open` succeeded). */
  get control(): ControlPlane | undefined {
    return this.#control;
  }

  /** The Prometheus registry every stage registers in (serve it on /metrics). */
  get metrics(): Registry {
    return this.#metrics;
  }

  status(): DrainerStatus {
    return {
      checkpointPlan: this.#plan ?? { kind: 'sink' },
      ...(this.#upstream === undefined ? {} : { upstream: this.#upstream.status() }),
      filter: { ...this.#filterStats },
      decoded: { ...this.#decoded },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const errors: unknown[] = [];
    const step = async (f: (() => Promise<void>) | undefined): Promise<void> => {
      try {
        await f?.();
      } catch (err) {
        errors.push(err);
      }
    };
    await step(this.#upstream === undefined ? undefined : () => (this.#upstream as Upstream).close());
    await step(this.#runner === undefined ? undefined : () => (this.#runner as Runner).close());
    // After the runner: the final node state carries the final checkpoint (Go commits it last).
    await step(this.#control === undefined ? undefined : () => (this.#control as ControlPlane).close());
    await step(
      this.#registry === undefined || this.#o.registry !== undefined
        ? undefined
        : () => (this.#registry as PumpRegistry).close(),
    );
    if (this.#etcd !== undefined) this.#etcd.close();
    for (const err of errors) this.#log.warn({ err }, 'error while closing the drainer');
  }

  /** merger → decoder → filter stage. Stops pulling when `stop` aborts; decode errors end the run as fatal. */
  async *#events(stop: AbortSignal): AsyncGenerator<ChangeEvent> {
    const upstream = this.#upstream;
    const decoder = this.#decoder;
    if (upstream === undefined || decoder === undefined) return;
    const filter = createFilterStage(this.#o.config.filter, this.#filterStats);
    const metrics = this.#control?.metrics;
    for await (const item of upstream.merger) {
      if (stop.aborted) return;
      metrics?.onReceived(item.pump, item.commitTs);
      const event = await decoder.decode(item, stop);
      if (event === undefined) continue;
      this.#decoded[event.kind === 'txn' ? 'txns' : event.kind === 'ddl' ? 'ddls' : 'resolved']++;
      const out = filter(event);
      if (metrics === undefined) {
        yield out;
        continue;
      }
      metrics.onEvent(out);
      const handedAt = performance.now();
      yield out;
      metrics.onHandedOff(performance.now() - handedAt);
    }
  }

  async #openControl(
    c: DrainerConfig,
    tls: TlsBuffers | undefined,
    register: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const upstream = this.#upstream;
    const runner = this.#runner;
    if (upstream === undefined || runner === undefined) return;
    this.#control = new ControlPlane({
      nodeId: c.nodeId,
      addr: c.addr,
      advertiseAddr: c.advertiseAddr,
      ...(tls === undefined ? {} : { tls: { ...tls, allowedCn: c.tls?.allowedCn ?? [] } }),
      ...(register && this.#etcd !== undefined ? { etcd: this.#etcd } : {}),
      refreshPumps: () => upstream.refresh(),
      pumpPos: () => upstream.status().pumpPos,
      queuedItems: () => upstream.status().pumps.reduce((n, p) => n + p.bufferedItems, 0),
      checkpointTs: () => runner.savedCheckpoint.commitTs,
      // Transactions and DDLs handed to the runner: data still flowing (Go: items acknowledged downstream).
      delivered: () => this.#decoded.txns + this.#decoded.ddls,
      syncedCheckTimeMin: c.syncedCheckTimeMin,
      metrics: this.#metrics,
      metricsAddr: c.metricsAddr,
      metricsIntervalSec: c.metricsIntervalSec,
      ...(this.#o.controlHeartbeatMs === undefined ? {} : { heartbeatMs: this.#o.controlHeartbeatMs }),
      logger: this.#log,
    });
    await this.#control.open(signal);
  }

  #etcdClient(c: DrainerConfig, tls: TlsBuffers | undefined): Etcd3 {
    return createPdEtcdClient(c.pdUrls, tls);
  }

  #requireEtcd(): Etcd3 {
    // open() creates the client whenever a caller of this needs it.
    if (this.#etcd === undefined) throw new AbortedError('etcd client used before open');
    return this.#etcd;
  }

  async #clusterId(c: DrainerConfig, tls: TlsBuffers | undefined): Promise<bigint> {
    if (this.#o.clusterId !== undefined) return this.#o.clusterId;
    return resolveClusterId({
      ...(c.clusterId === 0n ? {} : { configured: c.clusterId }),
      pdUrls: c.pdUrls,
      ...(this.#etcd === undefined ? {} : { etcd: this.#etcd }),
      ...(tls === undefined ? {} : { tls }),
    });
  }

  #statusApiSource(c: DrainerConfig): StatusApiSource {
    if (c.tidbStatusAddrs.length > 0) return new StatusApiSource({ addresses: c.tidbStatusAddrs });
    const etcd = this.#requireEtcd();
    return new StatusApiSource({ addresses: async () => discoverTidbStatusAddresses(etcd) });
  }

  async #openCheckpointStore(
    plan: CheckpointPlan,
    clusterId: bigint,
    signal: AbortSignal,
  ): Promise<CheckpointStore | undefined> {
    switch (plan.kind) {
      case 'sink':
        return undefined;
      case 'file':
        return new FileCheckpointStore({ dataDir: plan.dataDir });
      case 'mysql': {
        const tls = await readTlsFiles(
          plan.tls,
          plan.downstream ? 'syncer.to.security' : 'syncer.to.checkpoint.security',
        );
        const store = MysqlCheckpointStore.connect({
          clusterId,
          schema: plan.schema,
          table: plan.table,
          connection: {
            host: plan.host,
            port: plan.port,
            user: plan.user,
            password: plan.password,
            ...(tls === undefined
              ? {}
              : {
                  ssl: {
                    ca: tls.ca,
                    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
                    ...(tls.key === undefined ? {} : { key: tls.key }),
                  },
                }),
          },
        });
        try {
          await store.open(signal);
        } catch (err) {
          await store.close();
          throw err;
        }
        return store;
      }
    }
  }
}

export type { Sink };
