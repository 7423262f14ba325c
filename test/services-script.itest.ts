import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testServerPort, TEST_SERVER_HOST } from '@tidb-drainer/testkit';
import type { TestServerName } from '@tidb-drainer/testkit';

// scripts/services.sh and testkit's testServers() must agree on names, env vars and default ports: the script's
// status output is checked against testkit, with the same environment.
const script = fileURLToPath(new URL('../scripts/services.sh', import.meta.url));
const run = promisify(execFile);

describe('scripts/services.sh status', () => {
  it('reports every server healthy on the address testkit uses', async () => {
    const { stdout } = await run('bash', [script, 'status'], { env: process.env });
    const lines = stdout.trim().split('\n');
    const byName = new Map(lines.map((l) => [l.split(/\s+/)[0] ?? '', l]));
    const names: TestServerName[] = ['mysql', 'etcd', 'kafka', 'registry'];
    expect([...byName.keys()].sort()).toEqual([...names].sort());
    for (const name of names) {
      const line = byName.get(name) ?? '';
      expect(line, line).toMatch(/^\S+\s+healthy/);
      expect(line).toContain(`${TEST_SERVER_HOST}:${testServerPort(name)} `);
    }
  });

  it('rejects an unknown server name', async () => {
    const err = await run('bash', [script, 'status', 'postgres']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 1 });
    expect(String((err as { stderr?: unknown }).stderr)).toContain("unknown service 'postgres'");
  });
});
