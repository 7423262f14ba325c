import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { planCheckpoint } from './checkpoint-plan.js';

async function plan(
  toml: string,
  sinkType: string,
  sinkConfig: Record<string, unknown> = {},
  owns = false,
): Promise<ReturnType<typeof planCheckpoint>> {
  const { config } = await loadConfig({ tomlText: `data-dir = "/d"\n${toml}`, env: {} });
  return planCheckpoint(config, sinkType, sinkConfig, owns);
}

describe('checkpoint store selection (spec §7.1)', () => {
  it('type "" + MySQL sink → tidb_binlog.checkpoint in the downstream', async () => {
    expect(
      await plan('[syncer.to.checkpoint]\ntable = "ignored"\n', 'mysql', {
        host: 'down',
        port: 4000,
        user: 'u',
        password: 'p',
      }),
    ).toEqual({
      kind: 'mysql',
      host: 'down',
      port: 4000,
      user: 'u',
      password: 'p',
      schema: 'tidb_binlog',
      table: 'checkpoint',
      downstream: true,
    });
  });

  it('type "" + schema override', async () => {
    expect(await plan('[syncer.to.checkpoint]\nschema = "cp"\n', 'mysql', { host: 'h' })).toMatchObject({
      kind: 'mysql',
      schema: 'cp',
      host: 'h',
      port: 3306,
    });
  });

  it('type "" + other sinks → <data-dir>/savepoint', async () => {
    for (const t of ['kafka', 'file', 'jsonl', 'custom'])
      expect(await plan('', t)).toEqual({ kind: 'file', dataDir: '/d' });
  });

  it('explicit mysql type uses the checkpoint section with Go defaults (drainer-kafka.toml shape)', async () => {
    expect(await plan('[syncer.to.checkpoint]\ntype = "mysql"\nport = 4000\n', 'kafka')).toEqual({
      kind: 'mysql',
      host: '127.0.0.1',
      port: 4000,
      user: 'root',
      password: '',
      schema: 'tidb_binlog',
      table: 'checkpoint',
      downstream: false,
    });
  });

  it('explicit file type (our extension) and sinks that own their checkpoint', async () => {
    expect(await plan('[syncer.to.checkpoint]\ntype = "file"\n', 'mysql')).toEqual({ kind: 'file', dataDir: '/d' });
    expect(await plan('', 'mysql', {}, true)).toEqual({ kind: 'sink' });
  });
});
