import { type ChildProcess, spawn } from 'node:child_process';
import { Etcd3 } from 'etcd3';
import { testEtcdUrl } from '@tidb-drainer/testkit';
import { freePort } from './free-port.js';

/** How long the proxy may take to answer its first request on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 15_000;

/**
 * `etcd grpc-proxy` in front of the test etcd with `--namespace` set to a PumpCluster's namespace, so a drainer
 * process started with `-pd-urls <proxy.url>` sees that cluster's keys (`/tidb-binlog/v1/pumps/…`, `/pd/cluster_id`)
 * at the root, exactly where it looks for them in production, while tests running beside it keep their own pumps.
 *
 * Owner: `start()` then `close()` (kills the proxy process it started, by pid).
 */
export class EtcdNamespaceProxy {
  private child: ChildProcess | undefined;
  private stderr = '';

  private constructor(
    readonly url: string,
    private readonly namespace: string,
    private readonly listen: string,
  ) {}

  static async start(namespace: string): Promise<EtcdNamespaceProxy> {
    const port = await freePort();
    const p = new EtcdNamespaceProxy(`http://127.0.0.1:${port}`, namespace, `127.0.0.1:${port}`);
    await p.launch();
    return p;
  }

  private async launch(): Promise<void> {
    const upstream = testEtcdUrl().replace(/^https?:\/\//, '');
    const child = spawn(
      'etcd',
      [
        'grpc-proxy',
        'start',
        `--endpoints=${upstream}`,
        `--listen-addr=${this.listen}`,
        `--namespace=${this.namespace}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err) =>
        reject(
          new Error(`cannot run "etcd grpc-proxy" (is etcd installed? bash scripts/services.sh up): ${err.message}`),
        ),
      );
      child.once('exit', (code) => reject(new Error(`etcd grpc-proxy exited with ${code}: ${this.stderr}`)));
    });
    failed.catch(() => undefined); // observed below through Promise.race; a late exit must not be unhandled
    const client = new Etcd3({ hosts: this.url, dialTimeout: 2000 });
    try {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        try {
          await Promise.race([client.get('/tidb-drainer-test-probe').string(), failed]);
          return;
        } catch (err) {
          if (child.exitCode !== null || Date.now() > deadline)
            throw new Error(`etcd grpc-proxy on ${this.listen} not ready: ${String(err)} ${this.stderr}`, {
              cause: err,
            });
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      client.close();
    }
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
}
