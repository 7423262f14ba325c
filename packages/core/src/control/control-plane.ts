import type { Namespace } from 'etcd3';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Registry } from 'prom-client';

import { ApproxTso } from './approx-tso.js';
import { ControlMetrics } from './control-metrics.js';
import type { ControlTls } from './control-server.js';
import { ControlServer } from './control-server.js';
import { DrainerNode } from './drainer-node.js';
import { createHttpApi } from './http-api.js';
import { MetricsPusher } from './metrics-pusher.js';
import { NodeRegistry } from './node-registry.js';

export interface ControlPlaneOptions {
  readonly nodeId: string;
  /** Listen address (`addr`). */
  readonly addr: string;
  /** Written to etcd as `host` (`advertise-addr`, defaults to `addr`). */
  readonly advertiseAddr: string;
  readonly tls?: ControlTls;
  /** PD's etcd; undefined (static pumps) = no registration, the port still serves. Not closed by us. */
  readonly etcd?: Namespace;
  readonly root?: string;
  /** Cistern `Notify`: re-read the pumps now. */
  readonly refreshPumps: () => Promise<void>;
  /** Last commit ts per pump, undefined before the upstream runs. */
  readonly pumpPos: () => ReadonlyMap<string, bigint> | undefined;
  /** The saved checkpoint ts. */
  readonly checkpointTs: () => bigint;
  /** Items received from pumps and not yet merged (`binlog_drainer_queue_size{name="syncer_input"}`). */
  readonly queuedItems?: () => number;
  /** A counter that grows whenever something is delivered downstream (drives `Synced`). */
  readonly delivered: () => number;
  /** `synced-check-time` in minutes. */
  readonly syncedCheckTimeMin: number;
  readonly metrics: Registry;
  /** PD TSO at startup, if known (base of `updateTS`). */
  readonly startTso?: bigint;
  readonly heartbeatMs?: number;
  /** `-metrics-addr` (Pushgateway; '' = no push) and `-metrics-interval` in seconds (0 = no push). */
  readonly metricsAddr?: string;
  readonly metricsIntervalSec?: number;
  readonly logger?: Logger;
}

/**
 * The drainer's control plane: its registry node and state machine, the one-port gRPC Cistern + HTTP API server,
 * and the Go-named metrics. `stopSignal` aborts when the node must stop (a `pause`/`close` action, or 20 failed
 * heartbeats); the pipeline then drains and saves its checkpoint, and `close()` commits the final state.
 *
 * Owner: `open(signal)` once, `close()` once (after the pipeline stopped, so `maxCommitTS` is the final checkpoint).
 */
export class ControlPlane {
  readonly metrics: ControlMetrics;
  private readonly o: ControlPlaneOptions;
  private readonly log: Logger;
  private readonly stop = new AbortController();
  private readonly node: DrainerNode;
  private readonly server: ControlServer;
  private readonly pusher: MetricsPusher | undefined;
  private lastDelivered = 0;
  private lastDeliveredAt = Date.now();
  private opened = false;
  private closed = false;

  constructor(options: ControlPlaneOptions) {
    this.o = options;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'control' });
    this.metrics = new ControlMetrics(options.metrics, options.checkpointTs, options.queuedItems);
    const registry = options.etcd === undefined ? undefined : new NodeRegistry(options.etcd, options.root);
    this.node = new DrainerNode({
      nodeId: options.nodeId,
      host: options.advertiseAddr,
      ...(registry === undefined ? {} : { registry }),
      checkpointTs: () => {
        const ts = options.checkpointTs();
        this.metrics.onCheckpoint(ts);
        return ts;
      },
      onStop: (reason) => this.stop.abort(new Error(`drainer node stop requested: ${reason}`)),
      tso: new ApproxTso(options.startTso),
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      logger: this.log,
    });
    this.server = new ControlServer({
      addr: options.addr,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      http: createHttpApi({
        nodeId: options.nodeId,
        status: () => ({ pumpPos: options.pumpPos(), synced: this.synced(), lastTs: options.checkpointTs() }),
        checkpointTs: options.checkpointTs,
        applyAction: (a) => this.node.applyAction(a),
        metrics: options.metrics,
      }),
      cistern: { notify: () => options.refreshPumps() },
      logger: this.log,
    });
    const interval = options.metricsIntervalSec ?? 0;
    if ((options.metricsAddr ?? '') !== '' && interval > 0) {
      this.pusher = new MetricsPusher({
        addr: options.metricsAddr ?? '',
        intervalMs: interval * 1000,
        instance: options.nodeId,
        registry: options.metrics,
        logger: this.log,
      });
    }
  }

  /** Aborted when the node asks the drainer to stop (pause/close action, heartbeat failures). */
  get stopSignal(): AbortSignal {
    return this.stop.signal;
  }

  /** The bound address (useful with port 0). */
  get address(): string {
    return this.server.address;
  }

  get state(): DrainerNode['state'] {
    return this.node.state;
  }

  /** Binds the port (Go binds before registering), then registers `online` and starts the heartbeat. */
  async open(signal?: AbortSignal): Promise<void> {
    await this.server.listen();
    this.opened = true;
    await this.node.start(signal);
    this.pusher?.start();
  }

  /** Commits the final node state (paused/offline) and closes the port. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pusher?.stop();
    if (this.opened) await this.node.close();
    await this.server.close().catch((err: unknown) => this.log.warn({ err }, 'error closing the control server'));
  }

  /** Go: synced when nothing was delivered for `synced-check-time` minutes. */
  private synced(): boolean {
    const n = this.o.delivered();
    const now = Date.now();
    if (n !== this.lastDelivered) {
      this.lastDelivered = n;
      this.lastDeliveredAt = now;
    }
    return now - this.lastDeliveredAt > this.o.syncedCheckTimeMin * 60_000;
  }
}
