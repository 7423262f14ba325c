/**
 * Runner throughput: a synthetic stream of 10-column rows in 100-row transactions (model objects, as the decoder
 * hands them over) → Runner → null sink, beside a raw loop that pulls the same stream and only counts rows. Each
 * phase runs in its own child process so peak RSS is per phase. Reports, never asserts.
 * Goal (issue 5): ≥ 300k rows/s and ≥ 0.5× the raw stream; RSS ≤ 300 MB with a 1M-row backlog. The `backlog`
 * phase makes the sink slower than the stream, so the whole stream is backlog and only the runner's memory quota
 * bounds what is held.
 *
 *   npm run bench -- runner            (through bench/run.ts, when present)
 *   node --import tsx bench/runner.bench.ts [rows]
 *
 * Imports the TypeScript sources directly so it needs no build.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryCheckpointStore } from '../packages/core/src/checkpoint/index.js';
import { MysqlType } from '../packages/core/src/model/index.js';
import type { ChangeEvent, ColumnInfo, ColumnValue, TableInfo, Txn } from '../packages/core/src/model/index.js';
import { DEFAULT_MEMORY_QUOTA_BYTES, Runner } from '../packages/core/src/runner/index.js';
import { createNullSink } from '../packages/core/src/sinks/index.js';
import { defineBenchmark, row as benchRow } from './lib.js';

const ROWS_PER_TXN = 100;
/** Well above the default memory quota (DEFAULT_MEMORY_QUOTA_BYTES): room for the live set plus a scavenge's worth of garbage. */
const BACKLOG_OLD_SPACE_MB = 192;
/** Roughly the binlog payload of one 10-column row as TiDB encodes it; what the byte bounds count. */
const BYTES_PER_ROW = 120;

const COLUMNS: readonly [string, number, string][] = [
  ['id', MysqlType.LongLong, 'bigint(20)'],
  ['name', MysqlType.Varchar, 'varchar(32)'],
  ['email', MysqlType.Varchar, 'varchar(64)'],
  ['age', MysqlType.Long, 'int(11)'],
  ['balance', MysqlType.NewDecimal, 'decimal(12,2)'],
  ['score', MysqlType.Double, 'double'],
  ['created', MysqlType.Datetime, 'datetime(3)'],
  ['active', MysqlType.Tiny, 'tinyint(1)'],
  ['status', MysqlType.Enum, "enum('new','active','closed')"],
  ['note', MysqlType.Varchar, 'varchar(255)'],
];

const TABLE: TableInfo = {
  id: 1,
  schema: 'bench',
  name: 'mixed',
  columns: COLUMNS.map(([name, type, typeText], offset): ColumnInfo => ({
    id: offset + 1, name, offset, type, flag: 0, length: -1, decimal: -1, charset: 'utf8mb4', collation: 'utf8mb4_bin', elems: [],
    unsigned: false, nullable: offset !== 0, generated: false, generatedStored: false, hidden: false, typeText,
  })),
  indices: [{ id: 1, name: 'PRIMARY', primary: true, unique: true, columns: [0], lengths: [-1] }],
  pkIsHandle: true,
  isCommonHandle: false,
  schemaVersion: 1,
  charset: 'utf8mb4',
  collation: 'utf8mb4_bin',
};

const STATUS: readonly ColumnValue[] = ['new', 'active', 'closed'].map((name, i) => ({ kind: 'enum', index: i + 1, name }));

function row(i: number): ColumnValue[] {
  return [
    BigInt(i),
    `user-${i}`,
    `user-${i}@example.com`,
    BigInt(20 + (i % 50)),
    { kind: 'decimal', text: `${i % 100000}.${String(i % 100).padStart(2, '0')}`, precision: 12, scale: 2 },
    i / 7,
    { kind: 'time', type: 'datetime', year: 2024, month: 1 + (i % 12), day: 1 + (i % 28), hour: 12, minute: 0, second: i % 60, microsecond: 0, fsp: 3 },
    BigInt(i & 1),
    STATUS[i % 3] ?? null,
    i % 4 === 0 ? null : 'a note of moderate length for realism',
  ];
}

