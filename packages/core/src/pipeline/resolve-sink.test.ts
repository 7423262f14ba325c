import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors/drainer-error.js';
import { prepareSink } from './prepare-sink.js';
import { resolveSink } from './resolve-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'drainer-sink-'));
const zodUrl = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;
const SINK_FILE = `
import { z } from '${zodUrl}';
const created = [];
export const calls = created;
export default {
  type: 'webhook',
  description: 'test sink',
  configSchema: z.strictObject({ url: z.string().url(), 'batch-size': z.number().int().default(10) }),
  create(config, env) {
    created.push({ config, env });
    return {
      capabilities: { maxInFlight: 1, supportsDdl: false, defaultBatch: { maxTxns: 10, maxBytes: 1024, maxDelayMs: 10 } },
      async open() {}, async write() {}, async writeDdl() {}, async close() {},
    };
  },
};
`;
writeFileSync(join(dir, 'my-sink.mjs'), SINK_FILE);
writeFileSync(join(dir, 'not-a-sink.mjs'), 'export const x = 1;\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveSink', () => {
  it('loads a custom sink file relative to cwd (default export)', async () => {
    const r = await resolveSink('./my-sink.mjs', { cwd: dir });
    expect(r.definition.type).toBe('webhook');
    expect(r.from).toBe(pathToFileURL(join(dir, 'my-sink.mjs')).href);
  });

  it('validates the custom sink config from [sink] and [syncer.to] with its own schema', async () => {
    const { config } = await loadConfig({
      tomlText: '[sink]\nurl = "http://127.0.0.1:9/hook"\n',
      env: {},
      flags: { sink: './my-sink.mjs', 'worker-count': '3' },
    });
    const prepared = await prepareSink(config, { cwd: dir, env: {} });
    expect(prepared.config).toEqual({ url: 'http://127.0.0.1:9/hook', 'batch-size': 10 });
    const mod = (await import(pathToFileURL(join(dir, 'my-sink.mjs')).href)) as {
      calls: { env: { dbType: string; workerCount: number } }[];
    };
    expect(mod.calls.at(-1)?.env).toMatchObject({ dbType: './my-sink.mjs', workerCount: 3 });
  });

  it('unknown sink keys get a suggestion; Go keys unused by the sink only warn', async () => {
    const { config } = await loadConfig({
      tomlText: '[sink]\nurll = "x"\n',
      env: {},
      flags: { sink: './my-sink.mjs' },
    });
    await expect(prepareSink(config, { cwd: dir, env: {} })).rejects.toThrow(/sink\.urll — did you mean sink\.url\?/);
    const goKeys = await loadConfig({
      tomlText: '[syncer.to]\nhost = "h"\n[sink]\nurl = "http://x/"\n',
      env: {},
      flags: { sink: './my-sink.mjs' },
    });
    const prepared = await prepareSink(goKeys.config, { cwd: dir, env: {} });
    expect(prepared.warnings).toEqual(['syncer.to.host is not used by the webhook sink; ignored']);
  });

  it('a missing required sink value names the key', async () => {
    const { config } = await loadConfig({ env: {}, flags: { sink: './my-sink.mjs' } });
    await expect(prepareSink(config, { cwd: dir, env: {} })).rejects.toThrow(/sink\.url: missing required value/);
  });

  it('a module without a sink definition is a clear error', async () => {
    await expect(resolveSink('./not-a-sink.mjs', { cwd: dir })).rejects.toThrow(/does not export a sink definition/);
  });

  it('a missing built-in package names what to install', async () => {
    const importer = (s: string): Promise<unknown> =>
      Promise.reject(Object.assign(new Error(`Cannot find package '${s}'`), { code: 'ERR_MODULE_NOT_FOUND' }));
    const err = await resolveSink('kafka', { importer }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('npm install @tidb-drainer/sink-kafka');
  });

  it('an unknown bare name is neither built-in, file nor package', async () => {
    await expect(resolveSink('no-such-sink-package-xyz', { cwd: dir })).rejects.toThrow(
      /unknown sink "no-such-sink-package-xyz"/,
    );
  });

  it('built-in aliases pick the matching definition from the package', async () => {
    const def = (type: string, aliases: string[]): unknown => ({
      type,
      aliases,
      description: '',
      configSchema: {},
      create: () => undefined,
    });
    const importer = (): Promise<unknown> =>
      Promise.resolve({ fileSink: def('file', ['pb']), reparo: { not: 'a sink' } });
    expect((await resolveSink('pb', { importer })).definition.type).toBe('file');
  });
});
