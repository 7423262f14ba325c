import { tsoPhysicalMs } from '@tidb-drainer/core';
import type { SimulatedPump } from '@tidb-drainer/testkit';
import { allTypesTableSpec, tidbCol } from '@tidb-drainer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DrainerProcess, waitUntil } from './support/drainer-process.js';
import { E2eRig } from './support/e2e-rig.js';
import { normalizeRows } from './support/e2e-workload.js';
import { foldJsonl } from './support/jsonl-state.js';

/**
 * Issue 3's pump lifecycle cases through the whole drainer (the `drainer` process discovering pumps in PD's etcd,
 * decoding, writing jsonl), not just the upstream module: a pump restarted mid-stream, a pump added while running,
 * one taken offline, a paused pump that stalls the merge until it resumes. Every step checks the output exactly.
 * The steps share one running drainer and run in order.
 */
describe('e2e: pump lifecycle through the drainer process', () => {
  const rig = new E2eRig();
  const DB = 'life';
  const TABLES = [`${DB}.t`, `${DB}.all_types`];
  let drainer: DrainerProcess;
  const live = () => ({ alive: () => drainer.running, diagnostics: () => drainer.diagnostics });
  const pump = (i: number): SimulatedPump => {
    const p = rig.cluster.pumps[i];
    if (p === undefined) throw new Error(`no pump #${i}`);
    return p;
  };
  /** Waits until the output holds everything written so far. */
  const caughtUp = async (what: string): Promise<void> => {
    const last = rig.workload.lastCommitTs;
    await waitUntil(what, () => (rig.outputTs() >= last ? true : undefined), live());
  };

  beforeAll(async () => {
    await rig.start({ pumps: 2, seed: 303 });
    const { model, workload: w } = rig;
    await w.ddl(model.createDatabase(DB), DB);
    const spec = { name: 't', columns: [tidbCol.bigint('id', { notNull: true }), tidbCol.varchar('v', 32), tidbCol.decimal('d', 12, 2)], primaryKey: ['id'] };
    await w.ddl(model.createTable(DB, spec), DB, 't');
    await w.ddl(model.createTable(DB, allTypesTableSpec('all_types', 'clustered')), DB, 'all_types');
    for (let i = 0; i < 10; i++) await w.dml(TABLES, 3);
    drainer = await rig.startDrainer('life');
    await caughtUp('the initial backlog');
  });
  afterAll(async () => {
    await rig.close();
  });

  it('a pump killed mid-stream and restarted: the drainer reconnects from the last commit ts it received', async () => {
    const w = rig.workload;
    const p0 = pump(0);
    const before = await drainer.status();
    const calls = p0.pullCalls;
    p0.kill(); // still "online" in etcd: the merge must wait for it, not skip it
    for (let i = 0; i < 5; i++) await w.dml(TABLES, 2, 1);
    const whileDown = w.lastCommitTs;
    await p0.resume();
    for (let i = 0; i < 5; i++) await w.dml(TABLES, 2, 0);
    await caughtUp('the output after the pump restart');
    expect(rig.outputTs()).toBeGreaterThan(whileDown);
    expect(p0.pullCalls).toBeGreaterThan(calls);
    const offset = p0.pullOffsets[p0.pullOffsets.length - 1] ?? 0n;
    expect(offset).toBeGreaterThanOrEqual(before.PumpPos['pump-0'] ?? 1n);
  });

  it('a pump registered while running is discovered and merged', async () => {
    const w = rig.workload;
    const added = await rig.cluster.addPump();
    w.useDriver(rig.cluster.driver());
    await waitUntil('the drainer to pull from the new pump', async () => ((await drainer.status()).PumpPos[added.nodeId] !== undefined ? true : undefined), live());
    for (let i = 0; i < 6; i++) await w.dml(TABLES, 2, 2);
    for (let i = 0; i < 3; i++) await w.dml(TABLES, 2);
    await caughtUp('the txns written to the new pump');
    expect(added.pullCalls).toBeGreaterThan(0);
  });

  it('a pump taken offline is dropped: the merge goes on without it', async () => {
    const w = rig.workload;
    const p1 = pump(1);
    await p1.offline(); // its server is gone: had it stayed in the merge, nothing after this would come out
    w.useDriver(rig.cluster.driver({ pumps: [pump(0), pump(2)] }));
    for (let i = 0; i < 8; i++) await w.dml(TABLES, 2);
    await caughtUp('the txns written after the pump went offline');
  });

  it('a paused pump stalls the merge; resuming it releases what waited', async () => {
    const w = rig.workload;
    const p2 = pump(2);
    await p2.pause();
    const held = await w.dml(TABLES, 3, 0);
    // The drainer has pump-0's txn and a second of pump-0's later fake binlogs, yet must not emit the txn: pump-2 may
    // still send something older. (A stall cannot be awaited; this is the observation window, measured in TSOs.)
    await waitUntil(
      "pump-0's stream to move a second past the held txn",
      async () => {
        const pos = (await drainer.status()).PumpPos['pump-0'] ?? 0n;
        return tsoPhysicalMs(pos) >= tsoPhysicalMs(held) + 1000 ? true : undefined;
      },
      live(),
    );
    expect(rig.outputTs()).toBeLessThan(held);
    await p2.resume();
    for (let i = 0; i < 3; i++) await w.dml(TABLES, 2, 1);
    await caughtUp('the txns held while the pump was paused');
    expect(rig.records().some((r) => r.commitTs === held)).toBe(true);
  });

  it('the output is exact: every txn once, in commit-ts order, state equal to the model', async () => {
    const w = rig.workload;
    expect(await drainer.stop(), drainer.diagnostics).toBe(0);
    const records = rig.records();
    // No crash here, so no replay: transactions appear once each, in strictly increasing commit ts.
    const blocks: bigint[] = [];
    for (const r of records) if (blocks[blocks.length - 1] !== r.commitTs) blocks.push(r.commitTs);
    expect(blocks.every((ts, i) => i === 0 || ts > (blocks[i - 1] ?? 0n))).toBe(true);
    const dmlBlocks = new Set(records.filter((r) => r.type !== 'ddl').map((r) => r.commitTs));
    expect([...dmlBlocks].sort()).toEqual([...w.dmlCommits].sort());
    const got = foldJsonl(records, rig.foldOptions());
    for (const [table, rows] of w.expected()) {
      const mine = normalizeRows(got.get(table) ?? new Map<string, never>(), w.tableInfo(table));
      expect(mine.size, table).toBe(rows.size);
      for (const [key, row] of rows) expect(mine.get(key), `${table} ${key}`).toEqual(row);
    }
  });
});
