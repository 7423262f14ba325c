/**
 * MySQL sink throughput into the real MariaDB (127.0.0.1:3306, `bash scripts/services.sh up mysql`): rows/s for
 * insert-only, update-heavy and delete workloads applied through the sink (SDK calls, batches as the runner
 * builds them from the sink's defaultBatch), beside a raw mysql2 baseline of the same rows in the same run: one
 * connection, multi-row `INSERT … VALUES (…),(…)` of 1000 rows per statement (autocommit). Also peak RSS.
 * Reports, never asserts. Goal: insert-only ≥ 0.8× raw and ≥ 40k rows/s.
 *
 *   npm run bench -- mysql [rows [workers]]      (needs a build of the sink: npx tsc -b packages/sink-mysql)
 *   node --import tsx bench/mysql.bench.ts [rows]   (env BENCH_MYSQL_WORKERS, BENCH_MYSQL_SINK='{"merge":true}')
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { buildTxnBatch, createSinkContext } from '@tidb-drainer/core/sdk';
import type { RowChange, SinkEnv, Txn } from '@tidb-drainer/core/sdk';
import { BENCH_CREATE_TABLE, benchRowValues, benchTable } from './fixtures/wide-table.js';
import { MysqlSink, mysqlSinkConfigSchema } from '@tidb-drainer/sink-mysql';
import { defineBenchmark, row } from './lib.js';

export interface MysqlBenchOptions {
  readonly rows?: number;
  /** Row changes per upstream transaction. */
  readonly rowsPerTxn?: number;
  readonly env?: Partial<SinkEnv>;
  /** Extra sink options (`[syncer.to]` / `[sink]` keys). */
  readonly sink?: Record<string, unknown>;
}

export interface MysqlBenchResult {
  readonly name: string;
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSec: number;
  readonly peakRssMb: number;
}

const PORT = Number(process.env['DRAINER_TEST_MYSQL_PORT'] ?? '3306');
const RAW_ROWS_PER_STATEMENT = 1000;

/** Peak RSS while `fn` runs, sampled every 20 ms. */
async function withRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function timed(name: string, rows: number, fn: () => Promise<void>): Promise<MysqlBenchResult> {
  const started = performance.now();
  const { peakRssMb } = await withRss(fn);
  const seconds = (performance.now() - started) / 1000;
  return { name, rows, seconds, rowsPerSec: rows / seconds, peakRssMb };
}

export async function runMysqlBench(options: MysqlBenchOptions = {}): Promise<MysqlBenchResult[]> {
  const rows = options.rows ?? 200_000;
  const perTxn = options.rowsPerTxn ?? 10;
  const schema = `bench_mysql_${randomBytes(3).toString('hex')}`;
  const admin: Connection = await createConnection({ host: '127.0.0.1', port: PORT, user: 'root', multipleStatements: true });
  await admin.query(`CREATE DATABASE ${schema}; USE ${schema}; ${BENCH_CREATE_TABLE}`);
  const table = benchTable(schema);
  const env: SinkEnv = { dbType: 'mysql', workerCount: 16, txnBatch: 20, safeMode: false, timezone: 'UTC', ...options.env };
  const results: MysqlBenchResult[] = [];
  let ts = 1n << 40n;
  let seq = 0;

  /** Applies `make(i)` for every row through the sink, in upstream transactions of perTxn rows. */
  const throughSink = async (make: (i: number) => RowChange): Promise<void> => {
    const sink = new MysqlSink(mysqlSinkConfigSchema.parse({ host: '127.0.0.1', port: PORT, user: 'root', ...options.sink }), env);
    await sink.open(createSinkContext());
    const { maxTxns, maxBytes } = sink.capabilities.defaultBatch;
    try {
      let txns: Txn[] = [];
      let bytes = 0;
      for (let i = 0; i < rows; i += perTxn) {
        const changes: RowChange[] = [];
        for (let j = i; j < Math.min(rows, i + perTxn); j++) changes.push(make(j));
        ts += 1n << 18n;
        txns.push({ kind: 'txn', commitTs: ts, startTs: ts - 1n, schemaVersion: 1, changes, bytes: 120 * changes.length });
        bytes += 120 * changes.length;
        if (txns.length >= maxTxns || bytes >= maxBytes) {
          await sink.write(buildTxnBatch(++seq, txns), new AbortController().signal);
          txns = [];
          bytes = 0;
        }
      }
      if (txns.length > 0) await sink.write(buildTxnBatch(++seq, txns), new AbortController().signal);
    } finally {
      await sink.close();
    }
  };

  try {
    // Raw baseline: the same rows, multi-row INSERT on one connection.
    const raw = await createConnection({ host: '127.0.0.1', port: PORT, user: 'root', database: schema });
    results.push(
      await timed('raw mysql2 multi-row INSERT', rows, async () => {
        for (let i = 0; i < rows; i += RAW_ROWS_PER_STATEMENT) {
          const values: unknown[][] = [];
          for (let j = i; j < Math.min(rows, i + RAW_ROWS_PER_STATEMENT); j++) {
            const v = benchRowValues(j, 0);
            const dec = v[4] as { text: string };
            const t = v[6] as { month: number; day: number; hour: number; minute: number; second: number; microsecond: number };
            const p = (n: number, w = 2): string => String(n).padStart(w, '0');
            values.push([v[0], v[1], v[2], v[3], dec.text, v[5], `2023-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}.${p(t.microsecond / 1000, 3)}`, v[7]]);
          }
          await raw.query('INSERT INTO t (id,name,email,age,balance,score,created,note) VALUES ?', [values]);
        }
      }),
    );
    await raw.end();
    await admin.query('TRUNCATE TABLE t');

    results.push(await timed('sink insert-only', rows, () => throughSink((i) => ({ op: 'insert', schema, table: 't', tableInfo: table, after: benchRowValues(i, 0) }))));
    results.push(
      await timed('sink update-heavy', rows, () =>
        throughSink((i) => ({ op: 'update', schema, table: 't', tableInfo: table, before: benchRowValues(i, 0), after: benchRowValues(i, 1) })),
      ),
    );
    results.push(await timed('sink delete', rows, () => throughSink((i) => ({ op: 'delete', schema, table: 't', tableInfo: table, before: benchRowValues(i, 1) }))));
    const [left] = await admin.query('SELECT COUNT(*) AS n FROM t');
    if (Number((left as { n: number }[])[0]?.n) !== 0) throw new Error('delete workload left rows behind');
  } finally {
    await admin.query(`DROP DATABASE ${schema}`);
    await admin.end();
  }
  return results;
}

