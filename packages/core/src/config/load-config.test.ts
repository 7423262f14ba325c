import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from '../errors/drainer-error.js';
import { loadConfig } from './load-config.js';
import { encryptPassword, secretKeyFromEnv } from './password-cipher.js';
import { formatRedacted } from './redact.js';

const FIXTURES = fileURLToPath(new URL('../../../../../shared/fixtures/', import.meta.url));
const GO_DIR = `${FIXTURES}go-tidb-binlog-v7.1.6/`;
const NO_ENV = {};

async function loadError(p: Promise<unknown>): Promise<ConfigError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('Go drainer.toml fixtures parse unchanged', () => {
  const files = readdirSync(GO_DIR).filter((f) => f.startsWith('drainer'));

  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  it.each(files)('%s', async (f) => {
    const { config } = await loadConfig({ configFile: GO_DIR + f, env: NO_ENV });
    expect(config.pdUrls.length).toBeGreaterThan(0);
    expect(config.dataDir).not.toBe('');
  });

  it('cmd/drainer/drainer.toml values', async () => {
    const { config, warnings } = await loadConfig({ configFile: `${GO_DIR}drainer.toml`, env: NO_ENV });
    expect(config.addr).toBe('127.0.0.1:8249');
    expect(config.advertiseAddr).toBe('127.0.0.1:8249');
    expect(config.detectIntervalSec).toBe(10);
    expect(config.dataDir).toBe('data.drainer');
    expect(config.pdUrls).toEqual(['http://127.0.0.1:2379']);
    expect(config.compressor).toBe('');
    expect(config.syncer).toMatchObject({ txnBatch: 20, workerCount: 16, safeMode: false, syncDdl: true });
    expect(config.sinkName).toBe('mysql');
    expect(config.filter.ignoreSchemas).toEqual(['INFORMATION_SCHEMA', 'PERFORMANCE_SCHEMA', 'mysql']);
    expect(config.sinkSection).toMatchObject({ host: '127.0.0.1', user: 'root', password: '', port: 3306 });
    expect(config.sinkSection).not.toHaveProperty('encrypted_password');
    expect(config.initialCommitTs).toBe(-1n);
    expect(config.checkpoint.type).toBe('');
    expect(warnings).toEqual([]);
  });

  it('filter fixture: do-db, do-table and ignore-table', async () => {
    const { config } = await loadConfig({ configFile: `${GO_DIR}drainer-filter.toml`, env: NO_ENV });
    expect(config.filter.doDbs).toEqual(['~^do_start.*', 'do_name']);
    expect(config.filter.doTables).toEqual([
      { schema: 'test', table: 'do_name' },
      { schema: 'test', table: 'do_ignore_name' },
      { schema: 'test', table: '~^do_start.*' },
    ]);
    expect(config.filter.ignoreTables).toEqual([{ schema: 'test', table: 'do_ignore_name' }]);
    expect(config.syncer.txnBatch).toBe(1);
  });

  it('binlog-filter fixture: migrate rules and named filter rules', async () => {
    const { config } = await loadConfig({ configFile: `${GO_DIR}drainer-binlogfilter.toml`, env: NO_ENV });
    expect(config.filter.tableMigrateRules).toHaveLength(3);
    expect(config.filter.tableMigrateRules[0]).toEqual({
      binlogFilterRules: ['truncate-table-filter', 'add-column-aaa-filter', 'delete-filter'],
      source: { schema: 'do_not_truncate_database*', table: 'do_not_truncate_table*' },
    });
    expect(config.filter.binlogFilterRules['add-column-aaa-filter']).toEqual({
      ignoreEvent: [],
      ignoreSql: ['alter table .* add column aaa int'],
    });
  });

  it('kafka fixture: explicit mysql checkpoint on port 4000', async () => {
    const { config } = await loadConfig({ configFile: `${GO_DIR}drainer-kafka.toml`, env: NO_ENV });
    expect(config.sinkName).toBe('kafka');
    expect(config.checkpoint).toMatchObject({ type: 'mysql', host: '127.0.0.1', user: 'root', port: 4000 });
    expect(config.sinkSection).toEqual({ 'topic-name': 'binlog_test_topic' });
  });

  it('partition and status fixtures: checkpoint schema', async () => {
    expect(
      (await loadConfig({ configFile: `${GO_DIR}drainer-partition.toml`, env: NO_ENV })).config.checkpoint.schema,
    ).toBe('partition_test_checkpoint');
    const status = (await loadConfig({ configFile: `${GO_DIR}drainer-status.toml`, env: NO_ENV })).config;
    expect(status.checkpoint.schema).toBe('status_checkpoint');
    expect(status.sinkName).toBe('file');
  });

  it('the tutorial drainer.toml', async () => {
    const { config } = await loadConfig({ configFile: `${FIXTURES}tutorial/drainer.toml`, env: NO_ENV });
    expect(config.logFile).toBe('drainer.log');
    expect(config.sinkName).toBe('mysql');
    expect(config.sinkSection).toEqual({ host: '127.0.0.1', user: 'root', password: '', port: 3306 });
    expect(config.pdUrls).toEqual(['http://127.0.0.1:2379']);
  });
});

