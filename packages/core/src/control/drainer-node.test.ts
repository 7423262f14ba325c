import { describe, expect, it } from 'vitest';

import type { NodeStatus } from '../upstream/node-status.js';
import { ApproxTso } from './approx-tso.js';
import { DrainerNode, MAX_HEARTBEAT_FAILURES } from './drainer-node.js';
import type { NodeRegistry } from './node-registry.js';

/** A narrow stand-in for the etcd registry: records writes, fails on demand. */
function fakeRegistry(): { registry: NodeRegistry; writes: NodeStatus[]; fail: { on: boolean } } {
  const writes: NodeStatus[] = [];
  const fail = { on: false };
  const registry = {
    updateNode: (_kind: string, status: NodeStatus) => {
      if (fail.on) return Promise.reject(new Error('etcd down'));
      writes.push(status);
      return Promise.resolve();
    },
  } as unknown as NodeRegistry;
  return { registry, writes, fail };
}

describe('DrainerNode', () => {
  it('writes online with the checkpoint, heartbeats fresh maxCommitTS/updateTS, and commits paused on close', async () => {
    const { registry, writes } = fakeRegistry();
    let checkpoint = 100n << 18n;
    let now = 1_000_000;
    const node = new DrainerNode({
      nodeId: 'd:8249',
      host: '10.0.0.1:8249',
      registry,
      checkpointTs: () => checkpoint,
      onStop: () => undefined,
      tso: new ApproxTso(5000n << 18n, () => now),
      heartbeatMs: 10,
    });
    await node.start();
    expect(writes[0]).toEqual({
      nodeId: 'd:8249',
      host: '10.0.0.1:8249',
      state: 'online',
      isAlive: false,
      score: 0n,
      label: null,
      maxCommitTs: 100n << 18n,
      updateTs: 5000n << 18n,
    });
    checkpoint = 200n << 18n;
    now += 2500; // two whole seconds: Go adds 2 × 1000 ms to the last PD TSO
    for (let i = 0; i < 100 && writes.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(writes[1]?.maxCommitTs).toBe(200n << 18n);
    expect(writes[1]?.updateTs).toBe(7000n << 18n);
    await node.close();
    expect(writes.at(-1)?.state).toBe('paused');
  });

  it(`asks the drainer to stop after ${MAX_HEARTBEAT_FAILURES} consecutive heartbeat failures`, async () => {
    const { registry, fail } = fakeRegistry();
    const stops: string[] = [];
    const node = new DrainerNode({
      nodeId: 'd',
      host: 'h:1',
      registry,
      checkpointTs: () => 0n,
      onStop: (r) => stops.push(r),
      heartbeatMs: 1,
    });
    await node.start();
    fail.on = true;
    for (let i = 0; i < 500 && stops.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(stops).toEqual(['heartbeat']);
    await node.close();
    expect(node.state).toBe('paused');
  });

  it('refuses actions unless online and maps closing to offline', async () => {
    const { registry, writes } = fakeRegistry();
    const stops: string[] = [];
    const node = new DrainerNode({
      nodeId: 'd',
      host: 'h:1',
      registry,
      checkpointTs: () => 9n,
      onStop: (r) => stops.push(r),
      heartbeatMs: 60_000,
    });
    await node.start();
    expect(node.applyAction('close')).toEqual({ code: 200, message: 'apply action close success!' });
    expect(node.applyAction('pause')).toEqual({
      code: 3,
      message: "this pump's state is closing, apply pause failed!",
    });
    expect(stops).toEqual(['close']);
    await node.close();
    expect(writes.map((w) => w.state)).toEqual(['online', 'offline']);
    expect(writes.at(-1)?.maxCommitTs).toBe(9n);
  });
});
