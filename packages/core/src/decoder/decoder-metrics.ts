import { Counter, type Registry } from 'prom-client';

/** Metrics of the decode stage, under the Go drainer's names (§11). */
export interface DecoderMetrics {
  /** DDL jobs fetched for DDL binlogs (Go: `binlog_drainer_ddl_jobs_total`, counted in the collector). */
  readonly ddlJobsTotal: Counter;
}

const byRegistry = new WeakMap<Registry, DecoderMetrics>();

/** The decoder metrics registered in `registry` (once per registry; prom-client rejects duplicate names). */
export function decoderMetrics(registry: Registry): DecoderMetrics {
  const existing = byRegistry.get(registry);
  if (existing !== undefined) return existing;
  const m: DecoderMetrics = {
    ddlJobsTotal: new Counter({
      name: 'binlog_drainer_ddl_jobs_total',
      help: 'Total ddl jobs count',
      registers: [registry],
    }),
  };
  byRegistry.set(registry, m);
  return m;
}