/** The synthetic upstream: transactions built on demand, as a decoder would, with a resolved watermark every 50. */
// eslint-disable-next-line @typescript-eslint/require-await -- a synchronous source behind the async-iterable interface
export async function* stream(rows: number): AsyncGenerator<ChangeEvent> {
  let ts = 1n << 40n;
  for (let r = 0, n = 0; r < rows; n++) {
    const changes: Txn['changes'][number][] = [];
    for (let k = 0; k < ROWS_PER_TXN; k++, r++) changes.push({ op: 'insert', schema: 'bench', table: 'mixed', tableInfo: TABLE, after: row(r) });
    ts += 16n;
    yield { kind: 'txn', commitTs: ts, startTs: ts - 3n, schemaVersion: 1, changes, bytes: ROWS_PER_TXN * BYTES_PER_ROW };
    if (n % 50 === 49) yield { kind: 'resolved', commitTs: ts + 1n };
  }
}

interface PhaseResult {
  readonly phase: string;
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSec: number;
  /** Rows per CPU-second (user + system) of the phase: steadier than wall time on a shared machine. */
  readonly rowsPerCpuSec: number;
  readonly peakRssMb: number;
  readonly peakHeldMb?: number;
}

function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  return { stop: () => (clearInterval(t), Math.max(peak, process.memoryUsage.rss()) / 2 ** 20) };
}

