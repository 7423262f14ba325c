/**
 * Upstream throughput: binlogs/s and MB/s through real gRPC (loopback) + PumpStream decode + Merger, with 1, 3 and 8
 * simulated pumps, beside a raw single gRPC PullBinlogs stream of the same payloads (receive only, no decode, no
 * merge) measured in the same run. Goal: merged ≥ 0.6 × raw. Not a test: it reports, it does not assert.
 *
 *   npm run bench -- upstream            (bench/run.ts; optional arg: binlogs per run, default 40000)
 *   node --import tsx bench/upstream.bench.ts
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import {
  BinlogType,
  PUMP_FLOW_CONTROL_WINDOW,
  PumpService,
  StaticPumpRegistry,
  Upstream,
  type PullBinlogReq,
  decodePrewriteValue,
  decodeTipbBinlog,
  encodeTipbBinlog,
  upstreamMetrics,
} from '@tidb-drainer/core';
import { Registry } from 'prom-client';
import { SimulatedPump, TsoAllocator, simplePrewriteValue } from '@tidb-drainer/testkit';

import { type BenchRow, defineBenchmark, row } from './lib.js';

export interface UpstreamBenchOptions {
  /** Binlogs per measurement. */
  readonly binlogs?: number;
  /** Rows per binlog (each `rowBytes` long). */
  readonly rows?: number;
  readonly rowBytes?: number;
  readonly pumpCounts?: readonly number[];
  readonly rounds?: number;
}

export interface UpstreamBenchResult {
  readonly name: string;
  readonly binlogs: number;
  readonly bytes: number;
  readonly seconds: number;
  /** CPU time of this (drainer-side) process per binlog, user+system: robust against other load on the machine. */
  readonly cpuUsPerBinlog?: number;
  readonly binlogsPerSec: number;
  readonly mbPerSec: number;
  readonly ratioToRaw?: number;
}

const CLUSTER_ID = 7n;
const metricsRegistry = new Registry();

/** Pumps preloaded with `n` committed transactions spread round-robin, each ending with a fake above everything. */
export async function preload(pumpCount: number, n: number, payload: Uint8Array): Promise<{ pumps: SimulatedPump[]; bytes: number }> {
  const tso = new TsoAllocator();
  const pumps: SimulatedPump[] = [];
  for (let i = 0; i < pumpCount; i++) {
    const p = new SimulatedPump({ nodeId: `bench-${i}`, clusterId: CLUSTER_ID, tso, fakeIntervalMs: 3_600_000 });
    await p.start();
    pumps.push(p);
  }
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const s = pumps[i % pumpCount]!.storage;
    const startTs = tso.next();
    s.write({ tp: BinlogType.Prewrite, startTs, commitTs: 0n, prewriteValue: payload, ddlJobId: 0n, ddlSchemaState: 0 });
    s.write({ tp: BinlogType.Commit, startTs, commitTs: tso.next(), ddlJobId: 0n, ddlSchemaState: 0 });
    bytes += payload.length;
  }
  for (const p of pumps) p.writeFake();
  return { pumps, bytes };
}

/** Receives `n` PullBinlogResp messages from one pump as raw Buffers. */
function rawPull(host: string, n: number): Promise<number> {
  // Same channel options as PumpStream, so the comparison is about what we do with the messages.
  const client = new grpc.Client(host, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, 'grpc-node.flow_control_window': PUMP_FLOW_CONTROL_WINDOW });
  const def = PumpService.pullBinlogs;
  const req: PullBinlogReq = { clusterId: CLUSTER_ID, startFrom: { suffix: 0n, offset: 0n } };
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const call = client.makeServerStreamRequest(def.path, def.requestSerialize, (b: Buffer) => b, req);
    let got = 0;
    call.on('data', () => {
      if (++got === n) {
        const secs = (performance.now() - t0) / 1000;
        call.cancel();
        client.close();
        resolve(secs);
      }
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (err.code !== grpc.status.CANCELLED) reject(err);
    });
  });
}

