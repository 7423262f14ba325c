import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { Etcd3 } from 'etcd3';
import fc from 'fast-check';
import { PdStub, PumpCluster, SimulatedPump, TsoAllocator, simplePrewriteValue, testEtcdUrl } from '@tidb-drainer/testkit';
import { afterEach, describe, expect, it } from 'vitest';

import { encodeEtcdClusterId, PD_CLUSTER_ID_KEY, resolveClusterId } from './cluster-id.js';
import type { MergedItem } from './merged-item.js';
import { parseNodeStatus, stringifyNodeStatus } from './node-status.js';
import { EtcdPumpRegistry } from './pump-registry.js';
import { PumpStream } from './pump-stream.js';
import { MergerSourceFailedError, PumpPayloadError } from './upstream-errors.js';
import { Upstream } from './upstream.js';

// Real etcd (scripts/services.sh up etcd) and real gRPC over loopback. Each test uses its own etcd namespace.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function cluster(pumps: number, fakeIntervalMs = 40): Promise<PumpCluster> {
  const c = await PumpCluster.start({ pumps, fakeIntervalMs });
  cleanups.push(() => c.close());
  return c;
}

function upstream(c: PumpCluster, extra: Partial<ConstructorParameters<typeof Upstream>[0]> = {}): Upstream {
  const u = new Upstream({
    registry: new EtcdPumpRegistry({ etcd: c.etcd! }),
    clusterId: c.clusterId,
    initialCommitTs: 0n,
    detectIntervalMs: 200,
    backoff: { initialMs: 20, maxMs: 100 },
    ...extra,
  });
  cleanups.push(() => u.close());
  return u;
}

