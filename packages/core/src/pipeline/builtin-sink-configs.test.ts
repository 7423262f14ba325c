import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { buildSinkConfig } from '../config/sink-config.js';
import { resolveSink } from './resolve-sink.js';

const GO_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/go-tidb-binlog-v7.1.6/', import.meta.url));
const TUTORIAL = fileURLToPath(new URL('../../../../../shared/fixtures/tutorial/drainer.toml', import.meta.url));

/**
 * The Go fixtures' [syncer.to] through the real sink their db-type selects (config only: nothing is opened). The
 * db-type = "file" fixtures (drainer-reparo, drainer-status) are left to the file sink's package, which had not
 * landed when this was written; their generic parsing is covered in config/load-config.test.ts.
 */
describe('Go drainer.toml fixtures with their built-in sinks', () => {
  const files = [
    ...readdirSync(GO_DIR)
      .filter((f) => f.startsWith('drainer') && !['drainer-reparo.toml', 'drainer-status.toml'].includes(f))
      .map((f) => GO_DIR + f),
    TUTORIAL,
  ];

  it('covers the mysql and kafka fixtures', () => {
    expect(files).toHaveLength(8);
  });

  it.each(files)('%s', async (file) => {
    const { config } = await loadConfig({ configFile: file, env: {} });
    const { definition } = await resolveSink(config.sinkName);
    const built = buildSinkConfig(config, definition, {});
    expect(built.config).toBeDefined();
  });

  it('the MySQL sink gets the checkpoint section and Go defaults', async () => {
    const { config } = await loadConfig({ configFile: `${GO_DIR}drainer-partition.toml`, env: {} });
    const { definition } = await resolveSink('tidb');
    const built = buildSinkConfig(config, definition, {}).config as {
      host: string;
      port: number;
      checkpoint: { schema: string; table: string };
    };
    expect(built.host).toBe('127.0.0.1');
    expect(built.port).toBe(3306);
    expect(built.checkpoint).toMatchObject({ schema: 'partition_test_checkpoint', table: 'checkpoint' });
  });

  it('MYSQL_* env fills empty downstream settings as in Go', async () => {
    const { config } = await loadConfig({ tomlText: '[syncer.to]\nhost = ""\n', env: {} });
    const { definition } = await resolveSink('mysql');
    const built = buildSinkConfig(config, definition, {
      MYSQL_HOST: 'db.example',
      MYSQL_PORT: '3307',
      MYSQL_PSWD: 'pw',
    }).config as { host: string; port: number; password: string };
    expect(built).toMatchObject({ host: 'db.example', port: 3307, password: 'pw' });
  });
});