describe('errors name the key', () => {
  it('a typo gets the nearest valid key', async () => {
    const err = await loadError(loadConfig({ tomlText: '[syncer]\ntxn-bach = 3\n', env: NO_ENV }));
    expect(err.code).toBe(ErrorCode.ConfigUnknownKey);
    expect(err.message).toContain('syncer.txn-bach — did you mean syncer.txn-batch?');
  });

  it('a key in the wrong section points to its section', async () => {
    const err = await loadError(loadConfig({ tomlText: 'db-type = "mysql"\n', env: NO_ENV }));
    expect(err.message).toContain('db-type — did you mean syncer.db-type?');
  });

  it('every unknown key is listed at once, also inside array tables', async () => {
    const err = await loadError(
      loadConfig({
        tomlText:
          'pd-url = "x"\n[[syncer.ignore-table]]\ndb-nam = "a"\ntbl-name = "b"\n[syncer.to.checkpoint]\nshema = "x"\n',
        env: NO_ENV,
      }),
    );
    expect(err.message).toContain('pd-url — did you mean pd-urls?');
    expect(err.message).toContain('syncer.ignore-table[0].db-nam — did you mean syncer.ignore-table.db-name?');
    expect(err.message).toContain('syncer.to.checkpoint.shema — did you mean syncer.to.checkpoint.schema?');
  });

  it('a missing required value names the key', async () => {
    const err = await loadError(
      loadConfig({ tomlText: '[[syncer.replicate-do-table]]\ndb-name = "test"\n', env: NO_ENV }),
    );
    expect(err.message).toContain('syncer.replicate-do-table[0].tbl-name: missing required value');
  });

  it('an empty name is rejected like the Go drainer does', async () => {
    const err = await loadError(loadConfig({ tomlText: '[syncer]\nreplicate-do-db = ["a", ""]\n', env: NO_ENV }));
    expect(err.message).toContain('syncer.replicate-do-db[1]');
  });

  it('wrong types name the key', async () => {
    const err = await loadError(loadConfig({ tomlText: '[syncer]\nworker-count = "many"\n', env: NO_ENV }));
    expect(err.message).toContain('syncer.worker-count');
  });

  it('unsupported settings are listed together', async () => {
    const err = await loadError(
      loadConfig({
        tomlText: '[syncer]\nloopback-control = true\n[syncer.relay]\nlog-dir = "/tmp/relay"\n',
        env: NO_ENV,
      }),
    );
    expect(err.code).toBe(ErrorCode.ConfigUnsupportedKey);
    expect(err.message).toContain('syncer.loopback-control');
    expect(err.message).toContain('syncer.relay.log-dir');
  });

  it('compatibility-only keys warn', async () => {
    const { warnings } = await loadConfig({ tomlText: '[syncer]\nenable-dispatch = false\n', env: NO_ENV });
    expect(warnings.join('\n')).toContain('syncer.enable-dispatch');
  });

  it('TOML syntax errors give file position', async () => {
    const err = await loadError(loadConfig({ tomlText: 'a = = 1\n', env: NO_ENV }));
    expect(err.message).toMatch(/<inline>:1:\d+: invalid TOML/);
  });
});

