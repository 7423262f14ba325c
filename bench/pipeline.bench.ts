/**
 * The whole pipeline (issue 5's benchmark): 3 simulated pumps served by a child process, preloaded with a backlog
 * of 10-column rows in 100-row transactions (TiDB row format) → Drainer (PumpStreams + Merger → decoder → filter →
 * Runner) → null sink; rows/s and peak RSS, beside the raw gRPC PullBinlogs streams of the same binlogs (receive
 * only, 3 streams in parallel) measured in the same run. Reports, never asserts.
 * Goal: ≥ 300k rows/s on the 2-core machine, ≥ 0.5× the raw stream, RSS ≤ 300 MB with a 1M-row backlog.
 *
 *   npm run bench -- pipeline [rows]        (default 1,000,000 rows)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import {
  BinlogType,
  Drainer,
  PUMP_FLOW_CONTROL_WINDOW,
  PumpService,
  type PullBinlogReq,
  type TipbBinlog,
  createNullSink,
  encodePrewriteValue,
  loadConfig,
  nullSink,
} from '@tidb-drainer/core';
import type { ColumnValue } from '@tidb-drainer/core';
import {
  FakeTidbStatusApi,
  SimulatedPump,
  TableMutationBuilder,
  TidbSchemaModel,
  TsoAllocator,
  ddlBinlogsFor,
  tidbCol,
} from '@tidb-drainer/testkit';
import { defineBenchmark, median, row } from './lib.js';

const CLUSTER_ID = 7n;
const PUMPS = 3;
const ROWS_PER_TXN = 100;
/** Distinct transaction payloads cycled through the backlog: enough variety for the decoder, cheap to encode. */
const DISTINCT_TXNS = 64;
/** How often the RSS sampler looks; peaks shorter than this can be missed (maxRSS from the OS is also reported). */
const RSS_SAMPLE_MS = 20;

interface Served {
  readonly hosts: string[];
  readonly api: string;
  /** Binlogs (DDL + DML + final fakes) each pump serves, in order of `hosts`. */
  readonly binlogs: number[];
  readonly rows: number;
  close(): void;
}

