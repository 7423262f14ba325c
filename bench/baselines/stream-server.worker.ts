/**
 * Worker thread for the raw stream baselines: serves `payloads` on loopback to every caller, over grpc-js (one
 * server-streaming call) or over a plain TCP socket, so the client side runs on another core as a real pump would.
 * Protocol with the parent: workerData = StreamServerData; posts `{ port }` once listening; closes on any message.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import { RAW_STREAM_METHOD } from './raw-stream-method.js';

export interface StreamServerData {
  readonly kind: 'grpc' | 'tcp';
  readonly payloads: readonly Uint8Array[];
  readonly serverOptions?: grpc.ServerOptions;
}

const data = workerData as StreamServerData;
const port = parentPort;
if (port === null) throw new Error('stream-server.worker.ts must run as a worker thread');
const payloads = data.payloads.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));

/** Writes every payload, honouring backpressure, then ends. */
async function pump(write: (b: Buffer) => boolean, once: (ev: 'drain') => Promise<unknown>): Promise<void> {
  for (const p of payloads) {
    if (!write(p)) await once('drain');
  }
}

if (data.kind === 'grpc') {
  const server = new grpc.Server(data.serverOptions ?? {});
  const identity = (b: Buffer): Buffer => b;
  server.addService(
    {
      pull: {
        path: RAW_STREAM_METHOD,
        requestStream: false,
        responseStream: true,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    {
      pull: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
        pump(
          (b) => call.write(b),
          () => new Promise((resolve) => call.once('drain', resolve)),
        ).then(
          () => call.end(),
          (err: unknown) => call.destroy(err instanceof Error ? err : new Error(String(err))),
        );
      },
    },
  );
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => {
    if (err !== null) throw err;
    port.postMessage({ port: bound });
  });
  port.once('message', () => server.forceShutdown());
} else {
  const server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    pump(
      (b) => socket.write(b),
      () => new Promise((resolve) => socket.once('drain', resolve)),
    ).then(
      () => socket.end(),
      () => socket.destroy(),
    );
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    port.postMessage({ port: typeof addr === 'object' && addr !== null ? addr.port : 0 });
  });
  port.once('message', () => server.close());
}
