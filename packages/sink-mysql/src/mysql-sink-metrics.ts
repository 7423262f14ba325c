import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { SequencedChange } from './sql/plan-statements.js';

export interface SinkMetrics {
  readonly txns: Counter;
  readonly retryableErrors: Counter;
  readonly observeQuery: (seconds: number) => void;
  countRows(changes: readonly SequencedChange[]): void;
}

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The sink's metrics: the Go drainer's downstream latency histogram plus row / transaction / retry counters. */
export function createSinkMetrics(registry: Registry): SinkMetrics {
  const query = reuse(
    registry,
    'binlog_drainer_query_duration_time',
    () =>
      new Histogram({
        name: 'binlog_drainer_query_duration_time',
        help: 'Bucketed histogram of downstream query time (s), per round trip',
        labelNames: ['type'],
        // The Go drainer's buckets: 50 µs doubling 18 times (to about 6.5 s).
        buckets: Array.from({ length: 18 }, (_, i) => 5e-5 * 2 ** i),
        registers: [registry],
      }),
  );
  const rows = reuse(
    registry,
    'mysql_sink_rows_total',
    () => new Counter({ name: 'mysql_sink_rows_total', help: 'Row changes applied downstream', labelNames: ['op'], registers: [registry] }),
  );
  const txns = reuse(
    registry,
    'mysql_sink_transactions_total',
    () => new Counter({ name: 'mysql_sink_transactions_total', help: 'Downstream transactions committed', registers: [registry] }),
  );
  const retryableErrors = reuse(
    registry,
    'mysql_sink_retryable_errors_total',
    () => new Counter({ name: 'mysql_sink_retryable_errors_total', help: 'Batches rejected with a retryable error', registers: [registry] }),
  );
  const exec = query.labels('exec');
  return {
    txns,
    retryableErrors,
    observeQuery: (seconds) => exec.observe(seconds),
    countRows(changes) {
      let inserts = 0;
      let updates = 0;
      let deletes = 0;
      for (const { change } of changes) {
        if (change.op === 'insert') inserts++;
        else if (change.op === 'update') updates++;
        else deletes++;
      }
      if (inserts > 0) rows.labels('insert').inc(inserts);
      if (updates > 0) rows.labels('update').inc(updates);
      if (deletes > 0) rows.labels('delete').inc(deletes);
    },
  };
}