/** Consumes merged items until `done(seen)` holds; fails after `timeoutMs`, showing what the merge waits on. */
async function consumeUntil(u: Upstream, out: MergedItem[], done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    while (!done()) out.push(await u.merger.next(ac.signal));
  } catch (err) {
    throw new Error(`merge did not finish: waiting on ${JSON.stringify(u.merger.waitingOn())}, got ${out.length} items`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

function expectStrictlyIncreasing(items: readonly MergedItem[]): void {
  for (let i = 1; i < items.length; i++) expect(items[i]!.commitTs > items[i - 1]!.commitTs).toBe(true);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('upstream over real gRPC and etcd', () => {
  it('property: 1–8 pumps, random interleavings and idle periods → strictly increasing, nothing lost, nothing duplicated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.record({ pump: fc.nat(), rollback: fc.boolean(), idle: fc.constantFrom(0, 0, 0, 0, 60), lane: fc.nat({ max: 2 }) }), { minLength: 1, maxLength: 40 }),
        async (k, ops) => {
          const c = await PumpCluster.start({ pumps: k, fakeIntervalMs: 30 });
          const u = new Upstream({ registry: new EtcdPumpRegistry({ etcd: c.etcd! }), clusterId: c.clusterId, initialCommitTs: 0n, detectIntervalMs: 200, backoff: { initialMs: 20, maxMs: 100 } });
          const driver = c.driver();
          try {
            await u.start();
            const committed = new Map<bigint, bigint>(); // commitTs → startTs
            const out: MergedItem[] = [];
            let writesDone = false;
            let top = 0n;
            const consumer = consumeUntil(u, out, () => writesDone && out.length > 0 && out[out.length - 1]!.commitTs > top);
            // Up to three concurrent writers (TiDB sessions), each running its ops in order.
            await Promise.all(
              [0, 1, 2].map(async (lane) => {
                for (const [i, op] of ops.entries()) {
                  if (op.lane !== lane) continue;
                  if (op.idle > 0) await sleep(op.idle);
                  const w = await driver.write({ kind: 'dml', prewriteValue: simplePrewriteValue(BigInt(100 + i), 1 + (i % 3)), rollback: op.rollback, pump: op.pump % k });
                  if (!op.rollback) committed.set(w.commitTs, w.startTs);
                }
              }),
            );
            top = c.tso.next();
            writesDone = true;
            await consumer;
            expectStrictlyIncreasing(out);
            const binlogs = out.filter((x) => x.kind === 'binlog');
            expect(binlogs.map((b) => b.commitTs).sort((a, b) => (a < b ? -1 : 1))).toEqual([...committed.keys()].sort((a, b) => (a < b ? -1 : 1)));
            for (const b of binlogs) expect(b.kind === 'binlog' && b.startTs).toBe(committed.get(b.commitTs));
            expect(u.merger.stats.dropped).toBe(0);
          } finally {
            driver.close();
            await u.close();
            await c.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('survives a pump restarted mid-stream: resumes from the last commit ts, no loss, no duplicates', async () => {
    const c = await cluster(2);
    const u = upstream(c);
    await u.start();
    const driver = c.driver();
    cleanups.push(() => Promise.resolve(driver.close()));
    const out: MergedItem[] = [];
    const written: bigint[] = [];
    for (let i = 0; i < 10; i++) written.push((await driver.write({ kind: 'dml', prewriteValue: simplePrewriteValue(1n, 2), pump: i % 2 })).commitTs);
    await consumeUntil(u, out, () => out.some((x) => x.commitTs >= written[9]!));
    const pump1 = c.pumps[1]!;
    const callsBefore = pump1.pullCalls;
    const lastFromPump1 = u.status().pumpPos.get('pump-1')!;
    await pump1.restart();
    for (let i = 10; i < 20; i++) written.push((await driver.write({ kind: 'dml', prewriteValue: simplePrewriteValue(1n, 2), pump: i % 2 })).commitTs);
    await consumeUntil(u, out, () => out.some((x) => x.commitTs > written[19]!));
    expectStrictlyIncreasing(out);
    expect(out.filter((x) => x.kind === 'binlog').map((x) => x.commitTs)).toEqual(written);
    expect(pump1.pullCalls).toBeGreaterThan(callsBefore);
    // The redial asked for everything after what it had already received.
    expect(pump1.pullOffsets.slice(callsBefore).every((o) => o >= lastFromPump1)).toBe(true);
  });

  it('adds a pump that registers while running and removes one that goes offline', async () => {
    const c = await cluster(2);
    const u = upstream(c);
    await u.start();
    const out: MergedItem[] = [];
    const d1 = c.driver();
    cleanups.push(() => Promise.resolve(d1.close()));
    const first = await d1.write({ kind: 'dml', prewriteValue: simplePrewriteValue(1n, 1), pump: 0 });
    await consumeUntil(u, out, () => out.some((x) => x.commitTs >= first.commitTs));
    const added = await c.addPump();
    await consumeUntil(u, out, () => u.status().pumpPos.has(added.nodeId));
    const d2 = c.driver();
    cleanups.push(() => Promise.resolve(d2.close()));
    const onNew = await d2.write({ kind: 'dml', prewriteValue: simplePrewriteValue(2n, 1), pump: 2 });
    await consumeUntil(u, out, () => out.some((x) => x.commitTs >= onNew.commitTs));
    expect(out.find((x) => x.commitTs === onNew.commitTs)?.pump).toBe(added.nodeId);
    // pump-0 goes offline: the registry says so, the stream is removed, the merge no longer waits for it.
    await c.pumps[0]!.offline();
    await consumeUntil(u, out, () => !u.status().pumpPos.has('pump-0'));
    const after = await d2.write({ kind: 'dml', prewriteValue: simplePrewriteValue(3n, 1), pump: 1 });
    await consumeUntil(u, out, () => out.some((x) => x.commitTs > after.commitTs));
    expect(out.some((x) => x.commitTs === after.commitTs && x.kind === 'binlog')).toBe(true);
    expectStrictlyIncreasing(out);
  });

  it('a paused pump stalls the merge (and is named as the one waited on); resuming releases it', async () => {
    const c = await cluster(2);
    const u = upstream(c);
    await u.start();
    const out: MergedItem[] = [];
    const driver = c.driver();
    cleanups.push(() => Promise.resolve(driver.close()));
    await c.pumps[1]!.pause();
    // Wait until the stream has seen the pause (etcd watch) and drained what it had.
    await sleep(300);
    const w = await driver.write({ kind: 'dml', prewriteValue: simplePrewriteValue(1n, 1), pump: 0 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 600);
    await expect(
      (async () => {
        for (;;) {
          const item = await u.merger.next(ac.signal);
          out.push(item);
          if (item.commitTs >= w.commitTs) return 'passed';
        }
      })(),
    ).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(out.every((x) => x.commitTs < w.commitTs)).toBe(true);
    expect(u.merger.waitingOn()).toEqual(['pump-1']);
    await c.pumps[1]!.resume();
    await consumeUntil(u, out, () => out.some((x) => x.commitTs >= w.commitTs));
    expect(out.some((x) => x.commitTs === w.commitTs && x.kind === 'binlog')).toBe(true);
    expectStrictlyIncreasing(out);
  });

  it('reconnects to an unreachable pump with backoff once it is back', async () => {
    const c = await cluster(1);
    const pump = c.pumps[0]!;
    pump.kill(); // etcd still says online
    const u = upstream(c);
    await u.start();
    await sleep(300);
    expect(u.status().pumps[0]?.connected).toBe(false);
    await pump.start();
    const driver = c.driver();
    cleanups.push(() => Promise.resolve(driver.close()));
    const w = await driver.write({ kind: 'dml', prewriteValue: simplePrewriteValue(1n, 1) });
    const out: MergedItem[] = [];
    await consumeUntil(u, out, () => out.some((x) => x.commitTs >= w.commitTs));
    expect(pump.pullCalls).toBeGreaterThanOrEqual(1);
    expect(u.status().pumps[0]?.connected).toBe(true);
  });

  it('a corrupt payload is a fatal typed error naming the pump and the commit ts', async () => {
    const c = await cluster(1);
    const u = upstream(c);
    await u.start();
    const driver = c.driver();
    cleanups.push(() => Promise.resolve(driver.close()));
    const good = await driver.write({ kind: 'dml', prewriteValue: simplePrewriteValue(1n, 1) });
    const badTs = c.pumps[0]!.writeCorrupt();
    const out: MergedItem[] = [];
    const err = await consumeUntil(u, out, () => false).catch((e: unknown) => e);
    expect(out.some((x) => x.commitTs === good.commitTs)).toBe(true);
    expect(out.every((x) => x.commitTs < badTs)).toBe(true);
    const failure = (err as Error).cause;
    expect(failure).toBeInstanceOf(MergerSourceFailedError);
    const payloadErr = (failure as MergerSourceFailedError).cause;
    expect(payloadErr).toBeInstanceOf(PumpPayloadError);
    expect((payloadErr as PumpPayloadError).details).toMatchObject({ pump: 'pump-0', commitTs: badTs });
    expect((payloadErr as PumpPayloadError).code).toBe('E_DECODE');
  });

  it('bounds per-pump buffering in bytes: a slow consumer pauses the gRPC stream', async () => {
    const c = await cluster(1, 10_000);
    const driver = c.driver();
    cleanups.push(() => Promise.resolve(driver.close()));
    const big = simplePrewriteValue(1n, 64, 256); // ~17 KB each
    for (let i = 0; i < 60; i++) await driver.write({ kind: 'dml', prewriteValue: big });
    const limit = 64 * 1024;
    const s = new PumpStream({ nodeId: 'pump-0', host: c.pumps[0]!.host, clusterId: c.clusterId, startAfter: 0n, maxBufferedBytes: limit, compression: 'gzip' });
    cleanups.push(() => s.close());
    await sleep(400);
    const st = s.status();
    expect(st.bufferedItems).toBeGreaterThan(0);
    expect(st.bufferedBytes).toBeLessThanOrEqual(limit + big.length + 200);
    // Draining slowly lets it read on, in order, to the end.
    let n = 0;
    let last = 0n;
    while (n < 60) {
      const item = s.tryTake();
      if (item === undefined) {
        await s.readable();
        continue;
      }
      expect(item.commitTs > last).toBe(true);
      last = item.commitTs;
      n++;
      expect(s.status().bufferedBytes).toBeLessThanOrEqual(limit + big.length + 200);
    }
  });

  it('keeps TSOs above 2^53 exact in etcd node status JSON', async () => {
    const c = await cluster(0);
    const tso = 434271871498256385n;
    const json = `{"nodeId":"p-big","host":"127.0.0.1:1","state":"paused","isAlive":false,"score":0,"label":null,"maxCommitTS":${tso},"updateTS":${tso + 2n}}`;
    await c.etcd!.put('/tidb-binlog/v1/pumps/p-big').value(json);
    const snap = await new EtcdPumpRegistry({ etcd: c.etcd! }).list();
    const p = snap.pumps.get('p-big');
    expect(p?.maxCommitTs).toBe(tso);
    expect(p?.updateTs).toBe(tso + 2n);
    expect(p?.state).toBe('paused');
    expect(stringifyNodeStatus(parseNodeStatus(json, 'k'))).toBe(json);
    // An unparsable record is reported, not fatal, and does not hide the others.
    await c.etcd!.put('/tidb-binlog/v1/pumps/broken').value('{"state":"weird"}');
    const snap2 = await new EtcdPumpRegistry({ etcd: c.etcd! }).list();
    expect(snap2.pumps.has('p-big')).toBe(true);
    expect(snap2.errors.map((e) => e.key)).toEqual(['/tidb-binlog/v1/pumps/broken']);
  });

  it('resolves the cluster id from config, else PD GetMembers, else /pd/cluster_id in etcd', async () => {
    const c = await cluster(0);
    expect(await resolveClusterId({ configured: 42n, pdUrls: [] })).toBe(42n);
    // A plain etcd does not serve pdpb.PD, so the lookup falls back to the key PD keeps.
    expect(await resolveClusterId({ pdUrls: [testEtcdUrl()], etcd: c.etcd, timeoutMs: 2000 })).toBe(c.clusterId);
    const raw = new Etcd3({ hosts: testEtcdUrl() });
    const ns = raw.namespace(`${c.namespace}-empty`);
    await expect(resolveClusterId({ pdUrls: [testEtcdUrl()], etcd: ns, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'E_CLUSTER_ID_MISMATCH' });
    raw.close();
    // The Go way: PD's GetMembers response header.
    const pd = await PdStub.start(6_999_999_999_999_999_999n);
    cleanups.push(() => Promise.resolve(pd.close()));
    expect(await resolveClusterId({ pdUrls: [`http://${pd.address}`], etcd: c.etcd })).toBe(6_999_999_999_999_999_999n);
    expect(encodeEtcdClusterId(c.clusterId).length).toBe(8);
    expect(PD_CLUSTER_ID_KEY).toBe('/pd/cluster_id');
  });

  it('pulls over mutual TLS when ssl-ca/cert/key are set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pump-tls-'));
    cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=test-ca');
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    for (const who of ['server', 'client']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
      ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', 'san.cnf');
    }
    const read = (f: string): Buffer => readFileSync(join(dir, f));
    const tso = new TsoAllocator();
    const pump = new SimulatedPump({
      nodeId: 'tls-pump',
      clusterId: 9n,
      tso,
      fakeIntervalMs: 50,
      serverCredentials: grpc.ServerCredentials.createSsl(read('ca.pem'), [{ cert_chain: read('server.pem'), private_key: read('server.key') }], true),
    });
    await pump.start();
    cleanups.push(() => pump.close());
    pump.storage.write({ tp: 0, startTs: tso.next(), commitTs: 0n, prewriteValue: simplePrewriteValue(1n, 1), ddlJobId: 0n, ddlSchemaState: 0 });
    const startTs = tso.current();
    const commitTs = tso.next();
    pump.storage.write({ tp: 1, startTs, commitTs, ddlJobId: 0n, ddlSchemaState: 0 });
    const s = new PumpStream({ nodeId: 'tls-pump', host: pump.host, clusterId: 9n, startAfter: 0n, tls: { ca: read('ca.pem'), cert: read('client.pem'), key: read('client.key') } });
    cleanups.push(() => s.close());
    await s.readable();
    const item = s.tryTake();
    expect(item).toMatchObject({ kind: 'binlog', commitTs, startTs, pump: 'tls-pump' });
    // Without a client certificate the pump (cert required) refuses: nothing arrives.
    const anon = new PumpStream({ nodeId: 'tls-pump', host: pump.host, clusterId: 9n, startAfter: 0n, tls: { ca: read('ca.pem') }, backoff: { initialMs: 50, maxMs: 50 } });
    cleanups.push(() => anon.close());
    await sleep(300);
    expect(anon.status().bufferedItems).toBe(0);
    expect(anon.lastCommitTs).toBe(0n);
  });

  it('simulated pump: going offline waits (closing) until registered drainers have caught up', async () => {
    const c = await cluster(1);
    const pump = c.pumps[0]!;
    const drainerKey = '/tidb-binlog/v1/drainers/d1';
    const status = (ts: bigint): string => `{"nodeId":"d1","host":"127.0.0.1:8249","state":"online","isAlive":false,"score":0,"label":null,"maxCommitTS":${ts},"updateTS":${ts}}`;
    await c.etcd!.put(drainerKey).value(status(1n));
    let finished = false;
    const going = pump.offline({ timeoutMs: 10_000 }).then(() => (finished = true));
    await sleep(400);
    expect(finished).toBe(false);
    expect(pump.state).toBe('closing');
    await c.etcd!.put(drainerKey).value(status(c.tso.next()));
    await going;
    expect(pump.state).toBe('offline');
    const snap = await new EtcdPumpRegistry({ etcd: c.etcd! }).list();
    expect(snap.pumps.get(pump.nodeId)?.state).toBe('offline');
  });
});
