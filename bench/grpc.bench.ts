/**
 * Raw gRPC server-stream throughput on loopback (grpc-js, opaque messages, server in a worker thread) for 32 KiB and
 * 1 KiB payloads, beside a plain TCP socket carrying the same bytes. This is the baseline the upstream benchmarks
 * compare against: use `measureRawGrpcStream` from bench/baselines/raw-grpc-stream.ts.
 *
 *   npm run bench -- grpc [messagesOf32KiB]
 */
import { defineBenchmark, row } from './lib.js';
import type { BenchRow } from './lib.js';
import { makePayloads, measureRawGrpcStream, measureRawTcpStream } from './baselines/raw-grpc-stream.js';

/** 3000 × 32 KiB ≈ 98 MB per round: long enough (~0.5 s+) to swamp start-up, short enough for 2 cores. */
const DEFAULT_LARGE_MESSAGES = 3000;
/** The HTTP/2 flow-control window the drainer sets on pump channels (packages/core PUMP_FLOW_CONTROL_WINDOW). */
const WIDE_WINDOW = 1024 * 1024;
/** Median of 5: the box is shared by many processes and single rounds vary 2-3×. */
const ROUNDS = 5;

export default defineBenchmark({
  name: 'grpc',
  description:
    'Raw grpc-js server-stream throughput on loopback (messages/s, MB/s) for 32 KiB and 1 KiB payloads, beside a plain TCP socket moving the same bytes.',
  async run(ctx) {
    const large = ctx.quick ? 100 : Number(ctx.args[0] ?? DEFAULT_LARGE_MESSAGES);
    const cases = [
      { name: '32 KiB', payloads: makePayloads(large, 32 * 1024) },
      // the same bytes in 32× more messages: shows the per-message cost
      { name: '1 KiB', payloads: makePayloads(large * 32, 1024) },
    ];
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    for (const c of cases) {
      if (ctx.signal.aborted) break;
      ctx.log(`grpc: ${c.payloads.length} × ${c.name}`);
      const tcp = await measureRawTcpStream(c.payloads, { rounds: ROUNDS });
      const grpc = await measureRawGrpcStream(c.payloads, { rounds: ROUNDS });
      const tcpMb = { label: `raw TCP socket, ${c.name} writes`, value: tcp.mbPerSec };
      rows.push(row(`grpc-js server stream, ${c.name} messages`, grpc.messagesPerSec, 'msg/s'));
      rows.push(row(`grpc-js server stream, ${c.name} messages`, grpc.mbPerSec, 'MB/s', tcpMb));
      notes.push(
        `${c.name}: ${grpc.messages} messages, ${(grpc.bytes / 1e6).toFixed(0)} MB per round; grpc rounds ${grpc.roundSeconds.map((s) => s.toFixed(2)).join('/')} s, tcp rounds ${tcp.roundSeconds.map((s) => s.toFixed(2)).join('/')} s (median used)`,
      );
    }
    if (!ctx.signal.aborted) {
      // The drainer's pump channels use a 1 MiB HTTP/2 window (PUMP_FLOW_CONTROL_WINDOW); grpc-js defaults to 64 KiB.
      const large = cases[0]?.payloads ?? [];
      ctx.log(`grpc: ${large.length} × 32 KiB, 1 MiB flow-control window`);
      const wide = await measureRawGrpcStream(large, {
        rounds: ROUNDS,
        channelOptions: { 'grpc-node.flow_control_window': WIDE_WINDOW },
      });
      const narrow = rows[1];
      rows.push(
        row('grpc-js server stream, 32 KiB messages, 1 MiB window', wide.mbPerSec, 'MB/s', {
          label: 'same, default 64 KiB window',
          value: narrow?.value ?? Number.NaN,
        }),
      );
      notes.push(`32 KiB, 1 MiB window: rounds ${wide.roundSeconds.map((s) => s.toFixed(2)).join('/')} s`);
    }
    notes.push(
      'server in a worker thread of the same process (its own core), client on the main thread; default grpc-js channel options unless the row says otherwise',
    );
    return { rows, notes };
  },
});
