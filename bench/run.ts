/**
 * `npm run bench [-- <name>... [-- <args for the benchmark>]]`: runs every registered benchmark (or the named ones),
 * each in a child process of its own, and writes bench/results/<name>.json + <name>.md. A registered benchmark is a
 * file `bench/<name>.bench.ts` whose default export is a `Benchmark` (bench/lib.ts). `BENCH_QUICK=1` runs a short
 * smoke pass and writes nothing.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertTestServerReachable } from '@tidb-drainer/testkit';
import { isBenchmark, mib } from './lib.js';
import type { Benchmark, BenchContext, BenchResult } from './lib.js';
import { renderMarkdown } from './render-markdown.js';
import type { BenchReport } from './render-markdown.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const SUFFIX = '.bench.ts';
const CHILD_FLAG = '--child';

function discover(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

async function load(name: string): Promise<Benchmark | undefined> {
  const mod = (await import(pathToFileURL(`${BENCH_DIR}${name}${SUFFIX}`).href)) as { default?: unknown };
  return isBenchmark(mod.default) ? mod.default : undefined;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Runs one benchmark in this process and writes its result files. */
async function runChild(name: string, args: readonly string[]): Promise<void> {
  const bench = await load(name);
  if (bench === undefined)
    throw new Error(`bench/${name}${SUFFIX} has no default-exported Benchmark (see bench/README.md)`);
  if (bench.name !== name)
    throw new Error(`bench/${name}${SUFFIX} exports a Benchmark named '${bench.name}'; rename one of them`);
  for (const s of bench.needs ?? []) await assertTestServerReachable(s);
  const ac = new AbortController();
  const abort = (): void => ac.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  const quick = process.env['BENCH_QUICK'] === '1';
  const ctx: BenchContext = {
    signal: ac.signal,
    args,
    quick,
    log: (m) => process.stderr.write(`[bench ${name}] ${m}\n`),
  };
  const started = new Date();
  const t0 = process.hrtime.bigint();
  const result: BenchResult = await bench.run(ctx);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const report: BenchReport = {
    name,
    description: bench.description,
    startedAt: started.toISOString(),
    seconds,
    commit: gitCommit(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())}, node ${process.version}`,
    peakRss: mib(process.resourceUsage().maxRSS * 1024),
    rows: result.rows,
    notes: result.notes ?? [],
  };
  const md = renderMarkdown(report);
  process.stdout.write(`${md}\n`);
  if (quick) return;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${RESULTS_DIR}${name}.md`, md);
  process.stderr.write(`[bench ${name}] wrote bench/results/${name}.json and .md\n`);
}

async function runInChild(name: string, args: readonly string[]): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, CHILD_FLAG, name, ...args], { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals): void => {
    child.kill(sig);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128))),
    );
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === CHILD_FLAG) {
    const name = argv[1];
    if (name === undefined) throw new Error(`${CHILD_FLAG} needs a benchmark name`);
    await runChild(name, argv.slice(2));
    return 0;
  }
  // Leading arguments that name benchmarks select them; the rest (after an optional `--`) go to each of them.
  const known = discover();
  const names: string[] = [];
  let i = 0;
  for (let a = argv[i]; a !== undefined && known.includes(a); a = argv[++i]) names.push(a);
  if (argv[i] === '--') i += 1;
  const args = argv.slice(i);
  if (names.length === 0 && args.length > 0) {
    process.stderr.write(`unknown benchmark '${args[0] ?? ''}'; registered: ${known.join(', ')}\n`);
    return 2;
  }
  const targets = names.length === 0 ? known : names;
  let failed = 0;
  for (const name of targets) {
    if (names.length === 0 && (await load(name)) === undefined) {
      process.stderr.write(`[bench] skipping ${name}: no default-exported Benchmark yet (see bench/README.md)\n`);
      continue;
    }
    process.stderr.write(`[bench] ${name}\n`);
    const code = await runInChild(name, args);
    if (code !== 0) {
      failed += 1;
      process.stderr.write(`[bench] ${name} failed (exit ${code})\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
