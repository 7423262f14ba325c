import { randomUUID } from 'node:crypto';

import { Etcd3, type Namespace } from 'etcd3';
import { PD_CLUSTER_ID_KEY, encodeEtcdClusterId } from '@tidb-drainer/core';

import { SimulatedPump } from './simulated-pump.js';
import { TsoAllocator } from './tso-allocator.js';
import { WorkloadDriver, type WorkloadDriverOptions } from './workload-driver.js';

export interface PumpClusterOptions {
  readonly pumps: number;
  /** etcd endpoint; default `DRAINER_TEST_ETCD` or http://127.0.0.1:2379. Pass `null` for a cluster without etcd. */
  readonly etcdUrl?: string | null;
  readonly clusterId?: bigint;
  readonly fakeIntervalMs?: number;
  readonly heartbeatMs?: number;
}

/** The etcd endpoint tests use (scripts/services.sh starts etcd there). */
export function testEtcdUrl(): string {
  return process.env.DRAINER_TEST_ETCD_URL ?? `http://127.0.0.1:${process.env.DRAINER_TEST_ETCD_PORT ?? '2379'}`;
}

/**
 * N simulated pumps sharing one TSO allocator (one "PD"), registered in etcd under a unique namespace so tests do
 * not see each other's pumps, plus `/pd/cluster_id` in that namespace. `etcd` is the namespaced client to hand to
 * `EtcdPumpRegistry` / `resolveClusterId`.
 *
 * Owner: `close()` stops every pump, deletes the namespace's keys and closes the etcd client.
 */
export class PumpCluster {
  readonly tso = new TsoAllocator();
  readonly clusterId: bigint;
  readonly pumps: SimulatedPump[] = [];
  readonly etcd: Namespace | undefined;
  readonly namespace: string;
  private readonly client: Etcd3 | undefined;
  private readonly options: PumpClusterOptions;
  private nextId = 0;

  private constructor(options: PumpClusterOptions) {
    this.options = options;
    this.clusterId = options.clusterId ?? 6_800_000_000_000_000_001n;
    this.namespace = `/tidb-drainer-test/${randomUUID()}`;
    if (options.etcdUrl !== null) {
      this.client = new Etcd3({ hosts: options.etcdUrl ?? testEtcdUrl(), dialTimeout: 3000 });
      this.etcd = this.client.namespace(this.namespace);
    }
  }

  static async start(options: PumpClusterOptions): Promise<PumpCluster> {
    const c = new PumpCluster(options);
    try {
      if (c.etcd !== undefined) await c.etcd.put(PD_CLUSTER_ID_KEY).value(encodeEtcdClusterId(c.clusterId));
      for (let i = 0; i < options.pumps; i++) await c.addPump();
    } catch (err) {
      await c.close();
      throw new Error(`cannot start the pump cluster (is etcd up? run: bash scripts/services.sh up): ${String(err)}`, { cause: err });
    }
    return c;
  }

  /** Starts one more pump (registered online). */
  async addPump(): Promise<SimulatedPump> {
    const p = new SimulatedPump({
      nodeId: `pump-${this.nextId++}`,
      clusterId: this.clusterId,
      tso: this.tso,
      etcd: this.etcd,
      fakeIntervalMs: this.options.fakeIntervalMs ?? 200,
      heartbeatMs: this.options.heartbeatMs ?? 1000,
    });
    await p.start();
    this.pumps.push(p);
    return p;
  }

  /** A driver writing to the given pumps (default: all current pumps). */
  driver(options: Partial<Pick<WorkloadDriverOptions, 'choose'>> & { readonly pumps?: readonly SimulatedPump[] } = {}): WorkloadDriver {
    return new WorkloadDriver({ pumps: (options.pumps ?? this.pumps).map((p) => p.host), clusterId: this.clusterId, tso: this.tso, choose: options.choose });
  }

  async close(): Promise<void> {
    await Promise.all(this.pumps.map((p) => p.close()));
    if (this.etcd !== undefined) await this.etcd.delete().all().catch(() => undefined);
    this.client?.close();
  }
}