export function formatMysqlBench(results: readonly MysqlBenchResult[]): string {
  const raw = results.find((r) => r.name.startsWith('raw'))?.rowsPerSec ?? NaN;
  const lines = results.map(
    (r) =>
      `${r.name.padEnd(30)} ${String(Math.round(r.rowsPerSec)).padStart(8)} rows/s  ${(r.rowsPerSec / raw).toFixed(2)}× raw  ${r.seconds.toFixed(2)} s  peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  );
  return [`mysql sink (${results[0]?.rows ?? 0} rows, MariaDB 127.0.0.1:${PORT})`, ...lines].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const workers = process.env['BENCH_MYSQL_WORKERS'];
  const sink = process.env['BENCH_MYSQL_SINK'];
  console.log(
    formatMysqlBench(
      await runMysqlBench({
        rows,
        ...(workers !== undefined ? { env: { workerCount: Number(workers) } } : {}),
        ...(sink !== undefined ? { sink: JSON.parse(sink) as Record<string, unknown> } : {}),
      }),
    ),
  );
}

export default defineBenchmark({
  name: 'mysql',
  description:
    'MySQL sink rows/s into MariaDB (insert-only, update-heavy, delete; 10-row upstream txns, 8 columns) beside a raw mysql2 multi-row INSERT (1000 rows/statement, one connection) of the same rows in the same run. Goal: insert-only ≥ 0.8× raw and ≥ 40k rows/s.',
  needs: ['mysql'],
  async run(ctx) {
    const rows = ctx.quick ? 5000 : ctx.args[0] === undefined ? 200_000 : Number(ctx.args[0]);
    const workers = ctx.args[1] === undefined ? 16 : Number(ctx.args[1]);
    const results = await runMysqlBench({ rows, env: { workerCount: workers } });
    ctx.log(formatMysqlBench(results));
    const raw = results.find((r) => r.name.startsWith('raw'));
    const baseline = { label: 'raw mysql2 multi-row INSERT, same rows', value: raw?.rowsPerSec ?? Number.NaN };
    return {
      rows: results.filter((r) => r !== raw).map((r) => row(`${r.name} (${workers} workers)`, r.rowsPerSec, 'rows/s', baseline)),
      notes: [
        `${rows} rows; worker-count ${workers}; sink defaults otherwise (rows-per-statement 512, rows-per-txn 1024, batches of 1024 txns)`,
        ...results.map((r) => `${r.name}: ${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB`),
      ],
    };
  },
});
