import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionType, FileCheckpointStore } from '@tidb-drainer/core';
import type { Checkpoint, JsonlRecord } from '@tidb-drainer/core';
import { FakeTidbStatusApi, PumpCluster, TidbSchemaModel } from '@tidb-drainer/testkit';
import { DrainerProcess } from './drainer-process.js';
import { E2eWorkload, primaryKeyNames } from './e2e-workload.js';
import { EtcdNamespaceProxy } from './etcd-namespace-proxy.js';
import { type FoldOptions, readJsonl } from './jsonl-state.js';

/**
 * One end-to-end setup: simulated pumps registered in the real etcd, the fake TiDB status API over a schema model,
 * an etcd grpc-proxy exposing the cluster's namespace as a PD endpoint, and `drainer` processes writing jsonl.
 *
 * Owner: `start()` then `close()` (kills drainers it started, the proxy, the pumps, the API; removes the temp dir).
 */
export class E2eRig {
  readonly dir = mkdtempSync(join(tmpdir(), 'drainer-e2e-'));
  readonly out = join(this.dir, 'out.jsonl');
  readonly dataDir = join(this.dir, 'data');
  readonly model = new TidbSchemaModel();
  readonly api = new FakeTidbStatusApi({ model: this.model });
  readonly drainers: DrainerProcess[] = [];
  cluster!: PumpCluster;
  proxy!: EtcdNamespaceProxy;
  workload!: E2eWorkload;
  private readonly config = join(this.dir, 'drainer.toml');

  async start(o: { pumps: number; seed: number; fakeIntervalMs?: number }): Promise<void> {
    this.cluster = await PumpCluster.start({
      pumps: o.pumps,
      fakeIntervalMs: o.fakeIntervalMs ?? 100,
      heartbeatMs: 500,
    });
    this.proxy = await EtcdNamespaceProxy.start(this.cluster.namespace);
    await this.api.start();
    // Pumps per txn spread like TiDB's selectors, but reproducibly.
    this.workload = new E2eWorkload(
      this.model,
      this.cluster.driver({ choose: (i, n) => (i * 7 + (i >> 2)) % n }),
      o.seed,
    );
    writeFileSync(this.config, `[syncer]\ndb-type = "jsonl"\n[sink]\npath = "${this.out}"\n`);
  }

  /** Starts a drainer process (pumps and cluster id from PD's etcd through the proxy). */
  async startDrainer(name: string): Promise<DrainerProcess> {
    const d = new DrainerProcess({
      logFile: join(this.dir, `${name}.log`),
      args: [
        '-config',
        this.config,
        '-pd-urls',
        this.proxy.url,
        '-data-dir',
        this.dataDir,
        '-initial-commit-ts',
        '0',
        '--tidb-status-addrs',
        this.api.address,
        '-detect-interval',
        '1',
      ],
    });
    this.drainers.push(d);
    await d.start();
    return d;
  }

  records(): JsonlRecord[] {
    return readJsonl(this.out);
  }

  /** Highest commit ts in the output so far (0 when empty). */
  outputTs(): bigint {
    let max = 0n;
    for (const r of this.records()) if (r.commitTs > max) max = r.commitTs;
    return max;
  }

  savepoint(): Promise<Checkpoint | undefined> {
    return new FileCheckpointStore({ dataDir: this.dataDir }).load().catch(() => undefined);
  }

  foldOptions(): FoldOptions {
    return {
      keyColumns: (t) => primaryKeyNames(this.workload.tableInfo(t)),
      clears: (ddl) => {
        const type = this.model.jobById(ddl.jobId)?.type;
        return type === ActionType.TruncateTable || type === ActionType.DropTable
          ? `${ddl.schema}.${ddl.table}`
          : undefined;
      },
    };
  }

  async close(): Promise<void> {
    for (const d of this.drainers) await d.close();
    await this.proxy?.close();
    await this.cluster?.close();
    await this.api.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
