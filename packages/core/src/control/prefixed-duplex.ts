import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * A socket seen through a JS Duplex that first replays the bytes already read from it. node:http2 binds a real
 * socket's native handle directly and would miss those bytes (the sniffed client preface); given a plain Duplex it
 * reads through JS instead. Only gRPC `Notify`-sized traffic goes this way, so the extra copy does not matter.
 */
export class PrefixedDuplex extends Duplex {
  private readonly socket: Socket;

  constructor(socket: Socket, head: Buffer) {
    super();
    this.socket = socket;
    this.push(head);
    socket.on('data', (d: Buffer) => {
      if (!this.push(d)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (err) => this.destroy(err));
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}
