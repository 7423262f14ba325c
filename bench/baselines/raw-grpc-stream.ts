/**
 * Raw stream baselines: how fast bytes move from another thread to this one over loopback, through grpc-js (one
 * server-streaming call, opaque messages, no protobuf) and through a plain TCP socket. Later benchmarks (upstream
 * pull, decode, merge) report their throughput as a ratio to `measureRawGrpcStream` on the same payloads.
 */
import { Worker } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import { RAW_STREAM_METHOD } from './raw-stream-method.js';
import type { StreamServerData } from './stream-server.worker.js';

export interface RawStreamOptions {
  /** grpc-js channel options on the client (e.g. a larger HTTP/2 window). */
  readonly channelOptions?: grpc.ChannelOptions;
  readonly serverOptions?: grpc.ServerOptions;
  /** Streams measured one after another; the result is the median. */
  readonly rounds?: number;
}

export interface RawStreamResult {
  readonly messages: number;
  readonly bytes: number;
  /** Median round. */
  readonly seconds: number;
  readonly messagesPerSec: number;
  /** MB = 10^6 bytes. */
  readonly mbPerSec: number;
  /** Every round's seconds, for spread. */
  readonly roundSeconds: readonly number[];
}

/** Rounds by default: the median of 3 damps noise from other processes on a shared box. */
const DEFAULT_ROUNDS = 3;
/** One unmeasured round first: JIT warm-up and HTTP/2 window growth would otherwise count against round 1. */
const WARMUP_ROUNDS = 1;

/** Starts the serving worker; resolves with its port and a stop function. */
async function startServer(data: StreamServerData): Promise<{ port: number; stop: () => Promise<void> }> {
  // The worker is TypeScript and Node 20 does not pass the main thread's `--import tsx` hooks on to workers, so a
  // one-line bootstrap registers tsx inside the worker before importing it.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./stream-server.worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`stream server worker exited early (code ${code})`)));
  });
  return {
    port,
    stop: async () => {
      worker.postMessage('stop');
      await worker.terminate();
    },
  };
}

function summarise(messages: number, bytes: number, roundSeconds: number[]): RawStreamResult {
  const sorted = [...roundSeconds].sort((a, b) => a - b);
  const seconds = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return {
    messages,
    bytes,
    seconds,
    messagesPerSec: messages / seconds,
    mbPerSec: bytes / 1e6 / seconds,
    roundSeconds,
  };
}

function totalBytes(payloads: readonly Uint8Array[]): number {
  return payloads.reduce((n, p) => n + p.byteLength, 0);
}

/** One server-streaming grpc-js call per round delivering every payload; counts messages and bytes received. */
export async function measureRawGrpcStream(
  payloads: readonly Uint8Array[],
  options: RawStreamOptions = {},
): Promise<RawStreamResult> {
  const server = await startServer({
    kind: 'grpc',
    payloads,
    ...(options.serverOptions === undefined ? {} : { serverOptions: options.serverOptions }),
  });
  const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': -1,
    ...options.channelOptions,
  });
  const identity = (b: Buffer): Buffer => b;
  const rounds: number[] = [];
  const expectedBytes = totalBytes(payloads);
  try {
    for (let r = -WARMUP_ROUNDS; r < (options.rounds ?? DEFAULT_ROUNDS); r++) {
      const start = process.hrtime.bigint();
      let messages = 0;
      let bytes = 0;
      await new Promise<void>((resolve, reject) => {
        const call = client.makeServerStreamRequest(RAW_STREAM_METHOD, identity, identity, Buffer.alloc(0));
        call.on('data', (b: Buffer) => {
          messages += 1;
          bytes += b.byteLength;
        });
        call.on('error', reject);
        call.on('end', resolve);
      });
      if (r >= 0) rounds.push(Number(process.hrtime.bigint() - start) / 1e9);
      if (messages !== payloads.length || bytes !== expectedBytes) {
        throw new Error(
          `raw gRPC stream delivered ${messages} messages / ${bytes} B, expected ${payloads.length} / ${expectedBytes} B`,
        );
      }
    }
  } finally {
    client.close();
    await server.stop();
  }
  return summarise(payloads.length, expectedBytes, rounds);
}

/** The same payloads over a plain TCP socket (no framing): the ceiling any stream protocol on loopback can reach. */
export async function measureRawTcpStream(
  payloads: readonly Uint8Array[],
  options: Pick<RawStreamOptions, 'rounds'> = {},
): Promise<RawStreamResult> {
  const { connect } = await import('node:net');
  const server = await startServer({ kind: 'tcp', payloads });
  const expectedBytes = totalBytes(payloads);
  const rounds: number[] = [];
  try {
    for (let r = -WARMUP_ROUNDS; r < (options.rounds ?? DEFAULT_ROUNDS); r++) {
      const start = process.hrtime.bigint();
      let bytes = 0;
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: server.port });
        socket.on('data', (b: Buffer) => {
          bytes += b.byteLength;
        });
        socket.on('error', reject);
        socket.on('end', resolve);
      });
      if (r >= 0) rounds.push(Number(process.hrtime.bigint() - start) / 1e9);
      if (bytes !== expectedBytes) throw new Error(`raw TCP stream delivered ${bytes} B, expected ${expectedBytes} B`);
    }
  } finally {
    await server.stop();
  }
  return summarise(payloads.length, expectedBytes, rounds);
}

/** `count` payloads of `size` random-ish bytes (distinct contents, so nothing can be deduplicated or cached). */
export function makePayloads(count: number, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const p = new Uint8Array(size);
    let x = (i + 1) * 2654435761;
    for (let j = 0; j < size; j += 4) {
      x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
      p[j] = x & 0xff;
    }
    out.push(p);
  }
  return out;
}
