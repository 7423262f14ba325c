import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The runner's metrics, registered in the registry it is given (one runner per registry). */
export class RunnerMetrics {
  readonly queueBytes: Gauge;
  readonly queueLimitBytes: Gauge;
  readonly batches: Counter<'sink'>;
  readonly batchRows: Histogram<'sink'>;
  readonly retries: Counter<'sink' | 'code'>;
  readonly rows: Counter<'sink'>;
  readonly txns: Counter<'sink'>;
  readonly ddl: Counter<'sink'>;
  /** Go-compatible name: the shipped alert rules watch it (physical ms of the saved checkpoint). */
  readonly checkpointTso: Gauge;
  readonly checkpointSaves: Counter<'consistent'>;
  readonly writeSeconds: Histogram<'sink'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.queueBytes = new Gauge({ name: 'drainer_runner_queue_bytes', help: 'Bytes of events held (queued, batching or in flight)', registers });
    this.queueLimitBytes = new Gauge({ name: 'drainer_runner_queue_limit_bytes', help: 'The memory quota for held events', registers });
    this.batches = new Counter({ name: 'drainer_runner_batches_total', help: 'Batches acknowledged by the sink', labelNames: ['sink'], registers });
    this.batchRows = new Histogram({
      name: 'drainer_runner_batch_rows',
      help: 'Row changes per batch',
      labelNames: ['sink'],
      buckets: [1, 10, 100, 1000, 10_000, 100_000],
      registers,
    });
    this.retries = new Counter({ name: 'drainer_runner_retries_total', help: 'Retryable sink failures retried', labelNames: ['sink', 'code'], registers });
    this.rows = new Counter({ name: 'drainer_sink_rows_total', help: 'Row changes delivered', labelNames: ['sink'], registers });
    this.txns = new Counter({ name: 'drainer_sink_txns_total', help: 'Transactions delivered', labelNames: ['sink'], registers });
    this.ddl = new Counter({ name: 'drainer_sink_ddl_total', help: 'DDL events delivered', labelNames: ['sink'], registers });
    this.checkpointTso = new Gauge({ name: 'binlog_drainer_checkpoint_tso', help: 'Physical ms of the saved checkpoint', registers });
    this.checkpointSaves = new Counter({ name: 'drainer_checkpoint_saves_total', help: 'Checkpoint saves', labelNames: ['consistent'], registers });
    this.writeSeconds = new Histogram({
      name: 'drainer_sink_write_seconds',
      help: 'Duration of one sink write (including retries)',
      labelNames: ['sink'],
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
      registers,
    });
  }
}
