/**
 * The whole pipeline (issue 5's benchmark): 3 simulated pumps served by a child process, preloaded with a backlog
 * of 10-column rows in 100-row transactions (TiDB row format) → Drainer (PumpStreams + Merger → decoder → filter →
 * Runner) → null sink; rows/s and peak RSS, beside the raw gRPC PullBinlogs streams of the same binlogs (receive
 * only, 3 streams in parallel) measured in the same run. Reports, never asserts.
 * Goal: ≥ 300k rows/s on the 2-core machine, ≥ 0.5× the raw stream, RSS ≤ 300 MB with a 1M-row backlog.
 *
 *   npm run bench -- pipeline [rows] [rounds]        (default 1,000,000 rows, 3 rounds)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
// The measured process loads the core sources (as bench/runner.bench.ts does), not a possibly stale dist/; the
// simulator lives in bench/pipeline-pumps.ts, which only the pump child process loads.
import {
  DEFAULT_MEMORY_QUOTA_BYTES,
  Drainer,
  PUMP_FLOW_CONTROL_WINDOW,
  PumpService,
  type PullBinlogReq,
  createNullSink,
  loadConfig,
  nullSink,
  stringifyJsonLossless,
} from '../packages/core/src/index.js';
import { defineBenchmark, median, row } from './lib.js';

import { CLUSTER_ID, DISTINCT_TXNS, PUMPS, ROWS_PER_TXN } from './pipeline-shape.js';

/** No row acknowledged for this long = a stall: fail with the drainer's status instead of hanging. */
const STALL_MS = 30_000;
/** Longer than the runner's 30 s drain deadline: a stop that takes this long is forced and reported as a failure. */
const STOP_GRACE_MS = 45_000;
/** A phase normally takes seconds; past this it is killed and the round reported as hung. */
const PHASE_TIMEOUT_MS = 120_000;

interface Served {
  readonly hosts: string[];
  readonly api: string;
  /** Binlogs (DDL + DML + final fakes) each pump serves, in order of `hosts`. */
  readonly binlogs: number[];
  readonly rows: number;
  close(): void;
}

async function serve(rows: number): Promise<Served> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./pipeline-pumps.ts', import.meta.url)), String(rows)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`pump server exited with ${code}`)));
  });
  const info = JSON.parse(line) as Omit<Served, 'close'>;
  return { ...info, close: () => child.stdin.end() };
}

/** Receives `n` PullBinlogResp messages from one pump as raw Buffers (no decode, no merge). */
function rawPull(host: string, n: number): Promise<void> {
  // Same channel options as PumpStream, so the comparison is about what the drainer does with the messages.
  const client = new grpc.Client(host, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, 'grpc-node.flow_control_window': PUMP_FLOW_CONTROL_WINDOW });
  const def = PumpService.pullBinlogs;
  const req: PullBinlogReq = { clusterId: CLUSTER_ID, startFrom: { suffix: 0n, offset: 0n } };
  return new Promise((resolve, reject) => {
    const call = client.makeServerStreamRequest(def.path, def.requestSerialize, (b: Buffer) => b, req);
    let got = 0;
    call.on('data', () => {
      if (++got === n) {
        call.cancel();
        client.close();
        resolve();
      }
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (err.code !== grpc.status.CANCELLED) reject(err);
    });
  });
}

/** Wall seconds for the raw streams of every pump, in parallel (what the transport alone costs). */
async function measureRaw(s: Served): Promise<number> {
  const t0 = performance.now();
  await Promise.all(s.hosts.map((h, i) => rawPull(h, s.binlogs[i] ?? 0)));
  return (performance.now() - t0) / 1000;
}

interface PhaseResult {
  readonly seconds: number;
  /** CPU seconds (user + system) of the measuring process during the phase. */
  readonly cpu: number;
  /** Peak RSS of the phase's own process, from the OS (`maxRSS`). */
  readonly maxRssMb: number;
}

