import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, tsoFromPhysical } from '@tidb-drainer/core';
import { runReparoCli } from './reparo-cli.js';
import { datetimeToTso, loadReparoConfig, resolveRange } from './load-reparo-config.js';
import { fixtureTs, kvHistory, writeEvents } from '../test-support/write-fixture-dir.js';

const FIXTURES = resolve(import.meta.dirname, '../../../../../shared/fixtures/go-tidb-binlog-v7.1.6');

let dir = '';
afterEach(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('reparo configuration', () => {
  it("accepts the Go tool's reparo.toml fixtures", async () => {
    const cfg = await loadReparoConfig(join(FIXTURES, 'reparo.toml'), {}, {});
    expect(cfg).toMatchObject({
      'data-dir': './data.drainer',
      'dest-type': 'mysql',
      'txn-batch': 20,
      'worker-count': 16,
      'safe-mode': false,
      'log-level': 'info',
    });
    expect(cfg['dest-db']).toEqual({ host: '127.0.0.1', port: 3309, user: 'root', password: '' });
    expect(cfg['start-tso']).toBe(0n);
    const tests = await loadReparoConfig(join(FIXTURES, 'reparo-tests.toml'), {}, {});
    expect(tests).toMatchObject({
      'data-dir': '/tmp/tidb_binlog_test/data.drainer',
      'log-level': 'debug',
      'dest-type': 'mysql',
    });
  });

  it('flags override the file, env Reparo_* sits between; unknown keys are named', async () => {
    const cfg = await loadReparoConfig(
      join(FIXTURES, 'reparo.toml'),
      { 'dest-db': { port: 3306 }, 'worker-count': 4 },
      { Reparo_txn_batch: '7' },
    );
    expect(cfg['dest-db'].port).toBe(3306);
    expect(cfg['dest-db'].host).toBe('127.0.0.1');
    expect(cfg['worker-count']).toBe(4);
    expect(cfg['txn-batch']).toBe(7);
    const err = await loadReparoConfig(undefined, { 'data-dir': '/x', 'dest-tpye': 'print' }, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('dest-tpye');
  });

  it('datetimes are local wall-clock times → TSO with logical 0, and override the tso options', async () => {
    expect(datetimeToTso('2026-01-01 08:00:00', 'Asia/Shanghai', 'start-datetime')).toBe(
      tsoFromPhysical(Date.UTC(2026, 0, 1)),
    );
    const cfg = await loadReparoConfig(
      undefined,
      { 'data-dir': '/x', 'start-tso': 5, 'stop-datetime': '2026-01-01 00:00:01' },
      {},
    );
    expect(resolveRange(cfg, 'UTC')).toEqual({ startTs: 5n, stopTs: tsoFromPhysical(Date.UTC(2026, 0, 1, 0, 0, 1)) });
    expect(() => datetimeToTso('2026/01/01', 'UTC', 'start-datetime')).toThrow(ConfigError);
  });

  it('start-tso is inclusive, stop-tso inclusive (print)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'reparo-range-'));
    await writeEvents(dir, kvHistory('db2', 20));
    let out = '';
    const code = await runReparoCli(
      ['--data-dir', dir, '--start-tso', String(fixtureTs(10)), '--stop-tso', String(fixtureTs(12))],
      {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: () => true },
        env: {},
        signal: new AbortController().signal,
      },
    );
    expect(code).toBe(0);
    const tss = [...new Set([...out.matchAll(/^commit_ts: (\d+)/gm)].map((m) => m[1]))];
    expect(tss).toEqual([fixtureTs(10), fixtureTs(11), fixtureTs(12)].map(String));
  });
});
