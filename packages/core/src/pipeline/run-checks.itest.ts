import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTidbStatusApi, PumpCluster, TidbSchemaModel } from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { prepareSink } from './prepare-sink.js';
import { runChecks } from './run-checks.js';

/** A port nothing listens on: bind one, note it, close it. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('drainer check probes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drainer-check-'));
  const api = new FakeTidbStatusApi({ model: new TidbSchemaModel() });
  let cluster: PumpCluster;

  beforeAll(async () => {
    cluster = await PumpCluster.start({ pumps: 2, etcdUrl: null });
    await api.start();
  });
  afterAll(async () => {
    await cluster?.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports every probe, passing and failing', async () => {
    const dead = await deadPort();
    const pumps = [...cluster.pumps.map((p) => p.host), `127.0.0.1:${dead}`].join(',');
    const { config } = await loadConfig({
      env: {},
      tomlText: `cluster-id = 42\npump-addrs = "${pumps}"\ntidb-status-addrs = "${api.address}"\ndata-dir = "${dir}"\n[syncer]\ndb-type = "jsonl"\n[sink]\npath = "${join(dir, 'out.jsonl')}"\n`,
    });
    const prepared = await prepareSink(config, { env: {} });
    const results = await runChecks(config, prepared, AbortSignal.timeout(30_000));
    await prepared.sink.close();
    const byName = new Map(results.map((r) => [r.name, r]));
    expect(byName.get('pd')).toMatchObject({ ok: true, message: 'cluster id 42 (configured)' });
    for (const p of cluster.pumps) expect(byName.get(`pump ${p.host}`)?.ok).toBe(true);
    expect(byName.get(`pump 127.0.0.1:${dead}`)?.ok).toBe(false);
    expect(byName.get(`tidb ${api.address}`)).toMatchObject({ ok: true, message: 'GET /status → HTTP 200' });
    expect(byName.get('checkpoint')).toMatchObject({ ok: true, message: `file ${dir}/savepoint` });
    expect(results.some((r) => r.name.startsWith('sink'))).toBe(true);
  });
});
