import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FakeTidbStatusApi,
  PumpCluster,
  TidbSchemaModel,
  expectDemoWorkload,
  planDemoWorkload,
  writeDemoStep,
} from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from './webhook-receiver.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const DRAINER_BIN = join(REPO, 'packages/core/bin/drainer.js');
const BUILT_SINK = join(REPO, 'examples/dist/webhook-sink.js');

/**
 * What the examples README tells users to run: the built `drainer` command loading the built example sink with
 * `--sink ./examples/dist/webhook-sink.js`, replicating the simulated upstream into a real HTTP receiver.
 */
describe('drainer --sink ./examples/dist/webhook-sink.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-cli-'));
  const model = new TidbSchemaModel();
  const api = new FakeTidbStatusApi({ model });
  const receiver = new WebhookReceiver();
  let cluster: PumpCluster;

  beforeAll(async () => {
    for (const f of [DRAINER_BIN, join(REPO, 'packages/core/dist/cli/main.js'), BUILT_SINK]) {
      if (!existsSync(f)) throw new Error(`${f} is missing: build first with \`npx tsc -b\` (npm test does)`);
    }
    cluster = await PumpCluster.start({ pumps: 2, etcdUrl: null, fakeIntervalMs: 50 });
    await api.start();
    await receiver.start();
  });
  afterAll(async () => {
    await cluster?.close();
    await api.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the built sink by path and delivers every row and DDL to the receiver', async () => {
    const steps = planDemoWorkload({ txns: 20, seed: 7 });
    const expected = expectDemoWorkload(steps);
    const driver = cluster.driver({ choose: (i, n) => i % n });
    for (const s of steps) await writeDemoStep(s, model, driver);
    driver.close();

    const toml = join(dir, 'drainer.toml');
    writeFileSync(
      toml,
      [
        `data-dir = ${JSON.stringify(join(dir, 'data'))}`,
        `log-file = ${JSON.stringify(join(dir, 'drainer.log'))}`,
        'initial-commit-ts = 0',
        '[sink]',
        `url = ${JSON.stringify(receiver.url)}`,
        'max-events-per-request = 5',
        '',
      ].join('\n'),
    );
    const child = spawn(
      process.execPath,
      [
        DRAINER_BIN,
        '--config',
        toml,
        '--sink',
        './examples/dist/webhook-sink.js',
        '-cluster-id',
        String(cluster.clusterId),
        `-pump-addrs=${cluster.pumps.map((p) => p.host).join(',')}`,
        '--tidb-status-addrs',
        api.address,
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const want = expected.rows + expected.ddls;
    const deadline = Date.now() + 30_000;
    while (receiver.events.length < want && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);

    const tables: Record<string, { insert: number; update: number; delete: number }> = {};
    let ddls = 0;
    for (const e of receiver.events) {
      if (e.type === 'ddl') {
        ddls++;
        continue;
      }
      const t = (tables[`${e.schema}.${e.table}`] ??= { insert: 0, update: 0, delete: 0 });
      t[e.type]++;
    }
    expect(ddls).toBe(expected.ddls);
    expect(tables).toEqual(expected.tables);
    expect(receiver.stats.pings).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