/** Receives every pump's share in parallel as raw Buffers (what the transport alone costs with k streams). */
async function rawPullParallel(hosts: readonly string[], n: number): Promise<number> {
  const k = hosts.length;
  const t0 = performance.now();
  await Promise.all(hosts.map((h, j) => rawPull(h, Math.floor(n / k) + (j < n % k ? 1 : 0))));
  return (performance.now() - t0) / 1000;
}

/** Pulls through PumpStreams + Merger until `n` binlogs were emitted. */
async function mergedPull(hosts: readonly string[], n: number): Promise<number> {
  // Metrics on, as in the drainer.
  const u = new Upstream({ registry: new StaticPumpRegistry(hosts), clusterId: CLUSTER_ID, initialCommitTs: 0n, metrics: upstreamMetrics(metricsRegistry) });
  const t0 = performance.now();
  await u.start();
  let got = 0;
  let last = 0n;
  while (got < n) {
    const item = u.merger.tryNext() ?? (await u.merger.next());
    if (item.commitTs <= last) throw new Error('merge order broken');
    last = item.commitTs;
    if (item.kind === 'binlog') got++;
  }
  const secs = (performance.now() - t0) / 1000;
  await u.close();
  return secs;
}

function result(name: string, binlogs: number, bytes: number, seconds: number, raw?: number): UpstreamBenchResult {
  const binlogsPerSec = binlogs / seconds;
  return { name, binlogs, bytes, seconds, binlogsPerSec, mbPerSec: bytes / seconds / 1e6, ratioToRaw: raw === undefined ? undefined : raw / seconds };
}

/** Runs `fn` (which returns its own wall seconds) and adds the CPU seconds this process spent meanwhile. */
async function timed(fn: () => Promise<number>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const wall = await fn();
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface ServedPumps {
  readonly hosts: string[];
  readonly bytes: number;
  close(): void;
}

/**
 * Runs the simulated pumps in a child process, as real pumps are other processes: the measured process does only
 * the drainer's work (receive, decode, merge), not the simulator's.
 */
async function servePumps(pumpCount: number, n: number, rows: number, rowBytes: number): Promise<ServedPumps> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', String(pumpCount), String(n), String(rows), String(rowBytes)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`pump server exited with ${code}`)));
  });
  const { hosts, bytes } = JSON.parse(line) as { hosts: string[]; bytes: number };
  return { hosts, bytes, close: () => child.kill() };
}

