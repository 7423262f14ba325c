import type { Lease, Namespace } from 'etcd3';
import { TIDB_TOPOLOGY_PREFIX } from '@tidb-drainer/core';

export interface TidbTopologyOptions {
  /** The TiDB SQL address this fake claims (`host:port`, the key part). */
  readonly sqlAddress: string;
  /** The status port served by the fake status API. */
  readonly statusPort: number;
  /** Lease TTL in seconds (TiDB's topology session uses 45 s). */
  readonly ttlSeconds?: number;
}

/**
 * Registers a (fake) TiDB server in PD's etcd the way TiDB's infosync does: `/topology/tidb/<sql addr>/info` (JSON
 * with `status_port`) and `/topology/tidb/<sql addr>/ttl` (unix nanoseconds), both under one kept-alive lease, so
 * they vanish when the registration is closed or the process dies.
 */
export class TidbTopologyRegistration {
  private lease: Lease | undefined;

  constructor(
    private readonly etcd: Namespace,
    private readonly opts: TidbTopologyOptions,
  ) {}

  get infoKey(): string {
    return `${TIDB_TOPOLOGY_PREFIX}${this.opts.sqlAddress}/info`;
  }

  get ttlKey(): string {
    return `${TIDB_TOPOLOGY_PREFIX}${this.opts.sqlAddress}/ttl`;
  }

  async register(): Promise<void> {
    const lease = this.etcd.lease(this.opts.ttlSeconds ?? 45);
    this.lease = lease;
    // A lost lease only means the fake disappears from the topology, which is what a dead TiDB looks like.
    lease.on('lost', () => undefined);
    const info = {
      version: '8.0.11-TiDB-v7.1.6',
      git_hash: 'fake',
      status_port: this.opts.statusPort,
      deploy_path: '/',
      start_timestamp: Math.floor(Date.now() / 1000),
      labels: {},
    };
    await lease.put(this.infoKey).value(JSON.stringify(info));
    await lease.put(this.ttlKey).value(String(BigInt(Date.now()) * 1_000_000n));
  }

  /** Revokes the lease: both keys disappear at once. */
  async close(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    if (lease !== undefined && !lease.revoked()) await lease.revoke();
  }
}
