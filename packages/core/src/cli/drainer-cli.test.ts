import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { CliIo } from './cli-io.js';
import { runDrainerCli } from './drainer-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'drainer-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const zodUrl = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;
writeFileSync(
  join(dir, 'sink.mjs'),
  `import { z } from '${zodUrl}';
export default { type: 'custom', description: 'x', configSchema: z.strictObject({ target: z.string().default('t') }),
  create() { return { capabilities: { maxInFlight: 1, supportsDdl: true, defaultBatch: { maxTxns: 1, maxBytes: 1, maxDelayMs: 1 } },
    async open() {}, async write() {}, async writeDdl() {}, async close() {} }; } };
`,
);

async function run(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env, cwd: dir };
  const code = await runDrainerCli(argv, io);
  return { code, out, err };
}

describe('drainer CLI', () => {
  it('config print-defaults prints a drainer.toml that loads back to the defaults', async () => {
    const r = await run(['config', 'print-defaults']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('pd-urls = "http://127.0.0.1:2379"');
    expect(r.out).toContain('[syncer.to.checkpoint]');
    const { config } = await loadConfig({ tomlText: r.out, env: {} });
    expect(config.syncer.workerCount).toBe(16);
    expect(config.initialCommitTs).toBe(-1n);
  });

  it('-config-check validates config and the custom sink given with --sink ./path', async () => {
    const toml = join(dir, 'drainer.toml');
    writeFileSync(toml, '[syncer]\ndb-type = "mysql"\n[sink]\ntarget = "x"\n');
    const r = await run(['-config', toml, '--sink', './sink.mjs', '-config-check']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('config OK: sink ./sink.mjs');
  });

  it('the Go fixture drainer.toml passes -config-check with a sink that accepts no [syncer.to] keys (warnings only)', async () => {
    const fixture = new URL('../../../../../shared/fixtures/go-tidb-binlog-v7.1.6/drainer.toml', import.meta.url);
    const r = await run(['-config', fixture.pathname, '-sink=./sink.mjs', '-config-check']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: syncer.to.host is not used by the custom sink; ignored');
  });

  it('an unknown flag exits 2 and suggests the nearest', async () => {
    const r = await run(['-pd-url=http://x:1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean -pd-urls?');
  });

  it('a config error exits 2 naming the key', async () => {
    const toml = join(dir, 'bad.toml');
    writeFileSync(toml, '[syncer]\nworker-cont = 4\n');
    const r = await run(['-config', toml, '-config-check', '--sink', './sink.mjs']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('syncer.worker-cont — did you mean syncer.worker-count?');
  });

  it('config print shows sources and never the password', async () => {
    const toml = join(dir, 'pw.toml');
    writeFileSync(toml, '[syncer.to]\npassword = "file-secret"\n');
    const r = await run(['config', 'print', '-config', toml, '-L', 'debug'], {
      DRAINER_PASSWORD: 'env-secret',
      BINLOG_SERVER_DATA_DIR: '/env/dir',
    });
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/secret/);
    expect(r.out).toContain('"password": "******"');
    expect(r.out).toContain('"data-dir": "env"');
    expect(r.out).toContain('"log-level": "flag"');
  });

  it('-h lists the Go flags; -V prints the version', async () => {
    const h = await run(['-h']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('-initial-commit-ts');
    expect(h.out).toContain('-dest-db-type');
    expect(h.out).toContain('check');
    const v = await run(['-V']);
    expect(v.out).toMatch(/^tidb-drainer \d+\.\d+\.\d+/);
  });
});
