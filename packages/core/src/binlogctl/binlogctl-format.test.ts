import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { decryptPassword, secretKeyFromEnv } from '../config/password-cipher.js';
import { runBinlogctl } from './binlogctl-cli.js';

import { parseBinlogctlArgs } from './binlogctl-flags.js';
import { goLogLine, goTimeString } from './go-log-line.js';
import { nodeString } from './node-string.js';

describe('binlogctl output and flags', () => {
  it('prints a node as Go binlogctl does (pingcap/log line, Go Status.String)', () => {
    const updateTs = 407638907719778305n;
    const node = nodeString({
      nodeId: 'localhost.localdomain:8249',
      host: '192.168.236.128:8249',
      state: 'online',
      isAlive: false,
      score: 0n,
      label: null,
      maxCommitTs: 407638907719778305n,
      updateTs,
    });
    const when = goTimeString(new Date(Number(updateTs >> 18n)));
    expect(node).toBe(
      `{NodeID: localhost.localdomain:8249, Addr: 192.168.236.128:8249, State: online, MaxCommitTS: 407638907719778305, UpdateTime: ${when}}`,
    );
    const line = goLogLine(
      'INFO',
      'binlogctl',
      'query node',
      [
        ['type', 'drainer'],
        ['node', node],
      ],
      new Date(2019, 3, 11, 17, 44, 10, 861),
    );
    expect(line).toMatch(
      /^\[2019\/04\/11 17:44:10\.861 [+-]\d\d:\d\d\] \[INFO\] \[binlogctl\] \["query node"\] \[type=drainer\] \[node="\{NodeID: localhost\.localdomain:8249, .*\}"\]$/,
    );
  });

  it('formats Go time.String: fraction without trailing zeros, none when zero', () => {
    expect(goTimeString(new Date(2019, 3, 11, 17, 44, 10, 0))).toMatch(/^2019-04-11 17:44:10 [+-]\d{4} \S+$/);
    expect(goTimeString(new Date(2019, 3, 11, 17, 44, 10, 500))).toMatch(/^2019-04-11 17:44:10\.5 [+-]\d{4} \S+$/);
  });

  it('parses Go-style flags: single and double dash, =value, booleans', () => {
    const f = parseBinlogctlArgs([
      '--pd-urls=http://127.0.0.1:2379',
      '--cmd=update-drainer',
      '-node-id',
      'a:1',
      '-state',
      'offline',
      '-show-offline-nodes',
    ]);
    expect(f).toMatchObject({
      pdUrls: 'http://127.0.0.1:2379',
      cmd: 'update-drainer',
      nodeId: 'a:1',
      state: 'offline',
      showOfflineNodes: true,
    });
    expect(parseBinlogctlArgs([]).cmd).toBe('pumps');
    expect(parseBinlogctlArgs(['-show-offline-nodes=false']).showOfflineNodes).toBe(false);
    expect(() => parseBinlogctlArgs(['-bogus'])).toThrow('flag provided but not defined: -bogus');
    expect(() => parseBinlogctlArgs(['-cmd'])).toThrow('flag needs an argument: -cmd');
  });
});

describe('binlogctl commands without etcd', () => {
  it('generate_meta writes <data-dir>/savepoint with a current TSO; encrypt logs a value the drainer can decrypt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'binlogctl-meta-'));
    let out = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (out += `${t}\n`), env: {}, cwd: dir };
    try {
      const before = BigInt(Date.now()) << 18n;
      expect(await runBinlogctl(['-cmd', 'generate_meta', '-data-dir', join(dir, 'meta')], io)).toBe(0);
      const text = await readFile(join(dir, 'meta', 'savepoint'), 'utf8');
      const ts = BigInt(/^commitTS = (\d+)\n$/.exec(text)?.[1] ?? '0');
      expect(ts).toBeGreaterThanOrEqual(before);
      expect(ts).toBeLessThanOrEqual(BigInt(Date.now()) << 18n);

      out = '';
      expect(await runBinlogctl(['-cmd', 'encrypt', '-text', 'p@ss word'], io)).toBe(0);
      const enc = /\[encrypted="?([^"\]]+)"?\]/.exec(out)?.[1] ?? '';
      expect(decryptPassword(enc, secretKeyFromEnv({}), 'encrypted_password')).toBe('p@ss word');

      out = '';
      expect(await runBinlogctl(['-cmd', 'nope'], io)).toBe(1);
      expect(out).toContain('["fail to execute command"] [command=nope] [error="invalid cmd nope');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
