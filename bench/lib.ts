/**
 * The benchmark contract. A benchmark is a file `bench/<name>.bench.ts` whose default export is a `Benchmark`;
 * `npm run bench [-- <name>...]` (bench/run.ts) discovers it, runs it in a child process of its own (so peak RSS is
 * its own), and writes `bench/results/<name>.json` + `bench/results/<name>.md`. Benchmarks report; they never assert,
 * and they are never part of `npm test`.
 */
import type { TestServerName } from '@tidb-drainer/testkit';

/** One measured figure, beside the raw baseline it is judged against (measured in the same run). */
export interface BenchRow {
  /** What was measured, e.g. `drainer → MySQL, 8 workers`. */
  readonly label: string;
  readonly value: number;
  /** e.g. `rows/s`, `MB/s` (MB = 10^6 bytes), `msg/s`, `µs/op`. */
  readonly unit: string;
  /** The raw baseline, e.g. `raw mysql2 multi-row INSERT`; absent only for rows that are themselves a baseline. */
  readonly baselineLabel?: string;
  readonly baselineValue?: number;
  /** value / baselineValue (higher is better for throughputs); computed by `row()` when a baseline is given. */
  readonly ratio?: number;
}

export interface BenchResult {
  readonly rows: readonly BenchRow[];
  /** Free-form facts worth keeping beside the numbers (sizes, settings, caveats). The runner adds peak RSS etc. */
  readonly notes?: readonly string[];
}

export interface BenchContext {
  /** Aborted on SIGINT/SIGTERM: stop early and clean up (servers, child processes). */
  readonly signal: AbortSignal;
  /** Arguments after the benchmark's name on the command line, for the benchmark's own knobs. */
  readonly args: readonly string[];
  /** `BENCH_QUICK=1`: a short run to check the benchmark works, not to measure (results are not written). */
  readonly quick: boolean;
  /** Progress to stderr (the runner owns stdout). */
  log(message: string): void;
}

export interface Benchmark {
  /** Must equal the file name: `bench/<name>.bench.ts`. */
  readonly name: string;
  /** One or two sentences: what is measured, against which baseline, and the goal if there is one. */
  readonly description: string;
  /** Real test servers it needs (scripts/services.sh); the runner checks they are reachable first. */
  readonly needs?: readonly TestServerName[];
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** Identity, for type inference in `export default defineBenchmark({...})`. */
export function defineBenchmark(b: Benchmark): Benchmark {
  return b;
}

export interface Baseline {
  readonly label: string;
  readonly value: number;
}

/** A row; with a baseline it also gets `ratio = value / baseline.value`. */
export function row(label: string, value: number, unit: string, baseline?: Baseline): BenchRow {
  if (baseline === undefined) return { label, value, unit };
  const ratio = baseline.value === 0 ? Number.NaN : value / baseline.value;
  return { label, value, unit, baselineLabel: baseline.label, baselineValue: baseline.value, ratio };
}

export function isBenchmark(x: unknown): x is Benchmark {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Partial<Record<keyof Benchmark, unknown>>;
  return typeof b.name === 'string' && typeof b.description === 'string' && typeof b.run === 'function';
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** 3 significant digits, thousands separated: 1234567 → `1,230,000`, 0.01234 → `0.0123`. */
export function formatNumber(x: number | undefined): string {
  if (x === undefined) return '';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  const rounded = Number(x.toPrecision(3));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Mebibytes from bytes, for memory notes. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