/** Wall seconds from `Drainer.open` until the null sink acknowledged every row. */
async function measurePipeline(s: Served): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  try {
    const { config, origins } = await loadConfig({
      env: {},
      tomlText: `data-dir = "${join(dir, 'data')}"\ninitial-commit-ts = 0\npump-addrs = "${s.hosts.join(',')}"\ntidb-status-addrs = "${s.api}"\ncluster-id = ${CLUSTER_ID}\n[syncer]\ndb-type = "null"\n`,
    });
    const sink = createNullSink();
    const drainer = new Drainer({
      config,
      sink: { definition: nullSink, name: 'null', from: 'built-in', config: {}, sink, warnings: [] },
      txnBatchExplicit: origins.has('syncer.txn-batch'),
      // BENCH_PIPELINE_LOG=debug shows the drainer's own log on stderr (to look into a stall); silent otherwise.
      logger: pino({ level: process.env['BENCH_PIPELINE_LOG'] ?? 'silent' }, pino.destination(2)),
    });
    const stop = new AbortController();
    const force = new AbortController();
    try {
      const t0 = performance.now();
      await drainer.open(stop.signal);
      const running = drainer.run(stop.signal, force.signal);
      // Completion is observed from outside, so the sink stays the plain null sink.
      await new Promise<void>((resolve, reject) => {
        let seen = -1;
        let movedAt = performance.now();
        const timer = setInterval(() => {
          if (sink.counts.rows >= s.rows) {
            clearInterval(timer);
            resolve();
          } else if (sink.counts.rows !== seen) {
            seen = sink.counts.rows;
            movedAt = performance.now();
          } else if (performance.now() - movedAt > STALL_MS) {
            clearInterval(timer);
            const st = drainer.status();
            const detail = { rows: seen, decoded: st.decoded, waitingOn: st.upstream?.waitingOn, latestTs: st.upstream?.latestTs, pumpPos: [...(st.upstream?.pumpPos ?? [])], pumps: st.upstream?.pumps };
            reject(new Error(`pipeline stalled: ${stringifyJsonLossless(detail)}`));
          }
        }, 2);
        running.then(
          (r) => {
            clearInterval(timer);
            if (sink.counts.rows < s.rows) reject(new Error(`drainer ended early (${r.outcome}) after ${sink.counts.rows} rows`));
          },
          (err: unknown) => {
            clearInterval(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
      const seconds = (performance.now() - t0) / 1000;
      // Graceful stop; forced (and reported) if it outlives the runner's drain deadline by far.
      stop.abort();
      const forceTimer = setTimeout(() => force.abort(), STOP_GRACE_MS);
      const result = await running;
      clearTimeout(forceTimer);
      if (result.outcome !== 'stopped') throw new Error(`drainer did not stop cleanly: ${result.outcome} (exit ${result.exitCode})`);
      return seconds;
    } finally {
      await drainer.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child-process side of one phase: measure, print the result as one JSON line. */
async function phaseMain(phase: string, served: Served): Promise<void> {
  const c0 = process.cpuUsage();
  const seconds = phase === 'raw' ? await measureRaw(served) : await measurePipeline(served);
  const c = process.cpuUsage(c0);
  const result: PhaseResult = { seconds, cpu: (c.user + c.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Runs one phase in a process of its own, so its peak RSS is its own (the raw phase's buffers are not counted).
 * Resolves `undefined` when the phase hung past `PHASE_TIMEOUT_MS` (the child is killed; the caller reports it).
 */
async function runPhase(phase: 'raw' | 'pipeline', served: Served, signal: AbortSignal): Promise<PhaseResult | undefined> {
  const info = { hosts: served.hosts, api: served.api, binlogs: served.binlogs, rows: served.rows };
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, JSON.stringify(info)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let hung = false;
  const kill = (): boolean => child.kill('SIGKILL');
  const timer = setTimeout(() => {
    hung = true;
    kill();
  }, PHASE_TIMEOUT_MS);
  signal.addEventListener('abort', kill);
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    if (hung) return undefined;
    if (code !== 0) throw new Error(`${phase} phase exited with ${code}`);
    return JSON.parse(out.trim()) as PhaseResult;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', kill);
  }
}

export default defineBenchmark({
  name: 'pipeline',
  description:
    'Simulated pumps (3, child process, preloaded backlog of 10-column rows in 100-row txns) → Drainer (gRPC, merge, decode, filter, runner) → null sink: rows/s and peak RSS, beside the raw gRPC PullBinlogs streams of the same binlogs in the same run. Goal: ≥ 300k rows/s, ≥ 0.5× raw, RSS ≤ 300 MB with a 1M-row backlog.',
  async run(ctx) {
    const rows = ctx.quick ? 20_000 : Number(ctx.args[0] ?? 1_000_000);
    const rounds = ctx.quick ? 1 : Number(ctx.args[1] ?? 3);
    const served = await serve(rows);
    try {
      await measureRaw(served); // warm-up of the pumps' side
      const raw: PhaseResult[] = [];
      const runs: PhaseResult[] = [];
      const ratios: number[] = [];
      const hung: string[] = [];
      for (let r = 0; r < rounds && !ctx.signal.aborted; r++) {
        // Paired, back to back, so load from other processes on the shared machine hits both sides of a ratio.
        const rawRun = await runPhase('raw', served, ctx.signal);
        const run = await runPhase('pipeline', served, ctx.signal);
        if (rawRun === undefined || run === undefined) {
          hung.push(`round ${r + 1}: the ${rawRun === undefined ? 'raw' : 'pipeline'} phase did not finish within ${PHASE_TIMEOUT_MS / 1000} s (killed)`);
          ctx.log(hung[hung.length - 1] ?? '');
          continue;
        }
        raw.push(rawRun);
        runs.push(run);
        ratios.push(rawRun.seconds / run.seconds);
        ctx.log(`round ${r + 1}: raw ${(served.rows / rawRun.seconds).toFixed(0)} rows/s (RSS ${rawRun.maxRssMb.toFixed(0)} MB), pipeline ${(served.rows / run.seconds).toFixed(0)} rows/s, ${(served.rows / run.cpu).toFixed(0)} rows/CPU-s, peak RSS ${run.maxRssMb.toFixed(0)} MB`);
      }
      const rawRate = served.rows / median(raw.map((x) => x.seconds));
      const rate = served.rows / median(runs.map((x) => x.seconds));
      const peak = Math.max(...runs.map((x) => x.maxRssMb));
      const rawBase = { label: 'raw gRPC PullBinlogs, 3 streams in parallel (receive only)', value: rawRate };
      return {
        rows: [
          { ...row('drainer pipeline → null sink', rate, 'rows/s', rawBase), ratio: median(ratios) },
          row('drainer pipeline → null sink', served.rows / median(runs.map((x) => x.cpu)), 'rows/CPU-s', { label: 'raw streams', value: served.rows / median(raw.map((x) => x.cpu)) }),
          row('drainer pipeline: peak RSS of its process', peak, 'MB', { label: 'raw streams process', value: Math.max(...raw.map((x) => x.maxRssMb)) }),
        ],
        notes: [
          `${served.rows} rows backlog (${served.rows / ROWS_PER_TXN} txns of ${ROWS_PER_TXN} 10-column rows, TiDB row format, ${DISTINCT_TXNS} distinct payloads cycled), round-robin over ${PUMPS} pumps served by a child process; the drainer starts with all of it pending.`,
          `Median of ${rounds} paired rounds (raw, then a fresh Drainer from commit ts 0 with a file checkpoint); the ratio is the median of the per-round ratios. Time runs from Drainer.open to the null sink acknowledging the last row.`,
          `Each phase runs in a process of its own (peak RSS = its maxRSS from the OS); the runner keeps its default ${DEFAULT_MEMORY_QUOTA_BYTES / 2 ** 20} MiB memory quota. CPU is the measuring process only (pumps excluded).`,
          ...hung.map((h) => `HUNG ${h}; see the report of issue 5 (graceful stop stuck after "stopping: draining held events").`),
          `Load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores.`,
        ],
      };
    } finally {
      served.close();
    }
  },
});

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === '--phase') {
  await phaseMain(process.argv[3] ?? '', JSON.parse(process.argv[4] ?? '{}') as Served);
}
