import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Etcd3 } from 'etcd3';
import {
  FakeTidbStatusApi,
  NotifyDrainersError,
  SimulatedPump,
  TidbSchemaModel,
  TsoAllocator,
  testEtcdUrl,
} from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runBinlogctl } from '../binlogctl/binlogctl-cli.js';
import { FileCheckpointStore } from '../checkpoint/file-checkpoint-store.js';
import type { NodeStatus } from '../upstream/node-status.js';
import { parseNodeStatus } from '../upstream/node-status.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const ROOT = '/tidb-binlog/v1';
const RUN = Math.random().toString(36).slice(2, 8);
const DRAINER_ID = `ctl-itest-drainer-${RUN}`;

/**
 * The tutorial's binlogctl story against real etcd (the drainer registers at the real registry root, as Go does),
 * simulated pumps and the drainer as a child process (TypeScript sources through tsx).
 */
describe('drainer control plane (tutorial binlogctl story)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'control-itest-'));
  const api = new FakeTidbStatusApi({ model: new TidbSchemaModel() });
  const tso = new TsoAllocator();
  const clusterId = 6_800_000_000_000_000_777n;
  const pumps: SimulatedPump[] = [];
  let etcd: Etcd3;
  let port = 0;
  let pumpSeq = 0;

  beforeAll(async () => {
    etcd = new Etcd3({ hosts: testEtcdUrl(), dialTimeout: 3000 });
    try {
      await etcd.getAll().prefix(`${ROOT}/`).keys();
    } catch (err) {
      throw new Error(
        `etcd is not reachable at ${testEtcdUrl()} (run: bash scripts/services.sh up etcd): ${String(err)}`,
      );
    }
    await api.start();
    port = await freePort();
    writeFileSync(
      join(dir, 'drainer.toml'),
      `log-file = "${join(dir, 'drainer.log')}"\n[sink]\npath = "${join(dir, 'out.jsonl')}"\n`,
    );
  });

  afterAll(async () => {
    await Promise.all(pumps.map((p) => p.close()));
    await etcd.delete().key(`${ROOT}/drainers/${DRAINER_ID}`);
    for (const p of pumps) await etcd.delete().key(`${ROOT}/pumps/${p.nodeId}`);
    etcd.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function record(): Promise<{ raw: string; status: NodeStatus } | undefined> {
    const key = `${ROOT}/drainers/${DRAINER_ID}`;
    const raw = await etcd.get(key).string();
    return raw === null ? undefined : { raw, status: parseNodeStatus(raw, key) };
  }

  async function waitFor<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  interface Running {
    readonly child: ChildProcess;
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    readonly stderr: () => string;
  }

  async function startDrainer(): Promise<Running> {
    const args = [
      '--import',
      'tsx',
      join(REPO, 'packages/core/src/cli/run-main.ts'),
      '-config',
      join(dir, 'drainer.toml'),
      '-dest-db-type',
      'jsonl',
      '-addr',
      `127.0.0.1:${port}`,
      '-node-id',
      DRAINER_ID,
      '-pd-urls',
      testEtcdUrl(),
      '-cluster-id',
      String(clusterId),
      '--tidb-status-addrs',
      api.address,
      '-data-dir',
      join(dir, 'data'),
      '-initial-commit-ts',
      '0',
    ];
    const before = (await record())?.status.updateTs ?? -1n;
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await waitFor('the drainer to register online', async () => {
      if (child.exitCode !== null) throw new Error(`drainer exited ${child.exitCode}: ${stderr}`);
      const r = await record();
      return r !== undefined && r.status.state === 'online' && r.status.updateTs !== before ? r : undefined;
    });
    return { child, exited, stderr: () => stderr };
  }

  function newPump(): SimulatedPump {
    const p = new SimulatedPump({
      nodeId: `ctl-itest-pump-${RUN}-${pumpSeq++}`,
      clusterId,
      tso,
      etcd,
      fakeIntervalMs: 100,
      heartbeatMs: 500,
      // Go: 3 tries from 1 s; shortened so the failing case stays fast.
      notifyDrainers: { tries: 2, backoffMs: 100, attemptTimeoutMs: 1000 },
    });
    pumps.push(p);
    return p;
  }

  async function ctl(...args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const code = await runBinlogctl(['-pd-urls', testEtcdUrl(), ...args], {
      out: (t) => (out += `${t}\n`),
      err: (t) => (out += `${t}\n`),
      env: process.env,
      cwd: REPO,
    });
    return { code, out };
  }

  it('registers online, is listed by binlogctl, and a killed drainer blocks a new pump until a remedy', async () => {
    const d1 = await startDrainer();
    const first = await record();
    expect(first?.raw).toMatch(
      new RegExp(
        `^\\{"nodeId":"${DRAINER_ID}","host":"127\\.0\\.0\\.1:${port}","state":"online","isAlive":false,"score":0,"label":null,"maxCommitTS":\\d+,"updateTS":\\d+\\}$`,
      ),
    );

    // binlogctl as a real process, Go flags with double dashes as in the tutorial.
    const listed = await runProcess([
      join(REPO, 'packages/core/src/binlogctl/run-main.ts'),
      `--pd-urls=${testEtcdUrl()}`,
      '--cmd=drainers',
    ]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(
      new RegExp(
        `\\[INFO\\] \\[binlogctl\\] \\["query node"\\] \\[type=drainer\\] \\[node="\\{NodeID: ${DRAINER_ID}, Addr: 127\\.0\\.0\\.1:${port}, State: online, MaxCommitTS: \\d+, UpdateTime: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d`,
      ),
    );

    // A new pump notifies the online drainer (Cistern Notify on the drainer's port); the drainer pulls from it at once.
    const p1 = newPump();
    await p1.start();
    expect(p1.notifiedDrainers).toEqual([DRAINER_ID]);
    const fake = p1.writeFake();
    await waitFor('the checkpoint to pass the pump fake binlog', async () => {
      const s = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as {
        PumpPos: Record<string, number> | null;
        LastTS: number;
      };
      return s.PumpPos !== null && p1.nodeId in s.PumpPos && BigInt(s.LastTS) >= fake ? s : undefined;
    });
    // Heartbeat: maxCommitTS follows the checkpoint.
    await waitFor('maxCommitTS to follow the checkpoint', async () => {
      const r = await record();
      return r !== undefined && r.status.maxCommitTs >= fake ? r : undefined;
    });

    // The Go metric names on the drainer's own port, fed by the real pipeline.
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of [
      `binlog_drainer_pump_position{nodeID="${p1.nodeId}"}`,
      `binlog_drainer_binlog_reach_duration_time_count{nodeID="${p1.nodeId}"}`,
      `binlog_drainer_read_binlog_size_count{nodeID="${p1.nodeId}"}`,
      'binlog_drainer_checkpoint_tso ',
      'binlog_drainer_checkpoint_delay_seconds_count ',
      'binlog_drainer_queue_size{name="syncer_input"}',
      'binlog_drainer_event{type="savepoint"}',
      'drainer_commit_ts_lag_seconds ',
      'drainer_runner_queue_bytes ',
    ]) {
      expect(metrics).toContain(name);
    }

    // kill -9: nothing runs the close path, so the record keeps saying online (Go leaves it the same way).
    d1.child.kill('SIGKILL');
    expect((await d1.exited).signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect((await record())?.status.state).toBe('online');
    expect((await ctl('-cmd', 'drainers')).out).toContain(
      `NodeID: ${DRAINER_ID}, Addr: 127.0.0.1:${port}, State: online`,
    );

    // The tutorial's failure: a new pump cannot notify the "online" drainer, marks itself offline and does not start.
    const p2 = newPump();
    await expect(p2.start()).rejects.toBeInstanceOf(NotifyDrainersError);
    expect(p2.running).toBe(false);
    const p2Raw = await etcd.get(`${ROOT}/pumps/${p2.nodeId}`).string();
    expect(p2Raw === null ? undefined : parseNodeStatus(p2Raw, p2.nodeId).state).toBe('offline');

    // Remedy 3: update-drainer to offline (a pure etcd edit); the pump now starts.
    const killed = await record();
    const upd = await ctl('--cmd=update-drainer', `--node-id=${DRAINER_ID}`, '--state=offline');
    expect(upd.code, upd.out).toBe(0);
    const after = await record();
    // Only the state changes; every other field is written back as it was.
    expect(after?.status).toEqual({ ...killed?.status, state: 'offline' });
    expect((await ctl('-cmd', 'drainers')).out).not.toContain(DRAINER_ID);
    expect((await ctl('-cmd', 'drainers', '-show-offline-nodes')).out).toContain(
      `NodeID: ${DRAINER_ID}, Addr: 127.0.0.1:${port}, State: offline`,
    );
    await p2.start();
    expect(p2.notifiedDrainers).toEqual([]);

    // Remedy 2: start the drainer before the pump; the new pump notifies it.
    const d2 = await startDrainer();
    const p3 = newPump();
    await p3.start();
    expect(p3.notifiedDrainers).toEqual([DRAINER_ID]);

    // SIGTERM (the tutorial's pkill): the drainer closes cleanly and is left paused.
    d2.child.kill('SIGTERM');
    expect((await d2.exited).code, d2.stderr()).toBe(0);
    expect((await record())?.status.state).toBe('paused');
    expect((await ctl('-cmd', 'drainers')).out).toContain(
      `NodeID: ${DRAINER_ID}, Addr: 127.0.0.1:${port}, State: paused`,
    );
    // A paused drainer is not notified (only online ones are).
    const p4 = newPump();
    await p4.start();
    expect(p4.notifiedDrainers).toEqual([]);

    // Remedy 1: offline-drainer through binlogctl: the drainer drains, saves its checkpoint, goes offline, exits 0.
    const d3 = await startDrainer();
    const mark = p4.writeFake();
    await waitFor('the drainer to pass the last fake binlog', async () => {
      const r = await record();
      return r !== undefined && r.status.maxCommitTs >= mark ? r : undefined;
    });
    const off = await ctl('-cmd', 'offline-drainer', '-node-id', DRAINER_ID);
    expect(off.code, off.out).toBe(0);
    expect(off.out).toContain('apply action close success!');
    expect((await d3.exited).code, d3.stderr()).toBe(0);
    const final = await record();
    expect(final?.status.state).toBe('offline');
    const cp = await new FileCheckpointStore({ dataDir: join(dir, 'data') }).load();
    expect(cp?.consistent).toBe(true);
    expect(cp?.commitTs).toBeGreaterThanOrEqual(mark);
    expect(final?.status.maxCommitTs).toBe(cp?.commitTs);
    const p5 = newPump();
    await p5.start();
    expect(p5.notifiedDrainers).toEqual([]);
  }, 90_000);

  it('pauses through binlogctl and closes through the HTTP API; refuses actions for another node id', async () => {
    const d1 = await startDrainer();
    const wrong = await ctl('-cmd', 'pause-drainer', '-node-id', 'no-such-drainer:1');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(
      /\[FATAL\] \[binlogctl\] \["fail to execute command"\] \[command=pause-drainer\] \[error="nodeID no-such-drainer:1 not found"\]/,
    );
    const paused = await ctl('-cmd', 'pause-drainer', '-node-id', DRAINER_ID);
    expect(paused.code, paused.out).toBe(0);
    expect((await d1.exited).code, d1.stderr()).toBe(0);
    expect((await record())?.status.state).toBe('paused');

    const d2 = await startDrainer();
    const base = `http://127.0.0.1:${port}`;
    const refused = (await (await fetch(`${base}/state/other:1/close`, { method: 'PUT' })).json()) as {
      code: number;
      message: string;
    };
    expect(refused).toEqual({
      message: `invalid nodeID other:1, this pump's nodeID is ${DRAINER_ID}`,
      code: 3,
      data: null,
    });
    const ok = (await (await fetch(`${base}/state/${DRAINER_ID}/close`, { method: 'PUT' })).json()) as { code: number };
    expect(ok).toEqual({ message: 'apply action close success!', code: 200, data: null });
    expect((await d2.exited).code, d2.stderr()).toBe(0);
    expect((await record())?.status.state).toBe('offline');
    const cp = await new FileCheckpointStore({ dataDir: join(dir, 'data') }).load();
    expect(cp?.consistent).toBe(true);
    expect((await record())?.status.maxCommitTs).toBe(cp?.commitTs);
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = a !== null && typeof a === 'object' ? a.port : 0;
      s.close(() => resolve(p));
    });
  });
}

function runProcess(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}
