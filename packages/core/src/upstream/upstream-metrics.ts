import { Counter, Gauge, type Registry } from 'prom-client';

import { PumpSizeHistogram } from './pump-size-histogram.js';

/**
 * Prometheus metrics of the upstream stage. Names follow the Go drainer's (`binlog_drainer_*`, §11) so existing
 * dashboards work; `binlog_drainer_merger_dropped_total` is new (Go defines a disorder counter but never registers it).
 */
export interface UpstreamMetrics {
  /** Physical ms of the last commit ts received from each pump (Go: `pump_position`). */
  readonly pumpPosition: Gauge<'nodeID'>;
  /** Payload bytes per binlog received (Go: `read_binlog_size`; buckets 16·2^i, i<25). */
  readonly readBinlogSize: PumpSizeHistogram;
  /** Decode failures (Go: `error_count{type="unmarshal_binlog"}`). */
  readonly errorCount: Counter<'type'>;
  /** Items the merger dropped: `reason` = late (commit ts below the last emitted) | duplicate (equal to it). */
  readonly mergerDropped: Counter<'reason'>;
  /** Reconnects of PullBinlogs streams. */
  readonly pumpReconnects: Counter<'nodeID'>;
  /** Bytes buffered per pump between gRPC and the merger (bounded by the stream's byte budget). */
  readonly pumpBufferedBytes: Gauge<'nodeID'>;
}

const byRegistry = new WeakMap<Registry, UpstreamMetrics>();

function exponential(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0, v = start; i < count; i++, v *= factor) out.push(v);
  return out;
}

/** The upstream metrics registered in `registry` (created once per registry; prom-client rejects duplicates). */
export function upstreamMetrics(registry: Registry): UpstreamMetrics {
  const existing = byRegistry.get(registry);
  if (existing !== undefined) return existing;
  const registers = [registry];
  const m: UpstreamMetrics = {
    pumpPosition: new Gauge({ name: 'binlog_drainer_pump_position', help: 'position of pump (physical ms of last commit ts received)', labelNames: ['nodeID'], registers }),
    readBinlogSize: new PumpSizeHistogram({ name: 'binlog_drainer_read_binlog_size', help: 'size of binlog read from pump', buckets: exponential(16, 2, 25), registers }),
    errorCount: new Counter({ name: 'binlog_drainer_error_count', help: 'errors of the drainer', labelNames: ['type'], registers }),
    mergerDropped: new Counter({ name: 'binlog_drainer_merger_dropped_total', help: 'binlogs dropped by the merger (late or duplicate commit ts)', labelNames: ['reason'], registers }),
    pumpReconnects: new Counter({ name: 'binlog_drainer_pump_reconnects_total', help: 'PullBinlogs stream reconnects per pump', labelNames: ['nodeID'], registers }),
    pumpBufferedBytes: new Gauge({ name: 'binlog_drainer_pump_buffered_bytes', help: 'bytes received from a pump and not yet merged', labelNames: ['nodeID'], registers }),
  };
  byRegistry.set(registry, m);
  return m;
}
