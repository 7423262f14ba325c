import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tidb-drainer/core';
import { decryptPassword, encryptPassword } from './decrypt-password.js';
import { mysqlSinkConfigSchema } from './mysql-sink-config.js';
import { parseReadTimeout } from './parse-read-timeout.js';

const fixture = (p: string): Record<string, unknown> => parse(readFileSync(new URL(`../../../../../shared/fixtures/${p}`, import.meta.url), 'utf8'));
const syncerTo = (doc: Record<string, unknown>): unknown => ((doc['syncer'] as Record<string, unknown>)['to']) ?? {};

describe('[syncer.to] config', () => {
  it('accepts the tutorial drainer.toml section', () => {
    const cfg = mysqlSinkConfigSchema.parse(syncerTo(fixture('tutorial/drainer.toml')));
    expect(cfg).toMatchObject({ host: '127.0.0.1', user: 'root', password: '', port: 3306, 'sync-mode': 1, 'exactly-once': false });
    expect(cfg.checkpoint).toMatchObject({ schema: 'tidb_binlog', table: 'checkpoint' });
  });

  it('accepts the Go example drainer.toml and a checkpoint section with a custom schema', () => {
    const cfg = mysqlSinkConfigSchema.parse(syncerTo(fixture('go-tidb-binlog-v7.1.6/drainer.toml')));
    expect(cfg.encrypted_password).toBe('');
    const part = mysqlSinkConfigSchema.parse(syncerTo(fixture('go-tidb-binlog-v7.1.6/drainer-partition.toml')));
    expect(part.checkpoint.schema).toBe('partition_test_checkpoint');
  });

  it('rejects unknown keys', () => {
    const r = mysqlSinkConfigSchema.safeParse({ host: 'h', hots: 'x' });
    expect(r.success).toBe(false);
    expect(mysqlSinkConfigSchema.safeParse({ security: { 'ssl-kay': 'x' } }).success).toBe(false);
  });

  it('every field has a description', () => {
    for (const [key, field] of Object.entries(mysqlSinkConfigSchema.shape)) {
      expect(field.description, key).toMatch(/\w/);
    }
  });
});

describe('encrypted_password', () => {
  it('round-trips through the Go format (IV + "@" + AES-256-CFB with the built-in key)', () => {
    const enc = encryptPassword('s3cret-pässword');
    const raw = Buffer.from(enc, 'base64');
    expect(raw[16]).toBe(0x40);
    expect(raw.length).toBe(16 + 1 + Buffer.byteLength('s3cret-pässword'));
    expect(decryptPassword(enc, 'syncer.to.encrypted_password')).toBe('s3cret-pässword');
  });

  it('uses BINLOG_SECRET_KEY (hex) when set, and rejects garbage', () => {
    const before = process.env['BINLOG_SECRET_KEY'];
    try {
      process.env['BINLOG_SECRET_KEY'] = '00112233445566778899aabbccddeeff';
      const enc = encryptPassword('pw');
      expect(decryptPassword(enc, 'k')).toBe('pw');
      process.env['BINLOG_SECRET_KEY'] = 'zz';
      expect(() => decryptPassword(enc, 'k')).toThrow(ConfigError);
    } finally {
      if (before === undefined) delete process.env['BINLOG_SECRET_KEY'];
      else process.env['BINLOG_SECRET_KEY'] = before;
    }
    expect(() => decryptPassword('bm90LWVuY3J5cHRlZA==', 'syncer.to.encrypted_password')).toThrow(/not a valid encrypted password/);
  });
});

describe('read-timeout', () => {
  it('parses Go durations and bare numbers as days', () => {
    expect(parseReadTimeout('1m')).toBe(60_000);
    expect(parseReadTimeout('1h30m')).toBe(5_400_000);
    expect(parseReadTimeout('2.5s')).toBe(2500);
    expect(parseReadTimeout('1')).toBe(86_400_000);
    expect(parseReadTimeout(2)).toBe(172_800_000);
    expect(() => parseReadTimeout('soon')).toThrow(ConfigError);
  });
});
