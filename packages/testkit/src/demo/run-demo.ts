import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Drainer, StaticPumpRegistry, loadConfig, prepareSink, tsoPhysicalMs } from '@tidb-drainer/core';
import type { DrainerConfig, PreparedSink, RunOutcome } from '@tidb-drainer/core';
import { PumpCluster } from '../pump-sim/pump-cluster.js';
import { FakeTidbStatusApi } from '../tidb-api/fake-tidb-status-api.js';
import { TidbSchemaModel } from '../tidb-api/tidb-schema-model.js';
import { CountingSink } from './counting-sink.js';
import { DemoError } from './demo-error.js';
import type { DeliveredCounts } from './counting-sink.js';
import { expectDemoWorkload, planDemoWorkload } from './demo-workload.js';
import type { DemoExpectation } from './demo-workload.js';
import { writeDemoStep } from './write-demo-step.js';

/** `auto`: the file sink when a whole run with it succeeds, else the demo runs again, from scratch, into jsonl. */
export type DemoSinkChoice = 'auto' | 'file' | 'jsonl';

export interface DemoOptions {
  readonly sink?: DemoSinkChoice;
  /** Where output and drainer state go; default: a fresh temp dir (kept, so the user can inspect it). */
  readonly dir?: string;
  readonly txns?: number;
  readonly seed?: number;
  /** Pause between upstream transactions, so the progress is visible (0 = as fast as possible). */
  readonly paceMs?: number;
  /** Called about every `progressEveryMs` while running and once at the end. */
  readonly onProgress?: (p: DemoProgress) => void;
  readonly progressEveryMs?: number;
  readonly signal?: AbortSignal;
}

export interface DemoProgress {
  readonly written: number;
  readonly planned: number;
  readonly delivered: Readonly<DeliveredCounts>;
  /** Upstream head (last TSO handed out) minus the last commit ts delivered, in ms of TSO physical time. */
  readonly lagMs: number;
  readonly elapsedMs: number;
}

export interface DemoOutputFile {
  readonly path: string;
  readonly bytes: number;
}

export interface DemoSummary {
  readonly sink: 'file' | 'jsonl';
  /** Why `auto` fell back to jsonl (undefined when it did not). */
  readonly fallbackReason?: string;
  readonly dir: string;
  readonly outputDir: string;
  readonly outputFiles: readonly DemoOutputFile[];
  readonly checkpointFile: string;
  readonly expected: DemoExpectation;
  readonly delivered: Readonly<DeliveredCounts>;
  readonly checkpointTs: bigint;
  readonly consistent: boolean;
  readonly outcome: RunOutcome;
  readonly pumps: readonly string[];
  readonly elapsedMs: number;
}

/** Upstream transactions can wait this long in total to show up downstream before the demo gives up. */
const CATCH_UP_TIMEOUT_MS = 20_000;
/** Pumps emit fake binlogs this often: the merger advances (and the drainer catches up) at this granularity. */
const FAKE_INTERVAL_MS = 50;
/** Spreads ~60 transactions over ~1.5 s: long enough to watch, short enough for the 30 s budget. */
const DEFAULT_PACE_MS = 25;

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * The quickstart: an in-process simulated TiDB cluster (2 pumps on loopback gRPC, a fake TiDB status API, a static
 * pump list instead of etcd) → the real drainer pipeline (merger, decoder, schema tracker, runner) → the file sink
 * (or jsonl) in a directory, while a small mixed workload with DDL is written upstream. Resolves when everything
 * written has been acknowledged by the sink and the drainer stopped cleanly (consistent checkpoint).
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const started = Date.now();
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'tidb-drainer-demo-')));
  await mkdir(dir, { recursive: true });
  const choice = options.sink ?? 'auto';
  if (choice === 'jsonl') return runOnce('jsonl', dir, options, started);
  try {
    return await runOnce('file', dir, options, started);
  } catch (err) {
    // "auto" means: the file sink if it works here, else jsonl — from scratch, on a fresh upstream and data dir
    // (the failed run's checkpoint must not be resumed by the jsonl run).
    if (choice === 'file' || options.signal?.aborted === true) throw err;
    await rm(join(dir, 'data'), { recursive: true, force: true });
    await rm(join(dir, 'output'), { recursive: true, force: true });
    const summary = await runOnce('jsonl', dir, options, started);
    return { ...summary, fallbackReason: err instanceof Error ? err.message : String(err) };
  }
}

