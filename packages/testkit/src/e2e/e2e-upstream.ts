import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePrewriteValue, MutationType } from '@tidb-drainer/core';
import type { TableMutation } from '@tidb-drainer/core';
import { PumpCluster } from '../pump-sim/pump-cluster.js';
import type { WorkloadDriver } from '../pump-sim/workload-driver.js';
import { FakeTidbStatusApi } from '../tidb-api/fake-tidb-status-api.js';
import { TidbSchemaModel } from '../tidb-api/tidb-schema-model.js';

export interface E2eUpstreamOptions {
  /** Prefix of the temporary directory (drainer data dir, log, config). */
  readonly tmpPrefix: string;
  readonly pumps: number;
  /** `null`: pumps are not registered in etcd (the drainer is given `-pump-addrs`). */
  readonly etcdUrl?: null;
  readonly clusterId?: bigint;
  /** Fake binlog interval of the pumps; e2e tests use 50 ms so watermarks move quickly. */
  readonly fakeIntervalMs?: number;
}

/**
 * The simulated upstream of an end-to-end test: a temporary directory, a pump cluster (in real etcd unless
 * `etcdUrl: null`) and the fake TiDB status API serving `model`. `model` and `dir` exist from construction (tests
 * read them while describing); `start()` starts the servers.
 *
 * Owner: `close()` stops the pumps and the API and removes the directory (safe after a failed `start()`).
 */
export class E2eUpstream {
  readonly dir: string;
  readonly model = new TidbSchemaModel();
  readonly api = new FakeTidbStatusApi({ model: this.model });
  private clusterValue: PumpCluster | undefined;

  constructor(private readonly options: E2eUpstreamOptions) {
    this.dir = mkdtempSync(join(tmpdir(), options.tmpPrefix));
  }

  get cluster(): PumpCluster {
    if (this.clusterValue === undefined) throw new Error('E2eUpstream.start() has not completed');
    return this.clusterValue;
  }

  async start(): Promise<void> {
    const o = this.options;
    this.clusterValue = await PumpCluster.start({
      pumps: o.pumps,
      ...(o.etcdUrl === null ? { etcdUrl: null } : {}),
      fakeIntervalMs: o.fakeIntervalMs ?? 50,
      ...(o.clusterId === undefined ? {} : { clusterId: o.clusterId }),
    });
    await this.api.start();
  }

  async close(): Promise<void> {
    await this.clusterValue?.close();
    await this.api.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Writes a DDL job (from `model.createDatabase` / `createTable` …) as a DDL binlog; resolves to its commit ts. */
  async writeDdl(driver: WorkloadDriver, job: { readonly id: number; readonly query: string }): Promise<bigint> {
    return (await driver.write({ kind: 'ddl', query: job.query, jobId: BigInt(job.id) })).commitTs;
  }

  /** Writes one DML transaction at the model's current schema version; resolves to its commit ts. */
  async writeDml(driver: WorkloadDriver, mutations: TableMutation[]): Promise<bigint> {
    const prewriteValue = encodePrewriteValue({ schemaVersion: BigInt(this.model.schemaVersion), mutations });
    return (await driver.write({ kind: 'dml', prewriteValue })).commitTs;
  }
}

/** A table mutation of inserted rows, then updated rows (encoded with `encodeInsertRow` / `encodeUpdateRow`). */
export function rowsMutation(
  tableId: number | bigint,
  inserted: Uint8Array[],
  updated: Uint8Array[] = [],
): TableMutation {
  return {
    tableId: BigInt(tableId),
    insertedRows: inserted,
    updatedRows: updated,
    deletedIds: [],
    deletedPks: [],
    deletedRows: [],
    sequence: [...inserted.map(() => MutationType.Insert), ...updated.map(() => MutationType.Update)],
  };
}
