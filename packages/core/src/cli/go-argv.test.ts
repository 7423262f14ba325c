import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/drainer-error.js';
import { parseGoArgv } from './go-argv.js';

describe('parseGoArgv (Go flag package rules)', () => {
  it('single-dash long flags with separate and = values', () => {
    const p = parseGoArgv(['-pd-urls', 'http://pd:2379', '-data-dir=/d', '-dest-db-type', 'kafka', '-node-id=n1']);
    expect(p.flags).toEqual({
      'pd-urls': 'http://pd:2379',
      'data-dir': '/d',
      'dest-db-type': 'kafka',
      'node-id': 'n1',
    });
  });

  it('double-dash forms are the same flags', () => {
    expect(parseGoArgv(['--addr', '0.0.0.0:8249', '--advertise-addr=h:8249']).flags).toEqual({
      addr: '0.0.0.0:8249',
      'advertise-addr': 'h:8249',
    });
  });

  it('a value may start with a dash', () => {
    expect(parseGoArgv(['-initial-commit-ts', '-1']).flags).toEqual({ 'initial-commit-ts': '-1' });
  });

  it('booleans never take the next argument', () => {
    const p = parseGoArgv(['-safe-mode', 'check', '-sync-ddl=false', '-config-check']);
    expect(p.flags).toEqual({ 'safe-mode': 'true', 'sync-ddl': 'false', 'config-check': 'true' });
    expect(p.positionals).toEqual(['check']);
  });

  it('Go short names -L, -c, -V', () => {
    expect(parseGoArgv(['-L', 'debug', '-c=4', '-V']).flags).toEqual({
      'log-level': 'debug',
      'worker-count': '4',
      version: 'true',
    });
    expect(parseGoArgv(['-log-level', 'warn']).flags).toEqual({ 'log-level': 'warn' });
  });

  it('every Go drainer flag is accepted in single-dash form', () => {
    const go = [
      '-node-id=a',
      '-addr=h:1',
      '-advertise-addr=h:1',
      '-data-dir=d',
      '-detect-interval=3',
      '-pd-urls=http://p:1',
      '-L=info',
      '-config=c.toml',
      '-V',
      '-metrics-addr=m:1',
      '-metrics-interval=5',
      '-log-file=f',
      '-initial-commit-ts=5',
      '-compressor=gzip',
      '-txn-batch=2',
      '-loopback-control=false',
      '-sync-ddl',
      '-channel-id=1',
      '-ignore-schemas=a',
      '-c=2',
      '-dest-db-type=file',
      '-relay-log-dir=',
      '-relay-max-file-size=1',
      '-disable-dispatch',
      '-enable-dispatch',
      '-safe-mode',
      '-disable-detect',
      '-enable-detect',
      '-load-table-infos',
      '-load-schema-snapshot',
      '-cache-binlog-count=8',
      '-synced-check-time=5',
      '-log-rotate=x',
    ];
    expect(Object.keys(parseGoArgv(go).flags)).toHaveLength(go.length);
  });

  it('unknown flags suggest the nearest', () => {
    expect(() => parseGoArgv(['-pd-url', 'x'])).toThrow(ConfigError);
    expect(() => parseGoArgv(['-pd-url', 'x'])).toThrow(/did you mean -pd-urls/);
  });

  it('-- ends flags; -h is help', () => {
    const p = parseGoArgv(['-h', '--', '-x']);
    expect(p.help).toBe(true);
    expect(p.positionals).toEqual(['-x']);
  });
});
