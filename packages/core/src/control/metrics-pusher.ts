import type { Logger } from 'pino';
import { pino } from 'pino';
import { Pushgateway } from 'prom-client';
import type { Registry } from 'prom-client';

/** Go: one failed push is logged, the next tick tries again; log at most this often while failures continue. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

export interface MetricsPusherOptions {
  /** `-metrics-addr`: the Pushgateway (`host:port`, `http://` assumed as Go's push client does). */
  readonly addr: string;
  readonly intervalMs: number;
  /** Grouping label `instance` (the drainer's node id). */
  readonly instance: string;
  readonly registry: Registry;
  readonly logger?: Logger;
}

/**
 * Go's `-metrics-addr` / `-metrics-interval`: every interval, POST (push-add) the registry to the Pushgateway under
 * job `binlog`, grouping `instance=<nodeID>`. Owner: `start()`, `stop()` (no final push, as Go).
 */
export class MetricsPusher {
  private readonly o: MetricsPusherOptions;
  private readonly log: Logger;
  private readonly gateway: Pushgateway<'text/plain; version=0.0.4; charset=utf-8'>;
  private timer: NodeJS.Timeout | undefined;
  private pushing = false;
  private lastFailureLog = 0;

  constructor(o: MetricsPusherOptions) {
    this.o = o;
    this.log = (o.logger ?? pino({ level: 'silent' })).child({ component: 'metrics-push' });
    const url = o.addr.includes('://') ? o.addr : `http://${o.addr}`;
    this.gateway = new Pushgateway(url, { timeout: Math.max(1000, o.intervalMs) }, o.registry);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (this.pushing) return;
    this.pushing = true;
    this.gateway
      .pushAdd({ jobName: 'binlog', groupings: { instance: this.o.instance } })
      .catch((err: unknown) => {
        const now = Date.now();
        if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
        this.lastFailureLog = now;
        this.log.warn({ err, addr: this.o.addr }, 'could not push metrics to the Pushgateway');
      })
      .finally(() => {
        this.pushing = false;
      });
  }
}
