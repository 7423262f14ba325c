import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * Test-only TCP proxy in front of MariaDB that breaks connections on request, to provoke real connection-loss
 * errors in the sink: `refuseNext()` drops the next new connection before the handshake; `breakNextQuery()` cuts
 * the first pooled connection that sends anything next (mid-query, like a server crash); `outage()` / `up()` make
 * the server unreachable for a while (a restart).
 */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private refuse = 0;
  private breakQuery = false;
  private down = false;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const p = new FaultProxy(target);
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    return p;
  }

  get port(): number {
    const a = this.server.address();
    if (a === null || typeof a === 'string') throw new Error('proxy not listening');
    return a.port;
  }

  refuseNext(): void {
    this.refuse++;
  }

  breakNextQuery(): void {
    this.breakQuery = true;
  }

  /** The server "goes away": every open connection is cut and new ones are refused until `up()`. */
  outage(): void {
    this.down = true;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  up(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.down) {
      client.destroy();
      return;
    }
    if (this.refuse > 0) {
      this.refuse--;
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (this.breakQuery && pair.client.bytesRead > chunk.length) {
        // Only an established session (not its handshake) is cut.
        this.breakQuery = false;
        drop();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  }
}
