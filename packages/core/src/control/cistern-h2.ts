import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { constants as h2 } from 'node:http2';
import { gunzipSync } from 'node:zlib';

import { encodeDumpDdlJobsResp } from '../protocol/pump-codec.js';

/** gRPC status codes used here (grpc/doc/statuscodes.md). */
const GrpcStatus = { Ok: 0, Unknown: 2, Internal: 13, Unimplemented: 12 } as const;

/** A Cistern request is an empty or tiny message; anything bigger than this is not a Cistern client. */
const MAX_REQUEST_BYTES = 64 * 1024;

export interface CisternHandlers {
  /** Notify: re-read the pump list now; a rejection becomes the gRPC error (status Unknown, its message). */
  readonly notify: () => Promise<void>;
}

/**
 * `binlog.Cistern` (§2.1) served straight on node:http2 streams, so gRPC shares the drainer's single port with the
 * HTTP API (grpc-js' Server only binds its own listeners). Only the three unary/server-stream methods with empty or
 * ignored requests exist, so the framing is small: read the length-prefixed request (gzip if flagged), answer with
 * headers, at most one length-prefixed message and `grpc-status` trailers. Go's behaviour: `Notify` refreshes the
 * pumps synchronously, `DumpBinlog` ends at once with no messages, `DumpDDLJobs` returns an empty response.
 */
export function handleCisternStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, h: CisternHandlers): void {
  const rawPath = headers[h2.HTTP2_HEADER_PATH];
  const path = typeof rawPath === 'string' ? rawPath : '';
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_REQUEST_BYTES) {
      finish(stream, GrpcStatus.Internal, 'request too large for binlog.Cistern');
      return;
    }
    chunks.push(c);
  });
  stream.on('error', () => undefined); // a client reset is not our error; the stream is gone either way
  stream.on('end', () => {
    if (stream.destroyed || stream.headersSent) return;
    const request = readMessage(Buffer.concat(chunks), headers['grpc-encoding']);
    if (request === undefined) return finish(stream, GrpcStatus.Internal, 'malformed gRPC request frame');
    switch (path) {
      case '/binlog.Cistern/Notify':
        h.notify().then(
          () => finish(stream, GrpcStatus.Ok, '', Buffer.alloc(0)),
          (err: unknown) => finish(stream, GrpcStatus.Unknown, err instanceof Error ? err.message : String(err)),
        );
        return;
      case '/binlog.Cistern/DumpBinlog':
        return finish(stream, GrpcStatus.Ok, '');
      case '/binlog.Cistern/DumpDDLJobs':
        return finish(stream, GrpcStatus.Ok, '', Buffer.from(encodeDumpDdlJobsResp({ ddljobs: [] })));
      default:
        return finish(stream, GrpcStatus.Unimplemented, `unknown method ${path}`);
    }
  });
}

/** The message of a unary request body (one length-prefixed frame; an empty body counts as an empty message). */
function readMessage(body: Buffer, encoding: string | string[] | undefined): Buffer | undefined {
  if (body.length === 0) return Buffer.alloc(0);
  if (body.length < 5) return undefined;
  const compressed = body[0] === 1;
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) return undefined;
  const msg = body.subarray(5, 5 + len);
  if (!compressed) return msg;
  if (encoding !== 'gzip') return undefined;
  try {
    return gunzipSync(msg);
  } catch {
    return undefined;
  }
}

function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** gRPC's percent-encoding of `grpc-message` (RFC: printable ASCII except `%` stays as is). */
function percentEncode(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) =>
      b >= 0x20 && b <= 0x7e && b !== 0x25
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

function finish(stream: ServerHttp2Stream, status: number, message: string, response?: Buffer): void {
  if (stream.destroyed || stream.headersSent) return;
  const trailers = { 'grpc-status': String(status), 'grpc-message': percentEncode(message) };
  if (status !== GrpcStatus.Ok) {
    // Trailers-only response: the status rides in the headers, as gRPC servers answer errors.
    stream.respond(
      { [h2.HTTP2_HEADER_STATUS]: 200, 'content-type': 'application/grpc', ...trailers },
      { endStream: true },
    );
    return;
  }
  stream.respond({ [h2.HTTP2_HEADER_STATUS]: 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  if (response !== undefined) stream.write(frame(response));
  stream.end();
}
