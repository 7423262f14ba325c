import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeTidbStatusApi, PumpCluster, TidbSchemaModel, encodeInsertRow, tidbCol } from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../checkpoint/file-checkpoint-store.js';
import { encodePrewriteValue } from '../protocol/index.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The `drainer` command as a separate process (TypeScript sources through tsx), Go-style flags, against the
 * simulated upstream: replicates into jsonl, stops on SIGTERM with exit code 0 and a consistent checkpoint.
 */
describe('drainer process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drainer-proc-'));
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  let cluster: PumpCluster;

  beforeAll(async () => {
    cluster = await PumpCluster.start({ pumps: 2, etcdUrl: null, fakeIntervalMs: 50 });
    await api.start();
  });
  afterAll(async () => {
    await cluster?.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with -flags, replicates, and stops cleanly on SIGTERM', async () => {
    const driver = cluster.driver({ choose: (i, n) => i % n });
    for (const job of [
      model.createDatabase('app'),
      model.createTable(
        'app',
        { name: 't', columns: [tidbCol.bigint('id', { notNull: true })], primaryKey: ['id'] },
        'CREATE TABLE t (id bigint primary key)',
      ),
    ]) {
      await driver.write({ kind: 'ddl', query: job.query, jobId: BigInt(job.id) });
    }
    const t = model.modelTable('app', 't');
    const rows = [1n, 2n, 3n].map((id) => encodeInsertRow(t, [id]));
    const last = await driver.write({
      kind: 'dml',
      prewriteValue: encodePrewriteValue({
        schemaVersion: BigInt(model.schemaVersion),
        mutations: [
          {
            tableId: BigInt(t.id),
            insertedRows: rows,
            updatedRows: [],
            deletedIds: [],
            deletedPks: [],
            deletedRows: [],
            sequence: [0, 0, 0],
          },
        ],
      }),
    });
    driver.close();

    const toml = join(dir, 'drainer.toml');
    const out = join(dir, 'out.jsonl');
    writeFileSync(
      toml,
      `log-file = "${join(dir, 'drainer.log')}"\n[syncer]\ndb-type = "mysql"\n[syncer.to]\nhost = "127.0.0.1"\n[sink]\npath = "${out}"\n`,
    );
    const args = [
      '--import',
      'tsx',
      join(REPO, 'packages/core/src/cli/run-main.ts'),
      '-config',
      toml,
      '-dest-db-type',
      'jsonl',
      '-data-dir',
      join(dir, 'data'),
      '-initial-commit-ts',
      '0',
      '-cluster-id',
      String(cluster.clusterId),
      // The control port (gRPC + HTTP): any free loopback port, so parallel runs do not fight over 8249.
      '-addr',
      '127.0.0.1:0',
      `-pump-addrs=${cluster.pumps.map((p) => p.host).join(',')}`,
      '--tidb-status-addrs',
      api.address,
      '-L',
      'debug',
    ];
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 30_000;
    const lines = (): string[] => {
      try {
        return readFileSync(out, 'utf8')
          .split('\n')
          .filter((l) => l !== '');
      } catch {
        return [];
      }
    };
    while (lines().length < 5 && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, stderr).toBe(0);
    expect(lines().map((l) => (JSON.parse(l) as { type: string }).type)).toEqual([
      'ddl',
      'ddl',
      'insert',
      'insert',
      'insert',
    ]);
    const cp = await new FileCheckpointStore({ dataDir: join(dir, 'data') }).load();
    expect(cp?.consistent).toBe(true);
    expect(cp?.commitTs).toBeGreaterThanOrEqual(last.commitTs);
    const log = readFileSync(join(dir, 'drainer.log'), 'utf8');
    expect(log).toContain('"msg":"configuration"');
    expect(log).toContain('syncer.to.host is not used by the jsonl sink; ignored');
  }, 60_000);
});