async function phase(name: string, rows: number): Promise<PhaseResult> {
  const rss = sampleRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let counted = 0;
  let peakHeldMb: number | undefined;
  if (name === 'raw') {
    for await (const e of stream(rows)) if (e.kind === 'txn') counted += e.changes.length;
  } else if (name === 'backlog') {
    // A sink slower than the stream: everything queues up to the memory quota, which is what bounds RSS.
    const sink = createNullSink();
    const slow = { ...sink, write: async (b: Parameters<typeof sink.write>[0], sig: AbortSignal) => {
      await new Promise((r) => setTimeout(r, 2));
      return sink.write(b, sig);
    } };
    const runner = new Runner({ sink: slow, sinkType: 'null', checkpointStore: new MemoryCheckpointStore(), initialCommitTs: 1n });
    await runner.open(new AbortController().signal);
    const result = await runner.run(stream(rows), new AbortController().signal);
    if (result.outcome !== 'completed') throw new Error(`runner ${result.outcome}: ${String(result.error)}`);
    counted = sink.counts.rows;
    peakHeldMb = result.stats.peakHeldBytes / 2 ** 20;
  } else {
    const sink = createNullSink();
    const runner = new Runner({ sink, sinkType: 'null', checkpointStore: new MemoryCheckpointStore(), initialCommitTs: 1n });
    await runner.open(new AbortController().signal);
    const result = await runner.run(stream(rows), new AbortController().signal);
    if (result.outcome !== 'completed') throw new Error(`runner ${result.outcome}: ${String(result.error)}`);
    counted = sink.counts.rows;
    peakHeldMb = result.stats.peakHeldBytes / 2 ** 20;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { phase: name, rows: counted, seconds, rowsPerSec: counted / seconds, rowsPerCpuSec: counted / cpuSeconds, peakRssMb: rss.stop(), peakHeldMb };
}

/** Runs raw and runner phases, each in a fresh child process, alternating, `repeat` times. */
export function runRunnerBench(rows = 1_000_000, repeat = 2): PhaseResult[] {
  const self = fileURLToPath(import.meta.url);
  const out: PhaseResult[] = [];
  for (let i = 0; i < repeat; i++) {
    for (const p of i === 0 ? ['raw', 'runner', 'backlog'] : ['raw', 'runner']) {
      // The backlog phase caps V8's old space (as `drainer` should be run): the quota bounds the *live* set, but
      // without a cap V8 lets garbage pile up to ~400 MB RSS before a full collection.
      const flags = p === 'backlog' ? [`--max-old-space-size=${BACKLOG_OLD_SPACE_MB}`] : [];
      const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', self, '--phase', p, String(rows)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`bench phase ${p} failed: ${child.stderr}`);
      out.push(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as PhaseResult);
    }
  }
  return out;
}

export function formatRunnerBench(results: readonly PhaseResult[]): string {
  const best = (p: string): PhaseResult | undefined => results.filter((r) => r.phase === p).sort((a, b) => b.rowsPerCpuSec - a.rowsPerCpuSec)[0];
  const raw = best('raw');
  const run = best('runner');
  const lines = results.map(
    (r) =>
      `${r.phase.padEnd(8)} ${(r.rowsPerSec / 1e3).toFixed(0).padStart(6)} k rows/s wall  ${(r.rowsPerCpuSec / 1e3).toFixed(0).padStart(6)} k rows/CPU-s  ${r.rows} rows in ${r.seconds.toFixed(2)} s  peak RSS ${r.peakRssMb.toFixed(0)} MB` +
      (r.peakHeldMb === undefined ? '' : `  peak held ${r.peakHeldMb.toFixed(1)} MB (quota 64 MB)`) +
      (r.phase === 'backlog' ? `  (sink 2 ms/batch, --max-old-space-size=${BACKLOG_OLD_SPACE_MB})` : ''),
  );
  const ratio = raw !== undefined && run !== undefined ? `runner/raw = ${(run.rowsPerCpuSec / raw.rowsPerCpuSec).toFixed(2)} in rows per CPU-second (best of each)` : '';
  return ['runner: synthetic 10-column rows, 100-row txns → Runner → null sink, vs the raw stream loop (each phase in its own process)', ...lines, ratio].join('\n');
}

export default defineBenchmark({
  name: 'runner',
  description:
    'Synthetic 10-column rows in 100-row transactions → Runner → null sink, beside a raw loop over the same stream ' +
    '(each phase in its own process), plus a backlog phase (sink slower than the stream) for peak RSS. Goal: ≥ 300k ' +
    'rows/s, ≥ 0.5× the raw stream, RSS ≤ 300 MB with a 1M-row backlog.',
  run(ctx) {
    const rows = Number(ctx.args[0] ?? (ctx.quick ? 50_000 : 1_000_000));
    const results = runRunnerBench(rows, ctx.quick ? 1 : 2);
    ctx.log(formatRunnerBench(results));
    const best = (p: string, k: 'rowsPerSec' | 'rowsPerCpuSec'): number => Math.max(...results.filter((r) => r.phase === p).map((r) => r[k]));
    const backlog = results.find((r) => r.phase === 'backlog');
    return Promise.resolve({
      rows: [
        benchRow('Runner → null sink', best('runner', 'rowsPerCpuSec'), 'rows/CPU-s', { label: 'raw loop over the same stream', value: best('raw', 'rowsPerCpuSec') }),
        benchRow('Runner → null sink (wall clock)', best('runner', 'rowsPerSec'), 'rows/s', { label: 'raw loop (wall clock)', value: best('raw', 'rowsPerSec') }),
      ],
      notes: [
        `${rows} rows per phase; best of ${ctx.quick ? 1 : 2} runs; each phase in its own process (peak RSS per phase below)`,
        ...results.map((r) => `${r.phase}: peak RSS ${r.peakRssMb.toFixed(0)} MB${r.peakHeldMb === undefined ? '' : `, peak held ${r.peakHeldMb.toFixed(1)} MB of the ${DEFAULT_MEMORY_QUOTA_BYTES / 2 ** 20} MiB quota`}`),
        backlog === undefined
          ? 'no backlog phase'
          : `backlog (sink 2 ms per 16-txn batch, node --max-old-space-size=${BACKLOG_OLD_SPACE_MB}): ${backlog.rows} rows, peak RSS ${backlog.peakRssMb.toFixed(0)} MB; without the old-space cap V8 lets garbage reach ~400–700 MB RSS`,
        'the stream builds model objects as the decoder does; the simulator → gRPC → decoder → runner path is not in this benchmark',
      ],
    });
  },
});

const argv = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) {
  if (argv[0] === '--phase') {
    const result = await phase(argv[1] ?? 'raw', Number(argv[2] ?? 1_000_000));
    console.log(JSON.stringify(result));
  } else {
    console.log(formatRunnerBench(runRunnerBench(Number(argv[0] ?? 1_000_000))));
  }
}