describe('precedence: defaults < file < env < flags', () => {
  const toml = 'data-dir = "from-file"\ndetect-interval = 7\n[syncer]\ntxn-batch = 5\nsafe-mode = false\n';

  it('file over defaults', async () => {
    const { config, origins } = await loadConfig({ tomlText: toml, env: NO_ENV });
    expect(config.dataDir).toBe('from-file');
    expect(config.syncer.workerCount).toBe(16);
    expect(origins.get('data-dir')).toBe('file');
  });

  it('BINLOG_SERVER_* env over file, flags over env', async () => {
    const env = { BINLOG_SERVER_DATA_DIR: 'from-env', BINLOG_SERVER_TXN_BATCH: '9', BINLOG_SERVER_L: 'debug' };
    const { config, origins } = await loadConfig({
      tomlText: toml,
      env,
      flags: { 'txn-batch': '11', 'safe-mode': 'true' },
    });
    expect(config.dataDir).toBe('from-env');
    expect(config.syncer.txnBatch).toBe(11);
    expect(config.syncer.safeMode).toBe(true);
    expect(config.logLevel).toBe('debug');
    expect(origins.get('data-dir')).toBe('env');
    expect(origins.get('syncer.txn-batch')).toBe('flag');
  });

  it('Go short flags -c and -L', async () => {
    const { config } = await loadConfig({ env: NO_ENV, flags: { c: '3', L: 'warn' } });
    expect(config.syncer.workerCount).toBe(3);
    expect(config.logLevel).toBe('warn');
  });

  it('--sink wins over db-type', async () => {
    const { config } = await loadConfig({
      tomlText: '[syncer]\ndb-type = "kafka"\n',
      env: NO_ENV,
      flags: { sink: 'print' },
    });
    expect(config.sinkName).toBe('print');
  });

  it('initial-commit-ts keeps all 64 bits from a flag and from TOML', async () => {
    expect(
      (await loadConfig({ env: NO_ENV, flags: { 'initial-commit-ts': '434271871498256385' } })).config.initialCommitTs,
    ).toBe(434271871498256385n);
    expect(
      (await loadConfig({ tomlText: 'initial-commit-ts = 434271871498256385\n', env: NO_ENV })).config.initialCommitTs,
    ).toBe(434271871498256385n);
  });

  it('dispatch: disable beats enable whatever the source (Go rule)', async () => {
    const { config } = await loadConfig({
      tomlText: '[syncer]\ndisable-dispatch = true\n',
      env: NO_ENV,
      flags: { 'enable-dispatch': 'true' },
    });
    expect(config.syncer.enableDispatch).toBe(false);
  });

  it('bad flag values name the flag', async () => {
    const err = await loadError(loadConfig({ env: NO_ENV, flags: { 'txn-batch': 'x' } }));
    expect(err.message).toContain('flag -txn-batch');
  });
});

describe('secrets', () => {
  it('encrypted_password is decrypted with the Go default key', async () => {
    const enc = encryptPassword('s3cret!', secretKeyFromEnv({}));
    const { config } = await loadConfig({
      tomlText: `[syncer.to]\npassword = "ignored"\nencrypted_password = "${enc}"\n`,
      env: NO_ENV,
    });
    expect(config.sinkSection['password']).toBe('s3cret!');
  });

  it('DRAINER_PASSWORD overrides both password spellings of the file', async () => {
    const enc = encryptPassword('file-pw', secretKeyFromEnv({}));
    const { config } = await loadConfig({
      tomlText: `[syncer.to]\nencrypted_password = "${enc}"\n`,
      env: { DRAINER_PASSWORD: 'env-pw', DRAINER_CHECKPOINT_PASSWORD: 'cp-pw' },
    });
    expect(config.sinkSection['password']).toBe('env-pw');
    expect(config.checkpoint.password).toBe('cp-pw');
  });

  it('a bad encrypted_password names its key', async () => {
    const err = await loadError(
      loadConfig({ tomlText: '[syncer.to.checkpoint]\nencrypted_password = "bm9wZQ=="\n', env: NO_ENV }),
    );
    expect(err.message).toContain('syncer.to.checkpoint.encrypted_password');
  });

  it('the printed config never shows a password', async () => {
    const { config, toml } = await loadConfig({
      tomlText: '[syncer.to]\npassword = "hunter2"\n[syncer.to.checkpoint]\npassword = "cp-hunter2"\n',
      env: NO_ENV,
    });
    const text = formatRedacted({ config, toml });
    expect(text).not.toContain('hunter2');
    expect(text).toContain('******');
  });
});

describe('ignore-schemas is split as the Go drainer splits it', () => {
  it('no trimming, and an empty entry is an error naming the key', async () => {
    const { config } = await loadConfig({ tomlText: '[syncer]\nignore-schemas = "a, b"\n', env: {} });
    expect(config.filter.ignoreSchemas).toEqual(['a', ' b']);
    await expect(loadConfig({ tomlText: '[syncer]\nignore-schemas = "a,,b"\n', env: {} })).rejects.toThrow(
      /syncer\.ignore-schemas: empty schema name/,
    );
  });
});
