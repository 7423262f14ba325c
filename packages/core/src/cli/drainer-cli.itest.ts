import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  E2eUpstream,
  encodeInsertRow,
  jsonlLines,
  rowsMutation,
  spawnDrainer,
  tidbCol,
  waitUntil,
} from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../checkpoint/file-checkpoint-store.js';

/**
 * The `drainer` command as a separate process (TypeScript sources through tsx), Go-style flags, against the
 * simulated upstream: replicates into jsonl, stops on SIGTERM with exit code 0 and a consistent checkpoint.
 */
describe('drainer process', () => {
  const up = new E2eUpstream({ tmpPrefix: 'drainer-proc-', pumps: 2, etcdUrl: null });
  const { dir, model, api } = up;

  beforeAll(() => up.start());
  afterAll(() => up.close());

  it('runs with -flags, replicates, and stops cleanly on SIGTERM', async () => {
    const { cluster } = up;
    const driver = cluster.driver({ choose: (i, n) => i % n });
    for (const job of [
      model.createDatabase('app'),
      model.createTable(
        'app',
        { name: 't', columns: [tidbCol.bigint('id', { notNull: true })], primaryKey: ['id'] },
        'CREATE TABLE t (id bigint primary key)',
      ),
    ]) {
      await up.writeDdl(driver, job);
    }
    const t = model.modelTable('app', 't');
    const rows = [1n, 2n, 3n].map((id) => encodeInsertRow(t, [id]));
    const last = await up.writeDml(driver, [rowsMutation(t.id, rows)]);
    driver.close();

    const toml = join(dir, 'drainer.toml');
    const out = join(dir, 'out.jsonl');
    writeFileSync(
      toml,
      `log-file = "${join(dir, 'drainer.log')}"\n[syncer]\ndb-type = "mysql"\n[syncer.to]\nhost = "127.0.0.1"\n[sink]\npath = "${out}"\n`,
    );
    const args = [
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
    const { child, exited, stderr } = spawnDrainer(args);

    const deadline = Date.now() + 30_000;
    const lines = (): string[] => jsonlLines(out);
    await waitUntil(() => lines().length >= 5 || child.exitCode !== null, deadline, 100);
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, stderr()).toBe(0);
    expect(lines().map((l) => (JSON.parse(l) as { type: string }).type)).toEqual([
      'ddl',
      'ddl',
      'insert',
      'insert',
      'insert',
    ]);
    const cp = await new FileCheckpointStore({ dataDir: join(dir, 'data') }).load();
    expect(cp?.consistent).toBe(true);
    expect(cp?.commitTs).toBeGreaterThanOrEqual(last);
    const log = readFileSync(join(dir, 'drainer.log'), 'utf8');
    expect(log).toContain('"msg":"configuration"');
    expect(log).toContain('syncer.to.host is not used by the jsonl sink; ignored');
  }, 60_000);
});