/** The child process: fake TiDB status API + 3 preloaded pumps. Prints one JSON line, lives until stdin ends. */
async function serveMain(rows: number): Promise<void> {
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  await api.start();
  const tso = new TsoAllocator();
  const pumps: SimulatedPump[] = [];
  for (let i = 0; i < PUMPS; i++) {
    const p = new SimulatedPump({ nodeId: `bench-${i}`, clusterId: CLUSTER_ID, tso, fakeIntervalMs: 3_600_000 });
    await p.start();
    pumps.push(p);
  }
  const counts = pumps.map(() => 0);
  const commit = (pump: number, p: Omit<TipbBinlog, 'tp' | 'startTs' | 'commitTs'>): void => {
    const s = pumps[pump]?.storage;
    if (s === undefined) throw new RangeError(`no pump ${pump}`);
    const startTs = tso.next();
    s.write({ ...p, tp: BinlogType.Prewrite, startTs, commitTs: 0n });
    s.write({ tp: BinlogType.Commit, startTs, commitTs: tso.next(), ddlJobId: p.ddlJobId, ddlSchemaState: p.ddlSchemaState });
    counts[pump] = (counts[pump] ?? 0) + 1;
  };
  const jobs = [
    model.createDatabase('bench'),
    model.createTable('bench', {
      name: 'mixed',
      primaryKey: ['id'],
      columns: [
        tidbCol.bigint('id', { notNull: true }),
        tidbCol.varchar('name', 32),
        tidbCol.varchar('email', 64),
        tidbCol.int('age'),
        tidbCol.decimal('balance', 12, 2),
        tidbCol.double('score'),
        tidbCol.datetime('created', 3),
        tidbCol.tinyint('active'),
        tidbCol.enum('status', ['new', 'active', 'closed']),
        tidbCol.varchar('note', 255),
      ],
    }),
  ];
  for (const job of jobs)
    for (const b of ddlBinlogsFor(job)) commit(0, { ddlQuery: Buffer.from(b.query), ddlJobId: b.jobId, ddlSchemaState: b.schemaState });
  const table = model.modelTable('bench', 'mixed');
  const payloads: Uint8Array[] = [];
  for (let t = 0; t < DISTINCT_TXNS; t++) {
    const m = new TableMutationBuilder(table);
    for (let r = 0; r < ROWS_PER_TXN; r++) {
      const i = t * ROWS_PER_TXN + r;
      const values: ColumnValue[] = [
        BigInt(i + 1),
        `user-${i}`,
        `user${i}@example.com`,
        BigInt(18 + (i % 60)),
        { kind: 'decimal', text: `${i % 100000}.${String(i % 100).padStart(2, '0')}`, precision: 12, scale: 2 },
        (i % 1000) / 7,
        { kind: 'time', type: 'datetime', year: 2024, month: 1 + (i % 12), day: 1 + (i % 28), hour: i % 24, minute: i % 60, second: (i * 7) % 60, microsecond: (i % 1000) * 1000, fsp: 3 },
        BigInt(i % 2),
        { kind: 'enum', index: 1 + (i % 3), name: ['new', 'active', 'closed'][i % 3] ?? 'new' },
        i % 5 === 0 ? null : `note ${i} `.repeat(3),
      ];
      m.insert(values);
    }
    payloads.push(encodePrewriteValue({ schemaVersion: BigInt(model.schemaVersion), mutations: [m.build()] }));
  }
  const txns = Math.ceil(rows / ROWS_PER_TXN);
  for (let t = 0; t < txns; t++) commit(t % PUMPS, { prewriteValue: payloads[t % DISTINCT_TXNS], ddlJobId: 0n, ddlSchemaState: 0 });
  // A fake above everything on every pump, so the merge can release the last transactions.
  pumps.forEach((p, i) => {
    p.writeFake();
    counts[i] = (counts[i] ?? 0) + 1;
  });
  process.stdout.write(`${JSON.stringify({ hosts: pumps.map((p) => p.host), api: api.address, binlogs: counts, rows: txns * ROWS_PER_TXN })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

async function serve(rows: number): Promise<Served> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', String(rows)], { stdio: ['pipe', 'pipe', 'inherit'] });
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

interface PipelineRun {
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** Wall seconds from `open` until the null sink acknowledged every row, and the RSS peak meanwhile. */
async function measurePipeline(s: Served, signal: AbortSignal): Promise<PipelineRun> {
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
    });
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), RSS_SAMPLE_MS);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort);
    try {
      const t0 = performance.now();
      await drainer.open(stop.signal);
      const running = drainer.run(stop.signal);
      // Completion is observed, not awaited from inside the sink, so the sink stays the plain null sink.
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (sink.counts.rows >= s.rows) {
            clearInterval(timer);
            resolve();
          } else if (stop.signal.aborted) {
            clearInterval(timer);
            reject(new Error('aborted'));
          }
        }, 2);
        running.then(
          (r) => {
            if (sink.counts.rows < s.rows) {
              clearInterval(timer);
              reject(new Error(`drainer ended early (${r.outcome}) after ${sink.counts.rows} rows`));
            }
          },
          (err: unknown) => {
            clearInterval(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
      const seconds = (performance.now() - t0) / 1000;
      stop.abort();
      await running;
      return { seconds, peakRssMb: peak / 2 ** 20 };
    } finally {
      clearInterval(sampler);
      signal.removeEventListener('abort', onAbort);
      await drainer.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default defineBenchmark({
  name: 'pipeline',
  description:
    'Simulated pumps (3, child process, preloaded backlog of 10-column rows in 100-row txns) → Drainer (gRPC, merge, decode, filter, runner) → null sink: rows/s and peak RSS, beside the raw gRPC PullBinlogs streams of the same binlogs in the same run. Goal: ≥ 300k rows/s, ≥ 0.5× raw, RSS ≤ 300 MB with a 1M-row backlog.',
  async run(ctx) {
    const rows = ctx.quick ? 20_000 : Number(ctx.args[0] ?? 1_000_000);
    const rounds = ctx.quick ? 1 : 3;
    const served = await serve(rows);
    try {
      await measureRaw(served); // warm-up of the pumps' side
      const raw: number[] = [];
      const runs: PipelineRun[] = [];
      const ratios: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < rounds && !ctx.signal.aborted; r++) {
        // Paired, back to back, so load from other processes on the shared machine hits both sides of a ratio.
        const rawSecs = await measureRaw(served);
        const c0 = process.cpuUsage();
        const run = await measurePipeline(served, ctx.signal);
        const c = process.cpuUsage(c0);
        raw.push(rawSecs);
        runs.push(run);
        ratios.push(rawSecs / run.seconds);
        cpu.push((c.user + c.system) / 1e6);
        ctx.log(`round ${r + 1}: raw ${(served.rows / rawSecs).toFixed(0)} rows/s, pipeline ${(served.rows / run.seconds).toFixed(0)} rows/s, peak RSS ${run.peakRssMb.toFixed(0)} MB`);
      }
      const rawRate = served.rows / median(raw);
      const rate = served.rows / median(runs.map((x) => x.seconds));
      const peak = Math.max(...runs.map((x) => x.peakRssMb));
      const rawBase = { label: 'raw gRPC PullBinlogs, 3 streams in parallel (receive only)', value: rawRate };
      return {
        rows: [
          { ...row('drainer pipeline → null sink', rate, 'rows/s', rawBase), ratio: median(ratios) },
          row('drainer pipeline → null sink', served.rows / median(cpu), 'rows/CPU-s'),
          row('drainer pipeline: peak RSS (sampled)', peak, 'MB'),
        ],
        notes: [
          `${served.rows} rows backlog (${served.rows / ROWS_PER_TXN} txns of ${ROWS_PER_TXN} 10-column rows, TiDB row format, ${DISTINCT_TXNS} distinct payloads cycled), round-robin over ${PUMPS} pumps served by a child process; the drainer starts with all of it pending.`,
          `Median of ${rounds} paired rounds (raw, then a fresh Drainer from commit ts 0 with a file checkpoint); the ratio is the median of the per-round ratios. Time runs from Drainer.open to the null sink acknowledging the last row.`,
          `Peak RSS sampled every ${RSS_SAMPLE_MS} ms during the drainer phases (the runner's default 64 MiB memory quota); the process's maxRSS (also covering the raw phases) is in the runner's notes.`,
          `Load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores.`,
        ],
      };
    } finally {
      served.close();
    }
  },
});

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === '--serve') {
  await serveMain(Number(process.argv[3] ?? 1_000_000));
}