/** One complete run: a fresh simulated upstream, the workload, the drainer into `kind`, a clean stop. */
async function runOnce(
  kind: 'file' | 'jsonl',
  dir: string,
  options: DemoOptions,
  started: number,
): Promise<DemoSummary> {
  const steps = planDemoWorkload({
    ...(options.txns === undefined ? {} : { txns: options.txns }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const expected = expectDemoWorkload(steps);
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  let cluster: PumpCluster | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    cluster = await PumpCluster.start({ pumps: 2, etcdUrl: null, fakeIntervalMs: FAKE_INTERVAL_MS });
    await api.start();
    const pumps = cluster.pumps.map((p) => p.host);
    const chosen = await configure(kind, dir, api.address);
    const counting = new CountingSink(chosen.prepared.sink);
    const drainer = new Drainer({
      config: chosen.config,
      sink: { ...chosen.prepared, sink: counting },
      registry: new StaticPumpRegistry(pumps),
      clusterId: cluster.clusterId,
    });
    await drainer.open(stop.signal);
    let runEnded = false;
    const running = drainer.run(stop.signal).finally(() => {
      runEnded = true;
    });

    let written = 0;
    const tso = cluster.tso;
    const progress = (): DemoProgress => ({
      written,
      planned: steps.length,
      delivered: counting.counts,
      lagMs: Math.max(0, tsoPhysicalMs(tso.current()) - tsoPhysicalMs(counting.counts.lastCommitTs || tso.current())),
      elapsedMs: Date.now() - started,
    });
    if (options.onProgress !== undefined) {
      const report = options.onProgress;
      timer = setInterval(() => report(progress()), options.progressEveryMs ?? 200);
    }

    const driver = cluster.driver({ choose: (i, n) => i % n });
    let lastTs = 0n;
    try {
      for (const step of steps) {
        // A drainer that already stopped (fatal error) will not catch up: stop writing.
        if (stop.signal.aborted || runEnded) break;
        lastTs = await writeDemoStep(step, model, driver);
        written++;
        await sleep(options.paceMs ?? DEFAULT_PACE_MS, stop.signal);
      }
    } finally {
      driver.close();
    }
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    while (!stop.signal.aborted && !runEnded && counting.counts.lastCommitTs < lastTs && Date.now() < deadline) {
      await sleep(20, stop.signal);
    }
    const caughtUp = written === steps.length && counting.counts.lastCommitTs >= lastTs;
    stop.abort();
    const result = await running;
    if (timer !== undefined) clearInterval(timer);
    options.onProgress?.(progress());
    const where = { sink: kind, dir, outcome: result.outcome, checkpoint: result.checkpoint.commitTs };
    if (result.outcome === 'fatal') {
      throw new DemoError(
        `the drainer stopped on an error (${kind} sink): ${String(result.error)}`,
        where,
        result.error,
      );
    }
    if (!caughtUp && options.signal?.aborted !== true) {
      throw new DemoError(`the drainer did not deliver everything within ${CATCH_UP_TIMEOUT_MS} ms`, where);
    }
    return {
      sink: kind,
      dir,
      outputDir: chosen.outputDir,
      outputFiles: await listFiles(chosen.outputDir),
      checkpointFile: join(dir, 'data', 'savepoint'),
      expected,
      delivered: counting.counts,
      checkpointTs: result.checkpoint.commitTs,
      consistent: result.checkpoint.consistent,
      outcome: result.outcome,
      pumps,
      elapsedMs: Date.now() - started,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (timer !== undefined) clearInterval(timer);
    await cluster?.close();
    await api.close();
  }
}

interface ChosenSink {
  readonly config: DrainerConfig;
  readonly prepared: PreparedSink;
  readonly outputDir: string;
}

async function configure(kind: 'file' | 'jsonl', dir: string, tidbStatus: string): Promise<ChosenSink> {
  const outputDir = join(dir, 'output');
  await mkdir(outputDir, { recursive: true });
  const sinkSection =
    kind === 'file'
      ? `dir = ${JSON.stringify(join(outputDir, 'binlog'))}`
      : `path = ${JSON.stringify(join(outputDir, 'changes.jsonl'))}`;
  // JSON string literals are valid TOML basic strings for any path.
  const { config } = await loadConfig({
    env: {},
    tomlText: [
      `data-dir = ${JSON.stringify(join(dir, 'data'))}`,
      'initial-commit-ts = 0',
      `tidb-status-addrs = ${JSON.stringify(tidbStatus)}`,
      '[syncer]',
      `db-type = "${kind}"`,
      '[sink]',
      sinkSection,
      '',
    ].join('\n'),
  });
  const prepared = await prepareSink(config, { env: {} });
  return { config, prepared, outputDir };
}

async function listFiles(root: string): Promise<DemoOutputFile[]> {
  const out: DemoOutputFile[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push({ path: p, bytes: (await stat(p)).size });
    }
  };
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