async function serveMain(args: readonly string[]): Promise<void> {
  const [k, n, rows, rowBytes] = args.map(Number) as [number, number, number, number];
  const { pumps, bytes } = await preload(k, n, simplePrewriteValue(1n, rows, rowBytes));
  process.stdout.write(`${JSON.stringify({ hosts: pumps.map((p) => p.host), bytes })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

export async function runUpstreamBench(options: UpstreamBenchOptions = {}): Promise<UpstreamBenchResult[]> {
  const n = options.binlogs ?? 40_000;
  const rows = options.rows ?? 10;
  const rowBytes = options.rowBytes ?? 100;
  const rounds = options.rounds ?? 3;
  const results: UpstreamBenchResult[] = [];

  // Raw and merged runs alternate, and each ratio is taken from a pair, so load from other processes on this shared
  // machine hits both sides of a ratio alike.
  const raw = await servePumps(1, n, rows, rowBytes);
  try {
    await rawPull(raw.hosts[0]!, n); // warm-up
    const allRaw: number[] = [];
    const allRawCpu: number[] = [];
    for (const k of options.pumpCounts ?? [1, 3, 8]) {
      const served = await servePumps(k, n, rows, rowBytes);
      try {
        await mergedPull(served.hosts, n); // warm-up
        const rawTimes: number[] = [];
        const rawCpu: number[] = [];
        const times: number[] = [];
        const cpu: number[] = [];
        const ratios: number[] = [];
        const parallelTimes: number[] = [];
        const parallelCpu: number[] = [];
        const parallelRatios: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const rs = await timed(() => rawPull(raw.hosts[0]!, n));
          const ms = await timed(() => mergedPull(served.hosts, n));
          rawTimes.push(rs.wall);
          rawCpu.push(rs.cpu);
          times.push(ms.wall);
          cpu.push(ms.cpu);
          ratios.push(rs.wall / ms.wall);
          if (k > 1) {
            const ps = await timed(() => rawPullParallel(served.hosts, n));
            parallelTimes.push(ps.wall);
            parallelCpu.push(ps.cpu);
            parallelRatios.push(rs.wall / ps.wall);
          }
        }
        allRaw.push(...rawTimes);
        allRawCpu.push(...rawCpu);
        const us = (xs: number[]): number => (median(xs) * 1e6) / n;
        results.push({ ...result(`grpc + decode + merge, ${k} pump${k > 1 ? 's' : ''}`, n, served.bytes, median(times)), ratioToRaw: median(ratios), cpuUsPerBinlog: us(cpu) });
        if (k > 1) results.push({ ...result(`  (reference: raw, ${k} streams in parallel)`, n, served.bytes, median(parallelTimes)), ratioToRaw: median(parallelRatios), cpuUsPerBinlog: us(parallelCpu) });
      } finally {
        served.close();
      }
    }
    results.unshift({ ...result('raw grpc stream (1 pump, receive only)', n, raw.bytes, median(allRaw)), cpuUsPerBinlog: (median(allRawCpu) * 1e6) / n });
  } finally {
    raw.close();
  }
  return results;
}

export interface ProtobufDecodeBenchResult {
  readonly name: string;
  readonly opsPerSec: number;
  readonly mbPerSec: number;
}

/**
 * The hot decode path on its own: a merged Binlog (envelope + PrewriteValue of `rows` rows) decoded by our static
 * codec (bigint straight from the varint) and by protobufjs reflection over the same .proto text (int64 as Long,
 * converted to bigint afterwards, as we would have to).
 */
export function runProtobufDecodeBench(rows = 10, rowBytes = 100, iterations = 50_000): ProtobufDecodeBenchResult[] {
  const protoDir = fileURLToPath(new URL('../packages/core/proto/binlog.proto', import.meta.url));
  const root = protobuf.loadSync(protoDir);
  const RefBinlog = root.lookupType('binlog.Binlog');
  const RefPrewrite = root.lookupType('binlog.PrewriteValue');
  const payload = encodeTipbBinlog({ tp: BinlogType.Commit, startTs: 434271871498256385n, commitTs: 434271871498256390n, prewriteKey: Buffer.from('t_primary'), prewriteValue: simplePrewriteValue(1n, rows, rowBytes), ddlJobId: 0n, ddlSchemaState: 0 });
  const bytes = Buffer.from(payload);
  const time = (fn: () => void): number => {
    for (let i = 0; i < 2000; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    return iterations / ((performance.now() - t0) / 1000);
  };
  let sink = 0n;
  const staticOps = time(() => {
    const b = decodeTipbBinlog(bytes);
    const pv = decodePrewriteValue(b.prewriteValue!);
    sink += b.commitTs + pv.schemaVersion + BigInt(pv.mutations[0]!.insertedRows.length);
  });
  const reflectionOps = time(() => {
    const b = RefBinlog.decode(bytes) as unknown as { commitTs: { toString(): string }; prewriteValue: Uint8Array };
    const pv = RefPrewrite.decode(b.prewriteValue) as unknown as { schemaVersion: { toString(): string }; mutations: { insertedRows: Uint8Array[] }[] };
    sink += BigInt(b.commitTs.toString()) + BigInt(pv.schemaVersion.toString()) + BigInt(pv.mutations[0]!.insertedRows.length);
  });
  if (sink === -1n) console.log(sink);
  const mb = (ops: number): number => (ops * bytes.length) / 1e6;
  return [
    { name: `static codec (bigint), ${bytes.length} B binlog`, opsPerSec: staticOps, mbPerSec: mb(staticOps) },
    { name: `protobufjs reflection (Long→bigint)`, opsPerSec: reflectionOps, mbPerSec: mb(reflectionOps) },
  ];
}

export function formatProtobufDecodeBench(results: readonly ProtobufDecodeBenchResult[]): string {
  return ['decode Binlog + PrewriteValue:', ...results.map((r) => `${r.name.padEnd(42)} ${Math.round(r.opsPerSec).toString().padStart(9)} ops/s ${r.mbPerSec.toFixed(1).padStart(7)} MB/s`)].join('\n');
}

export function formatUpstreamBench(results: readonly UpstreamBenchResult[]): string {
  const lines = results.map(
    (r) =>
      `${r.name.padEnd(42)} ${Math.round(r.binlogsPerSec).toString().padStart(9)} binlogs/s ${r.mbPerSec.toFixed(1).padStart(7)} MB/s` +
      (r.cpuUsPerBinlog === undefined ? '' : `  cpu ${r.cpuUsPerBinlog.toFixed(1).padStart(5)} µs/binlog`) +
      (r.ratioToRaw === undefined ? '' : `   ${r.ratioToRaw.toFixed(2)}× raw`),
  );
  const first = results[0];
  return [`upstream: ${first?.binlogs ?? 0} binlogs of ${first ? Math.round(first.bytes / first.binlogs) : 0} B payload, median of rounds; ratio = median of paired raw/merged runs`, ...lines].join('\n');
}

function toRows(results: readonly UpstreamBenchResult[], decode: readonly ProtobufDecodeBenchResult[]): BenchRow[] {
  const raw = results[0]!;
  const rawBaseline = { label: raw.name, value: raw.binlogsPerSec };
  const out: BenchRow[] = [row(raw.name, raw.binlogsPerSec, 'binlogs/s'), row(`${raw.name}, MB/s`, raw.mbPerSec, 'MB/s')];
  for (const r of results.slice(1)) {
    // The ratio is the median of paired runs (raw and merged back to back), not the ratio of the two medians.
    out.push({ ...row(r.name, r.binlogsPerSec, 'binlogs/s', rawBaseline), ratio: r.ratioToRaw });
    out.push({ ...row(`${r.name}, MB/s`, r.mbPerSec, 'MB/s', { label: `${raw.name}, MB/s`, value: raw.mbPerSec }), ratio: r.ratioToRaw });
  }
  for (const r of results) if (r.cpuUsPerBinlog !== undefined) out.push(row(`${r.name}: drainer-side CPU`, r.cpuUsPerBinlog, 'µs/binlog'));
  const refl = decode[1];
  for (const d of decode) out.push(row(`decode ${d.name}`, d.opsPerSec, 'binlogs/s', refl === undefined || d === refl ? undefined : { label: `decode ${refl.name}`, value: refl.opsPerSec }));
  return out;
}

export default defineBenchmark({
  name: 'upstream',
  description:
    'Binlogs/s and MB/s through real gRPC (loopback) + PumpStream decode + Merger with 1, 3 and 8 simulated pumps (served by a child process), beside a raw single grpc-js PullBinlogs stream of the same payloads (receive only) measured in the same run. Goal: merged ≥ 0.6× raw.',
  async run(ctx) {
    const n = ctx.quick ? 2000 : Number(ctx.args[0] ?? 40_000);
    const decode = runProtobufDecodeBench(10, 100, ctx.quick ? 2000 : 50_000);
    ctx.log(formatProtobufDecodeBench(decode));
    const results = await runUpstreamBench({ binlogs: n, rounds: ctx.quick ? 1 : 3 });
    ctx.log(formatUpstreamBench(results));
    return {
      rows: toRows(results, decode),
      notes: [
        `${n} binlogs, each a merged C-binlog with a PrewriteValue of 10 rows × 100 B (${results[0] ? Math.round(results[0].bytes / n) : 0} B payload); pumps preloaded, served from a child process; median of ${ctx.quick ? 1 : 3} rounds after a warm-up.`,
        'Ratios are medians of paired runs (raw then merged, back to back) so that load from other processes hits both sides; drainer-side CPU µs/binlog is the least load-sensitive figure.',
        'Reference rows "raw, k streams in parallel" show what k gRPC streams cost before any decode or merge.',
        `Load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores.`,
      ],
    };
  },
});

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === '--serve') {
  await serveMain(process.argv.slice(3));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatProtobufDecodeBench(runProtobufDecodeBench()));
  const results = await runUpstreamBench();
  console.log(formatUpstreamBench(results));
}
