import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import type { Http2Server } from 'node:http2';
import { createServer as createNetServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { pino } from 'pino';

import type { CisternHandlers } from './cistern-h2.js';
import { handleCisternStream } from './cistern-h2.js';
import { ControlError, ControlErrorCode } from './control-errors.js';
import { PrefixedDuplex } from './prefixed-duplex.js';

/** The client preface every HTTP/2 connection starts with (RFC 9113 §3.4); its first bytes are enough to decide. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** "PRI" is no HTTP/1 method, so three bytes tell the protocols apart. */
const SNIFF_BYTES = 3;
/** A connection that sends nothing for this long is closed before we know what it speaks. */
const SNIFF_TIMEOUT_MS = 30_000;

export interface ControlTls {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** `cert-allowed-cn`: when non-empty, a client certificate's CN must be one of these. */
  readonly allowedCn: readonly string[];
}

export interface ControlServerOptions {
  /** `host:port` to listen on (port 0: any; see `address`). */
  readonly addr: string;
  readonly tls?: ControlTls;
  readonly http: (req: IncomingMessage, res: ServerResponse) => void;
  readonly cistern: CisternHandlers;
  readonly logger?: Logger;
}

/**
 * The drainer's single port (§2.3, Go's cmux): each accepted connection is sniffed — the HTTP/2 client preface goes
 * to a node:http2 session that serves gRPC `binlog.Cistern` (content-type `application/grpc*`), anything else to the
 * HTTP/1.1 API. With `[security]` the whole listener is TLS (client certificates required and verified against
 * `ssl-ca`, as Go's `RequireAndVerifyClientCert`; CN checked against `cert-allowed-cn`); ALPN offers h2 and http/1.1.
 *
 * Owner: `listen()` once, `close()` once (destroys open connections).
 */
export class ControlServer {
  private readonly o: ControlServerOptions;
  private readonly log: Logger;
  private readonly http1: HttpServer;
  private readonly h2: Http2Server;
  private readonly outer: NetServer;
  private readonly sockets = new Set<Socket>();
  private bound: string | undefined;

  constructor(options: ControlServerOptions) {
    this.o = options;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'control-server' });
    this.http1 = createHttpServer(options.http);
    this.h2 = createH2Server();
    this.h2.on('stream', (stream, headers) => {
      const type = headers['content-type'] ?? '';
      if (type.startsWith('application/grpc')) return handleCisternStream(stream, headers, options.cistern);
      // Go's cmux hands only gRPC to HTTP/2; other HTTP/2 requests have no route.
      stream.respond({ ':status': 404 }, { endStream: true });
    });
    const tls = options.tls;
    this.outer =
      tls === undefined
        ? createNetServer((s) => this.accept(s))
        : createTlsServer(
            {
              ca: tls.ca,
              ...(tls.cert === undefined ? {} : { cert: tls.cert }),
              ...(tls.key === undefined ? {} : { key: tls.key }),
              requestCert: true,
              rejectUnauthorized: true,
              ALPNProtocols: ['h2', 'http/1.1'],
            },
            (s) => this.acceptTls(s),
          );
    this.outer.on('tlsClientError', (err: Error) => this.log.debug({ err: err.message }, 'TLS handshake failed'));
  }

  /** The bound `host:port` (after `listen`). */
  get address(): string {
    if (this.bound === undefined)
      throw new ControlError(ControlErrorCode.Listen, 'control server not listening', { addr: this.o.addr });
    return this.bound;
  }

  async listen(): Promise<void> {
    const cut = this.o.addr.lastIndexOf(':');
    const host = cut < 0 ? '' : this.o.addr.slice(0, cut).replace(/^\[|\]$/g, '');
    const port = Number(cut < 0 ? this.o.addr : this.o.addr.slice(cut + 1));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void =>
        reject(
          new ControlError(
            ControlErrorCode.Listen,
            `cannot listen on ${this.o.addr} (${err.code ?? 'error'})`,
            { addr: this.o.addr },
            err,
          ),
        );
      this.outer.once('error', onError);
      this.outer.listen({ port, ...(host === '' ? {} : { host }) }, () => {
        this.outer.off('error', onError);
        resolve();
      });
    });
    const a = this.outer.address();
    this.bound =
      a !== null && typeof a === 'object'
        ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`
        : this.o.addr;
    this.log.info({ addr: this.bound, tls: this.o.tls !== undefined }, 'listening (gRPC Cistern + HTTP API)');
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.outer.close(() => resolve()));
    this.http1.close();
    this.h2.close();
  }

  private acceptTls(socket: TLSSocket): void {
    const allowed = this.o.tls?.allowedCn ?? [];
    if (allowed.length > 0) {
      const raw: string | string[] | undefined = socket.getPeerCertificate().subject?.CN;
      const cn = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      if (!cn.some((c) => allowed.includes(c))) {
        this.log.warn({ cn, allowed }, 'client certificate CN not allowed, closing the connection');
        socket.destroy();
        return;
      }
    }
    this.accept(socket);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined); // resets are routine; the owning server logs what matters
    socket.setTimeout(SNIFF_TIMEOUT_MS, () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES && !H2_PREFACE.subarray(0, head.length).equals(head))
        return this.route(socket, onData, head, false);
      if (head.length < SNIFF_BYTES) return;
      this.route(socket, onData, head, H2_PREFACE.subarray(0, SNIFF_BYTES).equals(head.subarray(0, SNIFF_BYTES)));
    };
    socket.on('data', onData);
  }

  /** Hands the socket, with the bytes read so far put back, to the server of its protocol. */
  private route(socket: Socket, onData: (c: Buffer) => void, head: Buffer, h2: boolean): void {
    socket.off('data', onData);
    socket.setTimeout(0);
    if (h2) {
      this.h2.emit('connection', new PrefixedDuplex(socket, head));
      return;
    }
    socket.pause();
    socket.unshift(head);
    this.http1.emit('connection', socket);
    socket.resume();
  }
}
